// EksCluster implements ClusterOutputs on AWS: an EKS control plane in the region's private
// subnets (private endpoint, public only for an allowlist), authentication mode API with access
// entries, secrets envelope-encrypted with a KMS key, every control-plane log type in CloudWatch,
// a managed node group that follows the cluster's version, the core add-ons and metrics-server
// (for the edge's autoscaler), Cluster Autoscaler (nodes follow the pods), and an encrypted gp3
// StorageClass. Every resource goes through the region's explicit AWS provider; Kubernetes objects
// go through the cluster's own provider, built from the cluster's outputs.
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { standardLabels } from '../labels.ts';
import type { AwsVpc } from '../network/vpc.ts';
import { eksAdminAccess } from './eks-access.ts';
import { eksAddons } from './eks-addons.ts';
import { eksClusterAutoscaler } from './eks-autoscaler.ts';
import { clusterPolicyArns, nodePolicyArns, serviceRole } from './eks-iam.ts';
import { eksKubeconfig } from './eks-kubeconfig.ts';
import { eksNodeGroup } from './eks-node-group.ts';
import type { ClusterOutputs } from './types.ts';

/** Every control-plane log type EKS can ship. */
export const controlPlaneLogTypes = [
  'api',
  'audit',
  'authenticator',
  'controllerManager',
  'scheduler',
] as const;

export const eksStorageClassName = 'gp3';

export interface EksClusterArgs {
  /** The region's explicit provider. */
  provider: aws.Provider;
  /** The stack's region name, handed to the runtime (EDGEPLANE_REGION). */
  region: string;
  /** The EKS cluster's name, e.g. edgeplane-aws-prod-us-east-1 (at most 100 characters). */
  clusterName: string;
  /** Kubernetes minor version, e.g. 1.34. */
  version: string;
  vpc: AwsVpc;
  nodeSize: string;
  minNodes: number;
  maxNodes: number;
  spot: boolean;
  /** IAM roles that get cluster admin through access entries. */
  adminRoleArns: readonly string[];
  /** CIDRs allowed to reach the API from the internet; empty keeps the endpoint private only. */
  publicAccessCidrs: readonly string[];
  logRetentionDays: number;
  tags: Record<string, string>;
  /** The stack's environment, for the standard labels of the Kubernetes objects the cluster creates. */
  environment: string;
}

export class EksCluster extends pulumi.ComponentResource implements ClusterOutputs {
  public readonly name: pulumi.Output<string>;
  public readonly region: string;
  public readonly provider: k8s.Provider;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly storageClassName = eksStorageClassName;
  /** No Ingress controller runs on EKS: the CDN's entry is a LoadBalancer Service per role. */
  public readonly ingressClassName = '';
  public readonly cluster: aws.eks.Cluster;
  public readonly nodeGroup: aws.eks.NodeGroup;
  public readonly secretsKey: aws.kms.Key;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:cluster:EksCluster', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const { tags } = args;

    this.secretsKey = new aws.kms.Key(
      `${name}-secrets`,
      {
        description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${args.clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags,
      },
      child,
    );
    new aws.kms.Alias(
      `${name}-secrets`,
      { name: `alias/${args.clusterName}-secrets`, targetKeyId: this.secretsKey.keyId },
      child,
    );
    // Created before the cluster so its retention applies (EKS would create it without one).
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane`,
      {
        name: `/aws/eks/${args.clusterName}/cluster`,
        retentionInDays: args.logRetentionDays,
        tags,
      },
      child,
    );
    const clusterRole = serviceRole(
      `${name}-cluster`,
      'eks.amazonaws.com',
      clusterPolicyArns,
      tags,
      child,
    );
    const publicAccess = args.publicAccessCidrs.length > 0;
    this.cluster = new aws.eks.Cluster(
      name,
      {
        name: args.clusterName,
        version: args.version,
        roleArn: clusterRole.role.arn,
        vpcConfig: {
          subnetIds: args.vpc.privateSubnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: publicAccess,
          publicAccessCidrs: publicAccess ? [...args.publicAccessCidrs] : undefined,
        },
        accessConfig: {
          authenticationMode: 'API',
          // The identity running Pulumi must reach the cluster to create its Kubernetes objects.
          bootstrapClusterCreatorAdminPermissions: true,
        },
        encryptionConfig: { provider: { keyArn: this.secretsKey.arn }, resources: ['secrets'] },
        enabledClusterLogTypes: [...controlPlaneLogTypes],
        upgradePolicy: { supportType: 'STANDARD' },
        tags,
      },
      { ...child, dependsOn: [logGroup, ...clusterRole.attachments] },
    );
    const admins = eksAdminAccess(
      name,
      { cluster: this.cluster, roleArns: args.adminRoleArns, tags },
      child,
    );

    const nodeRole = serviceRole(`${name}-nodes`, 'ec2.amazonaws.com', nodePolicyArns, tags, child);
    const { nodeGroup } = eksNodeGroup(
      `${name}-nodes`,
      {
        provider: args.provider,
        cluster: this.cluster,
        nodeRoleArn: nodeRole.role.arn,
        subnetIds: args.vpc.privateSubnetIds,
        instanceType: args.nodeSize,
        minNodes: args.minNodes,
        maxNodes: args.maxNodes,
        spot: args.spot,
        labels: { 'edgeplane.io/capacity': args.spot ? 'spot' : 'on-demand' },
        tags,
      },
      { ...child, dependsOn: nodeRole.attachments },
    );
    this.nodeGroup = nodeGroup;
    const addons = eksAddons(
      name,
      { provider: args.provider, cluster: this.cluster, nodeGroup, tags },
      child,
    );

    this.name = this.cluster.name;
    this.region = args.region;
    this.kubeconfig = eksKubeconfig({
      clusterName: this.cluster.name,
      endpoint: this.cluster.endpoint,
      certificateAuthorityData: this.cluster.certificateAuthority.data,
      region: args.region,
    });
    this.provider = new k8s.Provider(
      name,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      {
        parent: this,
        // Kubernetes objects wait for nodes, networking, DNS, resource metrics and the admins' access.
        dependsOn: [
          nodeGroup,
          addons['vpc-cni'],
          addons.coredns,
          addons['metrics-server'],
          ...admins,
        ],
      },
    );
    eksClusterAutoscaler(
      `${name}-autoscaler`,
      {
        provider: args.provider,
        kubernetes: this.provider,
        cluster: this.cluster,
        clusterName: args.clusterName,
        version: args.version,
        region: args.region,
        tags,
      },
      { parent: this, dependsOn: [addons['eks-pod-identity-agent']] },
    );
    new k8s.storage.v1.StorageClass(
      `${name}-${eksStorageClassName}`,
      {
        metadata: {
          name: eksStorageClassName,
          labels: standardLabels('storage', args.environment),
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true' },
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy: 'Delete',
      },
      { parent: this, provider: this.provider, dependsOn: [addons['aws-ebs-csi-driver']] },
    );
    this.registerOutputs({ name: this.name, kubeconfig: this.kubeconfig });
  }
}
