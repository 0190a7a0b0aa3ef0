// Runs wrk and reads the report that the Lua script's done() prints.
import { spawn } from 'node:child_process';
import { waitForExit } from './processes.ts';
import { reportMarker } from './wrk-script.ts';

export const wrkBinary = '/usr/bin/wrk';

export interface WrkRun {
  url: string;
  durationSeconds: number;
  connections: number;
  threads: number;
  /** Path of the rendered Lua script. */
  scriptPath: string;
  /** Arguments after `--`, handed to the script's init(). */
  scriptArgs?: readonly string[];
  headers?: Record<string, string>;
}

export interface WrkErrors {
  connect: number;
  read: number;
  write: number;
  /** Responses outside 2xx and 3xx. */
  status: number;
  timeout: number;
}

export interface WrkResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  bytes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: WrkErrors;
}

export function wrkArgs(run: WrkRun): string[] {
  const args = [
    `-t${run.threads}`,
    `-c${run.connections}`,
    `-d${run.durationSeconds}s`,
    '--timeout',
    '5s',
    '-s',
    run.scriptPath,
  ];
  for (const [name, value] of Object.entries(run.headers ?? {}))
    args.push('-H', `${name}: ${value}`);
  args.push(run.url);
  if (run.scriptArgs?.length) args.push('--', ...run.scriptArgs);
  return args;
}

export class WrkOutputError extends Error {
  override name = 'WrkOutputError';
}

const numberFields = ['requests', 'duration_us', 'bytes', 'p50_us', 'p99_us', 'max_us'] as const;
const errorFields = ['connect', 'read', 'write', 'status', 'timeout'] as const;

/** Reads the report line from wrk's stdout; throws WrkOutputError (quoting the output) when it is missing or malformed. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(`${reportMarker} `));
  if (line === undefined)
    throw new WrkOutputError(`wrk printed no ${reportMarker} report:\n${stdout}`);
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(line.slice(reportMarker.length + 1)) as Record<string, unknown>;
  } catch {
    throw new WrkOutputError(`wrk's report is not JSON: ${line}`);
  }
  const field = (value: unknown, name: string) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new WrkOutputError(`wrk's report has no valid ${name}: ${line}`);
    }
    return value;
  };
  const values = Object.fromEntries(
    numberFields.map((name) => [name, field(report[name], name)]),
  ) as Record<(typeof numberFields)[number], number>;
  const rawErrors = (report.errors ?? {}) as Record<string, unknown>;
  const errors = Object.fromEntries(
    errorFields.map((name) => [name, field(rawErrors[name], `errors.${name}`)]),
  ) as unknown as WrkErrors;
  if (values.duration_us === 0)
    throw new WrkOutputError(`wrk's report has a zero duration: ${line}`);
  const durationSeconds = values.duration_us / 1e6;
  return {
    requests: values.requests,
    durationSeconds,
    requestsPerSecond: values.requests / durationSeconds,
    bytes: values.bytes,
    p50Ms: values.p50_us / 1000,
    p99Ms: values.p99_us / 1000,
    maxMs: values.max_us / 1000,
    errors,
  };
}

export function errorCount(errors: WrkErrors): number {
  return errors.connect + errors.read + errors.write + errors.status + errors.timeout;
}

/** Runs wrk to completion (bounded: killed 30 s past its duration) and parses its report. */
export async function runWrk(run: WrkRun, signal?: AbortSignal): Promise<WrkResult> {
  signal?.throwIfAborted();
  const child = spawn(wrkBinary, wrkArgs(run), { stdio: ['ignore', 'pipe', 'pipe'], signal });
  child.on('error', () => {}); // an abort kills wrk; waitForExit reports how it ended
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await waitForExit(child, (run.durationSeconds + 30) * 1000);
  signal?.throwIfAborted();
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${stderr}${stdout}`);
  return parseWrkOutput(stdout);
}

/** The command line as a person would type it. */
export function wrkCommandLine(run: WrkRun): string {
  return [wrkBinary, ...wrkArgs(run)]
    .map((arg) => (/[\s"'$]/.test(arg) ? `'${arg}'` : arg))
    .join(' ');
}
