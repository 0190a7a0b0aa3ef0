import { parseRuntimeEnv } from '../contract.ts';
import { edgeEnv, originEnv, redisHost } from './service-env.ts';

const shell = {
  PATH: '/usr/bin',
  HOME: '/home/dev',
  // Left in a shell from other work: none may reach the services.
  EDGEPLANE_SITES_FILE: '/tmp/sites.yaml',
  EDGEPLANE_ROLE: 'edge',
  DATABASE_URL: 'postgres://elsewhere/db',
  EDGEPLANE_LOG_LEVEL: 'debug',
};
const token = 'local-edge-token-0123456789abcdef';

describe('service environments of local mode', () => {
  test('the origin gets a contract-valid environment on loopback, without the shell leftovers', () => {
    const env = originEnv(shell, {
      apiPort: 8081,
      managementPort: 9091,
      databaseUrl: 'postgres://postgres:pw@127.0.0.1:5433/edgeplane',
      edgeToken: token,
    });
    expect(parseRuntimeEnv(env)).toMatchObject({
      EDGEPLANE_ROLE: 'origin',
      EDGEPLANE_TRAFFIC_PORT: 8081,
      EDGEPLANE_MANAGEMENT_PORT: 9091,
      EDGEPLANE_LISTEN_ADDRESS: '127.0.0.1',
      DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:5433/edgeplane',
      EDGEPLANE_EDGE_TOKEN: token,
      EDGEPLANE_LOG_LEVEL: 'debug',
    });
    expect(env).not.toHaveProperty('EDGEPLANE_SITES_FILE');
    expect(env).not.toHaveProperty('REDIS_URL');
    expect(env.PATH).toBe('/usr/bin');
    const withRedis = originEnv(
      { ...shell, REDIS_URL: 'redis://:secret@127.0.0.1:6379' },
      { apiPort: 1, managementPort: 2, databaseUrl: 'postgres://x@127.0.0.1/y', edgeToken: token },
    );
    expect(withRedis.REDIS_URL).toBe('redis://:secret@127.0.0.1:6379');
  });

  test('the edge follows the origin (no sites file), one process, on loopback', () => {
    const env = edgeEnv(shell, {
      trafficPort: 8080,
      managementPort: 9090,
      originUrl: 'http://127.0.0.1:8081',
      edgeToken: token,
    });
    const parsed = parseRuntimeEnv(env);
    expect(parsed).toMatchObject({
      EDGEPLANE_ROLE: 'edge',
      EDGEPLANE_ORIGIN_URL: 'http://127.0.0.1:8081',
      EDGEPLANE_EDGE_TOKEN: token,
      EDGEPLANE_EDGE_WORKERS: 1,
      EDGEPLANE_LISTEN_ADDRESS: '127.0.0.1',
    });
    expect(parsed).not.toHaveProperty('EDGEPLANE_SITES_FILE');
    expect(env).not.toHaveProperty('DATABASE_URL');
    expect(env.NODE_OPTIONS).toBe('--max-semi-space-size=8');
  });

  test("the edge's Node options come after the caller's, which the origin keeps as they are", () => {
    const caller = { ...shell, NODE_OPTIONS: '--enable-source-maps' };
    const settings = { trafficPort: 1, managementPort: 2, originUrl: 'http://127.0.0.1:3' };
    expect(edgeEnv(caller, { ...settings, edgeToken: token }).NODE_OPTIONS).toBe(
      '--enable-source-maps --max-semi-space-size=8',
    );
    const origin = originEnv(caller, {
      apiPort: 1,
      managementPort: 2,
      databaseUrl: 'postgres://x@127.0.0.1/y',
      edgeToken: token,
    });
    expect(origin.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  test('a Redis URL is shown by host and port, never with its password', () => {
    expect(redisHost('redis://:hunter2@cache.internal:6380')).toBe('cache.internal:6380');
    expect(redisHost('rediss://user:pw@cache')).toBe('cache:6379');
  });
});
