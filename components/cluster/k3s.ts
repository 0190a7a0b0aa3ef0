// A k3s cluster: either one that already runs (its kubeconfig given as a secret), or k3s installed
// over SSH on one server and N agents. Either way the result is an explicit Kubernetes provider
// built from a secret kubeconfig, for every Kubernetes resource of the stack.
import * as command from '@pulumi/command';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { K3sSettings } from '../../stacks/config.ts';
import {
  agentConfig,
  installCommand,
  type K3sRole,
  readKubeconfigCommand,
  serverConfig,
  uninstallCommand,
  writeConfigCommand,
} from './k3s-install.ts';
import { pointKubeconfigAt } from './kubeconfig.ts';
import type { ClusterOutputs } from './types.ts';

/** A host as it can appear in a Pulumi resource name (an IPv6 address has colons). */
export function hostSlug(host: string): string {
  return host.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
}

export interface K3sClusterArgs {
  /** The stack's region name (the cluster's site, e.g. home-lab). */
  region: string;
  /** `k3s` of the stack config: mode, hosts, SSH user and port, version, and the mode's secret. */
  k3s: K3sSettings;
  /** Cluster, user and context name in the kubeconfig; defaults to the component's name. */
  clusterName?: string;
}

/** k3s ships the local-path provisioner and Traefik. */
export const k3sStorageClassName = 'local-path';
export const k3sIngressClassName = 'traefik';

export class K3sCluster extends pulumi.ComponentResource implements ClusterOutputs {
  public readonly name: pulumi.Output<string>;
  public readonly region: string;
  public readonly provider: k8s.Provider;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly storageClassName = k3sStorageClassName;
  public readonly ingressClassName = k3sIngressClassName;
  /** Hosts k3s was installed on, server first (install mode); empty for an existing cluster. */
  public readonly nodeHosts: string[];

  constructor(name: string, args: K3sClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:cluster:K3s', name, {}, opts);
    const clusterName = args.clusterName ?? name;
    const { k3s } = args;
    this.region = args.region;
    this.name = pulumi.output(clusterName);

    if (k3s.mode === 'existing') {
      if (!k3s.kubeconfig) {
        throw new Error(`${name}: k3s.mode existing needs the k3sKubeconfig secret`);
      }
      this.kubeconfig = pulumi.secret(k3s.kubeconfig);
      this.nodeHosts = [];
    } else {
      if (!k3s.server || !k3s.sshPrivateKey) {
        throw new Error(
          `${name}: k3s.mode install needs k3s.server and the k3sSshPrivateKey secret`,
        );
      }
      this.kubeconfig = this.install(name, k3s, k3s.server, k3s.sshPrivateKey, clusterName);
      this.nodeHosts = [k3s.server, ...k3s.agents];
    }

    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      { parent: this },
    );

    this.registerOutputs({
      name: this.name,
      region: this.region,
      kubeconfig: this.kubeconfig,
      storageClassName: this.storageClassName,
      ingressClassName: this.ingressClassName,
      nodeHosts: this.nodeHosts,
    });
  }

  /** Installs k3s on the server, then the agents, and returns the server's kubeconfig (secret). */
  private install(
    name: string,
    k3s: K3sSettings,
    server: string,
    sshPrivateKey: pulumi.Output<string>,
    clusterName: string,
  ): pulumi.Output<string> {
    const token = new random.RandomPassword(
      `${name}-token`,
      { length: 48, special: false },
      { parent: this },
    );
    const secretToken = pulumi.secret(token.result);
    const connection = (host: string): command.remote.CommandArgs['connection'] => ({
      host,
      port: k3s.sshPort,
      user: k3s.user,
      privateKey: pulumi.secret(sshPrivateKey),
      // A host that is still booting refuses a few dials before sshd is up.
      dialErrorLimit: 20,
      perDialTimeout: 30,
    });

    // Per host: write the config, run the install script (again on a new version: an in-place
    // upgrade), and a separate uninstaller whose only job is `delete`. The install commands have no
    // delete, so replacing one (a new SSH key replaces every command that uses it) re-runs the
    // idempotent install instead of wiping the host. The uninstaller ignores connection changes and
    // is named after its host: it runs only when that host leaves the config or the stack goes.
    const node = (
      role: K3sRole,
      host: string,
      config: pulumi.Output<string>,
      dependsOn: pulumi.Resource[],
    ) => {
      const resourceName = `${name}-${role}-${hostSlug(host)}`;
      const configure = new command.remote.Command(
        `${resourceName}-config`,
        {
          connection: connection(host),
          create: writeConfigCommand(k3s.user),
          stdin: pulumi.secret(config),
          logging: 'none',
        },
        { parent: this, dependsOn },
      );
      const install = new command.remote.Command(
        `${resourceName}-install`,
        {
          connection: connection(host),
          create: installCommand(role, k3s.version, k3s.user),
          logging: 'stderr',
        },
        { parent: this, dependsOn: [configure, ...dependsOn] },
      );
      const uninstaller = new command.remote.Command(
        `${resourceName}-uninstall`,
        {
          connection: connection(host),
          create: 'true',
          delete: uninstallCommand(role, k3s.user),
        },
        { parent: this, dependsOn: [install], ignoreChanges: ['connection'] },
      );
      return { install, uninstaller };
    };

    const serverNode = node(
      'server',
      server,
      secretToken.apply((value) => serverConfig(value, server)),
      [],
    );
    const agentNodes = k3s.agents.map((agent) =>
      node(
        'agent',
        agent,
        secretToken.apply((value) => agentConfig(value, server)),
        [serverNode.install],
      ),
    );

    // Everything on the cluster hangs off this read (through the provider), so `pulumi destroy`
    // deletes the Kubernetes resources before any uninstaller wipes a host.
    const read = new command.remote.Command(
      `${name}-kubeconfig`,
      {
        connection: connection(server),
        create: readKubeconfigCommand(k3s.user),
        logging: 'none',
        // Re-read after an upgrade: k3s may rotate the client certificate.
        triggers: [k3s.version],
      },
      {
        parent: this,
        dependsOn: [serverNode.uninstaller, ...agentNodes.map((agent) => agent.uninstaller)],
        additionalSecretOutputs: ['stdout'],
      },
    );
    return pulumi.secret(read.stdout.apply((text) => pointKubeconfigAt(text, server, clusterName)));
  }
}
