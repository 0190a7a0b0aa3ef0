// A traffic worker thread: its own memory tier in front of the primary's shared store, reached
// over the thread's MessagePort.
import { parentPort } from 'node:worker_threads';
import { Registry } from 'prom-client';
import type { Logger } from '../lib/logger.ts';
import type { SiteSource } from '../lib/site.ts';
import { registerCacheGauges } from './cache-gauges.ts';
import type { EdgeConfig } from './config.ts';
import { type Batch, batchedSender, unbatched } from './ipc-batch.ts';
import { memoryBudget } from './memory-budget.ts';
import type { PurgeRequest } from './purge.ts';
import type { CachedObject } from './store/entry.ts';
import { FillTable } from './store/fill-table.ts';
import type { AcquireResult, SharedTier } from './store/tiers.ts';
import {
  type EdgeWorkerData,
  type PrimaryToWorker,
  packObject,
  unpackObject,
  type WorkerToPrimary,
} from './thread-protocol.ts';
import { createTrafficProcess, listen, reportUsageEverySecond } from './traffic.ts';

type Reply = Extract<PrimaryToWorker, { edgeplane: 'reply' }>;

/**
 * The worker side of the shared tier. A miss takes its fill lock from the shared fill table when
 * the shared store cannot hold the key (no round trip); otherwise it asks the primary.
 */
export class ThreadTier implements SharedTier {
  readonly shared = true;
  readonly holdsFills = true;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private readonly send: (message: WorkerToPrimary, transfer?: ArrayBuffer[]) => void;
  private readonly fills: FillTable;
  private readonly owner: number;
  /** Tokens of the locks this worker took itself, by key, until their store or release. */
  private readonly tokens = new Map<string, number>();

  constructor(
    send: (message: WorkerToPrimary, transfer?: ArrayBuffer[]) => void,
    fills: FillTable,
    owner: number,
  ) {
    this.send = send;
    this.fills = fills;
    this.owner = owner;
  }

  /** Feeds a reply from the primary. */
  reply(message: Reply): void {
    const resolve = this.pending.get(message.id);
    if (resolve === undefined) return;
    this.pending.delete(message.id);
    resolve(message);
  }

  private ask(message: (id: number) => WorkerToPrimary): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send(message(id));
    });
  }

  async lookup(key: string): Promise<CachedObject | undefined> {
    const reply = await this.ask((id) => ({ edgeplane: 'lookup', id, key }));
    return reply.object === undefined ? undefined : unpackObject(reply.object);
  }
  async acquire(key: string, staleResponseTime?: number): Promise<AcquireResult> {
    if (staleResponseTime === undefined) {
      const token = this.fills.tryLead(key, this.owner);
      if (token > 0) {
        this.tokens.set(key, token);
        return { lead: true };
      }
      // Stored just as the slot was taken: give it back before asking (the messages keep order).
      if (token < 0) this.send({ edgeplane: 'free', key, token: -token });
    }
    const reply = await this.ask((id) => ({ edgeplane: 'acquire', id, key, staleResponseTime }));
    if (reply.lead === true && reply.token !== undefined) this.tokens.set(key, reply.token);
    return reply.object === undefined
      ? { lead: reply.lead === true }
      : { lead: false, object: unpackObject(reply.object), waited: reply.waited === true };
  }
  async claimRevalidation(key: string, staleResponseTime: number): Promise<boolean> {
    const reply = await this.ask((id) => ({ edgeplane: 'claim', id, key, staleResponseTime }));
    return reply.lead === true;
  }
  markComplete(key: string): void {
    const token = this.tokens.get(key);
    if (token !== undefined) this.fills.markComplete(key, token);
  }
  store(object: CachedObject): void {
    const token = this.takeToken(object.key);
    // A fill that answers its client after storing (a Range, a 304) marks it here.
    if (token !== undefined) this.fills.markComplete(object.key, token);
    const packed = packObject(object);
    this.send({ edgeplane: 'store', object: packed, token }, [packed]);
  }
  release(key: string, revalidation = false): void {
    const token = revalidation ? undefined : this.takeToken(key);
    this.send({ edgeplane: 'release', key, revalidation, token });
  }
  private takeToken(key: string): number | undefined {
    const token = this.tokens.get(key);
    if (token !== undefined) this.tokens.delete(key);
    return token;
  }
  async purgeEverywhere(purge: PurgeRequest): Promise<number> {
    const reply = await this.ask((id) => ({ edgeplane: 'purge', id, purge }));
    return reply.count ?? 0;
  }
  stats() {
    return {};
  }
}

export async function startThreadWorker(
  config: EdgeConfig,
  sites: SiteSource,
  logger: Logger,
  data: EdgeWorkerData,
  /** Count usage per site and report it to the primary (an edge following the origin). */
  countUsage = false,
): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('startThreadWorker runs in a worker thread');
  const send = batchedSender<WorkerToPrimary>((message, transfer) =>
    port.postMessage(message, transfer),
  );
  const tier = new ThreadTier(send, new FillTable(data.fills), data.index);
  const registry = new Registry();
  const traffic = await createTrafficProcess({
    config,
    sites,
    tier: () => tier,
    // A worker's memory tier holds the hot set; the primary's shared store holds the rest.
    memory: memoryBudget(config.memoryBytes, config.workers).workerHotBytes,
    registry,
    logger,
    countUsage,
  });
  const memory = traffic.ctx.memory;
  const gauges = registerCacheGauges(registry, () => ({
    'worker-memory': { bytes: memory.bytes, objects: memory.objects, evictions: memory.evictions },
  }));
  // Usage goes straight to the port (not through the batch): the last counts are posted just before
  // the thread ends, and a message posted before the exit still reaches the primary, so a rolling
  // restart loses no usage.
  const usageReports = reportUsageEverySecond(traffic.usage, (usage) => {
    const message: WorkerToPrimary = { edgeplane: 'usage', usage: [...usage] };
    port.postMessage(message);
  });
  const stop = async () => {
    await traffic.close();
    usageReports.stop();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(0);
  };
  const receive = (typed: PrimaryToWorker) => {
    if (typed.edgeplane === 'reply') tier.reply(typed);
    else if (typed.edgeplane === 'purge') {
      send({ edgeplane: 'purged', id: typed.id, count: traffic.purgeLocal(typed.purge) });
    } else if (typed.edgeplane === 'metrics') {
      gauges.refresh();
      void registry.getMetricsAsJSON().then((metrics) => {
        send({ edgeplane: 'metrics', id: typed.id, metrics });
      });
    } else if (typed.edgeplane === 'stop') void stop();
  };
  port.on('message', (message: PrimaryToWorker | Batch<PrimaryToWorker>) => {
    for (const typed of unbatched(message)) receive(typed);
  });
  // Every worker listens on the same port with SO_REUSEPORT; the kernel spreads new connections
  // over the workers' sockets (threads cannot hand accepted sockets to each other).
  await listen(traffic.server, data.trafficPort, config.host, true);
  let ready = sites.ready ?? true;
  send({ edgeplane: 'serving', ready });
  sites.subscribe?.(() => {
    if ((sites.ready ?? true) === ready) return;
    ready = sites.ready ?? true;
    send({ edgeplane: 'serving', ready });
  });
}
