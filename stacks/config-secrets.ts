// Secret stack config: separate keys set with `pulumi config set --secret`. Their values are
// validated here, never echoed, and handed to components only as secret Outputs.
import { parse } from 'yaml';
import { z } from 'zod';

export const secretConfigKeys = {
  slackWebhookUrl: z
    .string()
    .regex(
      /^https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+$/,
      'must be a Slack incoming-webhook URL (https://hooks.slack.com/services/...)',
    ),
  pagerdutyRoutingKey: z
    .string()
    .regex(/^[A-Za-z0-9]{32}$/, 'must be a 32-character PagerDuty Events v2 routing key'),
  cloudflareApiToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{20,}$/, 'must be a Cloudflare API token (at least 20 characters)'),
  k3sKubeconfig: z
    .string()
    .refine(
      isKubeconfig,
      'must be a kubeconfig file (YAML with kind: Config and at least one cluster), e.g. /etc/rancher/k3s/k3s.yaml',
    ),
  k3sSshPrivateKey: z
    .string()
    .regex(
      /-----BEGIN (OPENSSH|RSA|EC) PRIVATE KEY-----[\s\S]+-----END \1 PRIVATE KEY-----/,
      'must be an SSH private key file (-----BEGIN OPENSSH PRIVATE KEY----- ...), without a passphrase',
    ),
} as const;

function isKubeconfig(text: string): boolean {
  try {
    const document = parse(text) as { kind?: unknown; clusters?: unknown } | null;
    return (
      document?.kind === 'Config' &&
      Array.isArray(document.clusters) &&
      document.clusters.length > 0
    );
  } catch {
    return false;
  }
}

export type SecretConfigKey = keyof typeof secretConfigKeys;
export const secretKeyNames = Object.keys(secretConfigKeys) as SecretConfigKey[];
