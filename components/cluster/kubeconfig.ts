// The kubeconfig k3s writes on its server names the cluster `default` and points at 127.0.0.1:
// rewrite it to reach the server from outside and to merge cleanly with other kubeconfigs.
import { parse, stringify } from 'yaml';

interface Kubeconfig {
  clusters?: { name: string; cluster: { server: string } & Record<string, unknown> }[];
  users?: { name: string }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  'current-context'?: string;
}

/** host as it goes in a URL: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Points every cluster of a k3s kubeconfig at `serverHost` (keeping the port) and renames the
 * `default` cluster, user and context to `name`.
 */
export function pointKubeconfigAt(kubeconfig: string, serverHost: string, name: string): string {
  const config = parse(kubeconfig) as Kubeconfig | null;
  if (!config?.clusters?.length) {
    throw new Error(
      'the k3s server returned no kubeconfig with a cluster (/etc/rancher/k3s/k3s.yaml)',
    );
  }
  const rename = (value: string) => (value === 'default' ? name : value);
  for (const entry of config.clusters) {
    const url = new URL(entry.cluster.server);
    entry.cluster.server = `${url.protocol}//${urlHost(serverHost)}:${url.port || '6443'}`;
    entry.name = rename(entry.name);
  }
  for (const user of config.users ?? []) user.name = rename(user.name);
  for (const context of config.contexts ?? []) {
    context.name = rename(context.name);
    context.context.cluster = rename(context.context.cluster);
    context.context.user = rename(context.context.user);
  }
  if (config['current-context']) config['current-context'] = rename(config['current-context']);
  return stringify(config);
}
