// The managed node group of an EKS cluster: its Kubernetes version follows the cluster's, nodes
// boot from a launch template that requires IMDSv2 (hop limit 1: pods cannot reach the instance
// role) and encrypts the root volume, updates replace a third of the nodes at a time.
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

export interface EksNodeGroupArgs {
  provider: aws.Provider;
  cluster: aws.eks.Cluster;
  nodeRoleArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  instanceType: string;
  minNodes: number;
  maxNodes: number;
  spot: boolean;
  labels?: Record<string, string>;
  taints?: {
    key: string;
    value?: string;
    effect: 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';
  }[];
  diskGb?: number;
  tags: Record<string, string>;
}

export function eksNodeGroup(
  name: string,
  args: EksNodeGroupArgs,
  opts: pulumi.CustomResourceOptions,
): { launchTemplate: aws.ec2.LaunchTemplate; nodeGroup: aws.eks.NodeGroup } {
  const launchTemplate = new aws.ec2.LaunchTemplate(
    name,
    {
      description: `Nodes of ${name}: IMDSv2 only, encrypted gp3 root volume`,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: args.diskGb ?? 50,
            volumeType: 'gp3',
            encrypted: 'true',
            deleteOnTermination: 'true',
          },
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags: args.tags },
        { resourceType: 'volume', tags: args.tags },
      ],
      tags: args.tags,
      updateDefaultVersion: true,
    },
    opts,
  );
  const nodeGroup = new aws.eks.NodeGroup(
    name,
    {
      clusterName: args.cluster.name,
      // Follows the control plane: upgrading cluster.version rolls the nodes after it.
      version: args.cluster.version,
      nodeRoleArn: args.nodeRoleArn,
      subnetIds: args.subnetIds,
      amiType: 'AL2023_x86_64_STANDARD',
      instanceTypes: [args.instanceType],
      capacityType: args.spot ? 'SPOT' : 'ON_DEMAND',
      scalingConfig: {
        minSize: args.minNodes,
        desiredSize: args.minNodes,
        maxSize: args.maxNodes,
      },
      updateConfig: { maxUnavailablePercentage: 33 },
      launchTemplate: {
        id: launchTemplate.id,
        version: launchTemplate.latestVersion.apply(String),
      },
      labels: args.labels,
      taints: args.taints,
      tags: args.tags,
    },
    // The cluster autoscaler (or an operator) owns the desired size once the group exists.
    { ...opts, ignoreChanges: ['scalingConfig.desiredSize'] },
  );
  return { launchTemplate, nodeGroup };
}
