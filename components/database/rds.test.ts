// RdsPostgres under the recording mocks: private and encrypted always, TLS forced by parameters,
// backups for point-in-time recovery, Multi-AZ and protection only when asked (prod), and the
// generated password only ever secret.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type RecordedResource, secretLeaks } from '../../test/harness/pulumi/index.ts';
import { outputValue, recordProgram } from '../cluster/testing.ts';
import { RdsPostgres, type RdsPostgresArgs } from './rds.ts';
import { postgresUrl } from './types.ts';

const prod = { multiAz: true, deletionProtection: true, protect: true, backupRetentionDays: 14 };
const dev = { multiAz: false, deletionProtection: false, protect: false, backupRetentionDays: 1 };

function program(settings: Pick<RdsPostgresArgs, keyof typeof prod | 'caBundle'>) {
  return () => {
    const provider = new aws.Provider('aws-us-east-1', { region: 'us-east-1' });
    return new RdsPostgres('database', {
      provider,
      vpcId: pulumi.output('vpc-id'),
      allowedCidrs: ['10.0.0.0/16'],
      subnetIds: [pulumi.output('private-0'), pulumi.output('private-1')],
      version: '17',
      size: 'large',
      storageGb: 200,
      tags: {},
      ...settings,
    });
  };
}

const only = (resources: RecordedResource[], type: string) => {
  const found = resources.filter((resource) => resource.type === type);
  expect(found).toHaveLength(1);
  return found[0] as RecordedResource;
};

describe('RdsPostgres', () => {
  it('is private, encrypted, backed up, observed and forced to TLS', async () => {
    const { resources } = await recordProgram(program(dev));
    const instance = only(resources, 'aws:rds/instance:Instance');
    expect(instance.inputs).toMatchObject({
      engine: 'postgres',
      engineVersion: '17',
      instanceClass: 'db.m7g.xlarge',
      publiclyAccessible: false,
      storageEncrypted: true,
      backupRetentionPeriod: 1,
      performanceInsightsEnabled: true,
      dbSubnetGroupName: 'database-group',
      parameterGroupName: 'database-group',
    });
    expect(only(resources, 'aws:rds/subnetGroup:SubnetGroup').inputs.subnetIds).toEqual([
      'private-0',
      'private-1',
    ]);
    expect(only(resources, 'aws:rds/parameterGroup:ParameterGroup').inputs).toMatchObject({
      family: 'postgres17',
      parameters: expect.arrayContaining([{ name: 'rds.force_ssl', value: '1' }]),
    });
    expect(only(resources, 'aws:ec2/securityGroup:SecurityGroup').inputs.ingress).toEqual([
      expect.objectContaining({ fromPort: 5432, toPort: 5432, cidrBlocks: ['10.0.0.0/16'] }),
    ]);
  });

  it('in prod: Multi-AZ, deletion protection, Pulumi protect and a final snapshot', async () => {
    const { resources } = await recordProgram(program(prod));
    const instance = only(resources, 'aws:rds/instance:Instance');
    expect(instance.inputs).toMatchObject({
      multiAz: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: 'database-final',
      backupRetentionPeriod: 14,
    });
    expect(instance.protect).toBe(true);
  });

  it('outside prod: no protection, nothing kept on delete', async () => {
    const { resources } = await recordProgram(program(dev));
    const instance = only(resources, 'aws:rds/instance:Instance');
    expect(instance.inputs).toMatchObject({
      multiAz: false,
      deletionProtection: false,
      skipFinalSnapshot: true,
    });
    expect(instance.protect).toBe(false);
  });

  it('keeps the generated password secret, into DATABASE_URL with sslmode=require', async () => {
    const { resources, result } = await recordProgram(program(prod));
    const password = 'mock-password-database-password';
    expect(only(resources, 'aws:rds/instance:Instance').secretInputPaths).toContain('password');
    expect(secretLeaks({ resources, outputs: {}, secretOutputs: [] }, [password])).toEqual([]);
    const url = postgresUrl(result);
    expect(await pulumi.isSecret(url)).toBe(true);
    expect(await outputValue(url)).toBe(
      `postgres://edgeplane:${password}@database.rds.mock:5432/edgeplane?sslmode=require`,
    );
  });

  it('with a CA bundle from the stack: verify-full, and the bundle is the endpoint CA', async () => {
    const bundle = '-----BEGIN CERTIFICATE-----\nMIIrdsbundle\n-----END CERTIFICATE-----';
    const { result } = await recordProgram(program({ ...prod, caBundle: bundle }));
    expect(result.sslMode).toBe('verify-full');
    expect(await outputValue(result.caCertificate as pulumi.Output<string>)).toBe(bundle);
    expect(await outputValue(postgresUrl(result))).toMatch(/\?sslmode=verify-full$/);
  });

  it('without one: require, and no CA', async () => {
    const { result } = await recordProgram(program(dev));
    expect(result.sslMode).toBe('require');
    expect(result.caCertificate).toBeUndefined();
  });
});
