import { resource, unknownValue, violationsInPlan, violationsOf } from '../lib/testing.ts';
import { redisTls } from './redis-tls.ts';

const replicationGroup = (props: Record<string, unknown>) =>
  resource(
    'aws:elasticache/replicationGroup:ReplicationGroup',
    { engine: 'redis', ...props },
    { name: 'cache' },
  );
const memorystore = (props: Record<string, unknown>) =>
  resource('gcp:redis/instance:Instance', { tier: 'STANDARD_HA', ...props }, { name: 'cache' });
const secret = (url: string) =>
  resource(
    'kubernetes:core/v1:Secret',
    { stringData: { REDIS_URL: url } },
    { name: 'origin-credentials' },
  );
const messages = async (subject: ReturnType<typeof resource>, config?: object) =>
  (await violationsOf(redisTls, subject, config as never)).map((violation) => violation.message);

describe('redis-tls', () => {
  it('passes managed Redis with transit encryption and rediss:// URLs, and the example stacks', async () => {
    expect(await messages(replicationGroup({ transitEncryptionEnabled: true }))).toEqual([]);
    expect(await messages(memorystore({ transitEncryptionMode: 'SERVER_AUTHENTICATION' }))).toEqual(
      [],
    );
    expect(await messages(secret('rediss://:token@cache.internal:6379'))).toEqual([]);
    // k3s-dev's in-cluster Redis has no TLS: its stack config allows in-cluster hosts.
    expect(await violationsInPlan(redisTls, 'k3s-dev')).toHaveLength(1);
    expect(
      await violationsInPlan(redisTls, 'k3s-dev', { allowPlaintextHosts: ['*.svc.cluster.local'] }),
    ).toEqual([]);
  });

  it('fails plaintext managed Redis and redis:// URLs in Secrets, ConfigMaps and env', async () => {
    expect(await messages(replicationGroup({}))).toEqual([
      'ElastiCache cache: transitEncryptionEnabled is not true (clients connect in plaintext)',
    ]);
    expect(
      await messages(
        replicationGroup({ transitEncryptionEnabled: true, transitEncryptionMode: 'preferred' }),
      ),
    ).toEqual([expect.stringContaining('"preferred", which still accepts plaintext')]);
    expect(await messages(memorystore({}))).toEqual([
      'Memorystore cache: transitEncryptionMode is DISABLED (unset); set SERVER_AUTHENTICATION',
    ]);
    expect(await messages(secret('redis://:pw@redis.data.svc.cluster.local:6379'))).toEqual([
      'origin-credentials: stringData.REDIS_URL connects to Redis at redis.data.svc.cluster.local with plaintext redis://; use rediss://',
    ]);
    const encoded = resource('kubernetes:core/v1:Secret', {
      data: { url: Buffer.from('redis://cache:6379').toString('base64') },
    });
    expect(await messages(encoded)).toEqual([
      expect.stringContaining('data.url connects to Redis at cache'),
    ]);
    const workload = resource('kubernetes:apps/v1:Deployment', {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'app', env: [{ name: 'REDIS_URL', value: 'redis://cache:6379' }] },
            ],
          },
        },
      },
    });
    expect(await messages(workload)).toEqual([
      expect.stringContaining('spec.template.spec.containers.0.env.0.value connects'),
    ]);
    expect(
      await messages(secret('redis://cache.other:6379'), { allowPlaintextHosts: ['*.svc'] }),
    ).toHaveLength(1);
  });

  it('skips unknown settings and values', async () => {
    expect(await messages(replicationGroup({ transitEncryptionEnabled: unknownValue }))).toEqual(
      [],
    );
    expect(await messages(memorystore({ transitEncryptionMode: unknownValue }))).toEqual([]);
    expect(
      await messages(
        resource('kubernetes:core/v1:Secret', { stringData: { REDIS_URL: unknownValue } }),
      ),
    ).toEqual([]);
    expect(await messages(resource('kubernetes:core/v1:Secret', {}))).toEqual([]);
  });
});
