// The IaC <-> runtime contract (DESIGN.md, issue #5): plan k3s-dev, take the origin and edge
// containers from the rendered Deployments (env with Secret references resolved, args, ports,
// probes), start the real runtime with exactly that, only the service hosts pointed at this test
// run's Postgres and Redis and the container ports mapped to free loopback ports, and check that
// every probe answers 2xx, every declared port answers HTTP, and what the ServiceMonitors scrape
// is Prometheus text that `promtool check metrics` accepts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { request } from 'undici';
import { envNames, secretEnvNames } from '../runtime/contract.ts';
import { type LocalRuntimePlan, localRuntime } from './harness/contract/local-runtime.ts';
import { type ProbeCheck, RenderedWorkload } from './harness/contract/rendered-workload.ts';
import { type RuntimeProcess, startRuntime } from './harness/contract/runtime-process.ts';
import { kubernetesObjects } from './harness/kubernetes/index.ts';
import { planStack, projectRoot } from './harness/pulumi/index.ts';
import { type RunningRedis, startRedis, testServices } from './harness/services/index.ts';

const namespace = 'edgeplane';
let origin: RenderedWorkload;
let edge: RenderedWorkload;
const started: RuntimeProcess[] = [];
const plans: LocalRuntimePlan[] = [];
let redis: RunningRedis | undefined;
let database: { name: string; user: string } | undefined;

beforeAll(async () => {
  const plan = await planStack('k3s-dev');
  const objects = kubernetesObjects(plan.resources);
  origin = new RenderedWorkload(objects, namespace, 'edgeplane-origin');
  edge = new RenderedWorkload(objects, namespace, 'edgeplane-edge');
}, 60_000);

afterAll(async () => {
  for (const runtime of started) await runtime.stop();
  for (const local of plans) await local.cleanup();
  await redis?.stop();
  if (database) {
    const admin = new pg.Client({ connectionString: testServices().postgresUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database.name)} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(database.user)}`);
    await admin.end();
  }
}, 60_000);

/** The image's own ENV (the Dockerfile's last stage), under the container's env as in a pod. */
function imageEnv(): Record<string, string> {
  const dockerfile = readFileSync(join(projectRoot(), 'Dockerfile'), 'utf8');
  const lastStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  return Object.fromEntries(
    [...lastStage.matchAll(/^ENV ([A-Za-z_][A-Za-z0-9_]*)=(\S+)$/gm)].map((match) => [
      match[1] as string,
      match[2] as string,
    ]),
  );
}

/** `host:port` of a URL in the env, e.g. postgres.edgeplane-data.svc.cluster.local:5432. */
function authorityOf(url: string | undefined, variable: string): string {
  if (!url) throw new Error(`${variable} is not rendered`);
  return new URL(url).host;
}

/**
 * The rendered database credentials as a role and database on this run's Postgres, so the origin
 * logs in with exactly the rendered user, password and database name.
 */
async function provisionDatabase(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const name = url.pathname.slice(1);
  const admin = new pg.Client({ connectionString: testServices().postgresUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(user)}`);
    await admin.query(
      `CREATE ROLE ${pg.escapeIdentifier(user)} LOGIN PASSWORD ${pg.escapeLiteral(password)}`,
    );
    await admin.query(
      `CREATE DATABASE ${pg.escapeIdentifier(name)} OWNER ${pg.escapeIdentifier(user)}`,
    );
  } finally {
    await admin.end();
  }
  database = { name, user };
}

async function get(url: string, timeoutMs: number) {
  const response = await request(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return {
    status: response.statusCode,
    contentType: String(response.headers['content-type'] ?? ''),
    body: await response.body.text(),
  };
}

function probeUrl(local: LocalRuntimePlan, probe: { containerPort: number; path: string }) {
  const port = local.ports.get(probe.containerPort);
  if (port === undefined) throw new Error(`no container port ${probe.containerPort} is declared`);
  return `http://127.0.0.1:${port}${probe.path}`;
}

/**
 * Polls a probe as the kubelet would (with its timeout) until it answers 2xx. Bounded at 40 s: an
 * unready pod is only kept out of the Service, so readiness gets as long as startup does.
 */
async function probeUntilOk(runtime: RuntimeProcess, local: LocalRuntimePlan, probe: ProbeCheck) {
  const deadline = Date.now() + 40_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (runtime.exited()) throw new Error(`the runtime exited:\n${runtime.output()}`);
    try {
      const answer = await get(probeUrl(local, probe), probe.timeoutMs);
      if (answer.status >= 200 && answer.status < 300) return answer.status;
      last = `${answer.status} ${answer.body.trim()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`${probe.kind} probe ${probe.path} never answered 2xx (${last})`);
}

function promtoolCheck(text: string) {
  const result = spawnSync('promtool', ['check', 'metrics'], {
    input: text,
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function checkProbesAndMetrics(
  workload: RenderedWorkload,
  runtime: RuntimeProcess,
  local: LocalRuntimePlan,
  metricPrefix: string,
) {
  const probes = workload.probes();
  expect(probes.map((probe) => probe.kind).sort()).toEqual(['liveness', 'readiness', 'startup']);
  // The kubelet holds liveness and readiness until the startup probe passes.
  const order = [...probes].sort(
    (a, b) => Number(b.kind === 'startup') - Number(a.kind === 'startup'),
  );
  for (const probe of order) {
    const status = await probeUntilOk(runtime, local, probe);
    expect({ probe: probe.kind, path: probe.path, status }).toEqual({
      probe: probe.kind,
      path: probe.path,
      status: expect.any(Number),
    });
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(300);
  }

  // Every declared container port answers HTTP once the pod is ready (the Services route to them).
  for (const port of workload.container.ports ?? []) {
    const answer = await get(
      probeUrl(local, { containerPort: port.containerPort, path: '/' }),
      5000,
    );
    expect({ port: port.name, answered: answer.status > 0 && answer.status < 500 }).toEqual({
      port: port.name,
      answered: true,
    });
  }

  const endpoints = workload.metricsEndpoints();
  expect(endpoints.length).toBeGreaterThan(0);
  for (const endpoint of endpoints) {
    const metrics = await get(probeUrl(local, endpoint), 10_000);
    expect({ endpoint: endpoint.serviceMonitor, status: metrics.status }).toEqual({
      endpoint: endpoint.serviceMonitor,
      status: 200,
    });
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toContain(`# TYPE ${metricPrefix}`);
    const check = promtoolCheck(metrics.body);
    expect({ endpoint: endpoint.serviceMonitor, ...check }).toEqual({
      endpoint: endpoint.serviceMonitor,
      status: 0,
      output: '',
    });
  }
}

function expectNoSecretsIn(output: string, env: Record<string, string>) {
  for (const name of secretEnvNames) {
    const value = env[name];
    if (value) expect({ name, leaked: output.includes(value) }).toEqual({ name, leaked: false });
  }
}

describe('k3s-dev: the rendered Deployments run the real runtime', () => {
  it('renders containers the image runs as they are: no command, args only if the entry point takes them', () => {
    for (const workload of [origin, edge]) {
      // The image's entry point is node running the bundle of runtime/main.ts; a command would replace it.
      expect(workload.container.command).toBeUndefined();
      expect(workload.container.args ?? []).toEqual([]);
    }
  });

  let originRun: { runtime: RuntimeProcess; local: LocalRuntimePlan } | undefined;

  it('origin: every probe answers 2xx and the scraped port serves Prometheus text', async () => {
    const rendered = origin.env();
    const databaseHost = authorityOf(rendered[envNames.databaseUrl], envNames.databaseUrl);
    const redisUrl = rendered[envNames.redisUrl];
    const redisHost = authorityOf(redisUrl, envNames.redisUrl);
    await provisionDatabase(rendered[envNames.databaseUrl] as string);
    // A Redis of its own that wants the rendered password, as the in-cluster one does.
    const redisPassword = decodeURIComponent(new URL(redisUrl as string).password);
    redis = await startRedis({ password: redisPassword });
    const harnessPostgres = new URL(testServices().postgresUrl).host;
    const local = await localRuntime(origin, {
      hosts: { [databaseHost]: harnessPostgres, [redisHost]: `127.0.0.1:${redis.port}` },
    });
    plans.push(local);
    // Nothing but the hosts, ports and listen address differs from what Kubernetes would pass.
    expect(Object.keys(local.env).sort()).toEqual(
      [...Object.keys(rendered), envNames.listenAddress].sort(),
    );

    const runtime = startRuntime({ ...imageEnv(), ...local.env }, origin.container.args);
    started.push(runtime);
    await checkProbesAndMetrics(origin, runtime, local, 'edgeplane_origin_');
    // It really uses Redis with the rendered password: the bus subscribed there.
    const { Redis } = await import('ioredis');
    const client = new Redis(redis.port, '127.0.0.1', {
      password: redisPassword,
      lazyConnect: true,
    });
    await client.connect();
    const channels = (await client.call('PUBSUB', 'CHANNELS')) as string[];
    client.disconnect();
    expect(channels.length).toBeGreaterThan(0);
    originRun = { runtime, local };
  }, 90_000);

  it('edge: follows the rendered origin URL with the rendered token; every probe 2xx, metrics pass promtool', async () => {
    if (!originRun) throw new Error('the origin did not start (see the test above)');
    const rendered = edge.env();
    const originUrl = new URL(rendered[envNames.originUrl] as string);
    // The rendered URL names the origin's Service: follow it to the origin container's port.
    const containerPort = origin.serviceTarget(originUrl.hostname, Number(originUrl.port || 80));
    if (containerPort === undefined) {
      throw new Error(`${envNames.originUrl} names no Service of the origin: ${originUrl.host}`);
    }
    const originPort = originRun.local.ports.get(containerPort);
    const local = await localRuntime(edge, {
      hosts: { [originUrl.host]: `127.0.0.1:${originPort}` },
    });
    plans.push(local);
    expect(Object.keys(local.env).sort()).toEqual(
      [...Object.keys(rendered), envNames.listenAddress].sort(),
    );

    const runtime = startRuntime({ ...imageEnv(), ...local.env }, edge.container.args);
    started.push(runtime);
    // Its readiness means the snapshot is loaded: the rendered tokens of both sides match.
    await checkProbesAndMetrics(edge, runtime, local, 'edgeplane_edge_');
    const [originMetrics] = origin.metricsEndpoints();
    if (!originMetrics) throw new Error('the origin has no scraped metrics endpoint');
    const streams = async () => {
      const text = (await get(probeUrl(originRun?.local as LocalRuntimePlan, originMetrics), 5000))
        .body;
      return Number(/^edgeplane_origin_edge_streams(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1] ?? 0);
    };
    // And it follows the event stream, not only the snapshot.
    const deadline = Date.now() + 20_000;
    while ((await streams()) < 1 && Date.now() < deadline) await sleep(200);
    expect(await streams()).toBe(1);
  }, 90_000);

  it('both stop cleanly on SIGTERM, as Kubernetes stops a pod, and never print a credential', async () => {
    expect(started).toHaveLength(2);
    const rendered = [origin.env(), edge.env()];
    // The edge first, as a rollout would drain it; then the origin.
    for (const [index, runtime] of [...started].reverse().entries()) {
      expect({ runtime: index === 0 ? 'edge' : 'origin', exit: await runtime.stop() }).toEqual({
        runtime: index === 0 ? 'edge' : 'origin',
        exit: 0,
      });
    }
    for (const [index, runtime] of started.entries()) {
      expectNoSecretsIn(runtime.output(), rendered[index] as Record<string, string>);
    }
  }, 60_000);
});
