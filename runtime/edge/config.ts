// The edge's settings, read from the contract's environment (runtime/contract.ts).
import { availableParallelism } from 'node:os';
import type { EdgeEnv } from '../contract.ts';

export interface EdgeConfig {
  trafficPort: number;
  managementPort: number;
  /** Listen address; 0.0.0.0 in a container, 127.0.0.1 in tests and benchmarks. */
  host: string;
  region: string;
  logLevel: string;
  requestLog: EdgeEnv['EDGEPLANE_REQUEST_LOG'];
  /** Plain GETs and HEADs taken by fast-hit/ (hits from bytes, the rest by the handler) before node:http. */
  fastHits: boolean;
  /** Large fast hits sent with sendfile where the zero-copy addon is built (zero-copy/). */
  zeroCopy: boolean;
  /** The client for plain-http origins: origin-client/ ('raw') or undici. */
  originClient: EdgeEnv['EDGEPLANE_ORIGIN_CLIENT'];
  sitesFile: string | undefined;
  memoryBytes: number;
  maxObjects: number;
  maxObjectBytes: number;
  diskBytes: number;
  diskPath: string | undefined;
  purgeToken: string | undefined;
  workers: number;
  upstream: { connectTimeoutMs: number; firstByteTimeoutMs: number; idleTimeoutMs: number };
  compressMinBytes: number;
}

const mb = 1024 * 1024;

/** The disk tier's folder when the settings ask for one (a size above 0 and a path), else undefined. */
export function diskTierPath(
  config: Pick<EdgeConfig, 'diskBytes' | 'diskPath'>,
): string | undefined {
  return config.diskBytes > 0 ? config.diskPath : undefined;
}

export function edgeConfigFrom(env: EdgeEnv, host = env.EDGEPLANE_LISTEN_ADDRESS): EdgeConfig {
  return {
    trafficPort: env.EDGEPLANE_TRAFFIC_PORT,
    managementPort: env.EDGEPLANE_MANAGEMENT_PORT,
    host,
    region: env.EDGEPLANE_REGION,
    logLevel: env.EDGEPLANE_LOG_LEVEL,
    requestLog: env.EDGEPLANE_REQUEST_LOG,
    fastHits: env.EDGEPLANE_FAST_HITS === 'on',
    zeroCopy: env.EDGEPLANE_ZERO_COPY === 'on',
    originClient: env.EDGEPLANE_ORIGIN_CLIENT,
    sitesFile: env.EDGEPLANE_SITES_FILE,
    memoryBytes: env.EDGEPLANE_CACHE_MEMORY_MB * mb,
    maxObjects: env.EDGEPLANE_CACHE_MAX_OBJECTS,
    maxObjectBytes: env.EDGEPLANE_CACHE_MAX_OBJECT_MB * mb,
    diskBytes: env.EDGEPLANE_CACHE_DISK_MB * mb,
    diskPath: env.EDGEPLANE_CACHE_DISK_PATH,
    purgeToken: env.EDGEPLANE_PURGE_TOKEN,
    workers: env.EDGEPLANE_EDGE_WORKERS === 0 ? availableParallelism() : env.EDGEPLANE_EDGE_WORKERS,
    upstream: {
      connectTimeoutMs: env.EDGEPLANE_UPSTREAM_CONNECT_TIMEOUT_MS,
      firstByteTimeoutMs: env.EDGEPLANE_UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
      idleTimeoutMs: env.EDGEPLANE_UPSTREAM_IDLE_TIMEOUT_MS,
    },
    compressMinBytes: env.EDGEPLANE_COMPRESS_MIN_BYTES,
  };
}
