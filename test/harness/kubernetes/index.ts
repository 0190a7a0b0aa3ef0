// Kubernetes objects out of a recorded plan, and their validation against the Kubernetes schema.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { RecordedResource } from '../pulumi/resource-recorder.ts';
import { projectRoot } from '../pulumi/stack-files.ts';
import type { KubernetesObject, ValidationResult } from './validate-objects.ts';

export type { KubernetesObject, ValidationResult } from './validate-objects.ts';

/** Resource types that are Kubernetes objects as they stand (not providers, Helm releases or YAML bundles). */
export function isKubernetesObject(resource: RecordedResource): boolean {
  return (
    resource.custom &&
    resource.type.startsWith('kubernetes:') &&
    !resource.type.startsWith('kubernetes:helm.sh/') &&
    !resource.type.startsWith('kubernetes:yaml') &&
    typeof resource.inputs.apiVersion === 'string' &&
    typeof resource.inputs.kind === 'string'
  );
}

/** The Kubernetes objects a plan would apply, as Kubernetes would receive them. */
export function kubernetesObjects(resources: readonly RecordedResource[]): KubernetesObject[] {
  return resources
    .filter(isKubernetesObject)
    .map((resource) => resource.inputs as KubernetesObject);
}

/** Validates objects with kubernetes-models in a separate Node process (the models are ESM-only). */
export function validateKubernetesObjects(
  objects: readonly KubernetesObject[],
): ValidationResult[] {
  const script = join(projectRoot(), 'test', 'harness', 'kubernetes', 'validate-objects.ts');
  const result = spawnSync(process.execPath, [script], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(`kubernetes validation failed to run (${result.status}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as ValidationResult[];
}
