// The kubeconfig of an EKS cluster, built from the cluster's outputs. It holds no credential: the
// token comes from `aws eks get-token` with the caller's AWS identity, which an access entry admits.
import * as pulumi from '@pulumi/pulumi';
import { stringify } from 'yaml';

export interface EksKubeconfigArgs {
  clusterName: pulumi.Input<string>;
  endpoint: pulumi.Input<string>;
  certificateAuthorityData: pulumi.Input<string>;
  region: string;
}

export function eksKubeconfig(args: EksKubeconfigArgs): pulumi.Output<string> {
  const kubeconfig = pulumi
    .all([args.clusterName, args.endpoint, args.certificateAuthorityData])
    .apply(([name, server, ca]) =>
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name, cluster: { server, 'certificate-authority-data': ca } }],
        users: [
          {
            name,
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1beta1',
                command: 'aws',
                args: ['eks', 'get-token', '--cluster-name', name, '--region', args.region],
                interactiveMode: 'Never',
              },
            },
          },
        ],
        contexts: [{ name, context: { cluster: name, user: name } }],
        'current-context': name,
      }),
    );
  // Nothing in it is a credential, but it maps the cluster: kept secret like every kubeconfig.
  return pulumi.secret(kubeconfig);
}
