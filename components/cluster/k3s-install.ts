// What runs on each host to install k3s: a config file written from stdin (so the cluster token
// never appears in a command line, a process list or Pulumi's logs), then the pinned release
// installed by the official script, which reads that file.
import { stringify } from 'yaml';
import { urlHost } from './kubeconfig.ts';

export const k3sConfigPath = '/etc/rancher/k3s/config.yaml';
export const k3sKubeconfigPath = '/etc/rancher/k3s/k3s.yaml';
export const k3sApiPort = 6443;

export type K3sRole = 'server' | 'agent';

/** `sudo ` unless we log in as root. */
function sudo(user: string): string {
  return user === 'root' ? '' : 'sudo ';
}

/** k3s server config: the API certificate is valid for the address we reach it by; Secrets encrypted at rest. */
export function serverConfig(token: string, server: string): string {
  return stringify({
    token,
    'tls-san': [server],
    'write-kubeconfig-mode': '0600',
    'secrets-encryption': true,
  });
}

/** k3s agent config: where the server is and the token to join with. */
export function agentConfig(token: string, server: string): string {
  return stringify({ token, server: `https://${urlHost(server)}:${k3sApiPort}` });
}

/** Writes stdin to the k3s config file, readable by root only. */
export function writeConfigCommand(user: string): string {
  return `${sudo(user)}install -d -m 0755 /etc/rancher/k3s && ${sudo(user)}sh -c 'umask 077 && cat > ${k3sConfigPath}'`;
}

/** Installs (or upgrades to) the pinned k3s release with the official install script. */
export function installCommand(role: K3sRole, version: string, user: string): string {
  if (!/^v1\.\d{2}\.\d+\+k3s\d+$/.test(version)) {
    throw new Error(`k3s version must be a release such as v1.34.1+k3s1 (got ${version})`);
  }
  return `curl -sfL https://get.k3s.io | ${sudo(user)}env INSTALL_K3S_VERSION='${version}' INSTALL_K3S_EXEC=${role} sh -s -`;
}

/** Removes k3s and everything it stored from the host. */
export function uninstallCommand(role: K3sRole, user: string): string {
  const script = role === 'server' ? 'k3s-uninstall.sh' : 'k3s-agent-uninstall.sh';
  return `if [ -x /usr/local/bin/${script} ]; then ${sudo(user)}/usr/local/bin/${script}; fi`;
}

/** Prints the admin kubeconfig k3s wrote on the server. */
export function readKubeconfigCommand(user: string): string {
  return `${sudo(user)}cat ${k3sKubeconfigPath}`;
}
