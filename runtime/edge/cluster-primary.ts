// The primary of the multi-process edge. Workers serve traffic, each on its own SO_REUSEPORT
// socket with a small hot memory tier; the primary owns the shared store (memory tier + disk
// tier), the fill locks that collapse misses across workers, the management port, and purge
// fan-out. So the hit ratio is not split N ways (an object fetched by one worker is a hit in all)
// and a purge reaches every worker before it is acknowledged.
import cluster, { type Worker } from 'node:cluster';
import {
  AggregatorRegistry,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from 'prom-client';
import type { Logger } from '../lib/logger.ts';
import { type SiteSource, SiteTable } from '../lib/site.ts';
import { registerCacheGauges } from './cache-gauges.ts';
import {
  forTransfer,
  fromTransfer,
  isEdgeMessage,
  type PrimaryToWorker,
  type WorkerToPrimary,
} from './cluster-protocol.ts';
import type { EdgeConfig } from './config.ts';
import { batchedSender, unbatched } from './ipc-batch.ts';
import { createManagementServer } from './management.ts';
import { normalisePurge, type PurgeRequest } from './purge.ts';
import { DiskStore } from './store/disk-store.ts';
import { type AcquireResult, SharedStore } from './store/tiers.ts';
import { type EdgeStartOptions, listen, type RunningEdgeHandle } from './traffic.ts';

const askTimeoutMs = 5000;

export async function startClusterPrimary(
  config: EdgeConfig,
  sites: SiteSource,
  logger: Logger,
  options: EdgeStartOptions = {},
): Promise<RunningEdgeHandle> {
  // The primary serves no traffic; it needs the sites to put URL purges in key form, and hands
  // them to workers that do not read a sites file (an edge following the origin).
  let siteTable = new SiteTable([]);
  const sitesMessage = (): PrimaryToWorker => ({
    edgeplane: 'sites',
    sites: siteTable.sites,
    ready: sites.ready ?? true,
  });
  let disk: DiskStore | undefined;
  if (config.diskBytes > 0 && config.diskPath !== undefined) {
    disk = new DiskStore(config.diskPath, config.diskBytes);
    await disk.load();
    logger.info({ objects: disk.objects, bytes: disk.bytes }, 'disk tier loaded');
  }
  const store = new SharedStore({
    maxBytes: config.memoryBytes,
    maxObjects: config.maxObjects,
    disk,
    lockTimeoutMs: config.upstream.firstByteTimeoutMs + config.upstream.idleTimeoutMs,
  });
  const registry = new Registry();
  const gauges = registerCacheGauges(registry, () => ({
    memory: {
      bytes: store.memory.bytes,
      objects: store.memory.objects,
      evictions: store.memory.evictions,
    },
    disk:
      disk === undefined
        ? undefined
        : { bytes: disk.bytes, objects: disk.objects, evictions: disk.evictions },
  }));

  const listening = new Set<number>();
  let stopping = false;
  let nextId = 1;
  const waiting = new Map<
    number,
    { expect: Set<number>; results: unknown[]; done: (results: unknown[]) => void }
  >();

  const senders = new Map<number, (message: PrimaryToWorker) => void>();
  const send = (worker: Worker, message: PrimaryToWorker) => {
    let sender = senders.get(worker.id);
    if (sender === undefined) {
      sender = batchedSender<PrimaryToWorker>((batch) => {
        if (worker.isConnected()) worker.send(batch);
      });
      senders.set(worker.id, sender);
    }
    sender(message);
  };
  const workers = () =>
    Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);

  /** Sends a message to every worker and collects one answer from each (dead ones are skipped). */
  const askAll = (message: (id: number) => PrimaryToWorker): Promise<unknown[]> => {
    const id = nextId++;
    const targets = workers().filter((w) => w.isConnected());
    return new Promise((resolve) => {
      if (targets.length === 0) return resolve([]);
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve(entry.results);
      }, askTimeoutMs);
      const entry = {
        expect: new Set(targets.map((w) => w.id)),
        results: [] as unknown[],
        done: (results: unknown[]) => {
          clearTimeout(timer);
          resolve(results);
        },
      };
      waiting.set(id, entry);
      for (const worker of targets) send(worker, message(id));
    });
  };
  const answered = (worker: Worker, id: number, result: unknown) => {
    const entry = waiting.get(id);
    if (entry === undefined || !entry.expect.delete(worker.id)) return;
    entry.results.push(result);
    if (entry.expect.size === 0) {
      waiting.delete(id);
      entry.done(entry.results);
    }
  };

  const purgeEverywhere = async (purge: PurgeRequest): Promise<number> => {
    gauges.purges.labels(purge.kind, purge.mode).inc();
    const shared = store.purge(purge, Date.now());
    const counts = (await askAll((id) => ({ edgeplane: 'purge', id, purge }))) as number[];
    await disk?.settled();
    return Math.max(shared, ...counts);
  };

  // Subscribed before loading, so a change that lands while the load is answered is not missed.
  let changed = false;
  const stopWatchingSites =
    sites.subscribe?.((next) => {
      changed = true;
      siteTable = new SiteTable(next);
      for (const worker of workers()) if (worker.isConnected()) send(worker, sitesMessage());
    }) ?? (() => {});
  const loaded = await sites.load();
  if (!changed) siteTable = new SiteTable(loaded);

  cluster.on('message', (worker: Worker, raw: unknown) => {
    if (!isEdgeMessage(raw)) return;
    for (const message of unbatched(raw as WorkerToPrimary)) receive(worker, message);
  });
  const receive = (worker: Worker, message: WorkerToPrimary) => {
    switch (message.edgeplane) {
      case 'lookup':
        void store.lookup(message.key).then((object) =>
          send(worker, {
            edgeplane: 'reply',
            id: message.id,
            object: object && forTransfer(object),
          }),
        );
        return;
      case 'acquire': {
        const reply = (result: AcquireResult) =>
          send(worker, {
            edgeplane: 'reply',
            id: message.id,
            lead: result.lead,
            waited: result.waited,
            object: result.object && forTransfer(result.object),
          });
        const result = store.acquire(message.key, worker.id, message.staleResponseTime);
        if (result instanceof Promise) void result.then(reply);
        else reply(result);
        return;
      }
      case 'claim':
        send(worker, {
          edgeplane: 'reply',
          id: message.id,
          lead: store.claimRevalidation(message.key, message.staleResponseTime),
        });
        return;
      case 'store':
        store.store(fromTransfer(message.object));
        return;
      case 'release':
        store.release(message.key, message.revalidation);
        return;
      case 'purge':
        void purgeEverywhere(message.purge).then((count) =>
          send(worker, { edgeplane: 'reply', id: message.id, count }),
        );
        return;
      case 'purged':
        answered(worker, message.id, message.count);
        return;
      case 'metrics':
        answered(worker, message.id, message.metrics);
        return;
      case 'listening':
        listening.add(worker.id);
        return;
      case 'want-sites':
        send(worker, sitesMessage());
        return;
      case 'usage':
        options.onUsage?.(message.usage);
        return;
    }
  };

  cluster.setupPrimary({ serialization: 'advanced' });
  const fork = () => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    listening.delete(worker.id);
    senders.delete(worker.id);
    store.releaseOwner(worker.id);
    for (const [id, entry] of waiting) {
      if (entry.expect.delete(worker.id) && entry.expect.size === 0) {
        waiting.delete(id);
        entry.done(entry.results);
      }
    }
    if (stopping) return;
    logger.error({ worker: worker.id, code, signal }, 'edge worker exited; starting another');
    fork();
  });
  for (let i = 0; i < config.workers; i++) fork();

  const management = createManagementServer({
    ready: () => !stopping && listening.size >= config.workers && (sites.ready ?? true),
    metrics: async () => {
      gauges.refresh();
      const fromWorkers = (await askAll((id) => ({
        edgeplane: 'metrics',
        id,
      }))) as MetricObjectWithValues<MetricValue<string>>[][];
      const merged = AggregatorRegistry.aggregate([
        await registry.getMetricsAsJSON(),
        ...fromWorkers,
      ]);
      return { contentType: registry.contentType, body: await merged.metrics() };
    },
    purge: (purge) => purgeEverywhere(normalisePurge(purge, siteTable)),
    purgeToken: config.purgeToken,
    logger,
  });
  const managementPort = await listen(management, config.managementPort, config.host);
  logger.info(
    { trafficPort: config.trafficPort, managementPort, workers: config.workers },
    'edge primary started',
  );

  return {
    trafficPort: config.trafficPort,
    managementPort,
    registry,
    purge: (purge) => purgeEverywhere(normalisePurge(purge, siteTable)),
    async close() {
      stopping = true;
      stopWatchingSites();
      // Waiting for the IPC channel to close as well as the process to exit: a worker's last
      // message (its final usage counts) is read before the channel's end.
      await Promise.all(
        workers().map((worker) =>
          Promise.all([
            new Promise<void>((resolve) => worker.once('exit', () => resolve())),
            worker.isConnected()
              ? new Promise<void>((resolve) => worker.once('disconnect', () => resolve()))
              : undefined,
            worker.process.kill('SIGTERM'),
          ]),
        ),
      );
      await new Promise<void>((resolve) => {
        management.close(() => resolve());
        management.closeAllConnections();
      });
    },
  };
}
