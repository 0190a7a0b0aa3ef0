// The kubeconfig of a GKE cluster: its endpoint and CA, credentials from gke-gcloud-auth-plugin
// (Application Default Credentials of whoever runs Pulumi); no static token is ever written down.
import { stringify } from 'yaml';

export interface GkeKubeconfigArgs {
  /** Cluster, user and context name. */
  name: string;
  /** The control plane's address (GKE `endpoint`: an IP or host, no scheme). */
  endpoint: string;
  /** Base64 PEM of the cluster CA (`masterAuth.clusterCaCertificate`). */
  clusterCaCertificate: string;
}

export function gkeKubeconfig(args: GkeKubeconfigArgs): string {
  if (!args.endpoint) throw new Error(`GKE cluster ${args.name} has no endpoint yet`);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: args.name,
        cluster: {
          server: `https://${args.endpoint}`,
          'certificate-authority-data': args.clusterCaCertificate,
        },
      },
    ],
    users: [
      {
        name: args.name,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'gke-gcloud-auth-plugin',
            installHint:
              'Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin',
            provideClusterInfo: true,
            interactiveMode: 'Never',
          },
        },
      },
    ],
    contexts: [{ name: args.name, context: { cluster: args.name, user: args.name } }],
    'current-context': args.name,
  });
}
