import type * as pulumi from '@pulumi/pulumi';

/** What the monitoring component hands to the workloads it watches. */
export interface MonitoringOutputs {
  namespace: string;
  /** Labels a ServiceMonitor or PrometheusRule needs for Prometheus to select it. */
  selectorLabels: Record<string, string>;
  /** OTLP/HTTP endpoint of the OpenTelemetry Collector, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpEndpoint: string;
  /** Resources a ServiceMonitor must depend on (the operator's CRDs). */
  ready: pulumi.Resource[];
}
