// Jaeger all-in-one (Jaeger v2: collector, query UI and in-memory storage in one process) as a
// plain Deployment and Service. Fine for dev and staging: traces live in memory and are lost on
// restart. Prod would run Jaeger's collector and query separately on a real store (OpenSearch,
// Elasticsearch or Cassandra) via the Jaeger chart or operator, or send OTLP to Grafana Tempo:
// only the collector's exporter endpoint changes.
import { ports } from './endpoints.ts';

export const jaegerImage = 'jaegertracing/jaeger:2.21.0';

const name = 'jaeger';

export function jaegerObjects(namespace: string, labels: Record<string, string>) {
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'tracing' };
  const podLabels = { ...labels, ...selector };
  const containerPorts = [
    { name: 'query', containerPort: ports.jaegerQuery, protocol: 'TCP' },
    { name: 'otlp-grpc', containerPort: ports.otlpGrpc, protocol: 'TCP' },
    { name: 'otlp-http', containerPort: ports.otlpHttp, protocol: 'TCP' },
  ];
  const deployment = {
    apiVersion: 'apps/v1' as const,
    kind: 'Deployment' as const,
    metadata: { name, namespace, labels: podLabels },
    spec: {
      replicas: 1,
      // In-memory storage: two pods would each hold half the traces.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: podLabels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name,
              image: jaegerImage,
              // The built-in all-in-one config listens on localhost unless told otherwise.
              env: [{ name: 'JAEGER_LISTEN_HOST', value: '0.0.0.0' }],
              ports: containerPorts,
              readinessProbe: { tcpSocket: { port: 'query' }, periodSeconds: 10 },
              livenessProbe: {
                tcpSocket: { port: 'query' },
                initialDelaySeconds: 10,
                periodSeconds: 20,
              },
              resources: {
                requests: { cpu: '100m', memory: '256Mi' },
                limits: { cpu: '500m', memory: '1Gi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1' as const,
    kind: 'Service' as const,
    metadata: { name, namespace, labels: podLabels },
    spec: {
      selector,
      ports: containerPorts.map((port) => ({
        name: port.name,
        port: port.containerPort,
        targetPort: port.name,
        protocol: port.protocol,
      })),
    },
  };
  return { deployment, service };
}
