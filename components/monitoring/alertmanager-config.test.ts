// The Alertmanager config checked and routed by the real amtool (Debian package
// `prometheus-alertmanager`): valid in every combination of receivers, and alerts reach the
// receivers they should.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type AlertReceivers, alertmanagerConfig } from './alertmanager-config.ts';

const slackWebhookUrl = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX';
const pagerdutyRoutingKey = 'a'.repeat(32);

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'edgeplane-alertmanager-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function writeConfig(receivers: AlertReceivers): string {
  const file = join(workDir, `alertmanager-${Object.keys(receivers).join('-') || 'none'}.yaml`);
  writeFileSync(file, stringify(alertmanagerConfig(receivers)));
  return file;
}

function amtool(...args: string[]) {
  const result = spawnSync('amtool', args, { encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    output: `${result.stdout}${result.stderr}`,
  };
}

/** The receivers amtool routes an alert with these labels to. */
function routeOf(file: string, ...labels: string[]): string {
  const { status, stdout, output } = amtool(
    'config',
    'routes',
    'test',
    `--config.file=${file}`,
    ...labels,
  );
  expect({ status, output }).toMatchObject({ status: 0 });
  return stdout.trim();
}

const combinations: [string, AlertReceivers][] = [
  ['nothing', {}],
  ['Slack only', { slackWebhookUrl }],
  ['PagerDuty only', { pagerdutyRoutingKey }],
  ['Slack and PagerDuty', { slackWebhookUrl, pagerdutyRoutingKey }],
];

describe('alertmanagerConfig', () => {
  it.each(combinations)('passes amtool check-config with %s configured', (_, receivers) => {
    const { status, output } = amtool('check-config', writeConfig(receivers));
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('amtool check-config rejects a broken config (the check can fail)', () => {
    const file = join(workDir, 'broken.yaml');
    const config = alertmanagerConfig({ slackWebhookUrl });
    config.route.receiver = 'no-such-receiver';
    writeFileSync(file, stringify(config));
    const { status, output } = amtool('check-config', file);
    expect(status).not.toBe(0);
    expect(output).toContain('no-such-receiver');
  });

  it('with nothing configured has only the null receiver and routes everything there', () => {
    const config = alertmanagerConfig({});
    expect(config.receivers).toEqual([{ name: 'null' }]);
    const file = writeConfig({});
    expect(routeOf(file, 'alertname=EdgeplaneEdgeHigh5xxRate', 'severity=critical')).toBe('null');
  });

  it('treats blank values as not configured', () => {
    expect(alertmanagerConfig({ slackWebhookUrl: ' ', pagerdutyRoutingKey: '' }).receivers).toEqual(
      [{ name: 'null' }],
    );
  });

  it('with Slack only sends every alert to Slack except Watchdog', () => {
    const file = writeConfig({ slackWebhookUrl });
    expect(alertmanagerConfig({ slackWebhookUrl }).receivers.map((r) => r.name)).toEqual([
      'null',
      'slack',
    ]);
    expect(routeOf(file, 'alertname=EdgeplanePurgeLagHigh', 'severity=warning')).toBe('slack');
    expect(routeOf(file, 'alertname=EdgeplaneEdgeHigh5xxRate', 'severity=critical')).toBe('slack');
    expect(routeOf(file, 'alertname=Watchdog', 'severity=none')).toBe('null');
  });

  it('with PagerDuty only pages critical alerts and drops the rest', () => {
    const file = writeConfig({ pagerdutyRoutingKey });
    expect(routeOf(file, 'alertname=EdgeplaneEdgeHigh5xxRate', 'severity=critical')).toBe(
      'pagerduty',
    );
    expect(routeOf(file, 'alertname=EdgeplanePurgeLagHigh', 'severity=warning')).toBe('null');
  });

  it('with both pages critical alerts and also posts them to Slack', () => {
    const file = writeConfig({ slackWebhookUrl, pagerdutyRoutingKey });
    expect(routeOf(file, 'alertname=EdgeplaneEdgeHigh5xxRate', 'severity=critical')).toBe(
      'pagerduty,slack',
    );
    expect(routeOf(file, 'alertname=EdgeplanePurgeLagHigh', 'severity=warning')).toBe('slack');
  });
});
