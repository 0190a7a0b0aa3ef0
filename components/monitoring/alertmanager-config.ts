// The Alertmanager configuration (alertmanager.yaml) built from the receivers the stack
// configures. Only configured receivers exist: with neither Slack nor PagerDuty, every alert goes
// to the `null` receiver, a valid config that notifies nobody rather than a receiver with an empty
// URL. The result holds the webhook URL and routing key, so the component only ever puts it in a
// Kubernetes Secret, as a Pulumi secret.

export interface AlertReceivers {
  /** Slack incoming-webhook URL: every alert that is not silenced or inhibited. */
  slackWebhookUrl?: string;
  /** PagerDuty Events v2 routing key: critical alerts only. */
  pagerdutyRoutingKey?: string;
}

interface Route {
  receiver: string;
  matchers?: string[];
  continue?: boolean;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
}

interface Receiver {
  name: string;
  slack_configs?: Record<string, unknown>[];
  pagerduty_configs?: Record<string, unknown>[];
}

export interface AlertmanagerConfig {
  global: { resolve_timeout: string };
  route: Route;
  receivers: Receiver[];
  inhibit_rules: Record<string, unknown>[];
}

export const receiverNames = { none: 'null', slack: 'slack', pagerduty: 'pagerduty' } as const;

const slackTitle =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}';
const slackText =
  '{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n{{ end }}';

export function alertmanagerConfig(receivers: AlertReceivers): AlertmanagerConfig {
  const slack = nonEmpty(receivers.slackWebhookUrl);
  const pagerduty = nonEmpty(receivers.pagerdutyRoutingKey);

  const configured: Receiver[] = [{ name: receiverNames.none }];
  if (slack) {
    configured.push({
      name: receiverNames.slack,
      slack_configs: [{ api_url: slack, send_resolved: true, title: slackTitle, text: slackText }],
    });
  }
  if (pagerduty) {
    configured.push({
      name: receiverNames.pagerduty,
      pagerduty_configs: [
        { routing_key: pagerduty, send_resolved: true, severity: '{{ .CommonLabels.severity }}' },
      ],
    });
  }

  const routes: Route[] = [
    // Watchdog fires all the time on purpose (a dead man's switch) and InfoInhibitor only mutes
    // info alerts: neither is news for a human.
    { receiver: receiverNames.none, matchers: ['alertname = "Watchdog"'] },
    { receiver: receiverNames.none, matchers: ['alertname = "InfoInhibitor"'] },
  ];
  if (pagerduty) {
    // Critical alerts page; with Slack configured too they continue to Slack for the record.
    routes.push({
      receiver: receiverNames.pagerduty,
      matchers: ['severity = "critical"'],
      continue: Boolean(slack),
    });
  }
  // A child route that matched (even with `continue`) ends at the children: the parent's receiver
  // is not used, so Slack gets an explicit catch-all after the paging route.
  if (slack) routes.push({ receiver: receiverNames.slack });

  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: slack ? receiverNames.slack : receiverNames.none,
      group_by: ['alertname', 'namespace', 'site'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes,
    },
    receivers: configured,
    inhibit_rules: [
      {
        source_matchers: ['severity = "critical"'],
        target_matchers: ['severity =~ "warning|info"'],
        equal: ['namespace', 'alertname'],
      },
      {
        source_matchers: ['severity = "warning"'],
        target_matchers: ['severity = "info"'],
        equal: ['namespace', 'alertname'],
      },
    ],
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
