// Values for the OpenTelemetry Collector as a Deployment: OTLP in (gRPC 4317, HTTP 4318), traces
// batched and exported to Jaeger over OTLP/gRPC.
import type { Environment } from '../../../stacks/config-schema.ts';
import { charts } from '../charts.ts';
import { endpoints } from '../endpoints.ts';
import { monitoringSizing, smallResources } from '../sizing.ts';

export function otelCollectorValues(environment: Environment) {
  return {
    mode: 'deployment',
    fullnameOverride: charts.otelCollector.releaseName,
    // The Kubernetes distribution of the collector; the chart has no default image, and some
    // versions build the container command from command.name alone.
    image: { repository: 'otel/opentelemetry-collector-k8s' },
    command: { name: 'otelcol-k8s' },
    replicaCount: monitoringSizing[environment].collectorReplicas,
    resources: smallResources,
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    config: {
      exporters: {
        'otlp/jaeger': { endpoint: endpoints.jaegerOtlpGrpc, tls: { insecure: true } },
      },
      service: {
        pipelines: {
          traces: {
            receivers: ['otlp'],
            processors: ['memory_limiter', 'batch'],
            exporters: ['otlp/jaeger'],
          },
        },
      },
    },
  };
}
