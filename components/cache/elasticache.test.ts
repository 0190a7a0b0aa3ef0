// ElastiCacheRedis under the recording mocks: encrypted in transit and at rest, AUTH token secret,
// automatic failover across zones when highly available, private.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  type RecordedResource,
  ResourceRecorder,
  secretLeaks,
} from '../../test/harness/pulumi/index.ts';
import { outputValue, recordProgram } from '../cluster/testing.ts';
import { ElastiCacheRedis, type ElastiCacheRedisArgs } from './elasticache.ts';
import { redisUrl } from './types.ts';

function program(settings: Pick<ElastiCacheRedisArgs, 'replicas' | 'multiAz' | 'protect'>) {
  return () => {
    const provider = new aws.Provider('aws-us-east-1', { region: 'us-east-1' });
    return new ElastiCacheRedis('cache', {
      provider,
      vpcId: pulumi.output('vpc-id'),
      allowedCidrs: ['10.0.0.0/16'],
      subnetIds: [pulumi.output('private-0'), pulumi.output('private-1')],
      size: 'medium',
      snapshotRetentionDays: 7,
      tags: {},
      ...settings,
    });
  };
}

const group = (resources: RecordedResource[]) => {
  const found = resources.filter(
    (resource) => resource.type === 'aws:elasticache/replicationGroup:ReplicationGroup',
  );
  expect(found).toHaveLength(1);
  return found[0] as RecordedResource;
};

describe('ElastiCacheRedis', () => {
  it('encrypts in transit and at rest and requires an AUTH token it keeps secret', async () => {
    const { resources, result } = await recordProgram(
      program({ replicas: 0, multiAz: false, protect: false }),
    );
    const replicationGroup = group(resources);
    expect(replicationGroup.inputs).toMatchObject({
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
    });
    expect(replicationGroup.secretInputPaths).toContain('authToken');
    const token = 'mock-password-cache-auth-token';
    expect(secretLeaks({ resources, outputs: {}, secretOutputs: [] }, [token])).toEqual([]);
    expect(result.tls).toBe(true);
    const url = redisUrl(result);
    expect(await pulumi.isSecret(url)).toBe(true);
    expect(await outputValue(url)).toBe(`rediss://:${token}@cache.cache.mock:6379`);
  });

  it('fails over automatically across zones in prod, and is protected', async () => {
    const { resources } = await recordProgram(
      program({ replicas: 2, multiAz: true, protect: true }),
    );
    expect(group(resources).inputs).toMatchObject({
      numCacheClusters: 3,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
    });
    expect(group(resources).protect).toBe(true);
  });

  it('refuses Multi-AZ without a replica, registering nothing', async () => {
    const recorder = new ResourceRecorder();
    await pulumi.runtime.setMocks(recorder.mocks, 'edgeplane', 'cache-bad', false);
    recorder.attach();
    const provider = new aws.Provider('aws-us-east-1', { region: 'us-east-1' });
    expect(
      () =>
        new ElastiCacheRedis('cache', {
          provider,
          vpcId: 'vpc-id',
          allowedCidrs: ['10.0.0.0/16'],
          subnetIds: ['private-0'],
          size: 'small',
          replicas: 0,
          multiAz: true,
          snapshotRetentionDays: 1,
          protect: false,
          tags: {},
        }),
    ).toThrow(
      'multiAz needs at least one replica to fail over to (set cache.replicas to 1 or more)',
    );
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    expect(recorder.resources.map((resource) => resource.type)).toEqual(['pulumi:providers:aws']);
  });
});
