// Memorystore under the recording mocks: private, AUTH, TLS in transit, HA with replicas in prod.
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { outputValue, recordProgram } from '../cluster/testing.ts';
import { MemorystoreRedis, memorystoreSizes } from './memorystore.ts';
import { redisUrl } from './types.ts';

async function plan(environment: 'staging' | 'prod') {
  const prod = environment === 'prod';
  return recordProgram(() => {
    const provider = new gcp.Provider('gcp-europe-west1', {
      project: 'edgeplane-test',
      region: 'europe-west1',
    });
    const peering = new pulumi.ComponentResource('test:index:Peering', 'peering');
    return new MemorystoreRedis('cache', {
      project: 'edgeplane-test',
      region: 'europe-west1',
      gcpProvider: provider,
      network: 'projects/edgeplane-test/global/networks/network',
      privateServices: peering,
      environment,
      size: prod ? 'medium' : 'small',
      highlyAvailable: prod,
      readReplicas: prod ? 2 : 0,
      protect: prod,
    });
  });
}

describe('MemorystoreRedis read replicas', () => {
  it('keeps HA without read replicas below the 5 GB Memorystore needs for them', async () => {
    const { resources } = await recordProgram(() => {
      const provider = new gcp.Provider('gcp-europe-west1', {
        project: 'edgeplane-test',
        region: 'europe-west1',
      });
      const peering = new pulumi.ComponentResource('test:index:Peering', 'peering');
      return new MemorystoreRedis('cache', {
        project: 'edgeplane-test',
        region: 'europe-west1',
        gcpProvider: provider,
        network: 'network',
        privateServices: peering,
        environment: 'prod',
        size: 'small',
        highlyAvailable: true,
        readReplicas: 2,
        protect: true,
      });
    });
    const instance = resources.find((resource) => resource.type === 'gcp:redis/instance:Instance');
    expect(instance?.inputs).toMatchObject({ tier: 'STANDARD_HA', memorySizeGb: 1 });
    expect(instance?.inputs.readReplicasMode).toBeUndefined();
    expect(instance?.inputs.replicaCount).toBeUndefined();
  });
});

describe('MemorystoreRedis', () => {
  it('is reached privately, with AUTH and TLS (server authentication)', async () => {
    const { resources, result } = await plan('staging');
    const instance = resources.find((resource) => resource.type === 'gcp:redis/instance:Instance');
    expect(instance?.inputs).toMatchObject({
      connectMode: 'PRIVATE_SERVICE_ACCESS',
      authorizedNetwork: 'projects/edgeplane-test/global/networks/network',
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      tier: 'BASIC',
      memorySizeGb: memorystoreSizes.small,
    });
    expect(instance?.inputs.replicaCount).toBeUndefined();
    expect(instance?.protect).toBe(false);
    expect(result.tls).toBe(true);
    expect(await pulumi.isSecret(result.password)).toBe(true);
    const url = redisUrl(result);
    expect(await pulumi.isSecret(url)).toBe(true);
    expect(await outputValue(url)).toBe(
      'rediss://:mock-redis-auth-cache@10.240.1.4:6378?sslmode=verify-ca',
    );
    expect(await outputValue(result.serverCaCertificate)).toContain('BEGIN CERTIFICATE');
    expect(await outputValue(result.caCertificate)).toBe(
      await outputValue(result.serverCaCertificate),
    );
  });

  it('fails over across zones with read replicas, and is protected, in prod', async () => {
    const { resources } = await plan('prod');
    const instance = resources.find((resource) => resource.type === 'gcp:redis/instance:Instance');
    expect(instance?.inputs).toMatchObject({
      tier: 'STANDARD_HA',
      readReplicasMode: 'READ_REPLICAS_ENABLED',
      replicaCount: 2,
      memorySizeGb: memorystoreSizes.medium,
      deletionProtection: true,
    });
    expect(instance?.protect).toBe(true);
  });
});
