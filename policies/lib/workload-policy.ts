// A resource validation that runs a check over the pod spec of any workload type (pods.ts) and
// reports each problem prefixed with the workload's name. Other types are not applicable.
import type { ResourceValidation } from '@pulumi/policy';
import { type ContainerView, containersOf, isWorkload, podSpecOf, workloadName } from './pods.ts';
import { unknown } from './props.ts';

export interface WorkloadView {
  type: string;
  props: unknown;
  podSpec: unknown;
  containers: ContainerView[];
}

export function validateWorkloads(check: (workload: WorkloadView) => string[]): ResourceValidation {
  return (args, report) => {
    if (!isWorkload(args.type)) return;
    const podSpec = podSpecOf(args.type, args.props);
    if (podSpec === unknown || podSpec === undefined) return;
    const problems = check({
      type: args.type,
      props: args.props,
      podSpec,
      containers: containersOf(podSpec),
    });
    const name = workloadName(args.props, args.name);
    for (const problem of problems) report(`${name}: ${problem}`);
  };
}

/** `container "edge"` or `init container "migrate"`, for messages. */
export function containerLabel(container: ContainerView): string {
  return `${container.init ? 'init container' : 'container'} "${container.name}"`;
}
