// Machines and database classes come from the list the platform team approved for the stack's
// environment (config per environment, defaults in approved-classes.ts). Mandatory: a typo'd
// db.r7g.16xlarge in dev is a five-figure monthly bill, and a burstable class in prod throttles under
// the very traffic spike a CDN exists for.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { type TypeCheck, validateTypes } from '../lib/by-type.ts';
import { aws, gcp } from '../lib/cloud-types.ts';
import {
  type ConfigPropertySchema,
  type Environment,
  environmentConfigProperty,
  environmentOf,
} from '../lib/environment.ts';
import { read, readArray, unknown } from '../lib/props.ts';
import { type ApprovedClasses, approvedClasses, matchesAny } from './approved-classes.ts';

const patternList = (description: string): ConfigPropertySchema => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  description: `${description} (\`*\` matches any characters).`,
});

const classSetSchema = (environment: Environment): ConfigPropertySchema => ({
  type: 'object',
  description: `What ${environment} may use; a key left out keeps its default.`,
  properties: {
    rdsInstanceClasses: patternList('RDS and Aurora instanceClass, e.g. db.m7g.*'),
    elasticacheNodeTypes: patternList('ElastiCache nodeType, e.g. cache.m7g.large'),
    eksInstanceTypes: patternList('EC2 instance types of EKS node groups and launch templates'),
    gkeMachineTypes: patternList('GKE node machineType, e.g. n2-standard-*'),
    cloudSqlTiers: patternList('Cloud SQL settings.tier, e.g. db-custom-2-*'),
    memorystoreTiers: {
      type: 'array',
      items: { type: 'string', enum: ['BASIC', 'STANDARD_HA'] },
      description: 'Memorystore tier.',
    },
    memorystoreMaxGb: {
      type: 'number',
      minimum: 1,
      description: 'Largest Memorystore memorySizeGb.',
    },
  },
  additionalProperties: false,
  default: approvedClasses[environment],
});

type Settings = { environment?: Environment } & Partial<
  Record<Environment, Partial<ApprovedClasses>>
>;

type Args = Parameters<typeof environmentOf>[0];

function allowedFor(args: Args): { environment: Environment; allowed: ApprovedClasses } {
  const environment = environmentOf(args) ?? 'prod';
  const configured = args.getConfig<Settings>()[environment] ?? {};
  return { environment, allowed: { ...approvedClasses[environment], ...configured } };
}

type PatternKey = Exclude<keyof ApprovedClasses, 'memorystoreMaxGb'>;

function checkClass(
  args: Args,
  what: string,
  value: unknown,
  key: PatternKey,
  report: (message: string) => void,
): void {
  if (typeof value !== 'string') return; // Unset or unknown: the cloud's default or decided later.
  const { environment, allowed } = allowedFor(args);
  if (matchesAny(value, allowed[key])) return;
  report(
    `${what} ${value} is not approved for ${environment}: use one of ${allowed[key].join(', ')}, or add it to this policy's config ${environment}.${key}.`,
  );
}

/** Checks the class at `path` of the resource's inputs against the approved `key` list. */
const classAt =
  (what: string, path: string, key: PatternKey): TypeCheck =>
  (props, report, args) =>
    checkClass(args, what, read(props, path), key, report);

const gkeMachineType = classAt('GKE machineType', 'nodeConfig.machineType', 'gkeMachineTypes');

export const allowedInstanceClasses: ResourceValidationPolicy = {
  name: 'allowed-instance-classes',
  description:
    'Instance classes per environment (policy config dev / staging / prod): RDS and Aurora instanceClass, ElastiCache nodeType, EKS node group instanceTypes, GKE machineType, Cloud SQL tier, Memorystore tier and size. Defaults: dev small and burstable, staging up to xlarge, prod any size of current non-burstable families. Mandatory: it keeps dev cheap and prod off classes that throttle.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      environment: environmentConfigProperty,
      dev: classSetSchema('dev'),
      staging: classSetSchema('staging'),
      prod: classSetSchema('prod'),
    },
  },
  validateResource: validateTypes({
    [aws.rdsInstance]: classAt('RDS instanceClass', 'instanceClass', 'rdsInstanceClasses'),
    [aws.rdsClusterInstance]: classAt(
      'Aurora instanceClass',
      'instanceClass',
      'rdsInstanceClasses',
    ),
    [aws.elasticacheReplicationGroup]: classAt(
      'ElastiCache nodeType',
      'nodeType',
      'elasticacheNodeTypes',
    ),
    [aws.elasticacheCluster]: classAt('ElastiCache nodeType', 'nodeType', 'elasticacheNodeTypes'),
    [aws.eksNodeGroup]: (props, report, args) => {
      const types = readArray(props, 'instanceTypes');
      if (types === unknown || types === undefined) return;
      for (const type of types)
        checkClass(args, 'EKS node instance type', type, 'eksInstanceTypes', report);
    },
    [aws.launchTemplate]: classAt(
      'Launch template instanceType',
      'instanceType',
      'eksInstanceTypes',
    ),
    [gcp.gkeNodePool]: gkeMachineType,
    [gcp.gkeCluster]: (props, report, args) => {
      // The default pool's machines only count while the pool is kept.
      if (read(props, 'removeDefaultNodePool') === true) return;
      gkeMachineType(props, report, args);
    },
    [gcp.sqlInstance]: classAt('Cloud SQL tier', 'settings.tier', 'cloudSqlTiers'),
    [gcp.redisInstance]: (props, report, args) => {
      // Unset tier is BASIC, the cloud's default.
      const tier = read(props, 'tier') ?? 'BASIC';
      checkClass(args, 'Memorystore tier', tier, 'memorystoreTiers', report);
      const size = read(props, 'memorySizeGb');
      const { environment, allowed } = allowedFor(args);
      if (typeof size === 'number' && size > allowed.memorystoreMaxGb)
        report(
          `Memorystore memorySizeGb ${size} is above ${allowed.memorystoreMaxGb} GB, the most approved for ${environment}: make it smaller, or raise this policy's config ${environment}.memorystoreMaxGb.`,
        );
    },
  }),
};
