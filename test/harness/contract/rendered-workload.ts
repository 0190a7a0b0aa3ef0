// Reads what Kubernetes would run from a rendered plan: a Deployment's container with its
// environment resolved (Secret and ConfigMap references looked up in the rendered objects, as the
// kubelet does), its ports, its HTTP probes, and the metrics endpoints its ServiceMonitors scrape.
import type { KubernetesObject } from '../kubernetes/index.ts';

interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef; fieldRef?: unknown };
}
interface EnvFrom {
  prefix?: string;
  secretRef?: { name: string };
  configMapRef?: { name: string };
}
export interface HttpProbe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  tcpSocket?: unknown;
  exec?: unknown;
  grpc?: unknown;
  timeoutSeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}
export interface ContainerPort {
  name?: string;
  containerPort: number;
}
export interface RenderedContainer {
  name: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: EnvFrom[];
  ports?: ContainerPort[];
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  startupProbe?: HttpProbe;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: { containers: RenderedContainer[] };
}
interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

/** One HTTP GET Kubernetes would send to the container, by the kind of probe. */
export interface ProbeCheck {
  kind: 'liveness' | 'readiness' | 'startup';
  path: string;
  containerPort: number;
  timeoutMs: number;
}

export interface MetricsEndpoint {
  serviceMonitor: string;
  path: string;
  containerPort: number;
}

export class RenderedWorkload {
  readonly objects: readonly KubernetesObject[];
  readonly deployment: KubernetesObject;
  readonly container: RenderedContainer;

  constructor(objects: readonly KubernetesObject[], namespace: string, name: string) {
    this.objects = objects;
    const deployment = find(objects, 'Deployment', namespace, name);
    const containers = template(deployment).spec.containers;
    if (containers.length !== 1) {
      throw new Error(`Deployment ${namespace}/${name} has ${containers.length} containers, not 1`);
    }
    this.deployment = deployment;
    this.container = containers[0] as RenderedContainer;
  }

  get namespace(): string {
    return this.deployment.metadata?.namespace ?? 'default';
  }

  get podLabels(): Record<string, string> {
    return template(this.deployment).metadata?.labels ?? {};
  }

  /** The environment the kubelet would give the container. */
  env(): Record<string, string> {
    const env: Record<string, string> = {};
    // envFrom first: explicit `env` entries win over it, as in Kubernetes.
    for (const source of this.container.envFrom ?? []) {
      const data = source.secretRef
        ? this.data('Secret', source.secretRef.name)
        : source.configMapRef
          ? this.data('ConfigMap', source.configMapRef.name)
          : undefined;
      if (!data)
        throw new Error(`${this.container.name}: envFrom without secretRef or configMapRef`);
      for (const [key, value] of Object.entries(data)) env[`${source.prefix ?? ''}${key}`] = value;
    }
    for (const variable of this.container.env ?? []) {
      if (variable.value !== undefined) {
        env[variable.name] = variable.value;
        continue;
      }
      const secretRef = variable.valueFrom?.secretKeyRef;
      const configRef = variable.valueFrom?.configMapKeyRef;
      const ref = secretRef ?? configRef;
      if (!ref) throw new Error(`${variable.name}: no value, secretKeyRef or configMapKeyRef`);
      const value = this.data(secretRef ? 'Secret' : 'ConfigMap', ref.name)[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new Error(`${variable.name}: ${ref.name} has no key ${ref.key}`);
      }
      env[variable.name] = value;
    }
    return env;
  }

  /** The container port a probe or Service names, by number or by name. */
  containerPort(port: number | string): number {
    if (typeof port === 'number') return port;
    const named = (this.container.ports ?? []).find((candidate) => candidate.name === port);
    if (!named) throw new Error(`${this.container.name} has no port named ${port}`);
    return named.containerPort;
  }

  probes(): ProbeCheck[] {
    const kinds = [
      ['liveness', this.container.livenessProbe],
      ['readiness', this.container.readinessProbe],
      ['startup', this.container.startupProbe],
    ] as const;
    return kinds.flatMap(([kind, probe]) => {
      if (!probe) return [];
      if (!probe.httpGet) {
        throw new Error(
          `${this.container.name} ${kind} probe is not httpGet; the contract test checks HTTP probes`,
        );
      }
      if ((probe.httpGet.scheme ?? 'HTTP') !== 'HTTP') {
        throw new Error(`${this.container.name} ${kind} probe uses ${probe.httpGet.scheme}`);
      }
      return [
        {
          kind,
          path: probe.httpGet.path ?? '/',
          containerPort: this.containerPort(probe.httpGet.port),
          // Kubernetes' default timeout is 1 s.
          timeoutMs: (probe.timeoutSeconds ?? 1) * 1000,
        },
      ];
    });
  }

  /** Services in the Deployment's namespace whose selector picks its pods. */
  services(): KubernetesObject[] {
    return this.objects.filter(
      (object) =>
        object.kind === 'Service' &&
        object.metadata?.namespace === this.namespace &&
        selects(spec<{ selector?: Record<string, string> }>(object).selector, this.podLabels),
    );
  }

  /** What the ServiceMonitors selecting this workload's Services would scrape. */
  metricsEndpoints(): MetricsEndpoint[] {
    const monitors = this.objects.filter((object) => object.kind === 'ServiceMonitor');
    return this.services().flatMap((service) =>
      monitors
        .filter((monitor) => {
          const monitorSpec = spec<{
            selector?: { matchLabels?: Record<string, string> };
            namespaceSelector?: { matchNames?: string[]; any?: boolean };
          }>(monitor);
          const namespaces = monitorSpec.namespaceSelector?.any
            ? [this.namespace]
            : (monitorSpec.namespaceSelector?.matchNames ?? [monitor.metadata?.namespace]);
          return (
            namespaces.includes(this.namespace) &&
            selects(monitorSpec.selector?.matchLabels, labelsOf(service))
          );
        })
        .flatMap((monitor) =>
          spec<{ endpoints: { port?: string; targetPort?: number | string; path?: string }[] }>(
            monitor,
          ).endpoints.map((endpoint) => ({
            serviceMonitor: `${monitor.metadata?.namespace}/${monitor.metadata?.name}`,
            path: endpoint.path ?? '/metrics',
            containerPort:
              endpoint.port !== undefined
                ? this.containerPort(
                    servicePort(service, endpoint.port).targetPort ?? endpoint.port,
                  )
                : this.containerPort(endpoint.targetPort ?? 'metrics'),
          })),
        ),
    );
  }

  /** The container port behind `host:port` when host names one of this workload's Services. */
  serviceTarget(host: string, port: number): number | undefined {
    for (const service of this.services()) {
      const name = service.metadata?.name;
      const hosts = [
        `${name}.${this.namespace}.svc.cluster.local`,
        `${name}.${this.namespace}.svc`,
        `${name}.${this.namespace}`,
      ];
      if (!hosts.includes(host)) continue;
      const match = spec<{ ports: ServicePort[] }>(service).ports.find(
        (candidate) => candidate.port === port,
      );
      if (match) return this.containerPort(match.targetPort ?? match.port);
    }
    return undefined;
  }

  private data(kind: 'Secret' | 'ConfigMap', name: string): Record<string, string> {
    const object = find(this.objects, kind, this.namespace, name) as KubernetesObject & {
      data?: Record<string, string>;
      stringData?: Record<string, string>;
    };
    const decoded = Object.fromEntries(
      Object.entries(object.data ?? {}).map(([key, value]) => [
        key,
        kind === 'Secret' ? Buffer.from(value, 'base64').toString('utf8') : value,
      ]),
    );
    // stringData is merged over data by the API server.
    return { ...decoded, ...object.stringData };
  }
}

function find(
  objects: readonly KubernetesObject[],
  kind: string,
  namespace: string,
  name: string,
): KubernetesObject {
  const found = objects.find(
    (object) =>
      object.kind === kind &&
      object.metadata?.name === name &&
      (object.metadata?.namespace ?? 'default') === namespace,
  );
  if (!found) throw new Error(`the plan renders no ${kind} ${namespace}/${name}`);
  return found;
}

function spec<T>(object: KubernetesObject): T {
  return (object as unknown as { spec: T }).spec;
}

function template(deployment: KubernetesObject): PodTemplate {
  return spec<{ template: PodTemplate }>(deployment).template;
}

function labelsOf(object: KubernetesObject): Record<string, string> {
  return (object.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>) {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function servicePort(service: KubernetesObject, name: string): ServicePort {
  const port = spec<{ ports: ServicePort[] }>(service).ports.find(
    (candidate) => candidate.name === name,
  );
  if (!port) throw new Error(`Service ${service.metadata?.name} has no port named ${name}`);
  return port;
}
