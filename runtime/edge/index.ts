// Starts the edge role: one thread (EDGEPLANE_EDGE_WORKERS=1) or a primary (the main thread) with
// traffic worker threads. Sites come from EDGEPLANE_SITES_FILE, or else from the origin
// (EDGEPLANE_ORIGIN_URL with EDGEPLANE_EDGE_TOKEN; the contract refuses an edge with neither): then
// only the primary follows the origin, and workers get sites from it over their MessagePort.
import { isMainThread, workerData } from 'node:worker_threads';
import type { EdgeEnv } from '../contract.ts';
import { createLogger } from '../lib/logger.ts';
import { type SiteSource, SitesError } from '../lib/site.ts';
import { FileSiteSource } from '../lib/site-file-source.ts';
import { edgeConfigFrom } from './config.ts';
import { EdgeOriginLink } from './origin-link.ts';
import { PrimarySiteSource } from './primary-site-source.ts';
import { startSingleEdge } from './single.ts';
import { startThreadPrimary, type ThreadPrimaryHandle } from './thread-primary.ts';
import { isEdgeWorkerData } from './thread-protocol.ts';
import { startThreadWorker } from './thread-worker.ts';
import type { EdgeStartOptions, RunningEdgeHandle } from './traffic.ts';

/** For tests that drive the edge from a script of their own (test/edge/thread-control-driver.ts). */
export interface EdgeRunHooks {
  /** The script worker threads run (default: the process's entry point, as in production). */
  workerEntry?: string;
  /** Called once the edge serves: one thread's handle, or the primary's with its workers. */
  started?(edge: RunningEdgeHandle | ThreadPrimaryHandle): void;
}

/** Runs until SIGTERM or SIGINT; resolves with the process exit code. */
export async function runEdge(env: EdgeEnv, hooks: EdgeRunHooks = {}): Promise<number> {
  const config = edgeConfigFrom(env);
  const rootLogger = createLogger({ level: config.logLevel, role: 'edge', region: config.region });
  const sitesFile = config.sitesFile;
  const originUrl = env.EDGEPLANE_ORIGIN_URL;
  const edgeToken = env.EDGEPLANE_EDGE_TOKEN;

  if (!isMainThread && isEdgeWorkerData(workerData)) {
    // Worker threads share the process's pid: `worker` tells their log lines apart.
    const logger = rootLogger.child({ worker: workerData.index });
    const sites: SiteSource =
      sitesFile !== undefined
        ? new FileSiteSource(sitesFile, (error) =>
            logger.error(
              { err: error },
              'sites file changed but is invalid; keeping the previous sites',
            ),
          )
        : new PrimarySiteSource();
    await startThreadWorker(config, sites, logger, workerData, sitesFile === undefined);
    return new Promise<number>(() => {});
  }
  const logger = rootLogger;

  let sites: SiteSource;
  let link: EdgeOriginLink | undefined;
  const options: EdgeStartOptions = {};
  if (sitesFile !== undefined) {
    sites = new FileSiteSource(sitesFile, (error) =>
      logger.error({ err: error }, 'sites file changed but is invalid; keeping the previous sites'),
    );
    try {
      // Validate before anything listens or forks, so a bad file fails the start with its problems.
      await sites.load();
    } catch (error) {
      if (error instanceof SitesError) {
        process.stderr.write(`edgeplane: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
  } else if (originUrl !== undefined && edgeToken !== undefined) {
    // Not ready (503 on /readyz and on the traffic port) until the snapshot is in; the
    // management port answers /livez meanwhile, so an origin outage does not restart edges.
    link = await EdgeOriginLink.start({ config, originUrl, edgeToken, logger });
    sites = link.sites;
    const following = link;
    options.onUsage = (usage) => following.recordUsage(usage);
  } else {
    // The contract (runtime/contract.ts) refuses this environment before it gets here.
    process.stderr.write(
      'edgeplane: an edge needs its sites: set EDGEPLANE_ORIGIN_URL with EDGEPLANE_EDGE_TOKEN, or EDGEPLANE_SITES_FILE\n',
    );
    return 2;
  }

  const edge =
    config.workers <= 1
      ? await startSingleEdge(config, sites, logger, options)
      : await startThreadPrimary(config, sites, logger, {
          ...options,
          workerEntry: hooks.workerEntry,
        });
  link?.attach(edge);
  hooks.started?.(edge);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'edge stopping');
  await edge.close();
  // After the edge: the workers' last usage counts are in, and the last batch goes out now.
  await link?.close();
  logger.flush();
  return 0;
}
