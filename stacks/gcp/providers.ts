// One explicit GCP provider per region, so nothing in a gcp stack uses the default provider (whose
// project and region would come from whoever runs Pulumi).
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';

export function regionProviders(
  project: string,
  regions: readonly string[],
  environment: string,
  opts: pulumi.CustomResourceOptions,
): Record<string, gcp.Provider> {
  return Object.fromEntries(
    regions.map((region) => [
      region,
      new gcp.Provider(
        `gcp-${region}`,
        {
          project,
          region,
          defaultLabels: { 'part-of': 'edgeplane', environment },
        },
        opts,
      ),
    ]),
  );
}
