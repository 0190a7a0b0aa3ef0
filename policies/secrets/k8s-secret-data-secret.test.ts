import { resource, violationsInPlan, violationsOf } from '../lib/testing.ts';
import { k8sSecretDataSecret } from './k8s-secret-data-secret.ts';

const secret = (props: Record<string, unknown>, additionalSecretOutputs: string[]) =>
  resource('kubernetes:core/v1:Secret', props, {
    name: 'creds',
    opts: { additionalSecretOutputs },
  });

describe('k8s-secret-data-secret', () => {
  it('passes Secrets made by @pulumi/kubernetes (data and stringData marked secret), in every example stack', async () => {
    expect(
      await violationsOf(
        k8sSecretDataSecret,
        secret({ stringData: { a: 'b' } }, ['data', 'stringData']),
      ),
    ).toEqual([]);
    expect(await violationsOf(k8sSecretDataSecret, secret({}, []))).toEqual([]);
    expect(await violationsInPlan(k8sSecretDataSecret, 'k3s-dev')).toEqual([]);
  });

  it('fails a Secret whose values would sit in plain state', async () => {
    expect(
      await violationsOf(
        k8sSecretDataSecret,
        secret({ stringData: { a: 'b' }, data: { c: 'ZA==' } }, ['data']),
      ),
    ).toEqual([
      expect.objectContaining({
        enforcementLevel: 'mandatory',
        message: expect.stringContaining('Secret creds: stringData is not marked secret'),
      }),
    ]);
  });
});
