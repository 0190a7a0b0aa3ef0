// The data stores' CAs reach the origin: a home region whose Postgres and Redis verify their
// servers (as Cloud SQL and Memorystore do) puts the CAs in the origin's credentials Secret, the
// Deployment reads them from there, and the resulting environment parses under the contract.
import * as pulumi from '@pulumi/pulumi';
import { envNames, parseRuntimeEnv } from '../../runtime/contract.ts';
import type { RecordedResource } from '../../test/harness/pulumi/index.ts';
import { fakeHomeRegion, fakeSecrets, kubernetesName, ofType, renderCdn } from './testing.ts';

const databaseCa = '-----BEGIN CERTIFICATE-----\nMIIDdatabaseCA\n-----END CERTIFICATE-----';
const redisCa = '-----BEGIN CERTIFICATE-----\nMIIDredisCA\n-----END CERTIFICATE-----';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

function named(resources: RecordedResource[], suffix: string, name: string): RecordedResource {
  const found = ofType(resources, suffix).find((resource) => kubernetesName(resource) === name);
  if (!found) throw new Error(`no ${suffix} named ${name}`);
  return found;
}

describe('store CAs in the origin credentials', () => {
  test('verify-ca endpoints with CAs: the Secret carries them and the env parses', async () => {
    const home = fakeHomeRegion();
    const rendered = await renderCdn('home', {
      region: {
        ...home,
        // Plain Outputs on purpose: they become secret as part of the Secret's stringData.
        postgres: {
          ...home.postgres,
          sslMode: 'verify-ca',
          caCertificate: pulumi.output(databaseCa),
        },
        redis: {
          ...home.redis,
          tls: true,
          sslMode: 'verify-ca',
          caCertificate: pulumi.output(redisCa),
        },
      },
    });
    const secret = named(rendered.resources, 'core/v1:Secret', 'edgeplane-origin-credentials');
    expect(secret.secretInputPaths).toContain('stringData');
    const data = secret.inputs.stringData as Record<string, string>;
    expect(data).toMatchObject({
      [envNames.databaseCaCert]: databaseCa,
      [envNames.redisCaCert]: redisCa,
      [envNames.databaseUrl]: expect.stringMatching(/\?sslmode=verify-ca$/),
      [envNames.redisUrl]: `rediss://:${fakeSecrets.redisPassword}@redis.edgeplane-data.svc:6379?sslmode=verify-ca`,
    });

    const deployment = named(rendered.resources, 'apps/v1:Deployment', 'edgeplane-origin');
    const container = (
      deployment.inputs.spec as { template: { spec: { containers: { env: EnvVar[] }[] } } }
    ).template.spec.containers[0];
    const env = Object.fromEntries(
      (container?.env ?? []).map((variable) => {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref) expect(ref.name).toBe('edgeplane-origin-credentials');
        return [variable.name, variable.value ?? (ref ? data[ref.key] : undefined)];
      }),
    );
    expect(env[envNames.databaseCaCert]).toBe(databaseCa);
    const parsed = parseRuntimeEnv(env);
    expect(parsed).toMatchObject({ DATABASE_CA_CERT: databaseCa, REDIS_CA_CERT: redisCa });
  });

  test('endpoints without a CA add no CA keys', async () => {
    const rendered = await renderCdn('home');
    const secret = named(rendered.resources, 'core/v1:Secret', 'edgeplane-origin-credentials');
    const keys = Object.keys(secret.inputs.stringData as object);
    expect(keys).toContain(envNames.databaseUrl);
    expect(keys).not.toContain(envNames.databaseCaCert);
    expect(keys).not.toContain(envNames.redisCaCert);
  });
});
