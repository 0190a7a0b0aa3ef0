import { parse } from 'yaml';
import {
  agentConfig,
  installCommand,
  readKubeconfigCommand,
  serverConfig,
  uninstallCommand,
  writeConfigCommand,
} from './k3s-install.ts';

describe('k3s install commands', () => {
  it('server config: token, API certificate for the server address, Secrets encrypted at rest', () => {
    expect(parse(serverConfig('tok3n', 'k3s-1.example.com'))).toEqual({
      token: 'tok3n',
      'tls-san': ['k3s-1.example.com'],
      'write-kubeconfig-mode': '0600',
      'secrets-encryption': true,
    });
  });

  it('agent config joins the server on the API port', () => {
    expect(parse(agentConfig('tok3n', '2001:db8::1'))).toEqual({
      token: 'tok3n',
      server: 'https://[2001:db8::1]:6443',
    });
  });

  it('installs the pinned release in the given role, with sudo only for a non-root user', () => {
    expect(installCommand('server', 'v1.34.1+k3s1', 'ubuntu')).toBe(
      "curl -sfL https://get.k3s.io | sudo env INSTALL_K3S_VERSION='v1.34.1+k3s1' INSTALL_K3S_EXEC=server sh -s -",
    );
    expect(installCommand('agent', 'v1.34.1+k3s1', 'root')).toBe(
      "curl -sfL https://get.k3s.io | env INSTALL_K3S_VERSION='v1.34.1+k3s1' INSTALL_K3S_EXEC=agent sh -s -",
    );
  });

  it('refuses a version that could inject shell', () => {
    expect(() => installCommand('server', "v1.34.1+k3s1'; rm -rf /; '", 'root')).toThrow(
      /k3s version must be a release/,
    );
  });

  it('writes the config from stdin, root-only, and never takes the token as an argument', () => {
    const command = writeConfigCommand('ubuntu');
    expect(command).toContain("umask 077 && cat > /etc/rancher/k3s/config.yaml'");
    expect(command).not.toMatch(/token/i);
  });

  it('uninstalls with the script of the role, and reads the kubeconfig as root', () => {
    expect(uninstallCommand('server', 'ubuntu')).toContain('sudo /usr/local/bin/k3s-uninstall.sh');
    expect(uninstallCommand('agent', 'root')).toContain('/usr/local/bin/k3s-agent-uninstall.sh');
    expect(readKubeconfigCommand('ubuntu')).toBe('sudo cat /etc/rancher/k3s/k3s.yaml');
  });
});
