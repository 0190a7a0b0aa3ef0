import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { kubernetesRequiredLabels } from './kubernetes-required-labels.ts';

const standard = {
  'app.kubernetes.io/name': 'edge',
  'app.kubernetes.io/part-of': 'edgeplane',
  'app.kubernetes.io/managed-by': 'pulumi',
};
const check = (type: string, props: Record<string, unknown>, config?: Record<string, unknown>) =>
  verdicts(kubernetesRequiredLabels, resourceOf(type, props), config);

describe('kubernetes-required-labels', () => {
  it('passes objects with the recommended labels', async () => {
    expect(
      await check('kubernetes:apps/v1:Deployment', {
        metadata: { name: 'edge', labels: standard },
      }),
    ).toEqual([]);
    expect(
      await check('kubernetes:monitoring.coreos.com/v1:ServiceMonitor', {
        metadata: { labels: standard },
      }),
    ).toEqual([]);
  });

  it('skips Helm releases, YAML bundles, patches and providers', async () => {
    expect(await check('kubernetes:helm.sh/v3:Release', { chart: 'cert-manager' })).toEqual([]);
    expect(await check('kubernetes:yaml/v2:ConfigFile', { file: 'x.yaml' })).toEqual([]);
    expect(
      await check('kubernetes:core/v1:ConfigMapPatch', { metadata: { name: 'coredns' } }),
    ).toEqual([]);
    expect(await check('pulumi:providers:kubernetes', {})).toEqual([]);
  });

  it("fails a user's object without them, naming the missing keys", async () => {
    expect(await check('kubernetes:core/v1:ConfigMap', { metadata: { name: 'mine' } })).toEqual([
      "mandatory: Missing labels app.kubernetes.io/name, app.kubernetes.io/part-of, app.kubernetes.io/managed-by in metadata.labels: add them (edgeplane's standardLabels() in components/labels.ts sets them all).",
    ]);
    expect(
      await check(
        'kubernetes:storage.k8s.io/v1:StorageClass',
        { metadata: { labels: standard } },
        { requiredLabels: ['edgeplane.dev/environment'] },
      ),
    ).toEqual([
      expect.stringContaining('Missing labels edgeplane.dev/environment in metadata.labels'),
    ]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(await check('kubernetes:core/v1:Service', { metadata: unknownDuringPreview })).toEqual(
      [],
    );
    expect(
      await check('kubernetes:core/v1:Service', { metadata: { labels: unknownDuringPreview } }),
    ).toEqual([]);
    // A label whose value is unknown is still there.
    expect(
      await check('kubernetes:core/v1:Service', {
        metadata: { labels: { ...standard, 'app.kubernetes.io/name': unknownDuringPreview } },
      }),
    ).toEqual([]);
  });
});
