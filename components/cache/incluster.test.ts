// In-cluster Redis: the rendered plan (AUTH from a Secret, AOF on a volume, hardened, probed,
// bounded, reachable by the origin only) and the redis.conf it ships, run by a real redis-server.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { Redis } from 'ioredis';
import {
  kubernetesObjects,
  validateKubernetesObjects,
} from '../../test/harness/kubernetes/index.ts';
import { type RecordedResource, secretLeaks } from '../../test/harness/pulumi/index.ts';
import { freePort } from '../../test/harness/services/free-port.ts';
import {
  type Json,
  ofKind,
  onDefaultProvider,
  outputValue,
  recordProgram,
  testCluster,
} from '../cluster/testing.ts';
import { namespaces } from '../namespaces.ts';
import { InClusterRedis, type InClusterRedisArgs, redisConfig } from './incluster.ts';
import { redisUrl } from './types.ts';

const password = 'mock-password-cache-password';

async function plan(changes: Partial<InClusterRedisArgs> = {}) {
  return recordProgram(
    () =>
      new InClusterRedis('cache', {
        cluster: testCluster(),
        namespace: namespaces.data,
        environment: 'dev',
        size: 'small',
        ...changes,
      }),
  );
}

describe('InClusterRedis', () => {
  let resources: RecordedResource[];
  let cache: InClusterRedis;
  let statefulSet: Json;

  beforeAll(async () => {
    const recorded = await plan();
    resources = recorded.resources;
    cache = recorded.result;
    statefulSet = ofKind(resources, 'StatefulSet').inputs;
  });

  it('puts everything on the explicit provider under the component', () => {
    expect(resources.map((resource) => resource.type).sort()).toEqual([
      'edgeplane:cache:InClusterRedis',
      'kubernetes:apps/v1:StatefulSet',
      'kubernetes:core/v1:Secret',
      'kubernetes:core/v1:Service',
      'kubernetes:networking.k8s.io/v1:NetworkPolicy',
      'kubernetes:policy/v1:PodDisruptionBudget',
      'pulumi:providers:kubernetes', // the test cluster's
      'random:index/randomPassword:RandomPassword',
    ]);
    expect(onDefaultProvider(resources)).toEqual([]);
    const component = resources.find((resource) => !resource.custom);
    const orphans = resources.filter(
      (r) => r.custom && !r.type.startsWith('pulumi:') && r.parent !== component?.urn,
    );
    expect(orphans).toEqual([]);
  });

  it('keeps the password secret: in the Secret, the config file, the endpoint, never in plain inputs', async () => {
    const secret = ofKind(resources, 'Secret');
    expect(secret.secretInputPaths).toContain('stringData');
    expect(secret.inputs.stringData).toEqual({
      'redis-password': password,
      'redis.conf': redisConfig(password, '160mb'),
    });
    expect(secretLeaks({ resources, outputs: {}, secretOutputs: [] }, [password])).toEqual([]);
    expect(await pulumi.isSecret(cache.password)).toBe(true);
    expect(await outputValue(redisUrl(cache))).toBe(
      `redis://:${password}@redis.edgeplane-data.svc.cluster.local:6379`,
    );
    const [container] = statefulSet.spec.template.spec.containers;
    expect(container.args).toEqual(['redis-server', '/etc/redis/redis.conf']);
    expect(container.env).toEqual([
      {
        name: 'REDISCLI_AUTH',
        valueFrom: { secretKeyRef: { name: 'redis-config', key: 'redis-password' } },
      },
    ]);
  });

  it('runs hardened, with the config mounted read-only and AOF data on a claim', () => {
    const pod = statefulSet.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 1000,
      fsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    const [container] = pod.containers;
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'data', mountPath: '/data' },
        { name: 'config', mountPath: '/etc/redis', readOnly: true },
      ]),
    );
    expect(pod.volumes.find((volume: Json) => volume.name === 'config').secret).toMatchObject({
      secretName: 'redis-config',
      defaultMode: 0o440,
    });
    expect(statefulSet.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'local-path',
      resources: { requests: { storage: '1Gi' } },
    });
    expect(statefulSet.spec.template.metadata.annotations['edgeplane.dev/config-hash']).toMatch(
      /^[0-9a-f]{16}$/,
    );
  });

  it('probes with an authenticated PING, and bounds CPU and memory', () => {
    const [container] = statefulSet.spec.template.spec.containers;
    expect(container.readinessProbe.exec.command.join(' ')).toContain('redis-cli -h 127.0.0.1');
    expect(container.readinessProbe.exec.command.join(' ')).not.toContain(password);
    expect(container.startupProbe.exec.command).toEqual(container.readinessProbe.exec.command);
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 'redis' });
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { cpu: '1', memory: '256Mi' },
    });
  });

  it('lets only the origin in, on 6379, and nothing out', () => {
    const policy = (ofKind(resources, 'NetworkPolicy').inputs as Json).spec;
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.egress).toEqual([]);
    expect(policy.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edgeplane' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'origin' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 6379 }],
      },
    ]);
  });

  it('renders objects valid against the Kubernetes schema, all labelled', () => {
    const objects = kubernetesObjects(resources);
    for (const object of objects) {
      expect(object.metadata).toMatchObject({
        labels: { 'app.kubernetes.io/part-of': 'edgeplane' },
      });
    }
    const results = validateKubernetesObjects(objects);
    expect(results).toHaveLength(5);
    expect(results.filter((result) => result.status !== 'valid')).toEqual([]);
  });

  it('sizes the volume from the size or the override, and protects when asked', async () => {
    const { resources: large } = await plan({ size: 'large', storageGb: 50, protect: true });
    const set = ofKind(large, 'StatefulSet');
    expect((set.inputs as Json).spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(
      '50Gi',
    );
    expect(set.protect).toBe(true);
    expect((ofKind(large, 'PodDisruptionBudget').inputs as Json).spec.maxUnavailable).toBe(0);
  });
});

describe('redis.conf on a real redis-server', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let port: number;
  const testPassword = 'Tq7mW2xZ9pL4vR8kN3bH6jC1dF5gS0aE';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgeplane-redis-conf-'));
    const config = join(dir, 'redis.conf');
    // The shipped file with a temporary data directory, on a loopback port.
    await writeFile(config, redisConfig(testPassword, '160mb', dir));
    port = await freePort();
    server = spawn('redis-server', [config, '--port', String(port), '--bind', '127.0.0.1'], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis({
        port,
        host: '127.0.0.1',
        password: testPassword,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
      });
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        break;
      } catch (error) {
        probe.disconnect();
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });

  afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      process.kill(server.pid, 'SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses commands without the password', async () => {
    // A raw RESP exchange: what any client without AUTH gets back.
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => socket.write('GET any\r\n'));
      socket.once('data', (data) => {
        socket.end();
        resolve(data.toString());
      });
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^-NOAUTH Authentication required/);
  });

  it('authenticates, appends every write to the AOF, and evicts only keys with a TTL', async () => {
    const client = new Redis({
      port,
      host: '127.0.0.1',
      password: testPassword,
      maxRetriesPerRequest: 0,
    });
    try {
      await client.set('purge:sequence', '42');
      expect(await client.get('purge:sequence')).toBe('42');
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual([
        'maxmemory-policy',
        'volatile-lru',
      ]);
      expect(await client.config('GET', 'maxmemory')).toEqual([
        'maxmemory',
        String(160 * 1024 * 1024),
      ]);
      expect(await readdir(join(dir, 'appendonlydir'))).toEqual(
        expect.arrayContaining([expect.stringMatching(/\.aof$/)]),
      );
    } finally {
      client.disconnect();
    }
  });

  it('refuses a password it could not write into redis.conf safely', () => {
    expect(() => redisConfig('pass word\nrequirepass x', '160mb')).toThrow(
      /no whitespace, quotes or backslashes/,
    );
  });
});
