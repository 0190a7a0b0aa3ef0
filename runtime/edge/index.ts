// Starts the edge role: one process (EDGEPLANE_EDGE_WORKERS=1) or a primary with traffic workers.
// Sites come from EDGEPLANE_SITES_FILE, or else from the origin (EDGEPLANE_ORIGIN_URL with
// EDGEPLANE_EDGE_TOKEN; the contract refuses an edge with neither): then only the primary follows
// the origin, and workers get sites from it over IPC.
import cluster from 'node:cluster';
import type { EdgeEnv } from '../contract.ts';
import { createLogger } from '../lib/logger.ts';
import { type SiteSource, SitesError } from '../lib/site.ts';
import { FileSiteSource } from '../lib/site-file-source.ts';
import { startClusterPrimary } from './cluster-primary.ts';
import { startClusterWorker } from './cluster-worker.ts';
import { edgeConfigFrom } from './config.ts';
import { EdgeOriginLink } from './origin-link.ts';
import { PrimarySiteSource } from './primary-site-source.ts';
import { startSingleEdge } from './single.ts';
import type { EdgeStartOptions } from './traffic.ts';

/** Runs until SIGTERM or SIGINT; resolves with the process exit code. */
export async function runEdge(env: EdgeEnv): Promise<number> {
  const config = edgeConfigFrom(env);
  const logger = createLogger({ level: config.logLevel, role: 'edge', region: config.region });
  const sitesFile = config.sitesFile;
  const originUrl = env.EDGEPLANE_ORIGIN_URL;
  const edgeToken = env.EDGEPLANE_EDGE_TOKEN;

  if (cluster.isWorker && cluster.worker !== undefined) {
    const sites: SiteSource =
      sitesFile !== undefined
        ? new FileSiteSource(sitesFile, (error) =>
            logger.error(
              { err: error },
              'sites file changed but is invalid; keeping the previous sites',
            ),
          )
        : new PrimarySiteSource();
    await startClusterWorker(config, sites, logger, cluster.worker, sitesFile === undefined);
    return new Promise<number>(() => {});
  }

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
      : await startClusterPrimary(config, sites, logger, options);
  link?.attach(edge);
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
