import { aws } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { eksSecretsEncryption } from './eks-secrets-encryption.ts';

const check = (props: Record<string, unknown>) =>
  verdicts(eksSecretsEncryption, resourceOf(aws.eksCluster, props));
const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/abc';

describe('eks-secrets-encryption', () => {
  it('passes Secrets encrypted with a KMS key', async () => {
    expect(
      await check({ encryptionConfig: { provider: { keyArn }, resources: ['secrets'] } }),
    ).toEqual([]);
    // The key is created in the same update: its ARN is unknown during preview.
    expect(
      await check({
        encryptionConfig: { provider: { keyArn: unknownDuringPreview }, resources: ['secrets'] },
      }),
    ).toEqual([]);
  });

  it('fails clusters without envelope encryption of Secrets', async () => {
    expect(await check({})).toEqual([
      expect.stringMatching(
        /^mandatory: Kubernetes Secrets are not envelope-encrypted: set encryptionConfig/,
      ),
    ]);
    expect(await check({ encryptionConfig: { provider: { keyArn }, resources: [] } })).toEqual([
      expect.stringContaining('does not cover Secrets'),
    ]);
    expect(await check({ encryptionConfig: { resources: ['secrets'] } })).toEqual([
      expect.stringContaining('names no KMS key'),
    ]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(await check({ encryptionConfig: unknownDuringPreview })).toEqual([]);
    expect(
      await check({
        encryptionConfig: { provider: unknownDuringPreview, resources: unknownDuringPreview },
      }),
    ).toEqual([]);
  });
});
