// The environment local mode gives the origin and the edge: the runtime contract's variables
// (runtime/contract.ts), as a deployment would set them, on the loopback address.
import { edgeNodeOptions, envNames } from '../contract.ts';

export const loopback = '127.0.0.1';

type Env = Record<string, string | undefined>;

export function originEnv(
  caller: Env,
  settings: { apiPort: number; managementPort: number; databaseUrl: string; edgeToken: string },
): Record<string, string> {
  return {
    ...inheritedEnv(caller),
    [envNames.role]: 'origin',
    [envNames.trafficPort]: String(settings.apiPort),
    [envNames.managementPort]: String(settings.managementPort),
    [envNames.listenAddress]: loopback,
    [envNames.region]: 'local',
    [envNames.databaseUrl]: settings.databaseUrl,
    [envNames.edgeToken]: settings.edgeToken,
    // With a Redis URL the origin's bus and rate limits use it; without, they are in-process.
    ...passThrough(caller, [envNames.redisUrl, envNames.redisCaCert]),
  };
}

export function edgeEnv(
  caller: Env,
  settings: { trafficPort: number; managementPort: number; originUrl: string; edgeToken: string },
): Record<string, string> {
  return {
    ...inheritedEnv(caller),
    [envNames.role]: 'edge',
    [envNames.trafficPort]: String(settings.trafficPort),
    [envNames.managementPort]: String(settings.managementPort),
    [envNames.listenAddress]: loopback,
    [envNames.region]: 'local',
    [envNames.originUrl]: settings.originUrl,
    [envNames.edgeToken]: settings.edgeToken,
    // One process and a small cache: a workstation shares its cores and memory.
    [envNames.edgeWorkers]: '1',
    [envNames.cacheMemoryMb]: '64',
    // As its container starts it, after the caller's own Node options.
    [edgeNodeOptions.name]: [caller[edgeNodeOptions.name], edgeNodeOptions.value]
      .filter((options) => options !== undefined && options !== '')
      .join(' '),
  };
}

/** The caller's environment less every runtime variable, so a shell's settings cannot leak in. */
function inheritedEnv(caller: Env): Record<string, string> {
  const runtimeNames = new Set<string>(Object.values(envNames));
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(caller)) {
    if (value === undefined || runtimeNames.has(name) || name.startsWith('EDGEPLANE_')) continue;
    kept[name] = value;
  }
  return { ...kept, ...passThrough(caller, [envNames.logLevel]) };
}

function passThrough(caller: Env, names: string[]): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of names) {
    const value = caller[name];
    if (value) kept[name] = value;
  }
  return kept;
}

/** host:port of a Redis URL, never its password. */
export function redisHost(value: string): string {
  try {
    const parsed = new URL(value);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'REDIS_URL';
  }
}
