// Stand-ins for the secrets a real stack sets with `pulumi config set --secret`, used by offline
// plans and tests. They are valid in shape and unique, so a test can search for them in plain output.
export const placeholderSecrets: Readonly<Record<string, string>> = {
  'edgeplane:slackWebhookUrl':
    'https://hooks.slack.com/services/TPLACEHOLDER/BPLACEHOLDER/slackplaceholder',
  'edgeplane:pagerdutyRoutingKey': 'pagerdutyplaceholder000000000000',
  'edgeplane:cloudflareApiToken': 'cloudflare-placeholder-token-000000',
  'edgeplane:k3sKubeconfig': [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: default',
    '    cluster:',
    '      server: https://k3s.placeholder.example.com:6443',
    'users:',
    '  - name: default',
    '    user:',
    '      token: k3s-kubeconfig-placeholder-token',
    'contexts:',
    '  - name: default',
    '    context: { cluster: default, user: default }',
    'current-context: default',
  ].join('\n'),
  'edgeplane:k3sSshPrivateKey': [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    'k3s-ssh-placeholder-key-000000000000000000000000000000000000000000',
    '-----END OPENSSH PRIVATE KEY-----',
  ].join('\n'),
};
