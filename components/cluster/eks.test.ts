// EksCluster and its VPC under the recording mocks: a private control plane with encrypted secrets
// and every log type, access entries for the admins, nodes that require IMDSv2 and follow the
// cluster's version, the core add-ons, and nothing on a default provider.
import * as aws from '@pulumi/aws';
import type { RecordedResource } from '../../test/harness/pulumi/index.ts';
import { AwsVpc } from '../network/vpc.ts';
import { EksCluster, type EksClusterArgs } from './eks.ts';
import { outputValue, recordProgram } from './testing.ts';

function program(overrides: Partial<EksClusterArgs> = {}, natPerZone = true) {
  return () => {
    const provider = new aws.Provider('aws-eu-west-1', { region: 'eu-west-1' });
    const vpc = new AwsVpc('network', {
      provider,
      cidr: '10.0.0.0/16',
      zoneCount: 3,
      natPerZone,
      clusterName: 'edgeplane-test',
      flowLogRetentionDays: 14,
    });
    return new EksCluster('cluster', {
      provider,
      region: 'eu-west-1',
      clusterName: 'edgeplane-test',
      version: '1.34',
      vpc,
      nodeSize: 'm7i.large',
      minNodes: 3,
      maxNodes: 9,
      spot: false,
      adminRoleArns: ['arn:aws:iam::123456789012:role/admin'],
      publicAccessCidrs: [],
      logRetentionDays: 90,
      tags: { 'edgeplane:stack': 'test' },
      environment: 'staging',
      ...overrides,
    });
  };
}

const ofType = (resources: RecordedResource[], type: string) =>
  resources.filter((resource) => resource.type === type);
const only = (resources: RecordedResource[], type: string) => {
  const found = ofType(resources, type);
  expect(found).toHaveLength(1);
  return found[0] as RecordedResource;
};

describe('EksCluster', () => {
  let resources: RecordedResource[];
  let cluster: EksCluster;
  beforeAll(async () => {
    ({ resources, result: cluster } = await recordProgram(program()));
  });

  it('keeps the API endpoint private when no public CIDR is given', () => {
    expect(only(resources, 'aws:eks/cluster:Cluster').inputs).toMatchObject({
      name: 'edgeplane-test',
      version: '1.34',
      vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false },
    });
    const vpcConfig = only(resources, 'aws:eks/cluster:Cluster').inputs.vpcConfig as Record<
      string,
      unknown
    >;
    expect(vpcConfig.publicAccessCidrs).toBeUndefined();
    expect((vpcConfig.subnetIds as string[]).sort()).toEqual([
      'network-private-0-id',
      'network-private-1-id',
      'network-private-2-id',
    ]);
  });

  it('opens the endpoint only to the allowlist when one is given', async () => {
    const { resources: withCidrs } = await recordProgram(
      program({ publicAccessCidrs: ['203.0.113.0/24'] }),
    );
    expect(only(withCidrs, 'aws:eks/cluster:Cluster').inputs.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
    });
  });

  it('envelope-encrypts secrets with a rotating KMS key and ships every control-plane log', () => {
    const key = only(resources, 'aws:kms/key:Key');
    expect(key.inputs).toMatchObject({ enableKeyRotation: true });
    expect(only(resources, 'aws:eks/cluster:Cluster').inputs).toMatchObject({
      encryptionConfig: {
        provider: { keyArn: 'arn:aws:kms:mock-region:123456789012:cluster-secrets' },
        resources: ['secrets'],
      },
      enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
    });
    expect(
      ofType(resources, 'aws:cloudwatch/logGroup:LogGroup').find(
        (group) => group.inputs.name === '/aws/eks/edgeplane-test/cluster',
      )?.inputs.retentionInDays,
    ).toBe(90);
  });

  it('authenticates through access entries only, one per admin role', () => {
    expect(only(resources, 'aws:eks/cluster:Cluster').inputs.accessConfig).toMatchObject({
      authenticationMode: 'API',
    });
    expect(only(resources, 'aws:eks/accessEntry:AccessEntry').inputs.principalArn).toBe(
      'arn:aws:iam::123456789012:role/admin',
    );
    expect(
      only(resources, 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation').inputs,
    ).toMatchObject({
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      accessScope: { type: 'cluster' },
    });
  });

  it('boots nodes that require IMDSv2 on encrypted volumes and follow the cluster version', () => {
    expect(only(resources, 'aws:ec2/launchTemplate:LaunchTemplate').inputs).toMatchObject({
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ ebs: { encrypted: 'true', volumeType: 'gp3' } }],
    });
    const nodeGroup = only(resources, 'aws:eks/nodeGroup:NodeGroup');
    expect(nodeGroup.inputs).toMatchObject({
      version: '1.34',
      capacityType: 'ON_DEMAND',
      scalingConfig: { minSize: 3, maxSize: 9 },
      updateConfig: { maxUnavailablePercentage: 33 },
      launchTemplate: { id: 'cluster-nodes-id', version: '1' },
      labels: { 'edgeplane.io/capacity': 'on-demand' },
    });
    // The version is the cluster's output, not a copy of the config value.
    const clusterUrn = only(resources, 'aws:eks/cluster:Cluster').urn;
    expect(nodeGroup.dependencies).toContain(clusterUrn);
    expect((nodeGroup.inputs.subnetIds as string[]).every((id) => id.includes('private'))).toBe(
      true,
    );
  });

  it('runs on spot capacity when asked', async () => {
    const { resources: spot } = await recordProgram(program({ spot: true }));
    expect(only(spot, 'aws:eks/nodeGroup:NodeGroup').inputs).toMatchObject({
      capacityType: 'SPOT',
      labels: { 'edgeplane.io/capacity': 'spot' },
    });
  });

  it('installs the core add-ons, the CNI enforcing NetworkPolicies, with Pod Identity roles', () => {
    const addons = ofType(resources, 'aws:eks/addon:Addon');
    expect(addons.map((addon) => addon.inputs.addonName).sort()).toEqual([
      'aws-ebs-csi-driver',
      'coredns',
      'eks-pod-identity-agent',
      'kube-proxy',
      'metrics-server',
      'vpc-cni',
    ]);
    const cni = addons.find((addon) => addon.inputs.addonName === 'vpc-cni');
    expect(JSON.parse(String(cni?.inputs.configurationValues))).toMatchObject({
      enableNetworkPolicy: 'true',
    });
    expect(cni?.inputs.podIdentityAssociations).toEqual([
      { roleArn: expect.stringContaining('cluster-vpc-cni'), serviceAccount: 'aws-node' },
    ]);
    const ebs = addons.find((addon) => addon.inputs.addonName === 'aws-ebs-csi-driver');
    expect(ebs?.inputs.podIdentityAssociations).toEqual([
      {
        roleArn: expect.stringContaining('cluster-aws-ebs-csi-driver'),
        serviceAccount: 'ebs-csi-controller-sa',
      },
    ]);
    // The node role carries no CNI or EBS permissions: those are the add-ons' own roles.
    const nodeAttachments = ofType(
      resources,
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
    ).filter((attachment) => attachment.name.startsWith('cluster-nodes-'));
    expect(nodeAttachments.map((attachment) => attachment.inputs.policyArn).sort()).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
    ]);
  });

  it('scales the node group with Cluster Autoscaler, allowed to resize only this cluster', () => {
    const release = only(resources, 'kubernetes:helm.sh/v3:Release');
    expect(release.inputs).toMatchObject({
      chart: 'cluster-autoscaler',
      version: '9.52.1',
      namespace: 'kube-system',
      values: {
        cloudProvider: 'aws',
        awsRegion: 'eu-west-1',
        autoDiscovery: { clusterName: 'edgeplane-test' },
        image: { tag: 'v1.34.0' },
        rbac: { serviceAccount: { name: 'cluster-autoscaler' } },
      },
    });
    const association = ofType(
      resources,
      'aws:eks/podIdentityAssociation:PodIdentityAssociation',
    ).find((candidate) => candidate.inputs.serviceAccount === 'cluster-autoscaler');
    expect(association?.inputs).toMatchObject({
      clusterName: 'edgeplane-test',
      namespace: 'kube-system',
    });
    const policy = ofType(resources, 'aws:iam/rolePolicy:RolePolicy').find(
      (candidate) => candidate.name === 'cluster-autoscaler',
    );
    const statements = JSON.parse(String(policy?.inputs.policy)).Statement as {
      Action: string[];
      Condition?: unknown;
    }[];
    const resize = statements.find((statement) =>
      statement.Action.includes('autoscaling:SetDesiredCapacity'),
    );
    expect(resize?.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/edgeplane-test': 'owned' },
    });
  });

  it('hands out a secret kubeconfig that gets its token from aws eks get-token', async () => {
    const kubeconfig = await outputValue(cluster.kubeconfig);
    expect(kubeconfig).toContain('server: https://cluster.eks.mock');
    expect(kubeconfig).toContain('get-token');
    expect(kubeconfig).toContain('eu-west-1');
    const { isSecret } = await import('@pulumi/pulumi');
    expect(await isSecret(cluster.kubeconfig)).toBe(true);
    expect(cluster.storageClassName).toBe('gp3');
    const storageClass = only(resources, 'kubernetes:storage.k8s.io/v1:StorageClass');
    expect(storageClass.inputs).toMatchObject({
      metadata: {
        labels: {
          'app.kubernetes.io/name': 'storage',
          'app.kubernetes.io/part-of': 'edgeplane',
          'edgeplane.dev/environment': 'staging',
        },
      },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
    });
  });

  it('puts every AWS and Kubernetes resource on an explicit provider', () => {
    const cloud = resources.filter(
      (resource) =>
        resource.custom &&
        (resource.type.startsWith('aws:') || resource.type.startsWith('kubernetes:')),
    );
    expect(cloud.length).toBeGreaterThan(40);
    expect(cloud.filter((resource) => !resource.provider).map((resource) => resource.urn)).toEqual(
      [],
    );
  });
});

describe('AwsVpc', () => {
  it('spreads private and public subnets over three zones with a NAT gateway in each', async () => {
    const { resources } = await recordProgram(program());
    const subnets = ofType(resources, 'aws:ec2/subnet:Subnet');
    const privateSubnets = subnets.filter((subnet) => subnet.name.includes('private'));
    expect(privateSubnets.map((subnet) => subnet.inputs.availabilityZone).sort()).toEqual([
      'zone-a',
      'zone-b',
      'zone-c',
    ]);
    expect(privateSubnets.map((subnet) => subnet.inputs.cidrBlock).sort()).toEqual([
      '10.0.0.0/18',
      '10.0.128.0/18',
      '10.0.64.0/18',
    ]);
    for (const subnet of subnets) {
      expect(subnet.inputs.mapPublicIpOnLaunch ?? false).toBe(false);
    }
    expect(ofType(resources, 'aws:ec2/natGateway:NatGateway')).toHaveLength(3);
    // Private route tables send the internet through their own zone's NAT gateway.
    const privateRoutes = ofType(resources, 'aws:ec2/routeTable:RouteTable').filter((table) =>
      table.name.includes('private'),
    );
    expect(
      privateRoutes
        .map((table) => (table.inputs.routes as { natGatewayId: string }[])[0]?.natGatewayId)
        .sort(),
    ).toEqual(['network-nat-0-id', 'network-nat-1-id', 'network-nat-2-id']);
    expect(
      only(resources, 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup').inputs.ingress,
    ).toBeUndefined();
    expect(only(resources, 'aws:ec2/flowLog:FlowLog').inputs.trafficType).toBe('REJECT');
  });

  it('shares one NAT gateway outside prod', async () => {
    const { resources } = await recordProgram(program({}, false));
    expect(ofType(resources, 'aws:ec2/natGateway:NatGateway')).toHaveLength(1);
    const privateRoutes = ofType(resources, 'aws:ec2/routeTable:RouteTable').filter((table) =>
      table.name.includes('private'),
    );
    expect(
      new Set(
        privateRoutes.map(
          (table) => (table.inputs.routes as { natGatewayId: string }[])[0]?.natGatewayId,
        ),
      ),
    ).toEqual(new Set(['network-nat-0-id']));
  });
});
