// What the mocked clouds answer: extra output state per resource type (beyond the echoed inputs)
// and results of provider functions. Every output an `apply` reads must be here: a throw inside an
// apply is an unhandled rejection that kills the process. Later components add their types here.
import type { MockCallArgs, MockResourceArgs } from '@pulumi/pulumi/runtime/index.js';

type StateFor = (args: MockResourceArgs) => Record<string, unknown>;
type CallResult = (args: MockCallArgs) => Record<string, unknown>;

export const extraStateByType: Record<string, StateFor> = {
  'random:index/randomPassword:RandomPassword': (args) => ({
    result: `mock-password-${args.name}`,
  }),
  // A remote command prints nothing, except the one that reads k3s's kubeconfig.
  'command:remote:Command': (args) => ({
    stdout: String(args.inputs.create ?? '').includes('/etc/rancher/k3s/k3s.yaml')
      ? mockK3sKubeconfig
      : '',
    stderr: '',
  }),
};

/** What k3s writes to /etc/rancher/k3s/k3s.yaml on its server (credentials made up). */
export const mockK3sKubeconfig = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '  - name: default',
  '    cluster:',
  '      certificate-authority-data: bW9jay1rM3MtY2E=',
  '      server: https://127.0.0.1:6443',
  'users:',
  '  - name: default',
  '    user:',
  '      client-certificate-data: bW9jay1rM3MtY2xpZW50',
  '      client-key-data: bW9jay1rM3Mta2V5LXNlY3JldA==',
  'contexts:',
  '  - name: default',
  '    context: { cluster: default, user: default }',
  'current-context: default',
  '',
].join('\n');

export const callResults: Record<string, CallResult> = {
  'aws:index/getAvailabilityZones:getAvailabilityZones': () => ({
    names: ['zone-a', 'zone-b', 'zone-c'],
    zoneIds: ['zone-a-id', 'zone-b-id', 'zone-c-id'],
  }),
  'aws:index/getCallerIdentity:getCallerIdentity': () => ({
    accountId: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/mock',
    userId: 'mock',
  }),
  'gcp:organizations/getClientConfig:getClientConfig': () => ({ project: 'mock-project' }),
};
