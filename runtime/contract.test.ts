import { envNames, managementPaths, parseRuntimeEnv, ports, RuntimeEnvError } from './contract.ts';

const edge = { EDGEPLANE_ROLE: 'edge', EDGEPLANE_SITES_FILE: '/etc/edgeplane/sites.json' };
const origin = {
  EDGEPLANE_ROLE: 'origin',
  DATABASE_URL: 'postgres://edgeplane:db-password-123@postgres:5432/edgeplane',
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    parseRuntimeEnv(env);
  } catch (error) {
    if (error instanceof RuntimeEnvError) return error.problems;
    throw error;
  }
  throw new Error('expected a RuntimeEnvError');
}

describe('runtime contract', () => {
  it('fills defaults for an edge from the documented ports', () => {
    expect(parseRuntimeEnv(edge)).toMatchObject({
      EDGEPLANE_ROLE: 'edge',
      EDGEPLANE_TRAFFIC_PORT: ports.traffic,
      EDGEPLANE_MANAGEMENT_PORT: ports.management,
      EDGEPLANE_REGION: 'local',
      EDGEPLANE_LOG_LEVEL: 'info',
      EDGEPLANE_CACHE_MEMORY_MB: 256,
      EDGEPLANE_CACHE_DISK_MB: 0,
      EDGEPLANE_ORIGIN_CLIENT: 'raw',
      EDGEPLANE_ZERO_COPY: 'on',
    });
  });

  it('reads numbers and the origin link of an edge', () => {
    const env = parseRuntimeEnv({
      EDGEPLANE_ROLE: 'edge',
      EDGEPLANE_ORIGIN_URL: 'https://origin.edgeplane.svc:8080',
      EDGEPLANE_EDGE_TOKEN: 'edge-token-0123456789',
      EDGEPLANE_TRAFFIC_PORT: '18080',
      EDGEPLANE_CACHE_DISK_MB: '2048',
      EDGEPLANE_CACHE_DISK_PATH: '/var/cache/edgeplane',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
    });
    expect(env).toMatchObject({ EDGEPLANE_TRAFFIC_PORT: 18080, EDGEPLANE_CACHE_DISK_MB: 2048 });
  });

  it('accepts an origin with Postgres and optional Redis; empty values count as unset', () => {
    const withoutRedis = parseRuntimeEnv({ ...origin, REDIS_URL: '' });
    expect(withoutRedis.EDGEPLANE_ROLE).toBe('origin');
    expect('REDIS_URL' in withoutRedis).toBe(false);
    expect(
      parseRuntimeEnv({ ...origin, REDIS_URL: 'rediss://:pw@redis:6379' }).EDGEPLANE_ROLE,
    ).toBe('origin');
  });

  it.each([
    [{}, 'EDGEPLANE_ROLE: is required; must be one of edge, origin'],
    [{ EDGEPLANE_ROLE: 'cache' }, 'EDGEPLANE_ROLE: must be one of edge, origin'],
    [{ EDGEPLANE_ROLE: 'edge' }, 'EDGEPLANE_ORIGIN_URL: an edge needs its sites'],
    [{ ...edge, EDGEPLANE_ORIGIN_URL: 'https://o:8080' }, 'EDGEPLANE_EDGE_TOKEN: is required when'],
    [
      { ...edge, EDGEPLANE_TRAFFIC_PORT: '70000' },
      'EDGEPLANE_TRAFFIC_PORT: must be a port between 1 and 65535',
    ],
    [
      { ...edge, EDGEPLANE_MANAGEMENT_PORT: 'http' },
      'EDGEPLANE_MANAGEMENT_PORT: must be a port number',
    ],
    [{ ...edge, EDGEPLANE_LOG_LEVEL: 'loud' }, 'EDGEPLANE_LOG_LEVEL: must be one of fatal'],
    [
      { ...edge, EDGEPLANE_CACHE_MEMORY_MB: '-1' },
      'EDGEPLANE_CACHE_MEMORY_MB: must not be negative',
    ],
    [{ ...edge, EDGEPLANE_CACHE_DISK_MB: '100' }, 'EDGEPLANE_CACHE_DISK_PATH: is required when'],
    // Fill locks carry the thread's index in 8 bits (runtime/edge/store/fill-table.ts).
    [{ ...edge, EDGEPLANE_EDGE_WORKERS: '256' }, 'EDGEPLANE_EDGE_WORKERS: must be at most 255'],
    [{ ...edge, EDGEPLANE_REGION: 'US East' }, 'EDGEPLANE_REGION: must be a region name'],
    [
      { ...edge, EDGEPLANE_ORIGIN_CLIENT: 'fast' },
      'EDGEPLANE_ORIGIN_CLIENT: must be raw or undici',
    ],
    [
      { ...edge, OTEL_EXPORTER_OTLP_ENDPOINT: 'otel:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT: must be a http: or https: URL',
    ],
    [
      { EDGEPLANE_ROLE: 'origin' },
      'DATABASE_URL: is required; must be a postgres: or postgresql: URL',
    ],
    [{ ...origin, REDIS_URL: 'http://redis:6379' }, 'REDIS_URL: must be a redis: or rediss: URL'],
  ])('rejects %j naming the variable', (env, expected) => {
    expect(problemsOf(env as Record<string, string>).join('\n')).toContain(expected);
  });

  it('reads the origin retention as durations, 7 days of events and 2 days of usage batch ids by default', () => {
    expect(parseRuntimeEnv(origin)).toMatchObject({
      EDGEPLANE_EVENT_RETENTION: 7 * 86_400_000,
      EDGEPLANE_USAGE_BATCH_RETENTION: 2 * 86_400_000,
    });
    expect(
      parseRuntimeEnv({
        ...origin,
        EDGEPLANE_EVENT_RETENTION: '36h',
        EDGEPLANE_USAGE_BATCH_RETENTION: '90m',
      }),
    ).toMatchObject({
      EDGEPLANE_EVENT_RETENTION: 36 * 3_600_000,
      EDGEPLANE_USAGE_BATCH_RETENTION: 90 * 60_000,
    });
    expect(problemsOf({ ...origin, EDGEPLANE_EVENT_RETENTION: '7 days' })).toEqual([
      'EDGEPLANE_EVENT_RETENTION: must be a duration in minutes, hours or days, e.g. 7d',
    ]);
    expect(problemsOf({ ...origin, EDGEPLANE_USAGE_BATCH_RETENTION: '0d' })).toEqual([
      'EDGEPLANE_USAGE_BATCH_RETENTION: must be a duration in minutes, hours or days, e.g. 2d',
    ]);
  });

  it('never echoes a value, so credentials cannot leak into logs', () => {
    const problems = problemsOf({
      EDGEPLANE_ROLE: 'origin',
      DATABASE_URL: 'mysql://root:hunter2-secret@db:3306/x',
      REDIS_URL: 'http://:redis-secret-pw@redis',
    }).join('\n');
    expect(problems).not.toContain('hunter2-secret');
    expect(problems).not.toContain('redis-secret-pw');
  });

  it('exports distinct ports and probe paths for the manifests', () => {
    expect(ports.traffic).not.toBe(ports.management);
    expect(new Set(Object.values(managementPaths)).size).toBe(3);
    expect(Object.values(envNames)).toContain('DATABASE_URL');
  });
});
