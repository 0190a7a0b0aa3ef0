import { gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { gcpRequiredLabels } from './gcp-required-labels.ts';

const edgeplaneLabels = { 'part-of': 'edgeplane', environment: 'staging' };
const providerWith = (defaultLabels: unknown) => ({
  type: 'pulumi:providers:gcp',
  name: 'gcp-europe-west1',
  urn: 'urn:pulumi:test::edgeplane::pulumi:providers:gcp::gcp-europe-west1',
  props: { defaultLabels },
});
const labelledProvider = providerWith(JSON.stringify(edgeplaneLabels));
const check = (
  type: string,
  props: Record<string, unknown>,
  provider?: ReturnType<typeof providerWith>,
) => verdicts(gcpRequiredLabels, resourceOf(type, props, provider ? { provider } : {}));

describe('gcp-required-labels', () => {
  it("passes resources labelled by themselves or by their provider's defaultLabels", async () => {
    expect(await check(gcp.redisInstance, { labels: edgeplaneLabels })).toEqual([]);
    expect(await check('gcp:compute/address:Address', {}, labelledProvider)).toEqual([]);
    expect(
      await check(gcp.gkeCluster, { resourceLabels: edgeplaneLabels }, labelledProvider),
    ).toEqual([]);
    expect(
      await check(
        gcp.gkeNodePool,
        { nodeConfig: { resourceLabels: edgeplaneLabels } },
        labelledProvider,
      ),
    ).toEqual([]);
    expect(await check(gcp.sqlInstance, { settings: { userLabels: edgeplaneLabels } })).toEqual([]);
  });

  it('skips resources that cannot carry labels', async () => {
    expect(await check('gcp:compute/network:Network', {})).toEqual([]);
    expect(await check('gcp:kms/keyRing:KeyRing', {})).toEqual([]);
    expect(await check('gcp:serviceaccount/iAMMember:IAMMember', {})).toEqual([]);
  });

  it('fails unlabelled resources, and defaultLabels do not count where they do not reach', async () => {
    expect(await check('gcp:storage/bucket:Bucket', {})).toEqual([
      "mandatory: Missing labels part-of, environment: add them to the resource's labels, or put the resource on a provider whose defaultLabels has them (as edgeplane's stacks do).",
    ]);
    expect(await check(gcp.gkeCluster, {}, labelledProvider)).toEqual([
      "mandatory: Missing labels part-of, environment in resourceLabels (the provider's defaultLabels do not reach it): add them there.",
    ]);
    expect(
      await check(gcp.sqlInstance, { settings: { userLabels: { 'part-of': 'edgeplane' } } }),
    ).toEqual([expect.stringContaining('Missing labels environment in settings.userLabels')]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(await check(gcp.redisInstance, { labels: unknownDuringPreview })).toEqual([]);
    expect(
      await check('gcp:compute/address:Address', {}, providerWith(unknownDuringPreview)),
    ).toEqual([]);
    expect(await check(gcp.gkeNodePool, { nodeConfig: unknownDuringPreview })).toEqual([]);
  });
});
