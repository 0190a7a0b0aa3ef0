// Command-line flags of `npm run bench`. Defaults keep a whole run under ~5 minutes on 2 cores.
import { parseArgs } from 'node:util';

export const edgeKinds = ['runtime', 'stand-in'] as const;
export type EdgeKind = (typeof edgeKinds)[number];

export interface BenchOptions {
  /** Seconds of each measured wrk run. */
  durationSeconds: number;
  /** Seconds of the unmeasured wrk run per target and section before the rounds. */
  warmupSeconds: number;
  /** Measured runs per target and section, alternating nginx, edge, nginx, edge... */
  rounds: number;
  connections: number;
  threads: number;
  /** Ids of the sections to run, in order; all when empty. */
  sections: string[];
  /** `runtime` is edgeplane's edge (node runtime/main.ts); `stand-in` is bench's own toy, for developing the bench. */
  edge: EdgeKind;
  /** Worker processes of the local origin. */
  originWorkers: number;
  /** Keep the temp dir (configs, logs) instead of removing it, for a post-mortem. */
  keep: boolean;
  /** Also write the results as JSON to this file. */
  json?: string;
  /** Extra environment of the edge, e.g. EDGEPLANE_REQUEST_LOG=off, for experiments; printed with the report. */
  edgeEnv: Record<string, string>;
  /** Run the edge under `node --cpu-prof` and print where its CPU went (slows it: figures are not comparable). */
  profile: boolean;
  /** Measured purges of the purge section (issue #5 asks for at least 200). */
  purges: number;
  /** Upper bound of the purge section's purge loop, in seconds. */
  purgeSeconds: number;
  /** How often the purge section polls each edge after a purge (resolution vs. load it adds). */
  purgePollMs: number;
  help: boolean;
}

export const defaultOptions: BenchOptions = {
  durationSeconds: 10,
  // The edge's JIT needs about 8 s of misses to reach its steady state (bench/README.md).
  warmupSeconds: 10,
  rounds: 3,
  connections: 64,
  threads: 2,
  sections: [],
  edge: 'runtime',
  originWorkers: 2,
  keep: false,
  edgeEnv: {},
  profile: false,
  purges: 200,
  purgeSeconds: 180,
  purgePollMs: 2,
  help: false,
};

export const usage = `Usage: npm run bench -- [flags]

  --duration <s>        seconds of each measured run (default ${defaultOptions.durationSeconds})
  --warmup <s>          seconds of warm-up per target and section (default ${defaultOptions.warmupSeconds})
  --rounds <n>          measured runs per target and section, alternating (default ${defaultOptions.rounds})
  --connections <n>     wrk -c (default ${defaultOptions.connections})
  --threads <n>         wrk -t (default ${defaultOptions.threads})
  --sections <a,b>      sections to run, e.g. hit-1k,miss (default: all)
  --edge <kind>         runtime (edgeplane's edge) or stand-in (the bench's toy edge; default ${defaultOptions.edge})
  --origin-workers <n>  worker processes of the local origin (default ${defaultOptions.originWorkers})
  --keep                keep the temp dir with configs and logs
  --edge-env K=V        extra environment of the edge, repeatable (e.g. EDGEPLANE_REQUEST_LOG=off)
  --json <file>         also write the results (medians, every run, warnings) as JSON
  --profile             run the edge under node --cpu-prof and print where its CPU goes
                        (profiling slows it: use for finding limits, not for the ratios)
  --purges <n>          measured purges of the purge section (default ${defaultOptions.purges})
  --purge-seconds <s>   stop the purge section's loop after this long (default ${defaultOptions.purgeSeconds})
  --purge-poll-ms <ms>  poll each edge this often after a purge (default ${defaultOptions.purgePollMs})
  --help                this text`;

export class OptionsError extends Error {
  override name = 'OptionsError';
}

function positiveInteger(flag: string, value: string | undefined, fallback: number, min = 1) {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new OptionsError(
      `--${flag} must be a whole number of at least ${min}, e.g. --${flag} ${fallback}`,
    );
  }
  return number;
}

function parseEdgeEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (match === null) {
      throw new OptionsError(
        `--edge-env must be NAME=value, e.g. --edge-env EDGEPLANE_REQUEST_LOG=off (got ${pair})`,
      );
    }
    env[match[1] as string] = match[2] as string;
  }
  return env;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new OptionsError(`${(error as Error).message}\n\n${usage}`);
  }
  const edge = values.edge ?? defaultOptions.edge;
  if (!(edgeKinds as readonly string[]).includes(edge)) {
    throw new OptionsError(`--edge must be one of ${edgeKinds.join(', ')}, e.g. --edge runtime`);
  }
  const options: BenchOptions = {
    durationSeconds: positiveInteger('duration', values.duration, defaultOptions.durationSeconds),
    warmupSeconds: positiveInteger('warmup', values.warmup, defaultOptions.warmupSeconds),
    rounds: positiveInteger('rounds', values.rounds, defaultOptions.rounds),
    connections: positiveInteger('connections', values.connections, defaultOptions.connections),
    threads: positiveInteger('threads', values.threads, defaultOptions.threads),
    sections: (values.sections ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    edge: edge as EdgeKind,
    originWorkers: positiveInteger(
      'origin-workers',
      values['origin-workers'],
      defaultOptions.originWorkers,
    ),
    keep: values.keep ?? false,
    edgeEnv: parseEdgeEnv(values['edge-env'] ?? []),
    profile: values.profile ?? false,
    purges: positiveInteger('purges', values.purges, defaultOptions.purges),
    purgeSeconds: positiveInteger(
      'purge-seconds',
      values['purge-seconds'],
      defaultOptions.purgeSeconds,
    ),
    purgePollMs: positiveInteger(
      'purge-poll-ms',
      values['purge-poll-ms'],
      defaultOptions.purgePollMs,
    ),
    help: values.help ?? false,
  };
  if (values.json !== undefined) options.json = values.json;
  if (options.connections < options.threads) {
    throw new OptionsError(
      '--connections must be at least --threads (wrk gives each thread its share)',
    );
  }
  return options;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      threads: { type: 'string' },
      sections: { type: 'string' },
      edge: { type: 'string' },
      'origin-workers': { type: 'string' },
      keep: { type: 'boolean' },
      'edge-env': { type: 'string', multiple: true },
      json: { type: 'string' },
      profile: { type: 'boolean' },
      purges: { type: 'string' },
      'purge-seconds': { type: 'string' },
      'purge-poll-ms': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}
