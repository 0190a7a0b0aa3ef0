// The gcp composition: it picks the component that implements each concern. Until issue #6
// adds GKE, Cloud SQL, Memorystore and Cloud DNS per region, it registers only the top component.
import type { StackConfig } from '../config.ts';
import { EdgeplaneStack, type StackOutputs } from '../edgeplane-stack.ts';

export function deploy(config: StackConfig): StackOutputs {
  const stack = new EdgeplaneStack(config.stack, { config });
  return stack.outputs();
}
