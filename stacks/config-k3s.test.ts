// The k3s settings: both modes parse into typed settings with their secret, and every bad value
// fails before anything is created, naming the key and showing a valid example.
import * as pulumi from '@pulumi/pulumi';
import { exampleStackWith } from '../test/harness/pulumi/config-source.ts';
import { placeholderSecrets } from '../test/harness/pulumi/placeholder-secrets.ts';
import { type ConfigSource, loadStackConfig, StackConfigError } from './config.ts';

const existingK3s = { mode: 'existing' };

/** k3s-dev with changes; `undefined` removes a key, objects replace the structured value. */
function k3sDev(
  changes: Record<string, unknown> = {},
  secrets: Record<string, string> = placeholderSecrets,
  plainKeys: readonly string[] = [],
): ConfigSource {
  return exampleStackWith('k3s-dev', changes, { secrets, plainKeys });
}

function without(key: string): Record<string, string> {
  const { [key]: _removed, ...rest } = placeholderSecrets;
  return rest;
}

function errorOf(source: ConfigSource): StackConfigError {
  try {
    loadStackConfig(source);
  } catch (error) {
    if (error instanceof StackConfigError) return error;
    throw error;
  }
  throw new Error('expected a StackConfigError');
}

async function resolved(output: pulumi.Output<string> | undefined): Promise<string | undefined> {
  if (!output) return undefined;
  return new Promise((resolve) => output.apply(resolve));
}

describe('k3s settings', () => {
  it('k3s-dev installs k3s over SSH with the key as a secret Output', async () => {
    const config = loadStackConfig(k3sDev());
    expect(config.k3s).toMatchObject({
      mode: 'install',
      server: 'k3s-1.dev.example.com',
      agents: ['k3s-2.dev.example.com'],
      user: 'ubuntu',
      sshPort: 22,
      version: 'v1.34.1+k3s1',
    });
    expect(config.k3s?.kubeconfig).toBeUndefined();
    const key = config.k3s?.sshPrivateKey as pulumi.Output<string>;
    expect(await pulumi.isSecret(key)).toBe(true);
    expect(await resolved(key)).toBe(placeholderSecrets['edgeplane:k3sSshPrivateKey']);
  });

  it('existing mode hands over the kubeconfig as a secret Output, with SSH defaults unused', async () => {
    const config = loadStackConfig(
      k3sDev({ k3s: existingK3s }, without('edgeplane:k3sSshPrivateKey')),
    );
    expect(config.k3s).toMatchObject({ mode: 'existing', agents: [], user: 'root' });
    expect(config.k3s?.sshPrivateKey).toBeUndefined();
    const kubeconfig = config.k3s?.kubeconfig as pulumi.Output<string>;
    expect(await pulumi.isSecret(kubeconfig)).toBe(true);
    expect(await resolved(kubeconfig)).toContain('kind: Config');
  });

  it('takes DNS names, short names, IPv4 and IPv6 addresses as hosts', () => {
    const config = loadStackConfig(
      k3sDev({
        k3s: {
          mode: 'install',
          server: '2001:db8::10',
          agents: ['k3s-2', '192.0.2.12', 'k3s-4.lab.example.com'],
        },
      }),
    );
    expect(config.k3s?.server).toBe('2001:db8::10');
    expect(config.k3s?.agents).toEqual(['k3s-2', '192.0.2.12', 'k3s-4.lab.example.com']);
  });

  it('other clouds have no k3s settings', () => {
    const config = loadStackConfig(exampleStackWith('aws-prod'));
    expect(config.k3s).toBeUndefined();
  });
});

const install = {
  mode: 'install',
  server: 'k3s-1.dev.example.com',
  agents: ['k3s-2.dev.example.com'],
};

const badK3s: {
  name: string;
  change: Record<string, unknown>;
  secrets?: Record<string, string>;
  key: string;
  says: string;
}[] = [
  {
    name: 'no k3s settings on k3s',
    change: { k3s: undefined },
    key: 'k3s',
    says: 'is required when cloud is k3s',
  },
  {
    name: 'k3s settings on another cloud',
    change: {
      cloud: 'aws',
      regions: ['us-east-1'],
      dns: { provider: 'route53', zone: 'example.com' },
    },
    key: 'k3s',
    says: 'only used when cloud is k3s',
  },
  {
    name: 'unknown mode',
    change: { k3s: { mode: 'ssh' } },
    key: 'k3s.mode',
    says: 'existing, install',
  },
  {
    name: 'install without a server',
    change: { k3s: { mode: 'install', agents: ['k3s-2.example.com'] } },
    key: 'k3s.server',
    says: 'is required when k3s.mode is install',
  },
  {
    name: 'existing with hosts',
    change: { k3s: { mode: 'existing', server: 'k3s-1.example.com' } },
    secrets: without('edgeplane:k3sSshPrivateKey'),
    key: 'k3s.server',
    says: 'only used when k3s.mode is install',
  },
  {
    name: 'server that is a URL',
    change: { k3s: { ...install, server: 'https://k3s-1.example.com:6443' } },
    key: 'k3s.server',
    says: 'host name or IP address',
  },
  {
    name: 'agent that is no host',
    change: { k3s: { ...install, agents: ['k3s 2'] } },
    key: 'k3s.agents.0',
    says: 'host name or IP address',
  },
  {
    name: 'agent with a port',
    change: { k3s: { ...install, agents: ['k3s-2.example.com:22'] } },
    key: 'k3s.agents.0',
    says: 'host name or IP address',
  },
  {
    name: 'agents not a list',
    change: { k3s: { ...install, agents: 'k3s-2.example.com' } },
    key: 'k3s.agents',
    says: 'list of agent hosts',
  },
  {
    name: 'server listed as an agent',
    change: { k3s: { ...install, agents: ['k3s-1.dev.example.com'] } },
    key: 'k3s.agents',
    says: 'must not name a host twice',
  },
  {
    name: 'version without the k3s suffix',
    change: { k3s: { ...install, version: '1.34.1' } },
    key: 'k3s.version',
    says: 'k3s release such as v1.34.1+k3s1',
  },
  {
    name: 'version of another minor than cluster.version',
    change: { k3s: { ...install, version: 'v1.33.5+k3s1' } },
    key: 'k3s.version',
    says: 'must be a 1.34 release to match cluster.version',
  },
  {
    name: 'user with a space',
    change: { k3s: { ...install, user: 'ops team' } },
    key: 'k3s.user',
    says: 'Unix user name',
  },
  {
    name: 'SSH port out of range',
    change: { k3s: { ...install, sshPort: 70000 } },
    key: 'k3s.sshPort',
    says: 'from 1 to 65535',
  },
  {
    name: 'misspelled key',
    change: { k3s: { ...install, agent: ['k3s-2.example.com'] } },
    key: 'k3s.agent',
    says: 'did you mean agents?',
  },
  {
    name: 'install without the SSH key',
    change: {},
    secrets: without('edgeplane:k3sSshPrivateKey'),
    key: 'k3sSshPrivateKey',
    says: 'is required when k3s.mode is install',
  },
  {
    name: 'existing without the kubeconfig',
    change: { k3s: existingK3s },
    secrets: without('edgeplane:k3sKubeconfig'),
    key: 'k3sKubeconfig',
    says: 'is required when k3s.mode is existing',
  },
];

describe('bad k3s config', () => {
  it.each(badK3s)('$name: names $key with a valid example', ({ change, secrets, key, says }) => {
    const error = errorOf(k3sDev(change, secrets));
    const lines = error.message.split('\n');
    const index = lines.findIndex((text) => text.startsWith(`  edgeplane:${key}: `));
    expect(lines[index]).toContain(says);
    expect(lines[index + 1]).toMatch(/^ {6}valid example: pulumi config set /);
    expect(error.message).toContain('nothing was created');
  });

  it('shows how to set each k3s key', () => {
    const error = errorOf(k3sDev({ k3s: { mode: 'install', user: 'Ops', sshPort: 0 } }));
    expect(error.message).toContain("pulumi config set --path 'k3s.server' k3s-1.example.com");
    expect(error.message).toContain("pulumi config set --path 'k3s.user' ubuntu");
    expect(error.message).toContain("pulumi config set --path 'k3s.sshPort' 22");
  });

  it('refuses a kubeconfig that is not one, without echoing it', () => {
    const leaked = 'token: not-a-kubeconfig-but-secret-123';
    const error = errorOf(
      k3sDev({ k3s: existingK3s }, { ...placeholderSecrets, 'edgeplane:k3sKubeconfig': leaked }),
    );
    expect(error.message).toContain('edgeplane:k3sKubeconfig: must be a kubeconfig file');
    expect(error.message).not.toContain('not-a-kubeconfig-but-secret-123');
  });

  it('refuses an SSH key that is not one, without echoing it', () => {
    const leaked = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIpublic-key-not-private';
    const error = errorOf(
      k3sDev({}, { ...placeholderSecrets, 'edgeplane:k3sSshPrivateKey': leaked }),
    );
    expect(error.message).toContain('edgeplane:k3sSshPrivateKey: must be an SSH private key');
    expect(error.message).not.toContain('public-key-not-private');
  });

  it('refuses an SSH key stored in plain text, without showing it', () => {
    const error = errorOf(k3sDev({}, placeholderSecrets, ['edgeplane:k3sSshPrivateKey']));
    expect(error.message).toContain('edgeplane:k3sSshPrivateKey: must be stored as a secret');
    expect(error.message).not.toContain('k3s-ssh-placeholder-key');
  });
});
