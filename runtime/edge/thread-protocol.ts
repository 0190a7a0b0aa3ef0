// Messages between the primary (the main thread) and the traffic worker threads, over each
// worker's MessagePort (structured clone; cached objects travel packed, see PackedObject).
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Site } from '../lib/site.ts';
import type { PurgeRequest } from './purge.ts';
import type { CachedObject } from './store/entry.ts';
import type { FillTableBuffers } from './store/fill-table.ts';
import { decodeObject, encodeObject } from './store/object-codec.ts';
import type { SiteUsage } from './usage.ts';

export type WorkerToPrimary =
  | { edgeplane: 'lookup'; id: number; key: string }
  | { edgeplane: 'acquire'; id: number; key: string; staleResponseTime?: number }
  | { edgeplane: 'claim'; id: number; key: string; staleResponseTime: number }
  /**
   * `token`: the fill-table slot of the fill (store/fill-table.ts). A worker that keeps its own
   * fills sends one only when the primary granted its lock or queued requests on its slot.
   */
  | { edgeplane: 'store'; object: PackedObject; token?: number }
  | { edgeplane: 'release'; key: string; revalidation: boolean; token?: number }
  /**
   * A slot the worker took just as its key was stored (FillTable.tryLead): freed, its waiters
   * look again. Unlike a release it ends no lock and no revalidation claim: there was no fill.
   */
  | { edgeplane: 'free'; key: string; token: number }
  | { edgeplane: 'purge'; id: number; purge: PurgeRequest }
  | { edgeplane: 'purged'; id: number; count: number }
  /** The answer to a `give`: the object, if the worker's memory tier holds it. */
  | { edgeplane: 'given'; id: number; object?: PackedObject }
  | { edgeplane: 'metrics'; id: number; metrics: MetricObjectWithValues<MetricValue<string>>[] }
  /**
   * The worker listens and serves (`ready`), or waits for its sites (an edge following the origin,
   * before the snapshot); sent on listening and whenever that changes. Connections reach workers
   * straight from the kernel, so the primary is ready only once every worker is.
   */
  | { edgeplane: 'serving'; ready: boolean }
  /** A worker whose sites come from the primary (an edge following the origin) asks for them. */
  | { edgeplane: 'want-sites' }
  /** Usage counted since the last report (about once a second, and on shutdown). */
  | { edgeplane: 'usage'; usage: SiteUsage[] };

export type PrimaryToWorker =
  | {
      edgeplane: 'reply';
      id: number;
      object?: PackedObject;
      lead?: boolean;
      waited?: boolean;
      /** With `lead`: the fill-table token of the lock the primary granted. */
      token?: number;
      count?: number;
    }
  | { edgeplane: 'purge'; id: number; purge: PurgeRequest }
  /** Another thread missed on a key this worker holds (fill-table.ts holderOf): send a copy. */
  | { edgeplane: 'give'; id: number; key: string }
  | { edgeplane: 'metrics'; id: number }
  /** Close the traffic port, send the last usage counts, and end the thread. */
  | { edgeplane: 'stop' }
  /** The whole site set, on request and whenever it changes; `ready` false before the snapshot. */
  | { edgeplane: 'sites'; sites: readonly Site[]; ready: boolean };

/**
 * An object as it travels between threads: one ArrayBuffer of exactly its size (object-codec.ts),
 * transferred (moved), not cloned. Cloning a Buffer copies its whole backing ArrayBuffer, which
 * for a body read from a socket or Node's buffer pool is 8-64 KiB for a 1 KB object, copied per
 * message and then held by the receiver for as long as it keeps the object.
 */
export type PackedObject = ArrayBuffer;

export function packObject(object: CachedObject): PackedObject {
  return encodeObject(object, true).buffer as ArrayBuffer;
}

export function unpackObject(packed: PackedObject): CachedObject {
  return decodeObject(Buffer.from(packed));
}

/** What the primary gives each worker thread to start with (`workerData`). */
export interface EdgeWorkerData {
  edgeplane: 'edge-worker';
  /** 2..workers (1 is the main thread); a replacement takes the index of the thread it replaces. */
  index: number;
  /** The traffic port every worker listens on (SO_REUSEPORT), fixed by the primary. */
  trafficPort: number;
  /** The shared fill locks and presence counts (store/fill-table.ts). */
  fills: FillTableBuffers;
}

export function isEdgeWorkerData(data: unknown): data is EdgeWorkerData {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { edgeplane?: unknown }).edgeplane === 'edge-worker'
  );
}
