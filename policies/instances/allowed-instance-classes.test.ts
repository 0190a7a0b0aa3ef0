import { aws, gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { allowedInstanceClasses } from './allowed-instance-classes.ts';
import { matchesAny } from './approved-classes.ts';

const awsEnv = (environment: string) => ({ tags: { 'edgeplane:environment': environment } });
const gcpEnv = (environment: string) => ({ labels: { environment } });
const check = (type: string, props: Record<string, unknown>, config?: Record<string, unknown>) =>
  verdicts(allowedInstanceClasses, resourceOf(type, props), config);

describe('matchesAny', () => {
  it('treats * as any characters and everything else literally', () => {
    expect(matchesAny('db.m7g.xlarge', ['db.m7g.*'])).toBe(true);
    expect(matchesAny('db.m7gXxlarge', ['db.m7g.*'])).toBe(false);
    expect(matchesAny('n2-standard-4', ['e2-*', 'n2-*'])).toBe(true);
    expect(matchesAny('n2d-standard-4', ['n2-*'])).toBe(false);
  });
});

describe('allowed-instance-classes', () => {
  it("passes edgeplane's sizes in their environments", async () => {
    expect(
      await check(aws.rdsInstance, { instanceClass: 'db.t4g.medium', ...awsEnv('dev') }),
    ).toEqual([]);
    expect(
      await check(aws.rdsInstance, { instanceClass: 'db.m7g.2xlarge', ...awsEnv('prod') }),
    ).toEqual([]);
    expect(
      await check(aws.elasticacheReplicationGroup, {
        nodeType: 'cache.m7g.large',
        ...awsEnv('prod'),
      }),
    ).toEqual([]);
    expect(
      await check(aws.eksNodeGroup, { instanceTypes: ['t3.large'], ...awsEnv('dev') }),
    ).toEqual([]);
    expect(
      await check(aws.eksNodeGroup, { instanceTypes: ['m7i.large'], ...awsEnv('staging') }),
    ).toEqual([]);
    expect(
      await check(gcp.gkeNodePool, {
        nodeConfig: { machineType: 'n2-standard-4', resourceLabels: { environment: 'prod' } },
      }),
    ).toEqual([]);
    expect(
      await check(gcp.sqlInstance, {
        settings: { tier: 'db-custom-2-7680', userLabels: { environment: 'staging' } },
      }),
    ).toEqual([]);
    expect(
      await check(gcp.redisInstance, { tier: 'STANDARD_HA', memorySizeGb: 26, ...gcpEnv('prod') }),
    ).toEqual([]);
    expect(await check(gcp.redisInstance, { memorySizeGb: 1, ...gcpEnv('dev') })).toEqual([]);
  });

  it('fails classes outside the environment list, naming the allowed ones and the config key', async () => {
    const [message] = await check(aws.rdsInstance, {
      instanceClass: 'db.r7g.16xlarge',
      ...awsEnv('dev'),
    });
    expect(message).toMatch(
      /^mandatory: RDS instanceClass db\.r7g\.16xlarge is not approved for dev: use one of db\.t4g\.micro, .*, or add it to this policy's config dev\.rdsInstanceClasses\.$/,
    );
    // Burstable classes are not for prod.
    expect(
      await check(aws.rdsInstance, { instanceClass: 'db.t4g.large', ...awsEnv('prod') }),
    ).toHaveLength(1);
    expect(
      await check(aws.eksNodeGroup, {
        instanceTypes: ['m7i.large', 'p5.48xlarge'],
        ...awsEnv('staging'),
      }),
    ).toEqual([
      expect.stringContaining('EKS node instance type p5.48xlarge is not approved for staging'),
    ]);
    expect(
      await check(aws.launchTemplate, { instanceType: 't3.micro', ...awsEnv('prod') }),
    ).toHaveLength(1);
    expect(
      await check(gcp.gkeCluster, {
        nodeConfig: { machineType: 'a3-highgpu-8g' },
        resourceLabels: { environment: 'dev' },
      }),
    ).toHaveLength(1);
    expect(
      await check(gcp.sqlInstance, {
        settings: { tier: 'db-f1-micro', userLabels: { environment: 'prod' } },
      }),
    ).toHaveLength(1);
    expect(
      await check(gcp.redisInstance, { tier: 'BASIC', memorySizeGb: 1, ...gcpEnv('prod') }),
    ).toEqual([expect.stringContaining('Memorystore tier BASIC is not approved for prod')]);
    expect(
      await check(gcp.redisInstance, { tier: 'BASIC', memorySizeGb: 20, ...gcpEnv('dev') }),
    ).toEqual([expect.stringContaining('memorySizeGb 20 is above 5 GB')]);
  });

  it('takes approved lists from config, keeping the defaults of keys it leaves out', async () => {
    const config = { dev: { rdsInstanceClasses: ['db.r7g.*'] } };
    expect(
      await check(aws.rdsInstance, { instanceClass: 'db.r7g.large', ...awsEnv('dev') }, config),
    ).toEqual([]);
    expect(
      await check(aws.rdsInstance, { instanceClass: 'db.t4g.small', ...awsEnv('dev') }, config),
    ).toHaveLength(1);
    expect(
      await check(
        aws.elasticacheReplicationGroup,
        { nodeType: 'cache.t4g.small', ...awsEnv('dev') },
        config,
      ),
    ).toEqual([]);
    // An explicit environment in config wins over the resource's tags.
    expect(
      await check(
        aws.rdsInstance,
        { instanceClass: 'db.m7g.8xlarge', ...awsEnv('prod') },
        { environment: 'dev' },
      ),
    ).toHaveLength(1);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(
      await check(aws.rdsInstance, { instanceClass: unknownDuringPreview, ...awsEnv('dev') }),
    ).toEqual([]);
    expect(await check(aws.eksNodeGroup, { instanceTypes: unknownDuringPreview })).toEqual([]);
    expect(
      await check(aws.eksNodeGroup, { instanceTypes: [unknownDuringPreview], ...awsEnv('dev') }),
    ).toEqual([]);
    expect(
      await check(gcp.redisInstance, {
        tier: unknownDuringPreview,
        memorySizeGb: unknownDuringPreview,
        ...gcpEnv('dev'),
      }),
    ).toEqual([]);
  });
});
