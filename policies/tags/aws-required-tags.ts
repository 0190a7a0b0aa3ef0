// Every AWS resource that can carry tags carries edgeplane's: the stack, environment, region, domain
// and who manages it (stacks/aws/tags.ts puts them on each region's provider as defaultTags). Mandatory:
// cost reports, `aws resourcegroupstaggingapi` and incident responders find a deployment's resources
// by them, and an untagged resource is one nobody owns. A resource's own `tags` and its provider's
// `defaultTags` count together, as AWS applies them.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { providerObject } from '../lib/environment.ts';
import { isUnknown, read, readArray, readStringMap, unknown } from '../lib/props.ts';
import { missingKeys, requiredKeysConfigProperty } from '../lib/required-keys.ts';
import { hasInput } from '../lib/taggable.ts';

/** The tags stacks/aws/tags.ts sets on every resource. */
export const defaultRequiredTags = [
  'edgeplane:stack',
  'edgeplane:environment',
  'edgeplane:region',
  'edgeplane:domain',
  'managed-by',
];

/** Tag keys with a non-empty (or unknown) value; `unknown` when the tags themselves are unknown. */
function tagKeys(props: unknown): Set<string> | typeof unknown {
  // aws.autoscaling.Group takes a list of { key, value, propagateAtLaunch } instead of a map.
  const list = readArray(props, 'tags');
  if (list === unknown) return unknown;
  if (list !== undefined) {
    return new Set(
      list.flatMap((tag) => {
        const key = read(tag, 'key');
        return typeof key === 'string' ? [key] : [];
      }),
    );
  }
  const map = readStringMap(props, 'tags');
  if (map === unknown) return unknown;
  return new Set(
    Object.entries(map ?? {})
      .filter(([, value]) => isUnknown(value) || value !== '')
      .map(([key]) => key),
  );
}

export const awsRequiredTags: ResourceValidationPolicy = {
  name: 'aws-required-tags',
  description:
    "Every taggable AWS resource has edgeplane's tags (config `requiredTags`; default edgeplane:stack, edgeplane:environment, edgeplane:region, edgeplane:domain, managed-by), from its own tags or its provider's defaultTags. Mandatory: untagged resources escape cost reports, inventories and on-call.",
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      requiredTags: requiredKeysConfigProperty(
        defaultRequiredTags,
        'Tag keys every taggable AWS resource must have.',
      ),
    },
  },
  validateResource: (args, report) => {
    if (!args.type.startsWith('aws:')) return;
    // Taggable: the provider SDK gives the type a `tags` input; when the SDK is not there to ask,
    // a resource that was given tags is taggable.
    const taggable =
      hasInput('@pulumi/aws', args.type, 'tags') ?? read(args.props, 'tags') !== undefined;
    if (!taggable) return;
    const own = tagKeys(args.props);
    const rawDefaults = read(args.provider?.props, 'defaultTags');
    const defaultTags = read(providerObject(rawDefaults), 'tags');
    if (own === unknown || isUnknown(rawDefaults) || isUnknown(defaultTags)) return;
    const missing = missingKeys(args, 'requiredTags', defaultRequiredTags, [
      ...own,
      ...(typeof defaultTags === 'object' && defaultTags !== null ? Object.keys(defaultTags) : []),
    ]);
    if (missing.length > 0)
      report(
        `Missing tags ${missing.join(', ')}: add them to the resource's tags, or put the resource on a provider whose defaultTags has them (as edgeplane's stacks do).`,
      );
  },
};
