// edgeplane's own sizes fall inside the approved classes of the environments that default to them,
// so a stack that keeps the defaults never trips allowed-instance-classes; prod refuses only the
// burstable `small` classes.
import { elasticacheNodeTypes } from '../../components/cache/elasticache.ts';
import { memorystoreSizes } from '../../components/cache/memorystore.ts';
import { cloudSqlTiers } from '../../components/database/cloudsql.ts';
import { rdsInstanceClasses } from '../../components/database/rds-sizes.ts';
import { defaultNodeSizes, environmentDefaults } from '../../stacks/config-schema.ts';
import { environments } from '../lib/environment.ts';
import { approvedClasses, matchesAny } from './approved-classes.ts';

describe('approved instance classes', () => {
  it.each(environments)("approve %s's default sizes on every cloud", (environment) => {
    const defaults = environmentDefaults[environment];
    const approved = approvedClasses[environment];
    expect(matchesAny(rdsInstanceClasses[defaults.databaseSize], approved.rdsInstanceClasses)).toBe(
      true,
    );
    expect(
      matchesAny(elasticacheNodeTypes[defaults.cacheSize], approved.elasticacheNodeTypes),
    ).toBe(true);
    expect(matchesAny(cloudSqlTiers[defaults.databaseSize], approved.cloudSqlTiers)).toBe(true);
    expect(matchesAny(defaultNodeSizes.aws[environment] ?? '', approved.eksInstanceTypes)).toBe(
      true,
    );
    expect(matchesAny(defaultNodeSizes.gcp[environment] ?? '', approved.gkeMachineTypes)).toBe(
      true,
    );
    expect(approved.memorystoreTiers).toContain(defaults.highlyAvailable ? 'STANDARD_HA' : 'BASIC');
    expect(memorystoreSizes[defaults.cacheSize]).toBeLessThanOrEqual(approved.memorystoreMaxGb);
  });

  it('approve every size above small in prod, and refuse the burstable small classes there', () => {
    const prod = approvedClasses.prod;
    for (const size of ['medium', 'large', 'xlarge'] as const) {
      expect(matchesAny(rdsInstanceClasses[size], prod.rdsInstanceClasses)).toBe(true);
      expect(matchesAny(elasticacheNodeTypes[size], prod.elasticacheNodeTypes)).toBe(true);
      expect(matchesAny(cloudSqlTiers[size], prod.cloudSqlTiers)).toBe(true);
      expect(memorystoreSizes[size]).toBeLessThanOrEqual(prod.memorystoreMaxGb);
    }
    expect(matchesAny(rdsInstanceClasses.small, prod.rdsInstanceClasses)).toBe(false);
    expect(matchesAny(elasticacheNodeTypes.small, prod.elasticacheNodeTypes)).toBe(false);
  });
});
