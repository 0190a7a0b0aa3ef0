// Cluster Autoscaler for the managed node group: the edge's HorizontalPodAutoscaler adds pods, this
// adds nodes for them (between cluster.minNodes and maxNodes) and removes idle ones. It finds the
// node group's Auto Scaling group by the tags EKS puts on it, and acts through a Pod Identity role
// that may only resize groups of this cluster.
import type * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { PodIdentityRole } from '../identity/pod-identity.ts';

export const clusterAutoscalerChart = {
  chart: 'cluster-autoscaler',
  version: '9.52.1',
  repo: 'https://kubernetes.github.io/autoscaler',
} as const;
const namespace = 'kube-system';
const serviceAccount = 'cluster-autoscaler';

/** The autoscaler's permissions, as its AWS documentation lists them; resizing only this cluster's groups. */
export function clusterAutoscalerPolicy(clusterName: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
          'eks:DescribeNodegroup',
        ],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: [
          'autoscaling:SetDesiredCapacity',
          'autoscaling:TerminateInstanceInAutoScalingGroup',
        ],
        Resource: '*',
        Condition: {
          StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' },
        },
      },
    ],
  });
}

export interface EksAutoscalerArgs {
  provider: aws.Provider;
  kubernetes: k8s.Provider;
  cluster: aws.eks.Cluster;
  /** The cluster's name as configured, for the tag condition of the policy. */
  clusterName: string;
  /** Kubernetes minor version: the autoscaler's release must match it. */
  version: string;
  region: string;
  tags: Record<string, string>;
}

export function eksClusterAutoscaler(
  name: string,
  args: EksAutoscalerArgs,
  opts: { parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): k8s.helm.v3.Release {
  const identity = new PodIdentityRole(
    name,
    {
      provider: args.provider,
      clusterName: args.cluster.name,
      namespace,
      serviceAccount,
      policy: clusterAutoscalerPolicy(args.clusterName),
      tags: args.tags,
    },
    { parent: opts.parent, dependsOn: opts.dependsOn },
  );
  return new k8s.helm.v3.Release(
    name,
    {
      name: 'cluster-autoscaler',
      chart: clusterAutoscalerChart.chart,
      version: clusterAutoscalerChart.version,
      repositoryOpts: { repo: clusterAutoscalerChart.repo },
      namespace,
      atomic: true,
      cleanupOnFail: true,
      values: {
        cloudProvider: 'aws',
        awsRegion: args.region,
        autoDiscovery: { clusterName: args.clusterName },
        image: { tag: `v${args.version}.0` },
        rbac: { serviceAccount: { create: true, name: serviceAccount } },
        extraArgs: {
          expander: 'least-waste',
          'balance-similar-node-groups': true,
          'skip-nodes-with-local-storage': false,
        },
        resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      },
    },
    { parent: opts.parent, provider: args.kubernetes, dependsOn: [identity] },
  );
}
