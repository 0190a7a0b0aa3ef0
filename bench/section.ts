// What a bench section is. The wrk sections compare nginx and the edge (wrk-comparison.ts); a
// standalone section (purge propagation, issue #5) starts what it measures and reports its own
// figures. Both kinds are listed in sections.ts.
import type { BenchOptions } from './options.ts';
import type { Origin } from './origin.ts';
import type { ProcessGroup, Started } from './processes.ts';

export interface Target {
  /** nginx or edge: the column it gets in the report. */
  readonly name: string;
  readonly url: string;
  readonly process: Started;
  /** Lines for the report's "exact commands" list. */
  readonly commands: readonly string[];
}

export interface BenchContext {
  readonly options: BenchOptions;
  /** Private temp dir of this run (scripts, configs, logs). */
  readonly dir: string;
  /** Host header of every request: the site name both caches serve. */
  readonly host: string;
  readonly origin: Origin;
  /** In the order each round visits them: nginx first, then the edge. */
  readonly targets: readonly Target[];
  readonly signal: AbortSignal;
  /** A progress line on stderr. */
  progress(line: string): void;
}

/** One measured figure set of one target in one run. */
export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Origin requests per client request during the run: 0 for hits, 1 for misses. */
  originFetchesPerRequest: number;
  /** New TCP connections the origin accepted during the run (keep-alive reuse keeps it near 0). */
  originConnections: number;
}

export interface SectionResult {
  readonly id: string;
  readonly title: string;
  /** The target for edge req/s divided by nginx req/s, when it sets one. */
  readonly targetRatio?: number;
  /** Measured runs of each target, by target name, in round order. */
  readonly runs: ReadonlyMap<string, readonly Measurement[]>;
  /** The exact commands of this section. */
  readonly commands: readonly string[];
  /** Anything that makes a figure doubtful (errors, hits that reached the origin...). */
  readonly warnings: readonly string[];
}

export interface Section {
  readonly id: string;
  readonly title: string;
  run(context: BenchContext): Promise<SectionResult>;
}

/** What a standalone section gets: it starts the servers it measures itself (in `processes`). */
export interface StandaloneContext {
  readonly options: BenchOptions;
  readonly dir: string;
  readonly processes: ProcessGroup;
  readonly signal: AbortSignal;
  progress(line: string): void;
}

export interface StandaloneResult {
  readonly id: string;
  readonly title: string;
  /** The section's lines of the printed report. */
  readonly lines: readonly string[];
  /** Its figures for --json. */
  readonly figures: unknown;
  /** Whether it met the target, when there is one. */
  readonly meetsTarget?: boolean;
  readonly commands: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * A section that does not compare nginx and the edge: it sets up what it measures (the purge
 * section: Postgres, Redis, the origin and eight edges) and reports its own figures.
 */
export interface StandaloneSection {
  readonly id: string;
  readonly title: string;
  readonly standalone: true;
  run(context: StandaloneContext): Promise<StandaloneResult>;
}

export type AnySection = Section | StandaloneSection;

export function isStandalone(section: AnySection): section is StandaloneSection {
  return 'standalone' in section && section.standalone === true;
}
