export { type ExampleStackOptions, exampleStackWith, mapConfigSource } from './config-source.ts';
export { placeholderSecrets } from './placeholder-secrets.ts';
export { type Plan, type PlanOptions, planStack } from './plan.ts';
export { countByType, renderTree } from './plan-report.ts';
export { type RecordedResource, ResourceRecorder, unwrapSecrets } from './resource-recorder.ts';
export { type SecretLeak, secretLeaks } from './secret-leaks.ts';
export { exampleStackNames, projectRoot, readStackConfig } from './stack-files.ts';
