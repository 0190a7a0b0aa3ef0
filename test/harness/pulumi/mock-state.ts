// What the mocked clouds answer: extra output state per resource type (beyond the echoed inputs)
// and results of provider functions. Every output an `apply` reads must be here: a throw inside an
// apply is an unhandled rejection that kills the process. Later components add their types here.
import type { MockCallArgs, MockResourceArgs } from '@pulumi/pulumi/runtime/index.js';

type StateFor = (args: MockResourceArgs) => Record<string, unknown>;
type CallResult = (args: MockCallArgs) => Record<string, unknown>;

/** An ARN for a mocked AWS resource: unique per resource name. */
const mockArn = (service: string, args: MockResourceArgs) =>
  `arn:aws:${service}:mock-region:123456789012:${args.name}`;

export const extraStateByType: Record<string, StateFor> = {
  // AWS: ids and addresses the cloud assigns, which the components read in applies.
  'aws:ec2/vpc:Vpc': (args) => ({ arn: mockArn('ec2', args) }),
  'aws:cloudwatch/logGroup:LogGroup': (args) => ({ arn: mockArn('logs', args) }),
  'aws:iam/role:Role': (args) => ({
    arn: `arn:aws:iam::123456789012:role/${args.name}`,
    name: args.name,
  }),
  'aws:kms/key:Key': (args) => ({ arn: mockArn('kms', args), keyId: `${args.name}-key-id` }),
  'aws:ec2/launchTemplate:LaunchTemplate': () => ({ latestVersion: 1 }),
  // Groups named by the cloud when the program gives no name.
  'aws:rds/subnetGroup:SubnetGroup': (args) => ({ name: args.inputs.name ?? `${args.name}-group` }),
  'aws:rds/parameterGroup:ParameterGroup': (args) => ({
    name: args.inputs.name ?? `${args.name}-group`,
  }),
  'aws:elasticache/subnetGroup:SubnetGroup': (args) => ({
    name: args.inputs.name ?? `${args.name}-group`,
  }),
  'aws:eks/cluster:Cluster': (args) => ({
    arn: mockArn('eks', args),
    name: args.inputs.name ?? args.name,
    endpoint: `https://${args.name}.eks.mock`,
    certificateAuthority: { data: 'bW9jay1la3MtY2E=' },
  }),
  'aws:eks/accessEntry:AccessEntry': (args) => ({ principalArn: args.inputs.principalArn }),
  'aws:rds/instance:Instance': (args) => ({
    arn: mockArn('rds', args),
    address: `${args.name}.rds.mock`,
    port: 5432,
  }),
  'aws:elasticache/replicationGroup:ReplicationGroup': (args) => ({
    arn: mockArn('elasticache', args),
    primaryEndpointAddress: `${args.name}.cache.mock`,
    port: args.inputs.port ?? 6379,
  }),
  'aws:route53/zone:Zone': (args) => ({
    zoneId: `${args.name}-zone-id`,
    nameServers: ['ns-1.mock', 'ns-2.mock'],
  }),
  'aws:route53/healthCheck:HealthCheck': (args) => ({ arn: mockArn('route53', args) }),
  'aws:route53/record:Record': (args) => ({ fqdn: args.inputs.name }),
  'aws:acm/certificate:Certificate': (args) => {
    const names = [
      args.inputs.domainName,
      ...((args.inputs.subjectAlternativeNames as string[] | undefined) ?? []),
    ];
    return {
      arn: mockArn('acm', args),
      domainValidationOptions: names.map((domainName) => ({
        domainName,
        resourceRecordName: `_mock-validation.${domainName}.`,
        resourceRecordType: 'CNAME',
        resourceRecordValue: `_mock-value.${domainName}.acm-validations.aws.`,
      })),
    };
  },
  'aws:acm/certificateValidation:CertificateValidation': (args) => ({
    certificateArn: args.inputs.certificateArn,
  }),
  // A LoadBalancer Service gets its address from the cloud; the Cdn hands it to DNS.
  'kubernetes:core/v1:Service': (args) =>
    (args.inputs.spec as { type?: string } | undefined)?.type === 'LoadBalancer'
      ? { status: { loadBalancer: { ingress: [{ hostname: `${args.name}.elb.mock` }] } } }
      : {},
  // GCP and Cloudflare: addresses, endpoints and credentials the cloud assigns.
  'gcp:container/cluster:Cluster': (args) => ({
    name: args.inputs.name ?? args.name,
    endpoint: mockGkeEndpoint,
    masterAuth: { ...(args.inputs.masterAuth as object), clusterCaCertificate: mockGkeCa },
  }),
  'gcp:compute/address:Address': (args) => ({ address: mockPublicAddress(args.name) }),
  'gcp:compute/globalAddress:GlobalAddress': (args) => ({ name: args.inputs.name ?? args.name }),
  'gcp:compute/network:Network': (args) => ({ name: args.inputs.name ?? args.name }),
  'gcp:sql/databaseInstance:DatabaseInstance': (args) => ({
    name: args.inputs.name ?? args.name,
    privateIpAddress: '10.240.0.3',
    connectionName: `mock-project:mock-region:${args.name}`,
    serverCaCerts: [
      { cert: '-----BEGIN CERTIFICATE-----\nbW9jay1zcWwtY2E=\n-----END CERTIFICATE-----' },
    ],
  }),
  'gcp:sql/database:Database': (args) => ({ name: args.inputs.name ?? args.name }),
  'gcp:sql/user:User': (args) => ({ name: args.inputs.name ?? args.name }),
  'gcp:redis/instance:Instance': (args) => ({
    host: '10.240.1.4',
    port: args.inputs.transitEncryptionMode === 'SERVER_AUTHENTICATION' ? 6378 : 6379,
    authString: `mock-redis-auth-${args.name}`,
    serverCaCerts: [
      { cert: '-----BEGIN CERTIFICATE-----\nbW9jay1yZWRpcy1jYQ==\n-----END CERTIFICATE-----' },
    ],
  }),
  'gcp:serviceaccount/account:Account': (args) => ({
    name: `projects/${String(args.inputs.project)}/serviceAccounts/${String(args.inputs.accountId)}`,
    email: `${String(args.inputs.accountId)}@${String(args.inputs.project)}.iam.gserviceaccount.com`,
  }),
  'gcp:dns/managedZone:ManagedZone': (args) => ({
    name: args.inputs.name ?? args.name,
    nameServers: ['ns-cloud-a1.googledomains.com.', 'ns-cloud-a2.googledomains.com.'],
  }),
  'cloudflare:index/zone:Zone': () => ({
    nameServers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
  }),
  'random:index/randomPassword:RandomPassword': (args) => ({
    result: `mock-password-${args.name}`,
  }),
  // A remote command prints nothing, except the one that reads k3s's kubeconfig.
  'command:remote:Command': (args) => ({
    stdout: String(args.inputs.create ?? '').includes('/etc/rancher/k3s/k3s.yaml')
      ? mockK3sKubeconfig
      : '',
    stderr: '',
  }),
};

/** What k3s writes to /etc/rancher/k3s/k3s.yaml on its server (credentials made up). */
export const mockK3sKubeconfig = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '  - name: default',
  '    cluster:',
  '      certificate-authority-data: bW9jay1rM3MtY2E=',
  '      server: https://127.0.0.1:6443',
  'users:',
  '  - name: default',
  '    user:',
  '      client-certificate-data: bW9jay1rM3MtY2xpZW50',
  '      client-key-data: bW9jay1rM3Mta2V5LXNlY3JldA==',
  'contexts:',
  '  - name: default',
  '    context: { cluster: default, user: default }',
  'current-context: default',
  '',
].join('\n');

/** What GKE reports for a cluster's control plane (made up). */
export const mockGkeEndpoint = '192.0.2.10';
export const mockGkeCa = 'bW9jay1na2UtY2E=';

/** A documentation-range IPv4 address, stable per resource name. */
export function mockPublicAddress(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 250;
  return `198.51.100.${hash + 1}`;
}

export const callResults: Record<string, CallResult> = {
  'aws:index/getAvailabilityZones:getAvailabilityZones': () => ({
    names: ['zone-a', 'zone-b', 'zone-c'],
    zoneIds: ['zone-a-id', 'zone-b-id', 'zone-c-id'],
  }),
  'aws:index/getCallerIdentity:getCallerIdentity': () => ({
    accountId: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/mock',
    userId: 'mock',
  }),
  'aws:route53/getZone:getZone': (args) => ({
    id: `${String(args.inputs.name)}-existing-zone-id`,
    zoneId: `${String(args.inputs.name)}-existing-zone-id`,
    name: args.inputs.name,
    arn: `arn:aws:route53:::hostedzone/${String(args.inputs.name)}-existing-zone-id`,
  }),
  'gcp:organizations/getClientConfig:getClientConfig': () => ({ project: 'mock-project' }),
  'gcp:organizations/getProject:getProject': (args) => ({
    projectId: args.inputs.projectId,
    number: '123456789012',
  }),
  // Public zones an existing GCP project holds; a stack's dns.zone must be one of them.
  'gcp:dns/getManagedZones:getManagedZones': (args) => ({
    id: `projects/${String(args.inputs.project)}/managedZones`,
    managedZones: ['example.com', 'staging.example.com'].map((zone) => ({
      name: zone.replaceAll('.', '-'),
      dnsName: `${zone}.`,
      visibility: 'public',
      nameServers: ['ns-cloud-b1.googledomains.com.', 'ns-cloud-b2.googledomains.com.'],
    })),
  }),
  'cloudflare:index/getZone:getZone': (args) => {
    const name = String((args.inputs.filter as { name?: string } | undefined)?.name);
    return { id: `${name}-zone-id`, name };
  },
};
