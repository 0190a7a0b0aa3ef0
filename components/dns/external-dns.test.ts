// external-dns under the recording mocks: Google through Workload Identity, Cloudflare through a
// Secret; only annotated objects, upsert-only, one TXT owner per cluster, on the cluster's provider.
import * as pulumi from '@pulumi/pulumi';
import { secretLeaks } from '../../test/harness/pulumi/index.ts';
import { onDefaultProvider, recordProgram, testCluster } from '../cluster/testing.ts';
import { ExternalDns, type ExternalDnsProvider, hostnameAnnotation } from './external-dns.ts';

function plan(provider: () => ExternalDnsProvider) {
  return recordProgram(
    () =>
      new ExternalDns('external-dns', {
        cluster: testCluster(),
        environment: 'staging',
        zone: 'example.com',
        ownerId: 'edgeplane-staging-europe-west1',
        provider: provider(),
      }),
  );
}

const releaseValues = (resources: Awaited<ReturnType<typeof plan>>['resources']) =>
  resources.find((resource) => resource.type === 'kubernetes:helm.sh/v3:Release')?.inputs
    .values as Record<string, unknown>;

describe('ExternalDns', () => {
  it('acts as the Google service account through Workload Identity, only on annotated objects', async () => {
    const { resources } = await plan(() => ({
      name: 'google',
      project: 'edgeplane-staging',
      serviceAccountAnnotations: {
        'iam.gke.io/gcp-service-account': 'dns@edgeplane-staging.iam.gserviceaccount.com',
      },
    }));
    const values = releaseValues(resources);
    expect(values).toMatchObject({
      provider: { name: 'google' },
      policy: 'upsert-only',
      registry: 'txt',
      txtOwnerId: 'edgeplane-staging-europe-west1',
      domainFilters: ['example.com'],
      serviceAccount: {
        annotations: {
          'iam.gke.io/gcp-service-account': 'dns@edgeplane-staging.iam.gserviceaccount.com',
        },
      },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    });
    expect(values.extraArgs).toEqual(
      expect.arrayContaining([
        `--annotation-filter=${hostnameAnnotation}`,
        '--google-project=edgeplane-staging',
      ]),
    );
    expect(resources.filter((resource) => resource.type === 'kubernetes:core/v1:Secret')).toEqual(
      [],
    );
    expect(onDefaultProvider(resources)).toEqual([]);
  });

  it('reads the Cloudflare token from a Secret, never from the release values', async () => {
    const token = 'cloudflare-external-dns-token-000';
    const { resources } = await plan(() => ({
      name: 'cloudflare',
      apiToken: pulumi.secret(token),
    }));
    const secret = resources.find((resource) => resource.type === 'kubernetes:core/v1:Secret');
    expect(secret?.secretInputPaths).toContain('stringData');
    expect(secret?.inputs.stringData).toEqual({ 'api-token': token });
    expect(releaseValues(resources)).toMatchObject({
      provider: { name: 'cloudflare' },
      env: [
        {
          name: 'CF_API_TOKEN',
          valueFrom: { secretKeyRef: { name: 'cloudflare-api-token', key: 'api-token' } },
        },
      ],
    });
    expect(secretLeaks({ resources, outputs: {}, secretOutputs: [] }, [token])).toEqual([]);
    expect(onDefaultProvider(resources)).toEqual([]);
  });
});
