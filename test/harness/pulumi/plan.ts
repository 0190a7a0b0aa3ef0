// Plans a stack in-process under recording mocks: no Pulumi CLI, no cloud. Returns every
// registered resource and the resolved stack outputs.
import * as pulumi from '@pulumi/pulumi';
import { placeholderSecrets } from './placeholder-secrets.ts';
import { type RecordedResource, ResourceRecorder } from './resource-recorder.ts';
import { readStackConfig } from './stack-files.ts';

export interface Plan {
  stack: string;
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
  /** Names of stack outputs that are secret. */
  secretOutputs: string[];
}

export interface PlanOptions {
  /** Secret config by full key; defaults to placeholders for every secret the project knows. */
  secrets?: Readonly<Record<string, string>>;
  /** Config values to set or replace, by full key, as Pulumi passes them (JSON for structured values). */
  overrides?: Readonly<Record<string, string>>;
  /** Keys to remove from the stack file's config. */
  remove?: readonly string[];
  preview?: boolean;
  /** Pass one to inspect what was registered even when the program throws. */
  recorder?: ResourceRecorder;
}

// The SDK drains its queue of pending registrations with this; it is exported but not typed.
const runtimeInternals = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
// Output.promise(withUnknowns) is internal too; unlike apply it also settles on unknown values.
type OutputInternals = { promise(withUnknowns: boolean): Promise<unknown> };

/** Plans the example stack `Pulumi.<stack>.yaml`. Rejects with the program's error (e.g. StackConfigError). */
export async function planStack(stack: string, options: PlanOptions = {}): Promise<Plan> {
  const { values, secretKeys } = readStackConfig(stack, options.secrets ?? placeholderSecrets);
  Object.assign(values, options.overrides);
  for (const key of options.remove ?? []) delete values[key];

  const recorder = options.recorder ?? new ResourceRecorder();
  await pulumi.runtime.setMocks(recorder.mocks, 'edgeplane', stack, options.preview ?? false);
  recorder.attach();
  pulumi.runtime.setAllConfig(values, secretKeys);

  // Imported only now: program modules must load after setMocks.
  const { default: main } = await import('../../../index.ts');
  try {
    const exported = await main();
    const { outputs, secretOutputs } = await resolveOutputs(exported);
    await runtimeInternals.waitForRPCs();
    return { stack, resources: recorder.resources, outputs, secretOutputs };
  } finally {
    await runtimeInternals.waitForRPCs();
  }
}

async function resolveOutputs(exported: object) {
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  for (const [name, value] of Object.entries(exported)) {
    const output = pulumi.output(value);
    if (await pulumi.isSecret(output)) secretOutputs.push(name);
    outputs[name] = await (output as unknown as OutputInternals).promise(true);
  }
  return { outputs, secretOutputs: secretOutputs.sort() };
}
