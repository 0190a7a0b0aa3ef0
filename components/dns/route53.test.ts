// Route53 under the recording mocks: the zone looked up or created, the API and dashboard on the
// home origin, a latency record with its own health check per edge region, and ACM certificates
// per region validated by records written once.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { RecordedResource } from '../../test/harness/pulumi/index.ts';
import { recordProgram } from '../cluster/testing.ts';
import { Route53Records } from './route53.ts';
import { AcmCertificates } from './route53-certificate.ts';
import { Route53Zone } from './route53-zone.ts';

const regions = ['us-east-1', 'eu-west-1'];

function program(create: boolean) {
  return () => {
    const providers = regions.map(
      (region) => new aws.Provider(`aws-${region}`, { region: region as aws.Region }),
    );
    const home = providers[0] as aws.Provider;
    const zone = new Route53Zone('zone', {
      provider: home,
      zone: 'example.com',
      create,
      protect: true,
      tags: {},
    });
    const certificates = new AcmCertificates('certificates', {
      dnsProvider: home,
      zoneId: zone.zoneId,
      homeNames: ['cdn.example.com', 'api.cdn.example.com', 'dashboard.cdn.example.com'],
      regions: regions.map((region, index) => ({
        region,
        provider: providers[index] as aws.Provider,
      })),
      tags: {},
    });
    new Route53Records('records', {
      provider: home,
      zoneId: zone.zoneId,
      edgeHostname: 'cdn.example.com',
      apiHostname: 'api.cdn.example.com',
      dashboardHostname: 'dashboard.cdn.example.com',
      originAddress: pulumi.output('origin.elb.mock'),
      edges: regions.map((region) => ({ region, address: pulumi.output(`${region}.elb.mock`) })),
      tags: {},
    });
    return { zone, certificates };
  };
}

const ofType = (resources: RecordedResource[], type: string) =>
  resources.filter((resource) => resource.type === type);

describe('Route53', () => {
  it('uses the existing zone by name, without creating one', async () => {
    const { resources } = await recordProgram(program(false));
    expect(ofType(resources, 'aws:route53/zone:Zone')).toEqual([]);
    const records = ofType(resources, 'aws:route53/record:Record');
    expect(new Set(records.map((record) => record.inputs.zoneId))).toEqual(
      new Set(['example.com-existing-zone-id']),
    );
  });

  it('creates a protected zone when asked', async () => {
    const { resources, result } = await recordProgram(program(true));
    const [zone] = ofType(resources, 'aws:route53/zone:Zone');
    expect(zone?.inputs.name).toBe('example.com');
    expect(zone?.protect).toBe(true);
    expect(result.zone.nameServers).toBeDefined();
  });

  it('routes the edge hostname by latency, one health-checked record per region', async () => {
    const { resources } = await recordProgram(program(false));
    const edges = ofType(resources, 'aws:route53/record:Record')
      .filter((record) => record.inputs.name === 'cdn.example.com')
      .sort(
        (a, b) =>
          regions.indexOf(String(a.inputs.setIdentifier)) -
          regions.indexOf(String(b.inputs.setIdentifier)),
      );
    expect(edges.map((record) => record.inputs)).toEqual(
      regions.map((region) =>
        expect.objectContaining({
          type: 'CNAME',
          setIdentifier: region,
          latencyRoutingPolicies: [{ region }],
          records: [`${region}.elb.mock`],
          healthCheckId: `records-edge-${region}-id`,
        }),
      ),
    );
    const checks = ofType(resources, 'aws:route53/healthCheck:HealthCheck');
    expect(checks.map((check) => check.inputs.fqdn).sort()).toEqual(
      regions.map((region) => `${region}.elb.mock`).sort(),
    );
    for (const check of checks) expect(check.inputs).toMatchObject({ type: 'TCP', port: 443 });
    const api = ofType(resources, 'aws:route53/record:Record').filter((record) =>
      ['api.cdn.example.com', 'dashboard.cdn.example.com'].includes(String(record.inputs.name)),
    );
    expect(api.map((record) => record.inputs.records)).toEqual([
      ['origin.elb.mock'],
      ['origin.elb.mock'],
    ]);
  });

  it('issues a certificate per region, the home one for every name, validated by shared records', async () => {
    const { resources } = await recordProgram(program(false));
    // Recorded order is not stable: put each list in region order by its provider.
    const regionOrder = (list: RecordedResource[]) =>
      regions.map((region) => {
        const found = list.find((resource) => resource.provider?.includes(`aws-${region}`));
        if (!found) throw new Error(`nothing in ${region}`);
        return found;
      });
    const certificates = regionOrder(ofType(resources, 'aws:acm/certificate:Certificate'));
    expect(certificates.map((certificate) => certificate.inputs)).toEqual([
      expect.objectContaining({
        domainName: 'cdn.example.com',
        subjectAlternativeNames: ['api.cdn.example.com', 'dashboard.cdn.example.com'],
        validationMethod: 'DNS',
      }),
      expect.objectContaining({ domainName: 'cdn.example.com', subjectAlternativeNames: [] }),
    ]);
    const validationRecords = ofType(resources, 'aws:route53/record:Record').filter((record) =>
      String(record.inputs.name).startsWith('_mock-validation.'),
    );
    expect(validationRecords).toHaveLength(3);
    const validations = regionOrder(
      ofType(resources, 'aws:acm/certificateValidation:CertificateValidation'),
    );
    expect(validations.map((validation) => validation.inputs.validationRecordFqdns)).toEqual([
      [
        '_mock-validation.cdn.example.com.',
        '_mock-validation.api.cdn.example.com.',
        '_mock-validation.dashboard.cdn.example.com.',
      ],
      ['_mock-validation.cdn.example.com.'],
    ]);
    // Each validation waits on its own region's certificate.
    for (const [index, validation] of validations.entries()) {
      expect(validation.inputs.certificateArn).toBe(
        `arn:aws:acm:mock-region:123456789012:certificates-${regions[index]}`,
      );
    }
  });
});
