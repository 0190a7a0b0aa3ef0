// A traffic worker: its own memory tier in front of the primary's shared store, reached over IPC.
import type { Worker } from 'node:cluster';
import { Registry } from 'prom-client';
import type { Logger } from '../lib/logger.ts';
import type { SiteSource } from '../lib/site.ts';
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
import type { PurgeRequest } from './purge.ts';
import type { CachedObject } from './store/entry.ts';
import type { AcquireResult, SharedTier } from './store/tiers.ts';
import { createTrafficProcess, listen } from './traffic.ts';

/** How often a worker hands its usage counts to the primary. */
const usageReportMs = 1000;

type Reply = Extract<PrimaryToWorker, { edgeplane: 'reply' }>;

/** The worker side of the shared tier. */
export class ClusterTier implements SharedTier {
  readonly shared = true;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private readonly send: (message: WorkerToPrimary) => void;

  constructor(send: (message: WorkerToPrimary) => void) {
    this.send = send;
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
    return reply.object === undefined ? undefined : fromTransfer(reply.object);
  }
  async acquire(key: string, staleResponseTime?: number): Promise<AcquireResult> {
    const reply = await this.ask((id) => ({ edgeplane: 'acquire', id, key, staleResponseTime }));
    return reply.object === undefined
      ? { lead: reply.lead === true }
      : { lead: false, object: fromTransfer(reply.object), waited: reply.waited === true };
  }
  async claimRevalidation(key: string, staleResponseTime: number): Promise<boolean> {
    const reply = await this.ask((id) => ({ edgeplane: 'claim', id, key, staleResponseTime }));
    return reply.lead === true;
  }
  store(object: CachedObject): void {
    this.send({ edgeplane: 'store', object: forTransfer(object) });
  }
  release(key: string, revalidation = false): void {
    this.send({ edgeplane: 'release', key, revalidation });
  }
  async purgeEverywhere(purge: PurgeRequest): Promise<number> {
    const reply = await this.ask((id) => ({ edgeplane: 'purge', id, purge }));
    return reply.count ?? 0;
  }
  stats() {
    return {};
  }
}

export async function startClusterWorker(
  config: EdgeConfig,
  sites: SiteSource,
  logger: Logger,
  worker: Worker,
  /** Count usage per site and report it to the primary (an edge following the origin). */
  countUsage = false,
): Promise<void> {
  const send = batchedSender<WorkerToPrimary>((message) => {
    if (worker.isConnected()) worker.send(message);
  });
  const tier = new ClusterTier(send);
  const registry = new Registry();
  const traffic = await createTrafficProcess({
    config,
    sites,
    tier: () => tier,
    // A worker's memory tier holds the hot set; the primary's shared store holds the rest.
    memoryBytes: Math.max(1024 * 1024, Math.floor(config.memoryBytes / (2 * config.workers))),
    registry,
    logger,
    countUsage,
  });
  const memory = traffic.ctx.memory;
  const gauges = registerCacheGauges(registry, () => ({
    'worker-memory': { bytes: memory.bytes, objects: memory.objects, evictions: memory.evictions },
  }));
  const receive = (typed: PrimaryToWorker) => {
    if (typed.edgeplane === 'reply') tier.reply(typed);
    else if (typed.edgeplane === 'purge') {
      send({ edgeplane: 'purged', id: typed.id, count: traffic.purgeLocal(typed.purge) });
    } else if (typed.edgeplane === 'metrics') {
      gauges.refresh();
      void registry.getMetricsAsJSON().then((metrics) => {
        send({ edgeplane: 'metrics', id: typed.id, metrics });
      });
    }
  };
  process.on('message', (message: unknown) => {
    if (!isEdgeMessage(message)) return;
    for (const typed of unbatched(message as PrimaryToWorker)) receive(typed);
  });
  // The primary accepts connections and hands them to the workers in turn (node:cluster's
  // round-robin): with long-lived keep-alive connections an even split matters more than the
  // accept cost, which SO_REUSEPORT's hashing of a few dozen connections does not guarantee.
  await listen(traffic.server, config.trafficPort, config.host);
  send({ edgeplane: 'listening' });
  const usage = traffic.usage;
  if (usage !== undefined) {
    setInterval(() => {
      const counted = usage.take();
      if (counted.length > 0) send({ edgeplane: 'usage', usage: counted });
    }, usageReportMs).unref();
  }
  process.on('SIGTERM', () => {
    void traffic.close().finally(() => {
      // The last counts go straight to the pipe (not through the batch), and the process exits
      // only once they are written, so a rolling restart loses no usage.
      const counted = usage?.take() ?? [];
      if (counted.length === 0 || !worker.isConnected()) process.exit(0);
      else
        process.send?.({ edgeplane: 'usage', usage: counted }, undefined, {}, () =>
          process.exit(0),
        );
    });
  });
}
