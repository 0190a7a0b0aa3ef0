// Starts the edge role: one process (EDGEPLANE_EDGE_WORKERS=1) or a primary with traffic workers.
import cluster from 'node:cluster';
import type { EdgeEnv } from '../contract.ts';
import { createLogger } from '../lib/logger.ts';
import { type SiteSource, SitesError } from '../lib/site.ts';
import { FileSiteSource } from '../lib/site-file-source.ts';
import { startClusterPrimary } from './cluster-primary.ts';
import { startClusterWorker } from './cluster-worker.ts';
import { edgeConfigFrom } from './config.ts';
import { startSingleEdge } from './single.ts';

/** Runs until SIGTERM or SIGINT; resolves with the process exit code. */
export async function runEdge(env: EdgeEnv): Promise<number> {
  const config = edgeConfigFrom(env);
  const logger = createLogger({ level: config.logLevel, role: 'edge', region: config.region });
  if (config.sitesFile === undefined) {
    process.stderr.write(
      'edgeplane: following the origin for sites arrives with the origin role; set EDGEPLANE_SITES_FILE\n',
    );
    return 3;
  }
  const sites: SiteSource = new FileSiteSource(config.sitesFile, (error) =>
    logger.error({ err: error }, 'sites file changed but is invalid; keeping the previous sites'),
  );

  if (cluster.isWorker && cluster.worker !== undefined) {
    await startClusterWorker(config, sites, logger, cluster.worker);
    return new Promise<number>(() => {});
  }

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

  const edge =
    config.workers <= 1
      ? await startSingleEdge(config, sites, logger)
      : await startClusterPrimary(config, sites, logger);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'edge stopping');
  await edge.close();
  logger.flush();
  return 0;
}
