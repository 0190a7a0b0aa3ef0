// The edge's HorizontalPodAutoscaler (autoscaling/v2).
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

export const edgeCpuTargetPercent = 70;

export interface EdgeAutoscalerArgs {
  name: string;
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  deploymentName: pulumi.Input<string>;
  minReplicas: number;
  /** Raised to minReplicas if lower. */
  maxReplicas: number;
}

export function edgeAutoscaler(
  resourceName: string,
  args: EdgeAutoscalerArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.autoscaling.v2.HorizontalPodAutoscaler {
  return new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    resourceName,
    {
      metadata: { name: args.name, namespace: args.namespace, labels: args.labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: args.deploymentName },
        minReplicas: args.minReplicas,
        maxReplicas: Math.max(args.maxReplicas, args.minReplicas),
        // CPU only: a cache fills its memory by design, so memory says nothing about load.
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: edgeCpuTargetPercent },
            },
          },
        ],
        // Scale up at once, down slowly: every edge removed takes its memory cache with it.
        behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
      },
    },
    opts,
  );
}
