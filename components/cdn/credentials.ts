// A role's credentials as a Kubernetes Secret whose keys are the contract's env names, plus a
// checksum for the pod template so pods roll when a credential changes (env from a Secret is
// read only at start).
import { createHash } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { secretEnvNames } from '../../runtime/contract.ts';

export type SecretEnvName = (typeof secretEnvNames)[number];

export interface RuntimeCredentialsArgs {
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  data: Partial<Record<SecretEnvName, pulumi.Output<string>>>;
}

export interface RuntimeCredentials {
  secret: k8s.core.v1.Secret;
  keys: SecretEnvName[];
  /** Short SHA-256 of the values: it reveals nothing of generated credentials, so it is not secret. */
  checksum: pulumi.Output<string>;
}

export const checksumAnnotation = 'edgeplane.dev/credentials-checksum';

export function runtimeCredentials(
  resourceName: string,
  name: string,
  args: RuntimeCredentialsArgs,
  opts: pulumi.CustomResourceOptions,
): RuntimeCredentials {
  const data = pulumi.output(args.data as Record<string, pulumi.Output<string>>);
  const secret = new k8s.core.v1.Secret(
    resourceName,
    {
      metadata: { name, namespace: args.namespace, labels: args.labels },
      type: 'Opaque',
      stringData: pulumi.secret(data),
    },
    opts,
  );
  const checksum = pulumi.unsecret(
    data.apply((values) => {
      const sorted = Object.keys(values)
        .sort()
        .map((key) => [key, values[key]]);
      return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
    }),
  );
  return { secret, keys: Object.keys(args.data) as SecretEnvName[], checksum };
}
