// The k3s component under the recording mocks: what it runs on which host, in which order, that
// the token, SSH key and kubeconfig stay secret, and that the provider it hands out is explicit.
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import type { K3sSettings } from '../../stacks/config.ts';
import { type RecordedResource, secretLeaks } from '../../test/harness/pulumi/index.ts';
import { mockK3sKubeconfig } from '../../test/harness/pulumi/mock-state.ts';
import { hostSlug, K3sCluster } from './k3s.ts';
import { outputValue, recordProgram } from './testing.ts';

const sshKey =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nk3s-test-ssh-key-0000\n-----END OPENSSH PRIVATE KEY-----';
const tokenValue = 'mock-password-k3s-token';

const installSettings = (): K3sSettings => ({
  mode: 'install',
  server: 'k3s-1.example.com',
  agents: ['k3s-2.example.com', '192.0.2.12'],
  user: 'ubuntu',
  sshPort: 2222,
  version: 'v1.34.1+k3s1',
  sshPrivateKey: pulumi.secret(sshKey),
});

function byName(resources: readonly RecordedResource[], name: string): RecordedResource {
  const found = resources.find((resource) => resource.name === name);
  if (!found)
    throw new Error(`no resource ${name} among ${resources.map((r) => r.name).join(', ')}`);
  return found;
}

describe('K3sCluster, install mode', () => {
  let resources: RecordedResource[];
  let cluster: K3sCluster;

  beforeAll(async () => {
    const recorded = await recordProgram(
      () =>
        new K3sCluster('k3s', {
          region: 'home-lab',
          k3s: installSettings(),
          clusterName: 'edgeplane-dev',
        }),
    );
    resources = recorded.resources;
    cluster = recorded.result;
  });

  it('registers a token, a config and an install per host, one kubeconfig read and the provider', () => {
    expect(resources.map((resource) => `${resource.type}::${resource.name}`).sort()).toEqual([
      'command:remote:Command::k3s-agent-192.0.2.12-config',
      'command:remote:Command::k3s-agent-192.0.2.12-install',
      'command:remote:Command::k3s-agent-192.0.2.12-uninstall',
      'command:remote:Command::k3s-agent-k3s-2.example.com-config',
      'command:remote:Command::k3s-agent-k3s-2.example.com-install',
      'command:remote:Command::k3s-agent-k3s-2.example.com-uninstall',
      'command:remote:Command::k3s-kubeconfig',
      'command:remote:Command::k3s-server-k3s-1.example.com-config',
      'command:remote:Command::k3s-server-k3s-1.example.com-install',
      'command:remote:Command::k3s-server-k3s-1.example.com-uninstall',
      'edgeplane:cluster:K3s::k3s',
      'pulumi:providers:kubernetes::k3s-k8s',
      'random:index/randomPassword:RandomPassword::k3s-token',
    ]);
    const component = byName(resources, 'k3s');
    for (const resource of resources.filter((r) => r !== component)) {
      expect({ name: resource.name, parent: resource.parent }).toEqual({
        name: resource.name,
        parent: component.urn,
      });
    }
  });

  it('reaches each host over SSH as the configured user and port', () => {
    const hosts = resources
      .filter((resource) => resource.name.endsWith('-install'))
      .map((resource) => resource.inputs.connection)
      .map((connection) => {
        const { host, user, port } = connection as Record<string, unknown>;
        return { host, user, port };
      });
    expect(hosts).toEqual(
      expect.arrayContaining([
        { host: 'k3s-1.example.com', user: 'ubuntu', port: 2222 },
        { host: 'k3s-2.example.com', user: 'ubuntu', port: 2222 },
        { host: '192.0.2.12', user: 'ubuntu', port: 2222 },
      ]),
    );
  });

  it('installs the pinned version, server first, agents joining it with the generated token', () => {
    const server = byName(resources, 'k3s-server-k3s-1.example.com-install');
    expect(server.inputs.create).toContain(
      "INSTALL_K3S_VERSION='v1.34.1+k3s1' INSTALL_K3S_EXEC=server",
    );
    expect(server.dependencies).toContain(
      byName(resources, 'k3s-server-k3s-1.example.com-config').urn,
    );
    const agent = byName(resources, 'k3s-agent-192.0.2.12-install');
    expect(agent.inputs.create).toContain('INSTALL_K3S_EXEC=agent');
    expect(agent.dependencies).toEqual(
      expect.arrayContaining([server.urn, byName(resources, 'k3s-agent-192.0.2.12-config').urn]),
    );
    expect(parse(byName(resources, 'k3s-agent-192.0.2.12-config').inputs.stdin as string)).toEqual({
      token: tokenValue,
      server: 'https://k3s-1.example.com:6443',
    });
    expect(
      parse(byName(resources, 'k3s-server-k3s-1.example.com-config').inputs.stdin as string),
    ).toMatchObject({
      token: tokenValue,
      'tls-san': ['k3s-1.example.com'],
    });
  });

  it('never wipes a host on replacement: only uninstallers delete, after everything on the cluster', () => {
    const commands = resources.filter((resource) => resource.type === 'command:remote:Command');
    const deleting = commands.filter((resource) => resource.inputs.delete !== undefined);
    expect(deleting.map((resource) => resource.name).sort()).toEqual([
      'k3s-agent-192.0.2.12-uninstall',
      'k3s-agent-k3s-2.example.com-uninstall',
      'k3s-server-k3s-1.example.com-uninstall',
    ]);
    const serverUninstall = byName(resources, 'k3s-server-k3s-1.example.com-uninstall');
    expect(serverUninstall.inputs).toMatchObject({
      create: 'true',
      delete: expect.stringContaining('sudo /usr/local/bin/k3s-uninstall.sh'),
    });
    expect(serverUninstall.dependencies).toContain(
      byName(resources, 'k3s-server-k3s-1.example.com-install').urn,
    );
    expect(byName(resources, 'k3s-agent-192.0.2.12-uninstall').inputs.delete).toContain(
      'k3s-agent-uninstall.sh',
    );
    // No version trigger on an install: a new version updates it in place (the script upgrades).
    for (const resource of commands.filter((r) => r.name.endsWith('-install'))) {
      expect(resource.inputs.triggers).toBeUndefined();
    }
    // The provider reads the kubeconfig only after every host is set up; destroy runs backwards.
    expect(byName(resources, 'k3s-kubeconfig').dependencies).toEqual(
      expect.arrayContaining(deleting.map((resource) => resource.urn)),
    );
  });

  it('keeps the token, the SSH key and the kubeconfig secret everywhere', async () => {
    for (const resource of resources.filter((r) => r.type === 'command:remote:Command')) {
      expect({ name: resource.name, secret: resource.secretInputPaths }).toEqual({
        name: resource.name,
        secret: expect.arrayContaining(['connection']),
      });
      expect(String(resource.inputs.create)).not.toContain(tokenValue);
    }
    for (const name of [
      'k3s-server-k3s-1.example.com-config',
      'k3s-agent-k3s-2.example.com-config',
    ]) {
      expect(byName(resources, name).secretInputPaths).toContain('stdin');
      expect(byName(resources, name).inputs.logging).toBe('none');
    }
    expect(byName(resources, 'k3s-kubeconfig').inputs.logging).toBe('none');
    expect(byName(resources, 'k3s-k8s').secretInputPaths).toContain('kubeconfig');
    const leaks = secretLeaks({ resources, outputs: {}, secretOutputs: [] }, [
      tokenValue,
      'k3s-test-ssh-key-0000',
      'bW9jay1rM3Mta2V5LXNlY3JldA==',
    ]);
    expect(leaks).toEqual([]);
    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
  });

  it('hands out the kubeconfig pointed at the server, and the k3s storage and ingress classes', async () => {
    const kubeconfig = parse(await outputValue(cluster.kubeconfig));
    expect(kubeconfig.clusters[0].cluster.server).toBe('https://k3s-1.example.com:6443');
    expect(kubeconfig['current-context']).toBe('edgeplane-dev');
    const provider = byName(resources, 'k3s-k8s');
    expect(provider.inputs.kubeconfig).toBe(await outputValue(cluster.kubeconfig));
    // Provider config reaches the engine as strings.
    expect(String(provider.inputs.enableServerSideApply)).toBe('true');
    expect(cluster.storageClassName).toBe('local-path');
    expect(cluster.ingressClassName).toBe('traefik');
    expect(cluster.region).toBe('home-lab');
    expect(await outputValue(cluster.name)).toBe('edgeplane-dev');
    expect(cluster.nodeHosts).toEqual(['k3s-1.example.com', 'k3s-2.example.com', '192.0.2.12']);
  });
});

describe('K3sCluster, existing mode', () => {
  it('builds the provider from the given kubeconfig and installs nothing', async () => {
    const { resources, result } = await recordProgram(
      () =>
        new K3sCluster('k3s', {
          region: 'home-lab',
          k3s: {
            mode: 'existing',
            agents: [],
            user: 'root',
            sshPort: 22,
            version: 'v1.34.1+k3s1',
            kubeconfig: pulumi.secret(mockK3sKubeconfig),
          },
        }),
    );
    expect(resources.map((resource) => resource.type).sort()).toEqual([
      'edgeplane:cluster:K3s',
      'pulumi:providers:kubernetes',
    ]);
    const provider = resources.find((resource) => resource.type === 'pulumi:providers:kubernetes');
    expect(provider?.secretInputPaths).toContain('kubeconfig');
    expect(provider?.inputs.kubeconfig).toBe(mockK3sKubeconfig);
    expect(await pulumi.isSecret(result.kubeconfig)).toBe(true);
    expect(await outputValue(result.name)).toBe('k3s');
    expect(result.nodeHosts).toEqual([]);
  });

  it('fails before registering anything when the mode lacks its secret', async () => {
    await expect(
      recordProgram(
        () =>
          new K3sCluster('k3s', {
            region: 'home-lab',
            k3s: { ...installSettings(), sshPrivateKey: undefined },
          }),
      ),
    ).rejects.toThrow('k3s: k3s.mode install needs k3s.server and the k3sSshPrivateKey secret');
  });
});

describe('hostSlug', () => {
  it('keeps names and IPv4 addresses, and makes IPv6 addresses safe in a resource name', () => {
    expect(hostSlug('K3s-1.Example.com')).toBe('k3s-1.example.com');
    expect(hostSlug('192.0.2.10')).toBe('192.0.2.10');
    expect(hostSlug('2001:db8::1')).toBe('2001-db8--1');
  });
});
