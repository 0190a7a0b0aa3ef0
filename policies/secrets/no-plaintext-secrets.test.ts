import { resource, unknownValue, violationsInPlan, violationsOf } from '../lib/testing.ts';
import { noPlaintextSecrets } from './no-plaintext-secrets.ts';

const withEnv = (env: Record<string, unknown>[]) =>
  resource(
    'kubernetes:apps/v1:Deployment',
    {
      metadata: { name: 'app' },
      spec: { template: { spec: { containers: [{ name: 'app', env }] } } },
    },
    { name: 'app' },
  );
const configMap = (data: Record<string, unknown>) =>
  resource('kubernetes:core/v1:ConfigMap', { data }, { name: 'settings' });
const messages = async (subject: ReturnType<typeof resource>, config?: object) =>
  (await violationsOf(noPlaintextSecrets, subject, config as never)).map(
    (violation) => violation.message,
  );

describe('no-plaintext-secrets', () => {
  it('passes plain settings and credentials taken from Secrets, and the example stacks', async () => {
    expect(
      await messages(
        withEnv([
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'TOKEN_FILE', value: '/var/run/secrets/token' },
          { name: 'ORIGIN_URL', value: 'https://api.example.com/v1' },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ]),
      ),
    ).toEqual([]);
    expect(await messages(configMap({ 'dashboard.json': '{"title":"edge"}' }))).toEqual([]);
    expect(await violationsInPlan(noPlaintextSecrets, 'k3s-dev')).toEqual([]);
  });

  it('fails credentials as literal env values, password URLs, private keys and access keys', async () => {
    expect(await messages(withEnv([{ name: 'API_TOKEN', value: 'abc123' }]))).toEqual([
      'app: spec.template.spec.containers.0.env.0.value (API_TOKEN) is a credential given as a literal value; use valueFrom.secretKeyRef',
    ]);
    expect(
      await messages(withEnv([{ name: 'DATABASE', value: 'postgres://app:hunter2@db:5432/app' }])),
    ).toEqual([
      'app: spec.template.spec.containers.0.env.0.value holds a URL with a password in plain text; put it in a Secret',
    ]);
    expect(await messages(configMap({ 'tls.key': '-----BEGIN PRIVATE KEY-----\nMII...' }))).toEqual(
      ['settings: data.tls.key holds a private key in plain text; put it in a Secret'],
    );
    expect(await messages(configMap({ aws: 'id=AKIAABCDEFGHIJKLMNOP' }))).toEqual([
      expect.stringContaining('an AWS access key id'),
    ]);
    expect(await messages(configMap({ 'smtp-password': 'x' }))).toHaveLength(1);
  });

  it('lets config allow a name that only looks like a credential', async () => {
    expect(await messages(withEnv([{ name: 'AUTH_MODE', value: 'oidc' }]))).toHaveLength(1);
    expect(
      await messages(withEnv([{ name: 'AUTH_MODE', value: 'oidc' }]), {
        allowedNames: ['AUTH_MODE'],
      }),
    ).toEqual([]);
  });

  it('skips unknown and missing values', async () => {
    expect(await messages(withEnv([{ name: 'API_TOKEN', value: unknownValue }]))).toEqual([]);
    expect(await messages(withEnv([{ name: 'API_TOKEN' }]))).toEqual([]);
    expect(await messages(configMap(unknownValue as never))).toEqual([]);
    expect(await messages(resource('kubernetes:apps/v1:Deployment', {}))).toEqual([]);
  });
});
