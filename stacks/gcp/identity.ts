// The Google service account that edits Cloud DNS for the stack (cert-manager's DNS-01 answers and,
// when on, external-dns), bound through Workload Identity to exactly those Kubernetes service
// accounts. The Workload Identity pool is per project, so one binding covers every cluster.
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface DnsEditorArgs {
  project: string;
  environment: string;
  gcpProvider: gcp.Provider;
  /** `namespace/name` of each Kubernetes ServiceAccount that acts as the Google one. */
  kubernetesServiceAccounts: string[];
}

/** The annotation that makes a Kubernetes ServiceAccount act as a Google one. */
export const workloadIdentityAnnotation = 'iam.gke.io/gcp-service-account';

export function dnsEditor(
  name: string,
  args: DnsEditorArgs,
  opts: pulumi.CustomResourceOptions,
): { email: string; ready: pulumi.Resource[] } {
  const gcpOpts = { ...opts, provider: args.gcpProvider };
  const accountId = `edgeplane-${args.environment}-dns`;
  const account = new gcp.serviceaccount.Account(
    name,
    {
      project: args.project,
      accountId,
      displayName: `edgeplane ${args.environment}: Cloud DNS records (cert-manager, external-dns)`,
    },
    gcpOpts,
  );
  const role = new gcp.projects.IAMMember(
    `${name}-dns-admin`,
    {
      project: args.project,
      role: 'roles/dns.admin',
      member: pulumi.interpolate`serviceAccount:${account.email}`,
    },
    gcpOpts,
  );
  const bindings = args.kubernetesServiceAccounts.map(
    (serviceAccount) =>
      new gcp.serviceaccount.IAMMember(
        `${name}-${serviceAccount.replace('/', '-')}`,
        {
          serviceAccountId: account.name,
          role: 'roles/iam.workloadIdentityUser',
          member: `serviceAccount:${args.project}.svc.id.goog[${serviceAccount}]`,
        },
        gcpOpts,
      ),
  );
  // The email follows from the ID: known at preview, so annotations need not wait for the account.
  return {
    email: `${accountId}@${args.project}.iam.gserviceaccount.com`,
    ready: [account, role, ...bindings],
  };
}
