// The runtime alert rules, checked and unit-tested by the real promtool (Debian package
// `prometheus`), and tied to the metric catalog.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parsePromql, runtimeSeriesLabels, runtimeSeriesNames } from './promql-metric-names.ts';
import { kubeStateMetrics, runtimeRuleFile, runtimeRuleGroups } from './runtime-rules.ts';

const testFile = join(__dirname, 'runtime-rules.promtool-test.yaml');
const allRules = runtimeRuleGroups.flatMap((group) => group.rules);

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'edgeplane-rules-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function promtool(...args: string[]) {
  const result = spawnSync('promtool', args, { cwd: workDir, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('runtime alert rules', () => {
  it('pass promtool check rules', () => {
    writeFileSync(join(workDir, 'runtime-rules.yaml'), stringify(runtimeRuleFile()));
    const { status, output } = promtool('check', 'rules', 'runtime-rules.yaml');
    expect(output).toContain(`SUCCESS: ${allRules.length} rules found`);
    expect(status).toBe(0);
  });

  it('pass their promtool unit tests', () => {
    writeFileSync(join(workDir, 'runtime-rules.yaml'), stringify(runtimeRuleFile()));
    copyFileSync(testFile, join(workDir, 'tests.yaml'));
    const { status, output } = promtool('test', 'rules', 'tests.yaml');
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('have a promtool unit test for every alert', () => {
    const tests = parse(readFileSync(testFile, 'utf8')) as {
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const firing = new Set(
      tests.tests.flatMap((test) =>
        test.alert_rule_test
          .filter((check) => check.exp_alerts.length > 0)
          .map((check) => check.alertname),
      ),
    );
    expect([...firing].sort()).toEqual(allRules.map((rule) => rule.alert).sort());
  });

  it('a wrong expectation fails promtool test rules (the check can fail)', () => {
    writeFileSync(join(workDir, 'runtime-rules.yaml'), stringify(runtimeRuleFile()));
    const tests = readFileSync(testFile, 'utf8').replace(
      'site: a.example\n            exp_annotations',
      'site: b.example\n            exp_annotations',
    );
    writeFileSync(join(workDir, 'wrong.yaml'), tests);
    const { status, output } = promtool('test', 'rules', 'wrong.yaml');
    expect(status).not.toBe(0);
    expect(output).toContain('EdgeplaneEdgeHigh5xxRate');
  });

  it('query only catalog metrics and the kube-state-metrics they name', () => {
    const known = new Set([...runtimeSeriesNames(), ...kubeStateMetrics]);
    for (const rule of allRules) {
      const { metrics, errors } = parsePromql(rule.expr);
      expect({ alert: rule.alert, errors }).toEqual({ alert: rule.alert, errors: [] });
      expect(metrics.length).toBeGreaterThan(0);
      expect({ alert: rule.alert, unknown: metrics.filter((name) => !known.has(name)) }).toEqual({
        alert: rule.alert,
        unknown: [],
      });
    }
  });

  it('select runtime metrics only by labels the catalog declares for them', () => {
    const declared = runtimeSeriesLabels();
    const wrong = allRules.flatMap((rule) =>
      parsePromql(rule.expr).selectors.flatMap((selector) => {
        const allowed = declared.get(selector.metric);
        if (!allowed) return [];
        return selector.labels
          .filter((label) => !allowed.has(label))
          .map((label) => `${rule.alert}: ${selector.metric}{${label}}`);
      }),
    );
    expect(wrong).toEqual([]);
  });

  it('give every alert a severity, a summary and a description', () => {
    for (const rule of allRules) {
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(rule.annotations.description.length).toBeGreaterThan(20);
    }
  });
});
