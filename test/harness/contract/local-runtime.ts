// Turns a rendered container into a local process: its container ports become free loopback ports,
// its emptyDir mounts become temp dirs, the service hosts in its environment point at local
// stand-ins, and everything else is kept exactly as rendered.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envNames } from '../../../runtime/contract.ts';
import { freePort } from '../services/index.ts';
import type { RenderedWorkload } from './rendered-workload.ts';

export interface LocalRuntimePlan {
  env: Record<string, string>;
  /** Container port -> loopback port the local process listens on. */
  ports: Map<number, number>;
  /** Rendered value -> local value, for the report of a failing test. */
  rewrites: Record<string, string>;
  cleanup(): Promise<void>;
}

export interface LocalRuntimeOptions {
  /** Replaces `host:port` authorities of URLs in the env (rendered authority -> local one). */
  hosts: Record<string, string>;
}

const portVariables = {
  [envNames.trafficPort]: 'traffic',
  [envNames.managementPort]: 'management',
} as const;

export async function localRuntime(
  workload: RenderedWorkload,
  options: LocalRuntimeOptions,
): Promise<LocalRuntimePlan> {
  const env = workload.env();
  const rewrites: Record<string, string> = {};
  const ports = new Map<number, number>();
  for (const port of workload.container.ports ?? []) {
    ports.set(port.containerPort, await freePort());
  }
  // The env names the ports the process binds; they must be the container ports Kubernetes routes
  // to, and locally they become the free ports standing in for them.
  for (const [variable, portName] of Object.entries(portVariables)) {
    const rendered = env[variable];
    if (rendered === undefined) continue;
    const containerPort = workload.containerPort(portName);
    if (Number(rendered) !== containerPort) {
      throw new Error(
        `${variable}=${rendered} but the container port named ${portName} is ${containerPort}`,
      );
    }
    env[variable] = String(ports.get(containerPort));
    rewrites[variable] = env[variable];
  }
  // A pod binds every interface; a test binds loopback only.
  env[envNames.listenAddress] = '127.0.0.1';
  rewrites[envNames.listenAddress] = '127.0.0.1';

  const dirs: string[] = [];
  for (const mount of workload.container.volumeMounts ?? []) {
    const local = await mkdtemp(join(tmpdir(), 'edgeplane-contract-volume-'));
    dirs.push(local);
    for (const [name, value] of Object.entries(env)) {
      if (value === mount.mountPath || value.startsWith(`${mount.mountPath}/`)) {
        env[name] = `${local}${value.slice(mount.mountPath.length)}`;
        rewrites[name] = env[name];
      }
    }
  }

  for (const [name, value] of Object.entries(env)) {
    if (!URL.canParse(value) || !value.includes('://')) continue;
    const url = new URL(value);
    const replacement = options.hosts[url.host];
    if (replacement === undefined) continue;
    // Only the authority changes: the rest of the value stays byte for byte as rendered.
    const at = value.indexOf(url.host, value.indexOf('//') + 2);
    env[name] = `${value.slice(0, at)}${replacement}${value.slice(at + url.host.length)}`;
    rewrites[name] = `host ${replacement}`;
  }

  return {
    env,
    ports,
    rewrites,
    cleanup: async () => {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    },
  };
}
