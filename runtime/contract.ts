// The contract between the infrastructure and the runtime: the environment the runtime reads,
// its ports and probe paths. components/cdn imports this module to build the Deployments, and
// runtime/main.ts parses the same schema, so manifests and process cannot drift apart.
import { isIP } from 'node:net';
import { z } from 'zod';

export const runtimeRoles = ['edge', 'origin'] as const;
export type RuntimeRole = (typeof runtimeRoles)[number];

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** Container ports. Traffic is the edge's HTTP listener or the origin's API; management serves probes and metrics. */
export const ports = { traffic: 8080, management: 9090 } as const;

/** Paths on the management port. */
export const managementPaths = {
  liveness: '/livez',
  readiness: '/readyz',
  metrics: '/metrics',
} as const;

/** EDGEPLANE_CACHE_MAX_OBJECTS when unset: the object cap of each memory tier and of the disk tier. */
export const defaultCacheMaxObjects = 200_000;

/**
 * V8's semi-space of every edge thread, in MB. V8's default on a large host is 64 MB (a young
 * generation of 128 MB per thread), and the shared store's fills survive it: on misses each
 * scavenge paused the main thread 15-49 ms and its helper threads spent 26-127 ms of CPU. At
 * 8 MB a scavenge copies less at a time (runtime/edge/README.md, "Memory").
 */
export const edgeSemiSpaceMb = 8;

/**
 * What the edge process is started with, by its container (components/cdn), the bench and local
 * mode: V8 sizes the main thread's heap before any of our code runs, so this cannot be set from
 * inside. Worker threads get the same through their resource limits (thread-primary.ts).
 */
export const edgeNodeOptions = {
  name: 'NODE_OPTIONS',
  value: `--max-semi-space-size=${edgeSemiSpaceMb}`,
} as const;

/** Environment variable names, one place for both sides. */
export const envNames = {
  role: 'EDGEPLANE_ROLE',
  trafficPort: 'EDGEPLANE_TRAFFIC_PORT',
  managementPort: 'EDGEPLANE_MANAGEMENT_PORT',
  region: 'EDGEPLANE_REGION',
  logLevel: 'EDGEPLANE_LOG_LEVEL',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  /** PEM of the CA(s) that sign the Postgres server certificate; without it, Node's built-in roots. */
  databaseCaCert: 'DATABASE_CA_CERT',
  /** PEM of the CA(s) that sign the Redis server certificate; without it, Node's built-in roots. */
  redisCaCert: 'REDIS_CA_CERT',
  originUrl: 'EDGEPLANE_ORIGIN_URL',
  edgeToken: 'EDGEPLANE_EDGE_TOKEN',
  sitesFile: 'EDGEPLANE_SITES_FILE',
  cacheMemoryMb: 'EDGEPLANE_CACHE_MEMORY_MB',
  cacheDiskMb: 'EDGEPLANE_CACHE_DISK_MB',
  cacheDiskPath: 'EDGEPLANE_CACHE_DISK_PATH',
  cacheMaxObjectMb: 'EDGEPLANE_CACHE_MAX_OBJECT_MB',
  cacheMaxObjects: 'EDGEPLANE_CACHE_MAX_OBJECTS',
  purgeToken: 'EDGEPLANE_PURGE_TOKEN',
  requestLog: 'EDGEPLANE_REQUEST_LOG',
  fastHits: 'EDGEPLANE_FAST_HITS',
  zeroCopy: 'EDGEPLANE_ZERO_COPY',
  originClient: 'EDGEPLANE_ORIGIN_CLIENT',
  edgeWorkers: 'EDGEPLANE_EDGE_WORKERS',
  upstreamConnectTimeoutMs: 'EDGEPLANE_UPSTREAM_CONNECT_TIMEOUT_MS',
  upstreamFirstByteTimeoutMs: 'EDGEPLANE_UPSTREAM_FIRST_BYTE_TIMEOUT_MS',
  upstreamIdleTimeoutMs: 'EDGEPLANE_UPSTREAM_IDLE_TIMEOUT_MS',
  compressMinBytes: 'EDGEPLANE_COMPRESS_MIN_BYTES',
  listenAddress: 'EDGEPLANE_LISTEN_ADDRESS',
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  apiRateLimit: 'EDGEPLANE_API_RATE_LIMIT_PER_MINUTE',
  /** How long the origin keeps edge events; an edge further behind reloads the snapshot. */
  eventRetention: 'EDGEPLANE_EVENT_RETENTION',
  /** How long the origin remembers usage batch ids (a batch retried later would count twice). */
  usageBatchRetention: 'EDGEPLANE_USAGE_BATCH_RETENTION',
} as const;

/** Variables whose values are credentials: they come from Kubernetes Secrets and are never logged. */
export const secretEnvNames = [
  envNames.databaseUrl,
  envNames.redisUrl,
  envNames.databaseCaCert,
  envNames.redisCaCert,
  envNames.edgeToken,
  envNames.purgeToken,
] as const;

/**
 * How the origin protects its connections to Postgres and Redis, read from the URL's `sslmode`
 * query parameter with libpq's meanings:
 * - `disable`: no TLS.
 * - `require`: TLS without verifying the server, unless a CA is given (DATABASE_CA_CERT or
 *   REDIS_CA_CERT): then, as libpq does when a root certificate is present, it behaves as `verify-ca`.
 * - `verify-ca`: TLS; the server's chain must lead to the CA, whatever name the certificate carries
 *   (Cloud SQL and Memorystore private-IP certificates do not name the IP).
 * - `verify-full`: as `verify-ca`, and the certificate must name the host of the URL.
 * Without `sslmode`: a postgres:// URL means `disable` (as node-postgres reads it), a rediss:// URL
 * means `verify-full` and a redis:// URL means `disable`. `prefer` and `allow` (plaintext fallback)
 * are refused: node-postgres cannot fall back, and a silent downgrade is what TLS is there to stop.
 * The CA, when set, replaces Node's built-in roots. A redis:// URL takes no sslmode but `disable`.
 */
export const storeSslModes = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type StoreSslMode = (typeof storeSslModes)[number];

/** TLS settings the URL carries that the runtime does not read (certificates come from the env). */
const unreadSslParameters = ['sslrootcert', 'sslcert', 'sslkey', 'sslcrl', 'ssl'] as const;

/** The URL's sslmode with the default of its scheme; throws naming the problem, never the URL. */
export function storeSslMode(url: URL): StoreSslMode {
  const tlsScheme = url.protocol === 'rediss:';
  const plainRedis = url.protocol === 'redis:';
  const given = url.searchParams.get('sslmode');
  for (const name of unreadSslParameters) {
    if (url.searchParams.has(name)) {
      throw new Error(
        `the ${name} parameter is not read: give the CA as PEM text in ${envNames.databaseCaCert} or ${envNames.redisCaCert} and the mode with sslmode, e.g. ?sslmode=verify-full`,
      );
    }
  }
  if (given === null) return tlsScheme ? 'verify-full' : 'disable';
  if (!(storeSslModes as readonly string[]).includes(given)) {
    throw new Error(
      `sslmode must be one of ${storeSslModes.join(', ')} (prefer and allow are refused: no plaintext fallback), e.g. ?sslmode=verify-full`,
    );
  }
  const mode = given as StoreSslMode;
  if (tlsScheme && mode === 'disable') {
    throw new Error('sslmode=disable contradicts rediss://: use redis:// for a plaintext Redis');
  }
  if (plainRedis && mode !== 'disable') {
    throw new Error(
      `sslmode=${mode} needs TLS: use a rediss:// URL, e.g. rediss://:secret@redis:6379`,
    );
  }
  return mode;
}

const durationUnits = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration such as 30m, 48h or 7d, as milliseconds. */
const duration = (example: string) =>
  z
    .string()
    .regex(
      /^[1-9][0-9]{0,5}[mhd]$/,
      `must be a duration in minutes, hours or days, e.g. ${example}`,
    )
    .transform(
      (value) => Number(value.slice(0, -1)) * durationUnits[value.slice(-1) as 'm' | 'h' | 'd'],
    );

const pemCertificate = z
  .string()
  .refine(
    (value) => value.includes('-----BEGIN CERTIFICATE-----'),
    'must be PEM text of one or more CA certificates (-----BEGIN CERTIFICATE-----...)',
  );

/** Which requests the edge logs: none, only 5xx and errors, or every request (like an access log). */
export const requestLogModes = ['off', 'errors', 'all'] as const;
export type RequestLogMode = (typeof requestLogModes)[number];

const port = z.coerce
  .number({ error: 'must be a port number, e.g. 8080' })
  .int('must be a whole port number, e.g. 8080')
  .min(1, 'must be a port between 1 and 65535, e.g. 8080')
  .max(65535, 'must be a port between 1 and 65535, e.g. 8080');

const megabytes = (example: number) =>
  z.coerce
    .number({ error: `must be a number of megabytes, e.g. ${example}` })
    .int(`must be a whole number of megabytes, e.g. ${example}`)
    .min(0, `must not be negative, e.g. ${example}`);

const count = (example: number, min: number) =>
  z.coerce
    .number({ error: `must be a whole number, e.g. ${example}` })
    .int(`must be a whole number, e.g. ${example}`)
    .min(min, `must be at least ${min}, e.g. ${example}`);

const urlWithProtocols = (protocols: string[], example: string) =>
  z
    .string({ error: `must be a ${protocols.join(' or ')} URL, e.g. ${example}` })
    .refine(
      (value) => URL.canParse(value) && protocols.includes(new URL(value).protocol),
      `must be a ${protocols.join(' or ')} URL, e.g. ${example}`,
    );

/** A data store URL whose sslmode the runtime understands (see storeSslModes). */
const storeUrl = (protocols: string[], example: string) =>
  urlWithProtocols(protocols, example).superRefine((value, ctx) => {
    if (!URL.canParse(value)) return;
    try {
      storeSslMode(new URL(value));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

const common = {
  [envNames.trafficPort]: port.default(ports.traffic),
  [envNames.managementPort]: port.default(ports.management),
  [envNames.region]: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a region name such as us-east-1 or local')
    .default('local'),
  [envNames.logLevel]: z
    .enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` })
    .default('info'),
  [envNames.otlpEndpoint]: urlWithProtocols(
    ['http:', 'https:'],
    'http://otel-collector:4318',
  ).optional(),
};

const edgeEnv = z
  .object({
    [envNames.role]: z.literal('edge'),
    ...common,
    [envNames.originUrl]: urlWithProtocols(
      ['http:', 'https:'],
      'https://origin.edgeplane.svc:8080',
    ).optional(),
    [envNames.edgeToken]: z.string().min(16, 'must be at least 16 characters').optional(),
    [envNames.sitesFile]: z.string().min(1).optional(),
    [envNames.cacheMemoryMb]: megabytes(256).default(256),
    [envNames.cacheDiskMb]: megabytes(1024).default(0),
    [envNames.cacheDiskPath]: z.string().min(1).optional(),
    /** Responses larger than this are streamed through and never cached. */
    [envNames.cacheMaxObjectMb]: count(16, 1).default(16),
    /** Objects the memory tier holds at most, whatever their size (bounds heap pressure). */
    [envNames.cacheMaxObjects]: count(defaultCacheMaxObjects, 1).default(defaultCacheMaxObjects),
    /** Bearer token of the purge endpoint on the management port; purging is refused without it. */
    [envNames.purgeToken]: z.string().min(16, 'must be at least 16 characters').optional(),
    [envNames.requestLog]: z
      .enum(requestLogModes, { error: `must be one of ${requestLogModes.join(', ')}` })
      .default('all'),
    /** The fast path for plain GETs, hits and misses (runtime/edge/fast-hit); off sends every request through node:http. */
    [envNames.fastHits]: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    /** Large fast hits sent with sendfile(2) from a sealed memfd (runtime/edge/zero-copy), where the addon is built; off writes them. */
    [envNames.zeroCopy]: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    /** The client for plain-http origins (runtime/edge/origin-client); https: origins always use undici. */
    [envNames.originClient]: z
      .enum(['raw', 'undici'], { error: 'must be raw or undici' })
      .default('raw'),
    /** Traffic threads (the main thread and worker threads); 0 means one per CPU core. */
    [envNames.edgeWorkers]: count(2, 0).max(255, 'must be at most 255, e.g. 2').default(0),
    [envNames.upstreamConnectTimeoutMs]: count(5000, 1).default(5000),
    [envNames.upstreamFirstByteTimeoutMs]: count(30_000, 1).default(30_000),
    [envNames.upstreamIdleTimeoutMs]: count(30_000, 1).default(30_000),
    /** Bodies smaller than this are not compressed. */
    [envNames.compressMinBytes]: count(1024, 0).default(1024),
    /** Address the edge's listeners bind: all interfaces in a pod, 127.0.0.1 on a workstation. */
    [envNames.listenAddress]: z
      .string()
      .refine((value) => isIP(value) !== 0, 'must be an IP address, e.g. 0.0.0.0 or 127.0.0.1')
      .default('0.0.0.0'),
  })
  .superRefine((env, ctx) => {
    const origin = env[envNames.originUrl];
    const sites = env[envNames.sitesFile];
    if (!origin && !sites) {
      ctx.addIssue({
        code: 'custom',
        path: [envNames.originUrl],
        message: `an edge needs its sites: set ${envNames.originUrl} (with ${envNames.edgeToken}) or ${envNames.sitesFile}`,
      });
    }
    if (origin && !env[envNames.edgeToken]) {
      ctx.addIssue({
        code: 'custom',
        path: [envNames.edgeToken],
        message: `is required when ${envNames.originUrl} is set`,
      });
    }
    if (env[envNames.cacheDiskMb] > 0 && !env[envNames.cacheDiskPath]) {
      ctx.addIssue({
        code: 'custom',
        path: [envNames.cacheDiskPath],
        message: `is required when ${envNames.cacheDiskMb} is above 0, e.g. /var/cache/edgeplane`,
      });
    }
  });

const originEnv = z.object({
  [envNames.role]: z.literal('origin'),
  ...common,
  [envNames.databaseUrl]: storeUrl(
    ['postgres:', 'postgresql:'],
    'postgres://edgeplane:secret@postgres:5432/edgeplane?sslmode=verify-full',
  ),
  [envNames.redisUrl]: storeUrl(['redis:', 'rediss:'], 'rediss://:secret@redis:6379').optional(),
  [envNames.databaseCaCert]: pemCertificate.optional(),
  [envNames.redisCaCert]: pemCertificate.optional(),
  /** Edges present it on the edge link; without it the origin refuses every edge. */
  [envNames.edgeToken]: z.string().min(16, 'must be at least 16 characters').optional(),
  /** API requests per key per minute, shared by all replicas through Redis. */
  [envNames.apiRateLimit]: count(600, 1).default(600),
  [envNames.eventRetention]: duration('7d').prefault('7d'),
  [envNames.usageBatchRetention]: duration('2d').prefault('2d'),
  [envNames.listenAddress]: z
    .string()
    .refine((value) => isIP(value) !== 0, 'must be an IP address, e.g. 0.0.0.0 or 127.0.0.1')
    .default('0.0.0.0'),
});

export const runtimeEnvSchema = z.discriminatedUnion(envNames.role, [edgeEnv, originEnv], {
  error: `must be one of ${runtimeRoles.join(', ')}`,
});

export type EdgeEnv = z.output<typeof edgeEnv>;
export type OriginEnv = z.output<typeof originEnv>;
export type RuntimeEnv = z.output<typeof runtimeEnvSchema>;

export class RuntimeEnvError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid runtime environment:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'RuntimeEnvError';
    this.problems = problems;
  }
}

/** Parses the process environment; throws RuntimeEnvError naming every bad variable. Values are never echoed. */
export function parseRuntimeEnv(env: Record<string, string | undefined>): RuntimeEnv {
  // An empty value is how Kubernetes and shells say "unset".
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = runtimeEnvSchema.safeParse(set);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? envNames.role);
    const missing = set[name] === undefined && issue.code !== 'custom';
    return `${name}: ${missing ? `is required; ${issue.message}` : issue.message}`;
  });
  throw new RuntimeEnvError(problems);
}
