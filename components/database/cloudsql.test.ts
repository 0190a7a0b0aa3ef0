// Cloud SQL under the recording mocks: private only, TLS, backups with PITR, HA and protection in prod.
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { secretLeaks } from '../../test/harness/pulumi/index.ts';
import { outputValue, recordProgram } from '../cluster/testing.ts';
import { CloudSqlPostgres, cloudSqlTiers } from './cloudsql.ts';
import { postgresUrl } from './types.ts';

async function plan(environment: 'staging' | 'prod') {
  const prod = environment === 'prod';
  return recordProgram(() => {
    const provider = new gcp.Provider('gcp-europe-west1', {
      project: 'edgeplane-test',
      region: 'europe-west1',
    });
    const peering = new gcp.servicenetworking.Connection(
      'peering',
      {
        network: 'network',
        service: 'servicenetworking.googleapis.com',
        reservedPeeringRanges: ['r'],
      },
      { provider },
    );
    return new CloudSqlPostgres('database', {
      project: 'edgeplane-test',
      region: 'europe-west1',
      gcpProvider: provider,
      network: 'projects/edgeplane-test/global/networks/network',
      privateServices: peering,
      environment,
      version: '17',
      size: prod ? 'large' : 'medium',
      storageGb: 50,
      backupRetentionDays: prod ? 14 : 7,
      highlyAvailable: prod,
      deletionProtection: prod,
      protect: prod,
    });
  });
}

const instanceOf = (resources: Awaited<ReturnType<typeof plan>>['resources']) =>
  resources.find((resource) => resource.type === 'gcp:sql/databaseInstance:DatabaseInstance');

describe('CloudSqlPostgres', () => {
  it('has no public address, requires TLS and keeps backups with point-in-time recovery', async () => {
    const { resources } = await plan('staging');
    const instance = instanceOf(resources);
    expect(instance?.inputs).toMatchObject({
      databaseVersion: 'POSTGRES_17',
      region: 'europe-west1',
      settings: {
        tier: cloudSqlTiers.medium,
        availabilityType: 'ZONAL',
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: 'projects/edgeplane-test/global/networks/network',
          sslMode: 'ENCRYPTED_ONLY',
        },
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          backupRetentionSettings: { retainedBackups: 7 },
        },
        insightsConfig: { queryInsightsEnabled: true },
      },
    });
    const settings = instance?.inputs.settings as { ipConfiguration: Record<string, unknown> };
    expect(settings.ipConfiguration.authorizedNetworks ?? []).toEqual([]);
    expect(instance?.protect).toBe(false);
    expect(instance?.provider).toContain('gcp-europe-west1');
    expect(instance?.dependencies?.some((urn) => urn.endsWith('::peering'))).toBe(true);
  });

  it('is regional, deletion-protected and protected from pulumi destroy in prod', async () => {
    const { resources } = await plan('prod');
    const instance = instanceOf(resources);
    expect(instance?.inputs).toMatchObject({
      deletionProtection: true,
      settings: {
        availabilityType: 'REGIONAL',
        deletionProtectionEnabled: true,
        tier: cloudSqlTiers.large,
        backupConfiguration: { backupRetentionSettings: { retainedBackups: 14 } },
      },
    });
    expect(instance?.protect).toBe(true);
  });

  it('keeps the generated password secret, in the user and in DATABASE_URL', async () => {
    const { resources, result } = await plan('staging');
    const user = resources.find((resource) => resource.type === 'gcp:sql/user:User');
    expect(user?.secretInputPaths).toContain('password');
    expect(await pulumi.isSecret(result.password)).toBe(true);
    expect(
      secretLeaks({ resources, outputs: {}, secretOutputs: [] }, [
        'mock-password-database-password',
      ]),
    ).toEqual([]);
    const url = postgresUrl(result);
    expect(await pulumi.isSecret(url)).toBe(true);
    expect(await outputValue(result.serverCaCertificate)).toContain('BEGIN CERTIFICATE');
    // The private-IP certificate does not name the IP: verify the chain against the instance's CA.
    expect(await outputValue(url)).toBe(
      'postgres://edgeplane:mock-password-database-password@10.240.0.3:5432/edgeplane?sslmode=verify-ca',
    );
    expect(await outputValue(result.caCertificate)).toBe(
      await outputValue(result.serverCaCertificate),
    );
  });
});
