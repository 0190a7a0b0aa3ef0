// Starts the edge under test: edgeplane's own (node runtime/main.ts, role edge, a sites file), or
// the bench's stand-in (only for developing the bench; its figures are labelled as such).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { edgeNodeOptions, envNames, managementPaths } from '../runtime/contract.ts';
import type { SiteInput } from '../runtime/lib/site.ts';
import { freePort, loopback, waitForHttp } from './net.ts';
import type { EdgeKind } from './options.ts';
import type { ProcessGroup } from './processes.ts';
import type { Target } from './section.ts';

export interface EdgeOptions {
  kind: EdgeKind;
  dir: string;
  originUrl: string;
  host: string;
  workers: number;
  /** Extra environment, over the bench's own (the runtime edge only). */
  extraEnv?: Record<string, string>;
  /** Where `node --cpu-prof` writes each process's profile; no profiling when absent. */
  profileDir?: string;
}

/** Node's flags for the edge's processes; cluster workers inherit them. */
function nodeFlags(options: EdgeOptions): string[] {
  return options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
}

/** runtime/main.ts exits 3 for a role that is not part of the build yet. */
const roleNotBuiltExitCode = 3;

export async function startEdge(processes: ProcessGroup, options: EdgeOptions): Promise<Target> {
  return options.kind === 'runtime'
    ? startRuntimeEdge(processes, options)
    : startStandIn(processes, options);
}

async function startRuntimeEdge(processes: ProcessGroup, options: EdgeOptions): Promise<Target> {
  const trafficPort = await freePort();
  const managementPort = await freePort();
  const sitesFile = join(options.dir, 'sites.json');
  const site: SiteInput = { id: 'bench', hosts: [options.host], origin: options.originUrl };
  await writeFile(sitesFile, `${JSON.stringify({ sites: [site] }, null, 2)}\n`);
  const edgeEnv = {
    [envNames.role]: 'edge',
    // Loopback only: its default is every interface, as in a pod.
    [envNames.listenAddress]: loopback,
    [envNames.trafficPort]: String(trafficPort),
    [envNames.managementPort]: String(managementPort),
    [envNames.sitesFile]: sitesFile,
    // Every request logged, as nginx's access log; metrics are always on.
    [envNames.logLevel]: 'info',
    [envNames.requestLog]: 'all',
    // Two traffic workers, as nginx's worker_processes 2.
    [envNames.edgeWorkers]: String(options.workers),
    // As its container starts it (components/cdn/container.ts).
    [edgeNodeOptions.name]: edgeNodeOptions.value,
    ...options.extraEnv,
  };
  const main = join(import.meta.dirname, '..', 'runtime', 'main.ts');
  const started = processes.startServer(
    'edge',
    process.execPath,
    [...nodeFlags(options), main],
    join(options.dir, 'edge.log'),
    {
      env: { ...process.env, ...edgeEnv },
    },
  );
  const isAlive = () => started.isAlive();
  const url = `http://${loopback}:${trafficPort}`;
  try {
    await waitForHttp(`http://${loopback}:${managementPort}${managementPaths.readiness}`, {
      timeoutMs: 30_000,
      isAlive,
    });
    await waitForHttp(`${url}/obj/1k`, {
      timeoutMs: 15_000,
      headers: { host: options.host },
      isAlive,
    });
  } catch (error) {
    if (started.child.exitCode === roleNotBuiltExitCode) {
      throw new Error(
        `edgeplane's edge is not part of this build yet (runtime/main.ts exits ${roleNotBuiltExitCode} for role edge); ` +
          `see ${started.logPath}. To exercise the bench itself, run: npm run bench -- --edge stand-in`,
      );
    }
    throw new Error(`the edge did not start: ${(error as Error).message}; see ${started.logPath}`);
  }
  const env = Object.entries(edgeEnv)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return {
    name: 'edge',
    url,
    process: started,
    commands: [`${env} ${started.command}   (sites: ${sitesFile})`],
  };
}

async function startStandIn(processes: ProcessGroup, options: EdgeOptions): Promise<Target> {
  const port = await freePort();
  const script = join(import.meta.dirname, 'stand-in-edge.ts');
  const started = processes.startServer(
    'stand-in edge',
    process.execPath,
    [
      ...nodeFlags(options),
      script,
      '--port',
      String(port),
      '--origin',
      options.originUrl,
      '--workers',
      String(options.workers),
    ],
    join(options.dir, 'stand-in-edge.log'),
  );
  const url = `http://${loopback}:${port}`;
  await waitForHttp(`${url}/obj/1k`, {
    timeoutMs: 15_000,
    headers: { host: options.host },
    isAlive: () => started.isAlive(),
  });
  return { name: 'stand-in', url, process: started, commands: [started.command] };
}
