import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { awsRequiredTags } from './aws-required-tags.ts';
import { edgeplaneTags } from './tag-fixtures.ts';

const providerWith = (defaultTags: unknown) => ({
  type: 'pulumi:providers:aws',
  name: 'aws-us-east-1',
  urn: 'urn:pulumi:test::edgeplane::pulumi:providers:aws::aws-us-east-1',
  props: { defaultTags },
});
const taggedProvider = providerWith(JSON.stringify({ tags: edgeplaneTags }));
const check = (
  type: string,
  props: Record<string, unknown>,
  provider?: ReturnType<typeof providerWith>,
) => verdicts(awsRequiredTags, resourceOf(type, props, provider ? { provider } : {}));

describe('aws-required-tags', () => {
  it("passes resources tagged by themselves or by their provider's defaultTags", async () => {
    expect(await check('aws:s3/bucket:Bucket', { tags: edgeplaneTags })).toEqual([]);
    expect(await check('aws:s3/bucket:Bucket', {}, taggedProvider)).toEqual([]);
    // Some tags on the resource, the rest from the provider.
    const { 'managed-by': _managedBy, ...partial } = edgeplaneTags;
    expect(
      await check(
        'aws:ec2/vpc:Vpc',
        { tags: { 'managed-by': 'pulumi' } },
        providerWith(JSON.stringify({ tags: partial })),
      ),
    ).toEqual([]);
    // Autoscaling groups take a list of tags.
    expect(
      await check('aws:autoscaling/group:Group', {
        tags: Object.entries(edgeplaneTags).map(([key, value]) => ({
          key,
          value,
          propagateAtLaunch: true,
        })),
      }),
    ).toEqual([]);
  });

  it('skips resources that cannot carry tags', async () => {
    expect(
      await check('aws:iam/rolePolicyAttachment:RolePolicyAttachment', {
        role: 'r',
        policyArn: 'p',
      }),
    ).toEqual([]);
    expect(await check('aws:ec2/routeTableAssociation:RouteTableAssociation', {})).toEqual([]);
  });

  it("fails a user's untagged resource, naming the missing keys", async () => {
    expect(await check('aws:s3/bucket:Bucket', {})).toEqual([
      "mandatory: Missing tags edgeplane:stack, edgeplane:environment, edgeplane:region, edgeplane:domain, managed-by: add them to the resource's tags, or put the resource on a provider whose defaultTags has them (as edgeplane's stacks do).",
    ]);
    expect(
      await check(
        'aws:rds/instance:Instance',
        { tags: { 'edgeplane:stack': 'x', 'managed-by': '' } },
        providerWith(undefined),
      ),
    ).toEqual([
      expect.stringContaining(
        'Missing tags edgeplane:environment, edgeplane:region, edgeplane:domain, managed-by:',
      ),
    ]);
    expect(
      await verdicts(awsRequiredTags, resourceOf('aws:s3/bucket:Bucket', { tags: edgeplaneTags }), {
        requiredTags: ['team'],
      }),
    ).toEqual([expect.stringContaining('Missing tags team:')]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(await check('aws:s3/bucket:Bucket', { tags: unknownDuringPreview })).toEqual([]);
    expect(await check('aws:s3/bucket:Bucket', {}, providerWith(unknownDuringPreview))).toEqual([]);
    expect(
      await check('aws:s3/bucket:Bucket', {
        tags: { ...edgeplaneTags, 'edgeplane:domain': unknownDuringPreview },
      }),
    ).toEqual([]);
  });
});
