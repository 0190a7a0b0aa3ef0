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
};

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
