// In prod, Pulumi itself refuses to delete stateful resources: the `protect` resource option, which
// @pulumi/policy shows policies as `args.opts.protect`. It catches what deletion protection cannot: a
// replacement (a changed engine version or name deletes and recreates), a `pulumi destroy` on the
// wrong stack, a resource with no cloud-side flag (ElastiCache, in-cluster StatefulSets, KMS keys).
// Mandatory: lifting `protect` is then one explicit, reviewed change.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { aws, gcp, kubernetes } from '../lib/cloud-types.ts';
import { type Environment, environmentConfigProperty } from '../lib/environment.ts';
import { environmentsConfigProperty, listedEnvironment } from '../lib/listed-environments.ts';
import { readArray, unknown } from '../lib/props.ts';

/** Resource types whose loss loses data: the default of the policy's `types`. */
export const defaultProtectedTypes = [
  aws.rdsInstance,
  aws.rdsCluster,
  aws.elasticacheReplicationGroup,
  gcp.sqlInstance,
  gcp.redisInstance,
  gcp.redisCluster,
  // Destroying the key leaves every Kubernetes Secret encrypted with it unreadable.
  gcp.kmsCryptoKey,
  // Only StatefulSets with volume claim templates (in-cluster data stores).
  kubernetes.statefulSet,
];

const defaultProtectEnvironments: Environment[] = ['prod'];

export const prodProtect: ResourceValidationPolicy = {
  name: 'prod-protect',
  description:
    'In prod (config `environments`), resources that hold data (config `types`: RDS, Aurora, ElastiCache, Cloud SQL, Memorystore, Cloud KMS keys, StatefulSets with volumes) have the Pulumi `protect` option, so neither a replacement nor `pulumi destroy` deletes them. Mandatory: it covers what cloud deletion protection does not.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      environment: environmentConfigProperty,
      environments: environmentsConfigProperty(
        defaultProtectEnvironments,
        'Environments whose stateful resources must be protected.',
      ),
      types: {
        type: 'array',
        items: { type: 'string' },
        default: defaultProtectedTypes,
        description: 'Resource type tokens that must be protected, e.g. aws:rds/instance:Instance.',
      },
    },
  },
  validateResource: (args, report) => {
    const types = args.getConfig<{ types?: string[] }>().types ?? defaultProtectedTypes;
    if (!types.includes(args.type)) return;
    if (args.type === kubernetes.statefulSet) {
      // A StatefulSet without volume claim templates keeps no data of its own.
      const templates = readArray(args.props, 'spec.volumeClaimTemplates');
      if (templates !== unknown && (templates ?? []).length === 0) return;
    }
    const environment = listedEnvironment(args, defaultProtectEnvironments);
    if (!environment) return;
    if (args.opts.protect) return;
    report(
      `${args.type} '${args.name}' in ${environment} is not protected: pass { protect: true } in its resource options (edgeplane's components do when database.protect is on).`,
    );
  },
};
