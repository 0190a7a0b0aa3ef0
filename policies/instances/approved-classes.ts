// The instance classes each environment may use unless the pack config says otherwise: dev small and
// burstable, staging up to xlarge, prod any size of the current general-purpose, compute and memory
// families (no burstable classes: their CPU credits run out under a traffic spike). `*` matches any
// characters. edgeplane's own sizes (stacks/config-schema.ts, components/*) all fall inside them.
import type { PerEnvironment } from '../lib/per-environment.ts';

export interface ApprovedClasses {
  rdsInstanceClasses: string[];
  elasticacheNodeTypes: string[];
  eksInstanceTypes: string[];
  gkeMachineTypes: string[];
  cloudSqlTiers: string[];
  memorystoreTiers: string[];
  /** Largest Memorystore instance, in GB. */
  memorystoreMaxGb: number;
}

const sizes = (families: string[], suffixes: string[]) =>
  families.flatMap((family) => suffixes.map((suffix) => `${family}${suffix}`));

const dev: ApprovedClasses = {
  rdsInstanceClasses: sizes(['db.t4g.', 'db.t3.'], ['micro', 'small', 'medium', 'large']),
  elasticacheNodeTypes: sizes(['cache.t4g.', 'cache.t3.'], ['micro', 'small', 'medium']),
  eksInstanceTypes: [
    ...sizes(['t3.', 't3a.', 't4g.'], ['medium', 'large', 'xlarge']),
    ...sizes(['m7i.', 'm7g.', 'm6i.', 'm6g.'], ['large']),
  ],
  gkeMachineTypes: [
    'e2-medium',
    'e2-standard-2',
    'e2-standard-4',
    'n2-standard-2',
    'n2d-standard-2',
    't2d-standard-1',
    't2d-standard-2',
  ],
  cloudSqlTiers: ['db-f1-micro', 'db-g1-small', 'db-custom-1-*', 'db-custom-2-*'],
  memorystoreTiers: ['BASIC'],
  memorystoreMaxGb: 5,
};

const staging: ApprovedClasses = {
  rdsInstanceClasses: [
    ...dev.rdsInstanceClasses,
    ...sizes(['db.m7g.', 'db.m6g.', 'db.m7i.', 'db.m6i.'], ['large', 'xlarge']),
    ...sizes(['db.r7g.', 'db.r6g.'], ['large']),
  ],
  elasticacheNodeTypes: [
    ...dev.elasticacheNodeTypes,
    ...sizes(['cache.m7g.', 'cache.m6g.'], ['large', 'xlarge']),
    ...sizes(['cache.r7g.', 'cache.r6g.'], ['large']),
  ],
  eksInstanceTypes: [
    ...dev.eksInstanceTypes,
    ...sizes(['m7i.', 'm7g.', 'm6i.', 'm6g.', 'c7i.', 'c7g.'], ['large', 'xlarge']),
  ],
  gkeMachineTypes: [
    ...dev.gkeMachineTypes,
    'n2-standard-4',
    'n2d-standard-4',
    'c3-standard-4',
    't2d-standard-4',
  ],
  cloudSqlTiers: [...dev.cloudSqlTiers, 'db-custom-4-*'],
  memorystoreTiers: ['BASIC', 'STANDARD_HA'],
  memorystoreMaxGb: 13,
};

const prod: ApprovedClasses = {
  rdsInstanceClasses: sizes(
    ['db.m7g.', 'db.m6g.', 'db.m7i.', 'db.m6i.', 'db.r7g.', 'db.r6g.', 'db.r7i.', 'db.r6i.'],
    ['*'],
  ),
  elasticacheNodeTypes: sizes(['cache.m7g.', 'cache.m6g.', 'cache.r7g.', 'cache.r6g.'], ['*']),
  eksInstanceTypes: sizes(
    [
      'm7i',
      'm7g',
      'm7a',
      'm6i',
      'm6g',
      'm6a',
      'c7i',
      'c7g',
      'c6i',
      'c6g',
      'r7i',
      'r7g',
      'r6i',
      'r6g',
    ],
    ['.*'],
  ),
  gkeMachineTypes: [
    'n2-*',
    'n2d-*',
    'n4-*',
    'c3-*',
    'c3d-*',
    'c4-*',
    't2d-*',
    'e2-standard-*',
    'e2-highmem-*',
    'e2-highcpu-*',
  ],
  cloudSqlTiers: ['db-custom-*', 'db-perf-optimized-*'],
  memorystoreTiers: ['STANDARD_HA'],
  memorystoreMaxGb: 300,
};

export const approvedClasses: PerEnvironment<ApprovedClasses> = { dev, staging, prod };

/** Whether `value` matches one of the patterns (`*` for any characters, the rest literal). */
export function matchesAny(value: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const literal = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${literal.join('.*')}$`).test(value);
  });
}
