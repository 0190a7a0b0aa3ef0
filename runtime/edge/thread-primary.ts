// The primary of the multi-threaded edge: the main thread. It owns the shared store (memory tier +
// disk tier), the fill locks that collapse misses across threads, the management port and purge
// fan-out, and serves traffic itself as worker 1 straight from the shared store. Worker threads
// 2..N serve traffic too, each with its own memory tier (holding what it fetched, or with a disk
// tier only a hot set); every traffic thread listens on the same port with SO_REUSEPORT. So the
// hit ratio is not split N ways (an object fetched by one worker is a hit in all: the primary has
// it or asks the worker that holds it) and a purge reaches every worker before it is acknowledged.
import { createServer } from 'node:net';
import { Worker } from 'node:worker_threads';
import {
  AggregatorRegistry,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from 'prom-client';
import type { Logger } from '../lib/logger.ts';
import { type SiteSource, SiteTable } from '../lib/site.ts';
import { registerCacheGauges } from './cache-gauges.ts';
import type { EdgeConfig } from './config.ts';
import { type Batch, batchedSender, unbatched } from './ipc-batch.ts';
import { createManagementServer } from './management.ts';
import { memoryBudget, workersKeepFills } from './memory-budget.ts';
import { normalisePurge, type PurgeRequest } from './purge.ts';
import type { CachedObject } from './store/entry.ts';
import { FillTable, maxOwner } from './store/fill-table.ts';
import { type AcquireResult, PrimaryThreadTier, SharedStore } from './store/tiers.ts';
import {
  type EdgeWorkerData,
  type PackedObject,
  type PrimaryToWorker,
  packObject,
  unpackObject,
  type WorkerToPrimary,
} from './thread-protocol.ts';
import {
  createTrafficProcess,
  type EdgeStartOptions,
  listen,
  loadDiskTier,
  type RunningEdgeHandle,
  reportUsageEverySecond,
} from './traffic.ts';
import { workerResourceLimits } from './young-generation.ts';
import { zeroCopyState } from './zero-copy/index.ts';

const askTimeoutMs = 5000;
/** The main thread's index among the traffic threads; worker threads are 2..workers. */
const primaryWorker = 1;
type Reply = Extract<PrimaryToWorker, { edgeplane: 'reply' }>;
/** How long a stopping worker may take to close its connections before it is terminated. */
const stopTimeoutMs = 10_000;

export interface ThreadPrimaryOptions extends EdgeStartOptions {
  /** The script each worker thread runs: the process's own entry point (runtime/main.ts or the bundle). */
  workerEntry?: string;
}

/** The running primary; `workers` is for tests that end a thread the way a crash would. */
export interface ThreadPrimaryHandle extends RunningEdgeHandle {
  /** The running worker threads by index (2..workers; 1 is the main thread). */
  workers(): ReadonlyMap<number, Worker>;
}

export async function startThreadPrimary(
  config: EdgeConfig,
  sites: SiteSource,
  logger: Logger,
  options: ThreadPrimaryOptions = {},
): Promise<ThreadPrimaryHandle> {
  const workerEntry = options.workerEntry ?? process.argv[1];
  if (workerEntry === undefined) throw new Error('the edge primary needs its entry script');
  // Every traffic thread binds the port with SO_REUSEPORT, which would let another process of this
  // user that also binds it with SO_REUSEPORT (a second edge) silently take a share of the
  // connections: bind it once without, first, so a port in use fails the start (EADDRINUSE).
  const trafficPort = await bindOnce(config.host, config.trafficPort);
  // The primary needs the sites for its own traffic and to put URL purges in key form, and hands
  // them to workers that do not read a sites file (an edge following the origin).
  let siteTable = new SiteTable([]);
  const sitesMessage = (): PrimaryToWorker => ({
    edgeplane: 'sites',
    sites: siteTable.sites,
    ready: sites.ready ?? true,
  });
  const disk = await loadDiskTier(config, logger);
  if (config.workers > maxOwner) throw new Error(`at most ${maxOwner} edge workers`);
  const fills = FillTable.create(config.maxObjects);
  const store = new SharedStore({
    maxBytes: memoryBudget(config.memoryBytes, config.workers, workersKeepFills(config))
      .sharedBytes,
    maxObjects: config.maxObjects,
    disk,
    lockTimeoutMs: config.upstream.firstByteTimeoutMs + config.upstream.idleTimeoutMs,
    fills,
    fromHolder: (key, asker) => {
      const holder = fills.holderOf(key);
      if (holder === undefined || holder === asker || !threads.has(holder)) return undefined;
      return ask([holder], (id) => ({ edgeplane: 'give', id, key })).then(([packed]) =>
        packed === undefined ? undefined : unpackObject(packed as PackedObject),
      );
    },
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

  /** Running worker threads by index (2..workers). */
  const threads = new Map<number, Worker>();
  /** Workers that listen and have their sites (see the 'serving' message). */
  const serving = new Set<number>();
  let stopping = false;
  let nextId = 1;
  const waiting = new Map<
    number,
    { expect: Set<number>; results: unknown[]; done: (results: unknown[]) => void }
  >();

  const senders = new Map<number, (message: PrimaryToWorker, transfer?: ArrayBuffer[]) => void>();
  const send = (index: number, message: PrimaryToWorker, transfer?: ArrayBuffer[]) => {
    let sender = senders.get(index);
    if (sender === undefined) {
      sender = batchedSender<PrimaryToWorker>((batch, moved) =>
        threads.get(index)?.postMessage(batch, moved),
      );
      senders.set(index, sender);
    }
    sender(message, transfer);
  };
  /** A reply carrying an object: packed and moved to the worker. */
  const sendObject = (index: number, reply: Reply, object: CachedObject | undefined) => {
    if (object === undefined) return send(index, reply);
    const packed = packObject(object);
    send(index, { ...reply, object: packed }, [packed]);
  };

  /** Sends a message to workers and collects one answer from each (dead ones are skipped). */
  const ask = (targets: number[], message: (id: number) => PrimaryToWorker): Promise<unknown[]> => {
    const id = nextId++;
    return new Promise((resolve) => {
      if (targets.length === 0) return resolve([]);
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve(entry.results);
      }, askTimeoutMs);
      const entry = {
        expect: new Set(targets),
        results: [] as unknown[],
        done: (results: unknown[]) => {
          clearTimeout(timer);
          resolve(results);
        },
      };
      waiting.set(id, entry);
      for (const index of targets) send(index, message(id));
    });
  };
  const askAll = (message: (id: number) => PrimaryToWorker) => ask([...threads.keys()], message);
  const answered = (worker: number, id: number, result: unknown) => {
    const entry = waiting.get(id);
    if (entry === undefined || !entry.expect.delete(worker)) return;
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
  /** A purge from the management API or the origin: URL values put in key form first. */
  const purgeFromOutside = (purge: PurgeRequest) =>
    purgeEverywhere(normalisePurge(purge, siteTable));

  // Subscribed before loading, so a change that lands while the load is answered is not missed.
  let changed = false;
  const stopWatchingSites =
    sites.subscribe?.((next) => {
      changed = true;
      siteTable = new SiteTable(next);
      for (const index of threads.keys()) send(index, sitesMessage());
    }) ?? (() => {});
  const loaded = await sites.load();
  if (!changed) siteTable = new SiteTable(loaded);

  // The main thread serves traffic too, as worker 1: its memory tier is the shared store's, and
  // its misses take locks and store by plain calls, with no message.
  const traffic = await createTrafficProcess({
    config,
    sites,
    tier: () => new PrimaryThreadTier(store, primaryWorker, (purge) => purgeEverywhere(purge)),
    memory: { store: store.memory, fence: store.fence },
    registry,
    logger: logger.child({ worker: primaryWorker }),
    countUsage: options.onUsage !== undefined,
  });
  const usageReports = reportUsageEverySecond(traffic.usage, options.onUsage);
  await listen(traffic.server, trafficPort, config.host, true);

  const receive = (worker: number, message: WorkerToPrimary) => {
    switch (message.edgeplane) {
      case 'lookup':
        void store
          .lookup(message.key, worker)
          .then((object) => sendObject(worker, { edgeplane: 'reply', id: message.id }, object));
        return;
      case 'acquire': {
        const reply = (result: AcquireResult) =>
          sendObject(
            worker,
            {
              edgeplane: 'reply',
              id: message.id,
              lead: result.lead,
              waited: result.waited,
              token: result.token,
            },
            result.object,
          );
        const result = store.acquire(message.key, worker, message.staleResponseTime);
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
        store.store(unpackObject(message.object), message.token);
        return;
      case 'release':
        store.release(message.key, message.revalidation, message.token);
        return;
      case 'free':
        store.freeSlot(message.key, message.token);
        return;
      case 'purge':
        void purgeEverywhere(message.purge).then((count) =>
          send(worker, { edgeplane: 'reply', id: message.id, count }),
        );
        return;
      case 'purged':
        answered(worker, message.id, message.count);
        return;
      case 'given':
        answered(worker, message.id, message.object);
        return;
      case 'metrics':
        answered(worker, message.id, message.metrics);
        return;
      case 'serving':
        if (message.ready) serving.add(worker);
        else serving.delete(worker);
        return;
      case 'want-sites':
        send(worker, sitesMessage());
        return;
      case 'usage':
        options.onUsage?.(message.usage);
        return;
    }
  };

  const start = (index: number) => {
    const data: EdgeWorkerData = {
      edgeplane: 'edge-worker',
      index,
      trafficPort,
      fills: fills.buffers,
    };
    const worker = new Worker(workerEntry, {
      workerData: data,
      argv: process.argv.slice(2),
      resourceLimits: workerResourceLimits,
    });
    threads.set(index, worker);
    worker.on('message', (raw: WorkerToPrimary | Batch<WorkerToPrimary>) => {
      for (const message of unbatched(raw)) receive(index, message);
    });
    worker.on('error', (error) =>
      logger.error({ err: error, worker: index }, 'edge worker failed'),
    );
    worker.on('exit', (code) => {
      threads.delete(index);
      serving.delete(index);
      senders.delete(index);
      store.releaseOwner(index);
      for (const [id, entry] of waiting) {
        if (entry.expect.delete(index) && entry.expect.size === 0) {
          waiting.delete(id);
          entry.done(entry.results);
        }
      }
      if (stopping) return;
      logger.error({ worker: index, code }, 'edge worker exited; starting another');
      start(index);
    });
  };
  for (let index = primaryWorker + 1; index <= config.workers; index++) start(index);

  const management = createManagementServer({
    ready: () => !stopping && serving.size >= config.workers - 1 && (sites.ready ?? true),
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
    purge: purgeFromOutside,
    purgeToken: config.purgeToken,
    logger,
  });
  const managementPort = await listen(management, config.managementPort, config.host);
  logger.info(
    { trafficPort, managementPort, workers: config.workers, zeroCopy: zeroCopyState(config) },
    'edge primary started',
  );

  return {
    trafficPort,
    managementPort,
    registry,
    purge: purgeFromOutside,
    workers: () => new Map(threads),
    async close() {
      stopping = true;
      stopWatchingSites();
      // Each worker closes its traffic port, sends its last usage counts and ends; one that takes
      // too long is terminated.
      await Promise.all(
        [...threads.values()].map(
          (worker) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => void worker.terminate(), stopTimeoutMs);
              worker.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              worker.postMessage({ edgeplane: 'stop' } satisfies PrimaryToWorker);
            }),
        ),
      );
      await traffic.close();
      usageReports.stop();
      await new Promise<void>((resolve) => {
        management.close(() => resolve());
        management.closeAllConnections();
      });
    },
  };
}

/**
 * Binds `port` alone and lets it go: the port the traffic threads then share (a free one for 0),
 * or EADDRINUSE when anything listens on it.
 */
function bindOnce(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}
