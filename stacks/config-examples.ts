// A valid example for every stack config key, shown with each error. The keys of this map are
// also the list of known keys (a test checks it against the schema).
export const configExamples: Record<string, string> = {
  cloud: 'k3s',
  environment: 'prod',
  domain: 'cdn.example.com',
  regions: '--path regions[0] us-east-1',
  'cluster.version': '1.34',
  'cluster.nodeSize': 'm7i.large',
  'cluster.minNodes': '3',
  'cluster.maxNodes': '12',
  'database.version': '17',
  'database.size': 'medium',
  'database.storageGb': '100',
  'database.backupRetentionDays': '14',
  'database.multiAz': 'true',
  'database.deletionProtection': 'true',
  'database.protect': 'true',
  'cache.size': 'small',
  'cache.replicas': '2',
  'cache.multiAz': 'true',
  'dns.provider': 'route53',
  'dns.zone': 'example.com',
  'dns.createZone': 'false',
  'dns.cloudflare.accountId': '0123456789abcdef0123456789abcdef',
  'dns.cloudflare.loadBalancing': 'true',
  'dns.externalDns': 'false',
  'tls.issuer': 'letsencrypt',
  'tls.email': 'ops@example.com',
  'k3s.mode': 'install',
  'k3s.server': 'k3s-1.example.com',
  'k3s.agents': "--path 'k3s.agents[0]' k3s-2.example.com",
  'k3s.user': 'ubuntu',
  'k3s.sshPort': '22',
  'k3s.version': 'v1.34.1+k3s1',
  'aws.adminRoleArns':
    "--path 'aws.adminRoleArns[0]' arn:aws:iam::123456789012:role/platform-admin",
  'aws.publicAccessCidrs': "--path 'aws.publicAccessCidrs[0]' 203.0.113.0/24",
  'aws.spot': 'false',
  'aws.vpcCidr': '10.0.0.0/16',
  'aws.availabilityZones': '3',
  'aws.logRetentionDays': '90',
  'gcp.project': 'edgeplane-staging',
  'gcp.releaseChannel': 'STABLE',
  'gcp.masterAuthorizedNetworks': "--path 'gcp.masterAuthorizedNetworks[0].cidr' 203.0.113.0/24",
  'gcp.privateEndpoint': 'false',
  'monitoring.retentionDays': '30',
  'runtime.image': 'registry.example.com/edgeplane/runtime:0.1.0',
  'runtime.edgeReplicas': '3',
  'runtime.originReplicas': '2',
  'runtime.cacheMemoryMb': '256',
  'runtime.edgeResources.cpu': '500m',
  'runtime.edgeResources.memory': '2Gi',
  'runtime.originResources.cpu': '250m',
  'runtime.originResources.memory': '512Mi',
  slackWebhookUrl: '--secret slackWebhookUrl https://hooks.slack.com/services/T000/B000/XXXXXXXX',
  pagerdutyRoutingKey: '--secret pagerdutyRoutingKey 0123456789abcdef0123456789abcdef',
  cloudflareApiToken: '--secret cloudflareApiToken <a token with Zone:DNS:Edit>',
  k3sKubeconfig: '--secret k3sKubeconfig < /etc/rancher/k3s/k3s.yaml',
  k3sSshPrivateKey: '--secret k3sSshPrivateKey < ~/.ssh/id_ed25519',
};

/** The `pulumi config set` line that sets `key` to a valid value. */
export function exampleCommand(key: string): string | undefined {
  // A structured key has no example of its own: show its first nested key's.
  const nested = Object.keys(configExamples).find((known) => known.startsWith(`${key}.`));
  if (configExamples[key] === undefined && nested) return exampleCommand(nested);
  const example = configExamples[key];
  if (example === undefined) {
    // A key inside a list item (gcp.masterAuthorizedNetworks.cidr) shows its list's example.
    const parent = key.split('.').slice(0, -1).join('.');
    return parent === '' ? undefined : exampleCommand(parent);
  }
  if (example.startsWith('--')) return `pulumi config set ${example}`;
  return key.includes('.')
    ? `pulumi config set --path '${key}' ${example}`
    : `pulumi config set ${key} ${example}`;
}
