// A traffic worker thread: its own memory tier in front of the primary's shared store, reached
// over the thread's MessagePort. Without a disk tier the worker keeps what it fetches in its own
// tier and hands a copy to the primary when another thread asks for it.
import { parentPort } from 'node:worker_threads';
import { Registry } from 'prom-client';
import type { Logger } from '../lib/logger.ts';
import type { SiteSource } from '../lib/site.ts';
import { registerCacheGauges } from './cache-gauges.ts';
import type { EdgeConfig } from './config.ts';
import { type Batch, batchedSender, unbatched } from './ipc-batch.ts';
import { memoryBudget, workersKeepFills } from './memory-budget.ts';
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
 * no tier holds the key (no round trip); otherwise it asks the primary. A fill whose lock the
 * worker took itself ends in the worker (the fill table's end) unless the primary queued requests
 * on it; with `keepsFills` its object then stays in the worker's own tier, with no message.
 */
export class ThreadTier implements SharedTier {
  readonly shared = true;
  readonly holdsFills: boolean;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private readonly send: (message: WorkerToPrimary, transfer?: ArrayBuffer[]) => void;
  private readonly fills: FillTable;
  private readonly owner: number;
  private readonly keepsFills: boolean;
  /** Tokens of the locks this worker took itself (tryLead), by key, until their store or release. */
  private readonly ownSlots = new Map<string, number>();
  /** Tokens of the locks the primary granted this worker, by key, until their store or release. */
  private readonly tokens = new Map<string, number>();

  constructor(
    send: (message: WorkerToPrimary, transfer?: ArrayBuffer[]) => void,
    fills: FillTable,
    owner: number,
    /** The worker's own tier keeps its fills (no disk tier); else they all go to the primary. */
    keepsFills: boolean,
  ) {
    this.send = send;
    this.fills = fills;
    this.owner = owner;
    this.keepsFills = keepsFills;
    this.holdsFills = !keepsFills;
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
        this.ownSlots.set(key, token);
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
    const token = this.ownSlots.get(key) ?? this.tokens.get(key);
    if (token !== undefined) this.fills.markComplete(key, token);
  }
  store(object: CachedObject): void {
    const key = object.key;
    const own = this.take(this.ownSlots, key);
    // The object is in this worker's tier (fill.ts keep), counted in the fill table's presence
    // with this worker as its holder: ending the fill here is all, unless someone waits on it.
    if (own !== undefined && this.keepsFills && this.fills.end(key, own)) return;
    const token = own ?? this.take(this.tokens, key);
    // Complete until the store reaches the primary (a streamed fill marked it before its client's
    // response ended; a Range or a 304, which answer their client after storing, mark it here).
    if (token !== undefined) this.fills.markComplete(key, token);
    const packed = packObject(object);
    this.send({ edgeplane: 'store', object: packed, token }, [packed]);
  }
  release(key: string, revalidation = false): void {
    if (revalidation) {
      this.send({ edgeplane: 'release', key, revalidation });
      return;
    }
    const own = this.take(this.ownSlots, key);
    if (own !== undefined && this.fills.end(key, own)) return;
    this.send({
      edgeplane: 'release',
      key,
      revalidation,
      token: own ?? this.take(this.tokens, key),
    });
  }
  private take(tokens: Map<string, number>, key: string): number | undefined {
    const token = tokens.get(key);
    if (token !== undefined) tokens.delete(key);
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
  const fills = new FillTable(data.fills);
  const keepsFills = workersKeepFills(config);
  const tier = new ThreadTier(send, fills, data.index, keepsFills);
  const registry = new Registry();
  const traffic = await createTrafficProcess({
    config,
    sites,
    tier: () => tier,
    memory: memoryBudget(config.memoryBytes, config.workers, keepsFills).workerBytes,
    // Counted in the fill table, so other threads' misses on what this tier holds come for it.
    onHeld: (key, delta) => fills.countPresence(key, delta, data.index),
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
    } else if (typed.edgeplane === 'give') {
      const object = memory.peek(typed.key);
      if (object === undefined) send({ edgeplane: 'given', id: typed.id });
      else {
        const packed = packObject(object);
        send({ edgeplane: 'given', id: typed.id, object: packed }, [packed]);
      }
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
