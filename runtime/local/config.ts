// Local mode's settings: fixed, documented ports on 127.0.0.1 and a data folder, each overridable
// by an environment variable; --verbose (or EDGEPLANE_LOCAL_VERBOSE=1) streams every log line.
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** What listens where, with the variable that moves it and its default. */
export const localPorts = {
  edge: { env: 'EDGEPLANE_LOCAL_EDGE_PORT', default: 8080, what: 'edge traffic' },
  origin: { env: 'EDGEPLANE_LOCAL_ORIGIN_PORT', default: 8081, what: 'origin API' },
  demo: { env: 'EDGEPLANE_LOCAL_DEMO_PORT', default: 8082, what: 'demo tenant origin' },
  edgeManagement: {
    env: 'EDGEPLANE_LOCAL_EDGE_MANAGEMENT_PORT',
    default: 9090,
    what: 'edge probes and metrics',
  },
  originManagement: {
    env: 'EDGEPLANE_LOCAL_ORIGIN_MANAGEMENT_PORT',
    default: 9091,
    what: 'origin probes and metrics',
  },
  // One above Postgres's own default, so a system Postgres on 5432 is no obstacle.
  postgres: { env: 'EDGEPLANE_LOCAL_POSTGRES_PORT', default: 5433, what: 'Postgres' },
} as const;

export type LocalPortName = keyof typeof localPorts;

export const localEnvNames = {
  dir: 'EDGEPLANE_LOCAL_DIR',
  verbose: 'EDGEPLANE_LOCAL_VERBOSE',
} as const;

/** The hostname the demo site answers to; `.localhost` names never leave the machine. */
export const demoHost = 'demo.localhost';

export interface LocalConfig {
  /** Absolute path of the data folder (Postgres data, logs, the demo API key). */
  dir: string;
  ports: Record<LocalPortName, number>;
  verbose: boolean;
}

export class LocalConfigError extends Error {
  override name = 'LocalConfigError';
}

export const usage = `Usage: ./run start [--verbose]   (or: npm start -- --verbose)

Runs the whole CDN on this machine: embedded Postgres, the origin, one edge that follows it and a
demo tenant origin, all on 127.0.0.1. Ctrl-C stops everything.

Options:
  -v, --verbose   stream every log line to the terminal (also: ${localEnvNames.verbose}=1)
  -h, --help      this text

Environment (defaults in brackets):
  ${localEnvNames.dir.padEnd(39)} data folder [.edgeplane/local in the checkout]
${Object.values(localPorts)
  .map((port) => `  ${port.env.padEnd(39)} ${port.what} port [${port.default}]`)
  .join('\n')}
  REDIS_URL                               use this Redis for the origin's bus [in-process bus]
`;

const portSchema = (env: string) =>
  z.coerce
    .number({ error: `must be a port number, e.g. ${env}=18080` })
    .int(`must be a whole port number, e.g. ${env}=18080`)
    .min(1, `must be a port between 1 and 65535, e.g. ${env}=18080`)
    .max(65535, `must be a port between 1 and 65535, e.g. ${env}=18080`);

const verboseValues = ['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'] as const;

/**
 * Reads argv and the environment; throws LocalConfigError naming every bad variable with a valid
 * example, or `help` when help was asked for.
 */
export function parseLocalConfig(
  argv: string[],
  env: Record<string, string | undefined>,
  checkout: string,
): LocalConfig | 'help' {
  let flags: { verbose?: boolean; help?: boolean };
  try {
    flags = parseArgs({
      args: argv,
      options: {
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new LocalConfigError(`${(error as Error).message}\n\n${usage}`);
  }
  if (flags.help) return 'help';

  const problems: string[] = [];
  const ports = {} as Record<LocalPortName, number>;
  for (const [name, port] of Object.entries(localPorts) as [
    LocalPortName,
    (typeof localPorts)[LocalPortName],
  ][]) {
    const given = env[port.env];
    if (given === undefined || given === '') {
      ports[name] = port.default;
      continue;
    }
    const parsed = portSchema(port.env).safeParse(given);
    if (parsed.success) ports[name] = parsed.data;
    else problems.push(`${port.env}: ${parsed.error.issues[0]?.message}`);
  }
  const owners = new Map<number, string>();
  for (const [name, port] of Object.entries(ports) as [LocalPortName, number][]) {
    const other = owners.get(port);
    if (other !== undefined) {
      problems.push(
        `${other} and ${localPorts[name].env} are both ${port}: give each service its own port`,
      );
    }
    owners.set(port, localPorts[name].env);
  }

  const verboseValue = env[localEnvNames.verbose]?.toLowerCase() || '0';
  if (!(verboseValues as readonly string[]).includes(verboseValue)) {
    problems.push(`${localEnvNames.verbose}: must be 1 or 0, e.g. ${localEnvNames.verbose}=1`);
  }
  if (problems.length > 0) {
    throw new LocalConfigError(
      `invalid local mode settings:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
  }

  const dirValue = env[localEnvNames.dir];
  const dir = dirValue
    ? isAbsolute(dirValue)
      ? dirValue
      : resolve(dirValue)
    : join(checkout, '.edgeplane', 'local');
  return {
    dir,
    ports,
    verbose: flags.verbose === true || ['1', 'true', 'yes', 'on'].includes(verboseValue),
  };
}
