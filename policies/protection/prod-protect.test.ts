import { aws, gcp, kubernetes } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { prodProtect } from './prod-protect.ts';

const prod = { tags: { 'edgeplane:environment': 'prod' } };
const withVolumes = (environment: string) => ({
  metadata: { labels: { 'edgeplane.dev/environment': environment } },
  spec: { volumeClaimTemplates: [{ metadata: { name: 'data' } }] },
});

describe('prod-protect', () => {
  it('passes protected prod data stores (args.opts.protect)', async () => {
    expect(
      await verdicts(prodProtect, resourceOf(aws.rdsInstance, prod, { opts: { protect: true } })),
    ).toEqual([]);
    expect(
      await verdicts(
        prodProtect,
        resourceOf(kubernetes.statefulSet, withVolumes('prod'), { opts: { protect: true } }),
      ),
    ).toEqual([]);
  });

  it('fails unprotected prod data stores', async () => {
    expect(await verdicts(prodProtect, resourceOf(aws.elasticacheReplicationGroup, prod))).toEqual([
      "mandatory: aws:elasticache/replicationGroup:ReplicationGroup 'subject' in prod is not protected: pass { protect: true } in its resource options (edgeplane's components do when database.protect is on).",
    ]);
    expect(
      await verdicts(
        prodProtect,
        resourceOf(gcp.kmsCryptoKey, { labels: { environment: 'prod' } }),
      ),
    ).toHaveLength(1);
    expect(
      await verdicts(prodProtect, resourceOf(kubernetes.statefulSet, withVolumes('prod'))),
    ).toHaveLength(1);
  });

  it('leaves other environments, stateless types and volume-less StatefulSets alone', async () => {
    expect(
      await verdicts(
        prodProtect,
        resourceOf(aws.rdsInstance, { tags: { 'edgeplane:environment': 'dev' } }),
      ),
    ).toEqual([]);
    expect(await verdicts(prodProtect, resourceOf(aws.eksCluster, prod))).toEqual([]);
    expect(
      await verdicts(
        prodProtect,
        resourceOf(kubernetes.statefulSet, {
          metadata: withVolumes('prod').metadata,
          spec: { volumeClaimTemplates: [] },
        }),
      ),
    ).toEqual([]);
  });

  it('takes its types and environments from config', async () => {
    expect(
      await verdicts(prodProtect, resourceOf(aws.eksCluster, prod), { types: [aws.eksCluster] }),
    ).toHaveLength(1);
    expect(
      await verdicts(
        prodProtect,
        resourceOf(aws.rdsInstance, { tags: { 'edgeplane:environment': 'staging' } }),
        {
          environments: ['staging', 'prod'],
        },
      ),
    ).toHaveLength(1);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(
      await verdicts(
        prodProtect,
        resourceOf(
          kubernetes.statefulSet,
          { metadata: unknownDuringPreview, spec: unknownDuringPreview },
          { opts: { protect: true } },
        ),
      ),
    ).toEqual([]);
    expect(
      await verdicts(
        prodProtect,
        resourceOf(aws.rdsInstance, { tags: unknownDuringPreview }, { opts: { protect: true } }),
      ),
    ).toEqual([]);
  });
});
