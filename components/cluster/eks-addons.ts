// The EKS add-ons every edgeplane cluster runs. Versions are left to EKS: it picks the
// default for the cluster's Kubernetes version, and a cluster upgrade moves them along.
// The VPC CNI enforces NetworkPolicies (the CDN's default-deny depends on it); the CNI and the EBS
// CSI driver get their AWS permissions through Pod Identity, not the node role.
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { podIdentityTrustPolicy } from '../identity/pod-identity.ts';

export interface EksAddonsArgs {
  provider: aws.Provider;
  cluster: aws.eks.Cluster;
  /** Add-ons that run pods wait for nodes to exist. */
  nodeGroup: aws.eks.NodeGroup;
  tags: Record<string, string>;
}

/** Add-on name -> its configuration values (JSON), as `aws eks describe-addon-configuration` documents. */
export const addonConfigurations = {
  'eks-pod-identity-agent': undefined,
  'vpc-cni': { enableNetworkPolicy: 'true' },
  'kube-proxy': undefined,
  coredns: { replicaCount: 2 },
  'aws-ebs-csi-driver': undefined,
  // EKS community add-on: the resource metrics the edge's HorizontalPodAutoscaler scales on.
  'metrics-server': undefined,
} as const;

export type EksAddonName = keyof typeof addonConfigurations;

/** Which add-ons get a Pod Identity role, for which ServiceAccount, with which managed policy. */
const addonIdentities: Partial<
  Record<EksAddonName, { serviceAccount: string; policyArn: string }>
> = {
  'vpc-cni': {
    serviceAccount: 'aws-node',
    policyArn: 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
  },
  'aws-ebs-csi-driver': {
    serviceAccount: 'ebs-csi-controller-sa',
    policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
  },
};

export function eksAddons(
  name: string,
  args: EksAddonsArgs,
  opts: pulumi.CustomResourceOptions,
): Record<EksAddonName, aws.eks.Addon> {
  const addons = {} as Record<EksAddonName, aws.eks.Addon>;
  // The agent first: add-ons with a Pod Identity association need it to get credentials.
  const order: EksAddonName[] = [
    'eks-pod-identity-agent',
    'vpc-cni',
    'kube-proxy',
    'coredns',
    'aws-ebs-csi-driver',
    'metrics-server',
  ];
  for (const addonName of order) {
    const identity = addonIdentities[addonName];
    let podIdentityAssociations: aws.types.input.eks.AddonPodIdentityAssociation[] | undefined;
    if (identity) {
      const role = new aws.iam.Role(
        `${name}-${addonName}`,
        { assumeRolePolicy: podIdentityTrustPolicy, tags: args.tags },
        opts,
      );
      new aws.iam.RolePolicyAttachment(
        `${name}-${addonName}`,
        { role: role.name, policyArn: identity.policyArn },
        opts,
      );
      podIdentityAssociations = [{ roleArn: role.arn, serviceAccount: identity.serviceAccount }];
    }
    const configuration = addonConfigurations[addonName];
    // Deployments (CoreDNS, the EBS CSI controller, metrics-server) become healthy only on nodes.
    const runsPods = ['coredns', 'aws-ebs-csi-driver', 'metrics-server'].includes(addonName);
    const dependsOn = [
      ...(addonName === 'eks-pod-identity-agent' ? [] : [addons['eks-pod-identity-agent']]),
      ...(runsPods ? [args.nodeGroup] : []),
    ];
    addons[addonName] = new aws.eks.Addon(
      `${name}-${addonName}`,
      {
        clusterName: args.cluster.name,
        addonName,
        configurationValues: configuration ? JSON.stringify(configuration) : undefined,
        podIdentityAssociations,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        tags: args.tags,
      },
      { ...opts, dependsOn },
    );
  }
  return addons;
}
