import { kubernetes } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { inClusterStoreVolumes } from './in-cluster-store-volumes.ts';

function statefulSet(
  environment: string,
  template: Record<string, unknown>,
  spec: Record<string, unknown> = {},
) {
  return resourceOf(kubernetes.statefulSet, {
    metadata: { name: 'postgres', labels: { 'edgeplane.dev/environment': environment } },
    spec: {
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: template }],
      ...spec,
    },
  });
}

describe('in-cluster-store-volumes', () => {
  it('passes named, retained volumes and encrypted EBS classes', async () => {
    expect(
      await verdicts(inClusterStoreVolumes, statefulSet('prod', { storageClassName: 'gp3' })),
    ).toEqual([]);
    // Node-local volumes are fine in dev (k3s-dev uses local-path).
    expect(
      await verdicts(inClusterStoreVolumes, statefulSet('dev', { storageClassName: 'local-path' })),
    ).toEqual([]);
    expect(
      await verdicts(
        inClusterStoreVolumes,
        resourceOf(kubernetes.statefulSet, { spec: { replicas: 1, template: {} } }),
      ),
    ).toEqual([]);
    expect(
      await verdicts(
        inClusterStoreVolumes,
        resourceOf(kubernetes.storageClass, {
          provisioner: 'ebs.csi.aws.com',
          parameters: { type: 'gp3', encrypted: 'true' },
        }),
      ),
    ).toEqual([]);
    expect(
      await verdicts(
        inClusterStoreVolumes,
        resourceOf(kubernetes.storageClass, { provisioner: 'pd.csi.storage.gke.io' }),
      ),
    ).toEqual([]);
  });

  it('warns (advisory) about unnamed, node-local, deleted-with-the-set and unencrypted volumes', async () => {
    expect(await verdicts(inClusterStoreVolumes, statefulSet('prod', {}))).toEqual([
      expect.stringMatching(/^advisory: Volume claim template 'data' names no storageClassName/),
    ]);
    expect(
      await verdicts(
        inClusterStoreVolumes,
        statefulSet('staging', { storageClassName: 'local-path' }),
      ),
    ).toEqual([expect.stringContaining("uses 'local-path' in staging")]);
    expect(
      await verdicts(
        inClusterStoreVolumes,
        statefulSet(
          'prod',
          { storageClassName: 'gp3' },
          { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } },
        ),
      ),
    ).toEqual([expect.stringContaining("whenDeleted: 'Retain'")]);
    expect(
      await verdicts(
        inClusterStoreVolumes,
        resourceOf(kubernetes.storageClass, {
          provisioner: 'ebs.csi.aws.com',
          parameters: { type: 'gp3' },
        }),
      ),
    ).toEqual([
      "advisory: EBS volumes of this StorageClass are not encrypted: set parameters.encrypted: 'true'.",
    ]);
  });

  it('checks standalone claims the same way', async () => {
    const claim = (environment: string, spec: Record<string, unknown>) =>
      resourceOf(kubernetes.persistentVolumeClaim, {
        metadata: { name: 'uploads', labels: { 'edgeplane.dev/environment': environment } },
        spec,
      });
    expect(
      await verdicts(inClusterStoreVolumes, claim('prod', { storageClassName: 'gp3' })),
    ).toEqual([]);
    expect(await verdicts(inClusterStoreVolumes, claim('prod', {}))).toEqual([
      expect.stringMatching(/^advisory: Volume claim 'uploads' names no storageClassName/),
    ]);
    expect(
      await verdicts(inClusterStoreVolumes, claim('staging', { storageClassName: 'local-path' })),
    ).toEqual([expect.stringContaining("Volume claim 'uploads' uses 'local-path' in staging")]);
    expect(
      await verdicts(
        inClusterStoreVolumes,
        claim('prod', { storageClassName: unknownDuringPreview }),
      ),
    ).toEqual([]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(
      await verdicts(
        inClusterStoreVolumes,
        statefulSet('prod', { storageClassName: unknownDuringPreview }),
      ),
    ).toEqual([]);
    expect(
      await verdicts(
        inClusterStoreVolumes,
        resourceOf(kubernetes.statefulSet, {
          spec: { volumeClaimTemplates: unknownDuringPreview },
        }),
      ),
    ).toEqual([]);
    expect(
      await verdicts(
        inClusterStoreVolumes,
        resourceOf(kubernetes.storageClass, {
          provisioner: 'ebs.csi.aws.com',
          parameters: { encrypted: unknownDuringPreview },
        }),
      ),
    ).toEqual([]);
  });
});
