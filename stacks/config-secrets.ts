// Secret stack config: separate keys set with `pulumi config set --secret`. Their values are
// validated here, never echoed, and handed to components only as secret Outputs.
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
} as const;

export type SecretConfigKey = keyof typeof secretConfigKeys;
export const secretKeyNames = Object.keys(secretConfigKeys) as SecretConfigKey[];
