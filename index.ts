// The Pulumi program: validate the whole stack config, then hand it to the cloud's composition.
// Only the chosen cloud's module (and provider SDK) is loaded.
import type { Cloud, StackConfig } from './stacks/config.ts';
import { loadStackConfig } from './stacks/config.ts';
import type { StackOutputs } from './stacks/edgeplane-stack.ts';

const compositions: Record<Cloud, () => Promise<{ deploy(config: StackConfig): StackOutputs }>> = {
  aws: () => import('./stacks/aws/index.ts'),
  gcp: () => import('./stacks/gcp/index.ts'),
  k3s: () => import('./stacks/k3s/index.ts'),
};

export default async function main(): Promise<StackOutputs> {
  const config = loadStackConfig();
  const composition = await compositions[config.cloud]();
  return composition.deploy(config);
}
