// The recorder sees what a real engine would: parents, explicit providers, secret inputs; and the
// leak check catches a secret copied into a plain input.
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { ResourceRecorder } from './resource-recorder.ts';
import { secretLeaks } from './secret-leaks.ts';

const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };

async function record(program: () => void): Promise<ResourceRecorder> {
  const recorder = new ResourceRecorder();
  await pulumi.runtime.setMocks(recorder.mocks, 'edgeplane', 'recorder-test', false);
  recorder.attach();
  program();
  await runtime.waitForRPCs();
  return recorder;
}

describe('ResourceRecorder', () => {
  it('records type, name, parent, explicit provider and secret input paths', async () => {
    const recorder = await record(() => {
      const component = new pulumi.ComponentResource('edgeplane:test:Parent', 'parent');
      const provider = new random.Provider('explicit', {}, { parent: component });
      new random.RandomPassword('with-provider', { length: 24 }, { parent: component, provider });
      new random.RandomString('on-default', {
        length: 8,
        keepers: { token: pulumi.secret('s3cret-value') },
      });
    });
    const byName = Object.fromEntries(
      recorder.resources.map((resource) => [resource.name, resource]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'explicit',
      'on-default',
      'parent',
      'with-provider',
    ]);

    const parent = byName.parent;
    expect(parent).toMatchObject({
      type: 'edgeplane:test:Parent',
      custom: false,
      parent: undefined,
    });
    expect(byName['with-provider']).toMatchObject({
      type: 'random:index/randomPassword:RandomPassword',
      custom: true,
      parent: parent?.urn,
      inputs: { length: 24 },
    });
    expect(byName['with-provider']?.provider).toMatch(
      /^urn:pulumi:.*pulumi:providers:random::explicit::/,
    );
    expect(byName['on-default']?.provider).toBeUndefined();
    // The SDK marks the whole top-level property that holds a secret.
    expect(byName['on-default']?.secretInputPaths).toEqual(['keepers']);
    expect(byName['with-provider']?.secretInputPaths).toEqual([]);
    expect(byName['on-default']?.inputs).toMatchObject({ keepers: { token: 's3cret-value' } });
  });

  it('keeps outputs of secret inputs secret, as an engine would', async () => {
    let keepers: pulumi.Output<Record<string, string> | undefined> | undefined;
    await record(() => {
      const value = new random.RandomString('s', {
        length: 8,
        keepers: { token: pulumi.secret('x') },
      });
      keepers = value.keepers;
    });
    expect(await pulumi.isSecret(keepers as pulumi.Output<unknown>)).toBe(true);
  });

  it('fails a call with no mock result instead of inventing one', async () => {
    await pulumi.runtime.setMocks(
      new ResourceRecorder().mocks,
      'edgeplane',
      'recorder-test',
      false,
    );
    await expect(pulumi.runtime.invoke('edgeplane:test:unmocked', {})).rejects.toThrow(
      /no mock result for edgeplane:test:unmocked/,
    );
  });
});

describe('secretLeaks', () => {
  it('finds a secret copied into a plain input, and not one kept secret', async () => {
    const secret = 'leaky-secret-000000000000';
    const recorder = await record(() => {
      const token = pulumi.secret(secret);
      new random.RandomString('kept', { length: 8, keepers: { token } });
      new random.RandomString('leaked', {
        length: 8,
        keepers: { copy: pulumi.unsecret(token) },
      });
    });
    const leaks = secretLeaks({ resources: recorder.resources, outputs: {}, secretOutputs: [] }, [
      secret,
    ]);
    expect(leaks.map((leak) => leak.where)).toEqual([
      'random:index/randomString:RandomString::leaked.keepers.copy',
    ]);
  });
});
