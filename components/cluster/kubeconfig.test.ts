import { parse } from 'yaml';
import { mockK3sKubeconfig } from '../../test/harness/pulumi/mock-state.ts';
import { pointKubeconfigAt, urlHost } from './kubeconfig.ts';

describe('pointKubeconfigAt', () => {
  it('points the cluster at the server host and names everything after the cluster', () => {
    const config = parse(pointKubeconfigAt(mockK3sKubeconfig, 'k3s-1.example.com', 'edgeplane'));
    expect(config.clusters).toEqual([
      {
        name: 'edgeplane',
        cluster: {
          'certificate-authority-data': 'bW9jay1rM3MtY2E=',
          server: 'https://k3s-1.example.com:6443',
        },
      },
    ]);
    expect(config.users[0].name).toBe('edgeplane');
    expect(config.users[0].user['client-key-data']).toBe('bW9jay1rM3Mta2V5LXNlY3JldA==');
    expect(config.contexts).toEqual([
      { name: 'edgeplane', context: { cluster: 'edgeplane', user: 'edgeplane' } },
    ]);
    expect(config['current-context']).toBe('edgeplane');
  });

  it('keeps a non-default port and brackets an IPv6 server', () => {
    const custom = mockK3sKubeconfig.replace('127.0.0.1:6443', '127.0.0.1:16443');
    const config = parse(pointKubeconfigAt(custom, '2001:db8::10', 'k3s'));
    expect(config.clusters[0].cluster.server).toBe('https://[2001:db8::10]:16443');
    expect(urlHost('192.0.2.10')).toBe('192.0.2.10');
  });

  it('fails clearly when the server printed no kubeconfig', () => {
    expect(() => pointKubeconfigAt('', 'k3s-1.example.com', 'k3s')).toThrow(
      /returned no kubeconfig with a cluster/,
    );
  });
});
