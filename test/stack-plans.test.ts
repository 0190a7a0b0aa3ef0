// Whole-stack plans of every example stack under the recording mocks.
import * as pulumi from '@pulumi/pulumi';
import {
  exampleStackNames,
  placeholderSecrets,
  planStack,
  ResourceRecorder,
  secretLeaks,
} from './harness/pulumi/index.ts';

const stacks = exampleStackNames();
const secretValues = Object.values(placeholderSecrets);

describe.each(stacks)('plan of %s', (stack) => {
  it('registers the stack component with the stack outputs', async () => {
    const plan = await planStack(stack);
    const top = plan.resources.filter((resource) => resource.type.startsWith('edgeplane:stack:'));
    expect(top).toHaveLength(1);
    expect(top[0]).toMatchObject({ name: stack, custom: false, parent: undefined });
    expect(plan.outputs).toMatchObject({
      domain: expect.any(String),
      homeRegion: expect.any(String),
    });
    expect(plan.outputs.regions).toEqual(expect.arrayContaining([plan.outputs.homeRegion]));
  });

  it('leaves no secret value in a plain input or output', async () => {
    const plan = await planStack(stack);
    expect(secretLeaks(plan, secretValues)).toEqual([]);
  });

  it('registers nothing when the config is bad', async () => {
    const recorder = new ResourceRecorder();
    await expect(
      planStack(stack, { recorder, overrides: { 'edgeplane:environment': 'qa' } }),
    ).rejects.toThrow(/edgeplane:environment: must be one of dev, staging, prod/);
    expect(recorder.resources).toEqual([]);
  });
});

describe('secret config under the Pulumi runtime', () => {
  it('hands secrets to components only as secret Outputs', async () => {
    // Plan first so the mocks and config of k3s-dev are in place, then read the config as the program does.
    await planStack('k3s-dev');
    const { loadStackConfig } = await import('../stacks/config.ts');
    const config = loadStackConfig();
    const secrets = {
      cloudflareApiToken: config.dns.cloudflareApiToken,
      slackWebhookUrl: config.monitoring.slackWebhookUrl,
      pagerdutyRoutingKey: config.monitoring.pagerdutyRoutingKey,
    };
    for (const [key, output] of Object.entries(secrets)) {
      expect(pulumi.Output.isInstance(output)).toBe(true);
      const value = output as pulumi.Output<string>;
      expect(await pulumi.isSecret(value)).toBe(true);
      expect(await new Promise((resolve) => value.apply(resolve))).toBe(
        placeholderSecrets[`edgeplane:${key}`],
      );
    }
    expect(JSON.stringify(config)).not.toContain(
      placeholderSecrets['edgeplane:cloudflareApiToken'],
    );
  });

  it('leaves unset optional secrets undefined', async () => {
    await planStack('k3s-dev', {
      secrets: {
        'edgeplane:cloudflareApiToken': placeholderSecrets[
          'edgeplane:cloudflareApiToken'
        ] as string,
        // k3s-dev installs k3s over SSH: its key is required too.
        'edgeplane:k3sSshPrivateKey': placeholderSecrets['edgeplane:k3sSshPrivateKey'] as string,
      },
    });
    const { loadStackConfig } = await import('../stacks/config.ts');
    const config = loadStackConfig();
    expect(config.monitoring.slackWebhookUrl).toBeUndefined();
    expect(config.monitoring.pagerdutyRoutingKey).toBeUndefined();
  });
});
