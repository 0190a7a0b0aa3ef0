// Kubernetes Secrets in EKS are envelope-encrypted with a KMS key. Mandatory: edgeplane keeps database
// passwords, the Redis AUTH token and API signing keys in Secrets; without envelope encryption they
// sit in etcd under AWS's disk encryption only, readable to anyone who gets an etcd snapshot.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { aws } from '../lib/cloud-types.ts';
import { read, readArray, unknown } from '../lib/props.ts';

export const eksSecretsEncryption: ResourceValidationPolicy = {
  name: 'eks-secrets-encryption',
  description:
    "EKS clusters envelope-encrypt Kubernetes Secrets with a KMS key: encryptionConfig with resources ['secrets'] and provider.keyArn. Mandatory: edgeplane's database and Redis credentials live in Secrets.",
  enforcementLevel: 'mandatory',
  validateResource: validateTypes({
    [aws.eksCluster]: (props, report) => {
      const config = read(props, 'encryptionConfig');
      if (config === unknown) return;
      const fix =
        "set encryptionConfig: { provider: { keyArn: key.arn }, resources: ['secrets'] } with an aws.kms.Key that rotates";
      if (config === undefined || config === null) {
        report(`Kubernetes Secrets are not envelope-encrypted: ${fix}.`);
        return;
      }
      const resources = readArray(config, 'resources');
      const keyArn = read(config, 'provider.keyArn');
      if (
        resources !== unknown &&
        !(resources ?? []).includes('secrets') &&
        !(resources ?? []).includes(unknown)
      )
        report(`encryptionConfig does not cover Secrets: ${fix}.`);
      if (keyArn === undefined || keyArn === '')
        report(`encryptionConfig names no KMS key: ${fix}.`);
    },
  }),
};
