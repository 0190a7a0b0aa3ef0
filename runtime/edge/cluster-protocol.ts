// Messages between the primary and the traffic workers (node:cluster IPC with the 'advanced'
// serialisation, i.e. structured clone: Buffers travel as bytes, not JSON).
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { PurgeRequest } from './purge.ts';
import type { CachedObject } from './store/entry.ts';

export type WorkerToPrimary =
  | { edgeplane: 'lookup'; id: number; key: string }
  | { edgeplane: 'acquire'; id: number; key: string; staleResponseTime?: number }
  | { edgeplane: 'claim'; id: number; key: string; staleResponseTime: number }
  | { edgeplane: 'store'; object: CachedObject }
  | { edgeplane: 'release'; key: string; revalidation: boolean }
  | { edgeplane: 'purge'; id: number; purge: PurgeRequest }
  | { edgeplane: 'purged'; id: number; count: number }
  | { edgeplane: 'metrics'; id: number; metrics: MetricObjectWithValues<MetricValue<string>>[] }
  | { edgeplane: 'listening' };

export type PrimaryToWorker =
  | {
      edgeplane: 'reply';
      id: number;
      object?: CachedObject;
      lead?: boolean;
      waited?: boolean;
      count?: number;
    }
  | { edgeplane: 'purge'; id: number; purge: PurgeRequest }
  | { edgeplane: 'metrics'; id: number };

export function isEdgeMessage(message: unknown): message is { edgeplane: string } {
  return typeof message === 'object' && message !== null && 'edgeplane' in message;
}

/** An object as it goes over IPC: no derived data (wire headers, compressed copies). */
export function forTransfer(object: CachedObject): CachedObject {
  return {
    ...object,
    variants: object.variants.map(
      ({ wire: _wire, compressed: _compressed, ...variant }) => variant,
    ),
  };
}

/** Structured clone turns Buffers into Uint8Arrays; views over the same memory make them Buffers again. */
export function fromTransfer(object: CachedObject): CachedObject {
  for (const variant of object.variants) {
    const body = variant.body as Uint8Array;
    if (!Buffer.isBuffer(body))
      variant.body = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }
  return object;
}
