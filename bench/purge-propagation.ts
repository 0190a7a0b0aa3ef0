// Times one purge: prime the object on every edge (a hit on each), send the purge, then poll each
// edge until its answer is no longer a hit. Each edge's time is when that first non-hit answer
// arrived, counted from just before the purge request left (so it includes the API call, the
// commit, the fan-out, the event stream and the edge applying it, plus at most one poll interval).
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { isHitOf } from './cache-hit.ts';
import type { PurgeSample } from './purge-stats.ts';

export interface EdgeProbe {
  /** Base URLs of the edges' traffic ports. */
  edges: readonly string[];
  /** Host header of the site. */
  host: string;
  /** The cache name in Cache-Status whose `hit` counts. */
  cacheName: string;
}

/** GETs path on one edge and reads the body; true when the edge answered it from its cache. */
export async function fetchIsHit(probe: EdgeProbe, edge: string, path: string): Promise<boolean> {
  const response = await request(`${edge}${path}`, {
    headers: { host: probe.host },
    headersTimeout: 5000,
    bodyTimeout: 5000,
  });
  await response.body.arrayBuffer();
  if (response.statusCode !== 200) {
    throw new Error(`${edge}${path} answered ${response.statusCode}`);
  }
  return isHitOf(probe.cacheName, response.headers['cache-status']);
}

/** Requests path on every edge until each answers a hit (a miss fills, the next is a hit). */
export async function primeEverywhere(
  probe: EdgeProbe,
  path: string,
  attempts = 20,
): Promise<void> {
  await Promise.all(
    probe.edges.map(async (edge) => {
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (await fetchIsHit(probe, edge, path)) return;
        await sleep(5);
      }
      throw new Error(`${edge}${path} never answered a hit after ${attempts} requests`);
    }),
  );
}

export interface TimePurgeOptions {
  path: string;
  /** Sends the purge; resolves when the API answered. */
  sendPurge(): Promise<void>;
  pollIntervalMs: number;
  /** Give up on an edge that still serves the object after this long. */
  timeoutMs: number;
}

export async function timePurge(probe: EdgeProbe, options: TimePurgeOptions): Promise<PurgeSample> {
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  let failure: Error | undefined;
  const api = options.sendPurge().then(elapsed, (error: Error) => {
    failure = error;
    return Number.NaN;
  });
  const edgeMs = await Promise.all(
    probe.edges.map(async (edge) => {
      while (failure === undefined && elapsed() < options.timeoutMs) {
        if (!(await fetchIsHit(probe, edge, options.path))) return elapsed();
        await sleep(options.pollIntervalMs);
      }
      return undefined;
    }),
  );
  const apiMs = await api;
  if (failure !== undefined) throw failure;
  return { edgeMs, apiMs };
}
