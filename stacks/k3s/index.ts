// The k3s composition: it picks the component that implements each concern. Until issue #4
// adds a k3s cluster (existing or installed over SSH) with in-cluster Postgres and Redis, it registers only the top component.
import type { StackConfig } from '../config.ts';
import { EdgeplaneStack, type StackOutputs } from '../edgeplane-stack.ts';

export function deploy(config: StackConfig): StackOutputs {
  const stack = new EdgeplaneStack(config.stack, { config });
  return stack.outputs();
}
