import { provider, resource, stackViolationsOf, violationsInPlan } from '../lib/testing.ts';
import { noDefaultProvider } from './no-default-provider.ts';

const password = (on: ReturnType<typeof provider> | undefined) =>
  resource(
    'random:index/randomPassword:RandomPassword',
    { length: 24 },
    { name: 'pw', ...(on ? { provider: on } : {}) },
  );

describe('no-default-provider', () => {
  it('passes resources on explicit providers and components (which have none), and the example stacks', async () => {
    expect(
      await stackViolationsOf(noDefaultProvider, [
        password(provider('random', 'stack-random')),
        resource('edgeplane:stack:K3s', {}),
      ]),
    ).toEqual([]);
    // k3s-dev uses random and command, the two packages handed down by the stack component.
    expect(await violationsInPlan(noDefaultProvider, 'k3s-dev')).toEqual([]);
  });

  it('fails resources on a default provider, as the engine names it', async () => {
    const found = await stackViolationsOf(noDefaultProvider, [
      password(provider('random', 'default_4_21_2')),
      resource('aws:s3/bucket:Bucket', {}, { name: 'logs', provider: provider('aws', 'default') }),
    ]);
    expect(found.map((violation) => [violation.enforcementLevel, violation.message])).toEqual([
      [
        'mandatory',
        expect.stringContaining(
          'random:index/randomPassword:RandomPassword pw is on the default random provider',
        ),
      ],
      [
        'mandatory',
        expect.stringContaining('aws:s3/bucket:Bucket logs is on the default aws provider'),
      ],
    ]);
  });

  it('exempts the packages named in config', async () => {
    const resources = [password(provider('random', 'default_4_21_2'))];
    expect(
      await stackViolationsOf(noDefaultProvider, resources, { exemptPackages: ['random'] }),
    ).toEqual([]);
  });
});
