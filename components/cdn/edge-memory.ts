// How much of an edge pod's memory its cache may take (EDGEPLANE_CACHE_MEMORY_MB). Measured in
// memory cgroups with tiers of 1 KB objects filled to the brim (runtime/edge/README.md, Memory):
// three quarters of the pod's memory, less 128 MB for each traffic thread after the first (its
// V8 isolate, young generation, heap headroom and the copies its hot tier holds).
import type { ContainerResources } from './args.ts';
import { edgeWorkersFor } from './container.ts';

export const perExtraThreadMb = 128;
/** EDGEPLANE_CACHE_MEMORY_MB's smallest useful value (and the stacks' minimum). */
const smallestCacheMb = 16;

/** Megabytes of a Kubernetes memory quantity such as 512Mi or 2Gi; undefined for other forms. */
export function memoryMegabytes(quantity: string): number | undefined {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!match) return undefined;
  const scale = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 }[
    match[2] as 'Ki' | 'Mi' | 'Gi' | 'Ti'
  ];
  return Number(match[1]) * scale;
}

/** The largest cache, in MB, an edge of these resources holds without being killed for memory. */
export function edgeCacheRoomMb(edgeMemoryMb: number, threads: number): number {
  return Math.floor(edgeMemoryMb * 0.75) - perExtraThreadMb * (threads - 1);
}

/**
 * What is wrong with a cache of `cacheMemoryMb` in an edge of `resources`, for
 * `runtime.cacheMemoryMb`; undefined when it fits (or a quantity of `resources` is itself
 * invalid, which its own check reports).
 */
export function edgeCacheProblem(
  cacheMemoryMb: number,
  resources: ContainerResources,
): string | undefined {
  const edgeMemoryMb = memoryMegabytes(resources.memory);
  const threads = threadsOf(resources);
  if (edgeMemoryMb === undefined || threads === undefined) return undefined;
  const roomMb = edgeCacheRoomMb(edgeMemoryMb, threads);
  if (cacheMemoryMb <= roomMb) return undefined;
  if (roomMb < smallestCacheMb) {
    const neededMi = Math.ceil((smallestCacheMb + perExtraThreadMb * (threads - 1)) / 0.75);
    return `must leave room in the edge's ${resources.memory} of memory, which is too little for its ${threads} traffic threads: give runtime.edgeResources.memory at least ${neededMi}Mi`;
  }
  const threadsPart = threads > 1 ? ` and its ${threads} traffic threads` : '';
  return `must leave room in the edge's ${resources.memory} of memory${threadsPart}: at most ${roomMb}`;
}

function threadsOf(resources: ContainerResources): number | undefined {
  try {
    return edgeWorkersFor(resources);
  } catch {
    return undefined; // not a CPU quantity
  }
}
