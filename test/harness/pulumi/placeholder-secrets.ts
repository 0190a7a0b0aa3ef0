// Stand-ins for the secrets a real stack sets with `pulumi config set --secret`, used by offline
// plans and tests. They are valid in shape and unique, so a test can search for them in plain output.
export const placeholderSecrets: Readonly<Record<string, string>> = {
  'edgeplane:slackWebhookUrl':
    'https://hooks.slack.com/services/TPLACEHOLDER/BPLACEHOLDER/slackplaceholder',
  'edgeplane:pagerdutyRoutingKey': 'pagerdutyplaceholder000000000000',
  'edgeplane:cloudflareApiToken': 'cloudflare-placeholder-token-000000',
};
