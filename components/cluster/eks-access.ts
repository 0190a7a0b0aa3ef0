// Cluster access in authentication mode API: one access entry per admin role, with the cluster
// admin policy on the whole cluster. No aws-auth ConfigMap.
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

export const clusterAdminPolicyArn =
  'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

export function eksAdminAccess(
  name: string,
  args: { cluster: aws.eks.Cluster; roleArns: readonly string[]; tags: Record<string, string> },
  opts: pulumi.CustomResourceOptions,
): aws.eks.AccessPolicyAssociation[] {
  return args.roleArns.map((principalArn, index) => {
    const entry = new aws.eks.AccessEntry(
      `${name}-admin-${index}`,
      { clusterName: args.cluster.name, principalArn, type: 'STANDARD', tags: args.tags },
      opts,
    );
    return new aws.eks.AccessPolicyAssociation(
      `${name}-admin-${index}`,
      {
        clusterName: args.cluster.name,
        principalArn: entry.principalArn,
        policyArn: clusterAdminPolicyArn,
        accessScope: { type: 'cluster' },
      },
      opts,
    );
  });
}
