import * as pulumi from '@pulumi/pulumi';
import { dns01ForStack } from './dns01.ts';

describe('dns01ForStack', () => {
  it('picks the solver of the stack DNS provider, for the zone', () => {
    expect(
      dns01ForStack({ provider: 'route53', zone: 'example.com' }, { awsRegion: 'us-east-1' }),
    ).toEqual({
      provider: 'route53',
      region: 'us-east-1',
      hostedZoneId: undefined,
      zone: 'example.com',
    });
    expect(
      dns01ForStack({ provider: 'clouddns', zone: 'example.com' }, { gcpProject: 'edge-prod' }),
    ).toEqual({
      provider: 'clouddns',
      project: 'edge-prod',
      zone: 'example.com',
    });
    const token = pulumi.secret('cloudflare-token-0000000000');
    expect(
      dns01ForStack({ provider: 'cloudflare', zone: 'example.com', cloudflareApiToken: token }),
    ).toEqual({
      provider: 'cloudflare',
      apiToken: token,
      zone: 'example.com',
    });
  });

  it('names what a provider is missing', () => {
    expect(() => dns01ForStack({ provider: 'route53', zone: 'example.com' })).toThrow(
      'needs awsRegion',
    );
    expect(() => dns01ForStack({ provider: 'clouddns', zone: 'example.com' })).toThrow(
      'needs gcpProject',
    );
    expect(() => dns01ForStack({ provider: 'cloudflare', zone: 'example.com' })).toThrow(
      'needs the cloudflareApiToken secret',
    );
  });
});
