// The contract's reading of data store URLs' sslmode and of the CA variables.
import { parseRuntimeEnv, RuntimeEnvError, secretEnvNames, storeSslMode } from './contract.ts';

const origin = {
  EDGEPLANE_ROLE: 'origin',
  DATABASE_URL: 'postgres://edgeplane:db-password-123@postgres:5432/edgeplane',
};
const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    parseRuntimeEnv(env);
  } catch (error) {
    if (error instanceof RuntimeEnvError) return error.problems;
    throw error;
  }
  throw new Error('expected a RuntimeEnvError');
}

describe('store sslmode', () => {
  test.each([
    ['postgres://db/app', 'disable'],
    ['postgres://db/app?sslmode=require', 'require'],
    ['postgresql://db/app?sslmode=verify-ca', 'verify-ca'],
    ['postgres://db/app?sslmode=verify-full', 'verify-full'],
    ['redis://cache:6379', 'disable'],
    ['rediss://cache:6379', 'verify-full'],
    ['rediss://cache:6379?sslmode=verify-ca', 'verify-ca'],
    ['rediss://cache:6379?sslmode=require', 'require'],
  ])('%s means %s', (url, mode) => {
    expect(storeSslMode(new URL(url))).toBe(mode);
  });

  test.each([
    ['postgres://db/app?sslmode=prefer', /prefer and allow are refused/],
    ['postgres://db/app?sslmode=no-verify', /must be one of disable, require/],
    ['postgres://db/app?sslmode=require&sslrootcert=/ca.pem', /sslrootcert parameter is not read/],
    ['rediss://cache:6379?sslmode=disable', /use redis:\/\//],
    ['redis://cache:6379?sslmode=verify-full', /use a rediss:\/\/ URL/],
  ])('%s is refused', (url, message) => {
    expect(() => storeSslMode(new URL(url))).toThrow(message);
  });
});

describe('origin env with TLS settings', () => {
  test('CA certificates are optional PEM text and travel as secrets', () => {
    const env = parseRuntimeEnv({
      ...origin,
      DATABASE_URL: `${origin.DATABASE_URL}?sslmode=verify-ca`,
      DATABASE_CA_CERT: pem,
      REDIS_URL: 'rediss://:secret@redis:6378?sslmode=verify-ca',
      REDIS_CA_CERT: pem,
    });
    expect(env).toMatchObject({ DATABASE_CA_CERT: pem, REDIS_CA_CERT: pem });
    expect(secretEnvNames).toEqual(expect.arrayContaining(['DATABASE_CA_CERT', 'REDIS_CA_CERT']));
  });

  test('a bad sslmode or a CA that is not PEM is named, and the URL is not echoed', () => {
    const problems = problemsOf({
      ...origin,
      DATABASE_URL: `${origin.DATABASE_URL}?sslmode=prefer`,
      DATABASE_CA_CERT: 'not a certificate',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^DATABASE_URL: sslmode must be one of .*e\.g\. \?sslmode=verify-full$/,
      ),
      expect.stringMatching(/^DATABASE_CA_CERT: must be PEM text/),
    ]);
    expect(problems.join('\n')).not.toContain('db-password-123');
  });
});
