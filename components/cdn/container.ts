// The runtime container of each role: env, ports and probes come only from runtime/contract.ts,
// so the manifests and the process that reads them cannot drift apart.
import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import {
  edgeNodeOptions,
  envNames,
  managementPaths,
  ports,
  type RuntimeRole,
} from '../../runtime/contract.ts';
import type { ContainerResources } from './args.ts';
import type { SecretEnvName } from './credentials.ts';
import { containerSecurityContext } from './security.ts';

type EnvVar = k8s.types.input.core.v1.EnvVar;
type EnvName = (typeof envNames)[keyof typeof envNames];
/** Variables that may carry a plain value: never a credential. */
type PlainEnvName = Exclude<EnvName, SecretEnvName>;

/** Where the writable emptyDirs are mounted; the root filesystem is read-only. */
export const writablePaths = { tmp: '/tmp', diskCache: '/var/cache/edgeplane' } as const;

export const portNames = { traffic: 'traffic', management: 'management' } as const;

export interface RuntimeContainerArgs {
  role: RuntimeRole;
  image: string;
  region: string;
  logLevel: string;
  otlpEndpoint: string;
  resources: ContainerResources;
  /** Plain settings of the role, by contract env name; a credential's name does not typecheck here. */
  settings: Partial<Record<PlainEnvName, pulumi.Input<string>>>;
  /** Credentials: env name -> the Secret holding it under the same key. */
  secretName: pulumi.Input<string>;
  secretEnv: readonly SecretEnvName[];
  volumeMounts: k8s.types.input.core.v1.VolumeMount[];
}

export function runtimeContainer(args: RuntimeContainerArgs): k8s.types.input.core.v1.Container {
  const plain: Record<string, pulumi.Input<string> | undefined> = {
    [envNames.role]: args.role,
    [envNames.trafficPort]: String(ports.traffic),
    [envNames.managementPort]: String(ports.management),
    [envNames.region]: args.region,
    [envNames.logLevel]: args.logLevel,
    [envNames.otlpEndpoint]: args.otlpEndpoint,
    ...args.settings,
  };
  const env: EnvVar[] = [
    // The edge's V8 options (its young generation), which the process cannot set for itself.
    ...(args.role === 'edge' ? [{ name: edgeNodeOptions.name, value: edgeNodeOptions.value }] : []),
    ...Object.entries(plain)
      .filter((entry): entry is [string, pulumi.Input<string>] => entry[1] !== undefined)
      .map(([name, value]) => ({ name, value })),
    ...args.secretEnv.map((name) => ({
      name,
      valueFrom: { secretKeyRef: { name: args.secretName, key: name } },
    })),
  ];
  return {
    name: args.role,
    image: args.image,
    imagePullPolicy: 'IfNotPresent',
    env,
    ports: [
      { name: portNames.traffic, containerPort: ports.traffic, protocol: 'TCP' },
      { name: portNames.management, containerPort: ports.management, protocol: 'TCP' },
    ],
    // Startup gives a slow start (origin migrations, edge config snapshot) time before liveness counts.
    startupProbe: probe(managementPaths.liveness, { periodSeconds: 2, failureThreshold: 60 }),
    livenessProbe: probe(managementPaths.liveness, { periodSeconds: 10, failureThreshold: 3 }),
    readinessProbe: probe(managementPaths.readiness, { periodSeconds: 5, failureThreshold: 2 }),
    resources: containerResources(args.resources),
    securityContext: containerSecurityContext,
    volumeMounts: args.volumeMounts,
  };
}

function probe(
  path: string,
  timing: { periodSeconds: number; failureThreshold: number },
): k8s.types.input.core.v1.Probe {
  return { httpGet: { path, port: ports.management }, timeoutSeconds: 2, ...timing };
}

/**
 * Memory limit = request (a cache that outgrows its request is killed, not the neighbours);
 * CPU limit = twice the request, so a burst is allowed but one pod cannot take a node.
 */
export function containerResources(
  resources: ContainerResources,
): k8s.types.input.core.v1.ResourceRequirements {
  return {
    requests: { cpu: resources.cpu, memory: resources.memory },
    limits: { cpu: doubleCpu(resources.cpu), memory: resources.memory },
  };
}

function doubleCpu(quantity: string): string {
  return `${millicores(quantity) * 2}m`;
}

function millicores(quantity: string): number {
  const match = /^(\d+)m$/.exec(quantity) ?? /^(\d+(?:\.\d+)?)$/.exec(quantity);
  if (!match) throw new Error(`not a CPU quantity: ${quantity} (e.g. 500m or 2)`);
  return quantity.endsWith('m') ? Number(match[1]) : Math.round(Number(match[1]) * 1000);
}

/**
 * Edge traffic workers for a pod: one per whole core of its CPU limit, at least one. The edge's
 * default (one per host core) would oversubscribe a pod limited to a fraction of the node.
 */
export function edgeWorkersFor(resources: ContainerResources): number {
  return Math.max(1, Math.floor((millicores(resources.cpu) * 2) / 1000));
}
