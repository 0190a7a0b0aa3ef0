// The dashboards parse as Grafana dashboards (panels, targets, datasources) and query only
// metrics the runtime declares in runtime/metrics-catalog.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { dashboards } from './dashboards.ts';
import { datasourceUids } from './endpoints.ts';
import {
  parsePromql,
  runtimeSeriesLabels,
  runtimeSeriesNames,
  withoutGrafanaVariables,
} from './promql-metric-names.ts';

interface Datasource {
  type: string;
  uid: string;
}
interface Target {
  refId: string;
  expr: string;
  datasource?: Datasource;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource: Datasource;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Target[];
}
interface Variable {
  type: string;
  name: string;
  datasource?: Datasource;
  query: { query: string } | string;
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}

const declaredLabels = runtimeSeriesLabels();
const knownDatasources: Datasource[] = [
  { type: 'prometheus', uid: datasourceUids.prometheus },
  { type: 'loki', uid: datasourceUids.loki },
];
const panelTypes = new Set(['timeseries', 'stat', 'table', 'bargauge', 'logs', 'gauge', 'text']);

/** Every problem found in a dashboard: an empty list means it is well formed and on-catalog. */
function dashboardProblems(dashboard: Dashboard, known: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const where = (panel: Panel) => `${dashboard.uid} panel ${panel.id} "${panel.title}"`;
  if (!dashboard.uid || !dashboard.title) problems.push('dashboard without uid or title');
  if (!(dashboard.schemaVersion >= 36)) problems.push(`${dashboard.uid}: schemaVersion too old`);
  if (!Array.isArray(dashboard.panels) || dashboard.panels.length === 0) {
    problems.push(`${dashboard.uid}: no panels`);
    return problems;
  }
  const variables = new Set(dashboard.templating.list.map((variable) => variable.name));
  const ids = new Set<number>();
  const checkExpr = (context: string, expr: string) => {
    for (const used of expr.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
      const name = used[1] as string;
      if (!name.startsWith('__') && !variables.has(name)) {
        problems.push(`${context}: undefined variable $${name}`);
      }
    }
    const { metrics, selectors, errors } = parsePromql(withoutGrafanaVariables(expr));
    for (const error of errors) problems.push(`${context}: PromQL syntax error near "${error}"`);
    if (metrics.length === 0) problems.push(`${context}: queries no metric`);
    for (const metric of metrics) {
      if (!known.has(metric)) problems.push(`${context}: ${metric} is not a runtime metric`);
    }
    for (const selector of selectors) {
      for (const label of selector.labels) {
        if (known.has(selector.metric) && !declaredLabels.get(selector.metric)?.has(label)) {
          problems.push(`${context}: ${selector.metric} has no label ${label}`);
        }
      }
    }
  };
  for (const panel of dashboard.panels) {
    if (ids.has(panel.id)) problems.push(`${where(panel)}: duplicate id`);
    ids.add(panel.id);
    if (!panelTypes.has(panel.type)) problems.push(`${where(panel)}: unknown type ${panel.type}`);
    const { x, y, w, h } = panel.gridPos ?? {};
    if (![x, y, w, h].every(Number.isInteger) || (x ?? 0) + (w ?? 0) > 24) {
      problems.push(`${where(panel)}: bad gridPos`);
    }
    if (
      !knownDatasources.some(
        (ds) => ds.uid === panel.datasource?.uid && ds.type === panel.datasource?.type,
      )
    ) {
      problems.push(`${where(panel)}: unknown datasource ${JSON.stringify(panel.datasource)}`);
    }
    if (!Array.isArray(panel.targets) || panel.targets.length === 0) {
      problems.push(`${where(panel)}: no targets`);
      continue;
    }
    const refIds = panel.targets.map((target) => target.refId);
    if (new Set(refIds).size !== refIds.length) problems.push(`${where(panel)}: duplicate refId`);
    for (const target of panel.targets) {
      const type = (target.datasource ?? panel.datasource).type;
      const context = `${where(panel)} target ${target.refId}`;
      if (typeof target.expr !== 'string' || target.expr.trim() === '') {
        problems.push(`${context}: no expr`);
      } else if (type === 'prometheus') {
        checkExpr(context, target.expr);
      } else if (type === 'loki' && !/^\{[^}]*namespace="[^"]+"[^}]*\}/.test(target.expr)) {
        problems.push(`${context}: LogQL without a namespace stream selector`);
      }
    }
  }
  for (const variable of dashboard.templating.list) {
    const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
    const selector = /^label_values\((.+),\s*[A-Za-z_]+\)$/.exec(query)?.[1];
    if (variable.type !== 'query' || !selector) {
      problems.push(`${dashboard.uid} variable ${variable.name}: not a label_values query`);
    } else {
      checkExpr(`${dashboard.uid} variable ${variable.name}`, selector);
    }
  }
  return problems;
}

const known = runtimeSeriesNames();

describe('Grafana dashboards', () => {
  it('are every JSON file in dashboards/, with unique uids', () => {
    const files = readdirSync(join(__dirname, 'dashboards')).filter((file) =>
      file.endsWith('.json'),
    );
    expect(dashboards.map((dashboard) => dashboard.file).sort()).toEqual(files.sort());
    expect(new Set(dashboards.map((dashboard) => dashboard.json.uid)).size).toBe(files.length);
  });

  it.each(dashboards.map((dashboard) => [dashboard.file]))(
    '%s parses as a Grafana dashboard querying only runtime metrics',
    (file) => {
      const dashboard = JSON.parse(
        readFileSync(join(__dirname, 'dashboards', file), 'utf8'),
      ) as Dashboard;
      expect(dashboardProblems(dashboard, known)).toEqual([]);
    },
  );

  it('have PromQL that Prometheus itself parses (promtool check rules)', () => {
    const exprs = dashboards.flatMap((dashboard) =>
      (dashboard.json as unknown as Dashboard).panels.flatMap((panel) =>
        panel.targets
          .filter((target) => (target.datasource ?? panel.datasource).type === 'prometheus')
          .map((target) => withoutGrafanaVariables(target.expr)),
      ),
    );
    expect(exprs.length).toBeGreaterThan(20);
    // Each query becomes a recording rule: promtool parses and type-checks the expression.
    const rules = {
      groups: [
        {
          name: 'dashboard-queries',
          rules: exprs.map((expr, index) => ({ record: `dashboard:query_${index}`, expr })),
        },
      ],
    };
    const workDir = mkdtempSync(join(tmpdir(), 'edgeplane-dashboards-'));
    try {
      writeFileSync(join(workDir, 'queries.yaml'), stringify(rules));
      const result = spawnSync('promtool', ['check', 'rules', 'queries.yaml'], {
        cwd: workDir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(`${result.stdout}${result.stderr}`).toContain(`SUCCESS: ${exprs.length} rules found`);
      expect(result.status).toBe(0);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('the checker finds an unknown metric, a syntax error, an undefined variable and a bad datasource', () => {
    const bad: Dashboard = {
      uid: 'bad',
      title: 'Bad',
      schemaVersion: 39,
      templating: { list: [] },
      panels: [
        {
          id: 1,
          type: 'timeseries',
          title: 'p',
          datasource: { type: 'prometheus', uid: 'prometheus' },
          gridPos: { x: 0, y: 0, w: 12, h: 8 },
          targets: [
            { refId: 'A', expr: 'sum(rate(edgeplane_edge_requestz_total[5m]))' },
            { refId: 'B', expr: 'sum(rate(edgeplane_edge_requests_total[5m])' },
            { refId: 'C', expr: 'edgeplane_edge_cache_bytes{tier=~"$tier"}' },
            { refId: 'D', expr: 'edgeplane_edge_cache_bytes{site="a.example"}' },
          ],
        },
        {
          id: 2,
          type: 'timeseries',
          title: 'q',
          datasource: { type: 'prometheus', uid: 'elsewhere' },
          gridPos: { x: 0, y: 8, w: 12, h: 8 },
          targets: [{ refId: 'A', expr: 'edgeplane_edge_cache_bytes' }],
        },
      ],
    };
    const problems = dashboardProblems(bad, known).join('\n');
    expect(problems).toContain('edgeplane_edge_requestz_total is not a runtime metric');
    expect(problems).toContain('target B: PromQL syntax error');
    expect(problems).toContain('undefined variable $tier');
    expect(problems).toContain('edgeplane_edge_cache_bytes has no label site');
    expect(problems).toContain('unknown datasource');
  });
});
