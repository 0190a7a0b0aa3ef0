import { gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { hardenedNodePool } from './gke-fixtures.ts';
import { gkeNodeAutoUpgradeRepair } from './gke-node-auto-upgrade-repair.ts';

const check = (management: unknown) =>
  verdicts(
    gkeNodeAutoUpgradeRepair,
    resourceOf(gcp.gkeNodePool, { ...hardenedNodePool, management }),
  );

describe('gke-node-auto-upgrade-repair', () => {
  it('passes pools that upgrade and repair (on by default)', async () => {
    expect(await check({ autoRepair: true, autoUpgrade: true })).toEqual([]);
    expect(await check(undefined)).toEqual([]);
  });

  it('fails pools with either turned off', async () => {
    expect(await check({ autoRepair: false, autoUpgrade: false })).toEqual([
      'mandatory: Node pool auto-upgrade is off, so nodes miss security patches: set management.autoUpgrade: true.',
      'mandatory: Node pool auto-repair is off, so broken nodes stay: set management.autoRepair: true.',
    ]);
    expect(await check({ autoRepair: true, autoUpgrade: false })).toHaveLength(1);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(await check(unknownDuringPreview)).toEqual([]);
    expect(
      await check({ autoRepair: unknownDuringPreview, autoUpgrade: unknownDuringPreview }),
    ).toEqual([]);
  });
});
