import { aws } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { eksControlPlaneLogging } from './eks-control-plane-logging.ts';

const check = (enabledClusterLogTypes: unknown, config?: Record<string, unknown>) =>
  verdicts(
    eksControlPlaneLogging,
    resourceOf(
      aws.eksCluster,
      enabledClusterLogTypes === undefined ? {} : { enabledClusterLogTypes },
    ),
    config,
  );

describe('eks-control-plane-logging', () => {
  it('passes clusters that log api, audit and authenticator', async () => {
    expect(await check(['api', 'audit', 'authenticator'])).toEqual([]);
    expect(
      await check(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']),
    ).toEqual([]);
  });

  it('fails clusters missing a required log type, naming it', async () => {
    expect(await check(undefined)).toEqual([
      expect.stringMatching(/^mandatory: EKS control-plane logs api, audit, authenticator are off/),
    ]);
    expect(await check(['api'])).toEqual([
      expect.stringContaining('logs audit, authenticator are off'),
    ]);
    expect(
      await check(['api', 'audit', 'authenticator'], { requiredLogTypes: ['scheduler'] }),
    ).toEqual([expect.stringContaining('logs scheduler are off')]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(await check(unknownDuringPreview)).toEqual([]);
    expect(await check(['api', unknownDuringPreview])).toEqual([]);
  });
});
