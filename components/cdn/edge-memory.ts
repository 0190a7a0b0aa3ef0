// How much of an edge pod's memory its cache may take (EDGEPLANE_CACHE_MEMORY_MB). Measured in
// memory cgroups with tiers of 1 KB objects filled to the brim (runtime/edge/README.md, Memory):
// three quarters of the pod's memory, less 128 MB for each traffic thread after the first (its
// V8 isolate, young generation, heap headroom and the objects its own tier holds), less the disk
// tier's index, which the edge keeps in memory.
import { defaultCacheMaxObjects } from '../../runtime/contract.ts';
import type { ContainerResources } from './args.ts';
import { edgeWorkersFor } from './container.ts';

export const perExtraThreadMb = 128;
/** The edge's disk tier when runtime.cacheDiskMb is not given. */
export const defaultDiskCacheMb = 1024;
/** Heap per object of the disk tier's index (measured: 422 bytes), and the smallest file (a 1 KB object). */
const diskIndexBytesPerObject = 440;
const smallDiskObjectBytes = 1300;
/** EDGEPLANE_CACHE_MEMORY_MB's smallest useful value (and the stacks' minimum). */
const smallestCacheMb = 16;

/** A Kubernetes memory quantity as the stacks and the Cdn component accept it: 512Mi, 2Gi. */
export const memoryQuantityPattern = /^(\d+)(Ki|Mi|Gi|Ti)$/;

/** Megabytes of a Kubernetes memory quantity such as 512Mi or 2Gi; undefined for other forms. */
export function memoryMegabytes(quantity: string): number | undefined {
  const match = memoryQuantityPattern.exec(quantity);
  if (!match) return undefined;
  const scale = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 }[
    match[2] as 'Ki' | 'Mi' | 'Gi' | 'Ti'
  ];
  return Number(match[1]) * scale;
}

/** Memory, in MB, the index of a disk tier of `diskMb` takes at most (it holds at most 200,000 objects). */
export function diskIndexMb(diskMb: number): number {
  if (diskMb <= 0) return 0;
  const objects = Math.min(defaultCacheMaxObjects, (diskMb * 1024 * 1024) / smallDiskObjectBytes);
  return Math.ceil((objects * diskIndexBytesPerObject) / (1024 * 1024));
}

/** What the edge's threads after the first and its disk tier's index take out of the cache's share. */
function reservedMb(threads: number, diskMb: number): number {
  return perExtraThreadMb * (threads - 1) + diskIndexMb(diskMb);
}

/** The largest cache, in MB, an edge of these resources holds without being killed for memory. */
export function edgeCacheRoomMb(edgeMemoryMb: number, threads: number, diskMb: number): number {
  return Math.floor(edgeMemoryMb * 0.75) - reservedMb(threads, diskMb);
}

/**
 * What is wrong with a cache of `cacheMemoryMb` in an edge of `resources`, for
 * `runtime.cacheMemoryMb`; undefined when it fits (or a quantity of `resources` is itself
 * invalid, which its own check reports).
 */
export function edgeCacheProblem(
  cacheMemoryMb: number,
  resources: ContainerResources,
  diskMb = defaultDiskCacheMb,
): string | undefined {
  const edgeMemoryMb = memoryMegabytes(resources.memory);
  const threads = threadsOf(resources);
  if (edgeMemoryMb === undefined || threads === undefined) return undefined;
  const roomMb = edgeCacheRoomMb(edgeMemoryMb, threads, diskMb);
  if (cacheMemoryMb <= roomMb) return undefined;
  if (roomMb < smallestCacheMb) {
    const neededMi = Math.ceil((smallestCacheMb + reservedMb(threads, diskMb)) / 0.75);
    return `must leave room in the edge's ${resources.memory} of memory, which is too little for its ${threads} traffic threads: give runtime.edgeResources.memory at least ${neededMi}Mi`;
  }
  const threadsPart = threads > 1 ? `, its ${threads} traffic threads` : '';
  const diskPart = diskMb > 0 ? ` and its disk tier's index` : '';
  return `must leave room in the edge's ${resources.memory} of memory${threadsPart}${diskPart}: at most ${roomMb}`;
}

function threadsOf(resources: ContainerResources): number | undefined {
  try {
    return edgeWorkersFor(resources);
  } catch {
    return undefined; // not a CPU quantity
  }
}
