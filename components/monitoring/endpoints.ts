// In-cluster addresses of the monitoring services, one place for the values, the datasources and
// the outputs. Service names follow from the release names and fullname overrides in charts.ts.
import { namespaces } from '../namespaces.ts';
import { charts } from './charts.ts';

const inMonitoring = (service: string) => `${service}.${namespaces.monitoring}.svc.cluster.local`;

export const ports = {
  lokiHttp: 3100,
  otlpGrpc: 4317,
  otlpHttp: 4318,
  jaegerQuery: 16686,
} as const;

export const serviceNames = {
  loki: charts.loki.releaseName,
  otelCollector: charts.otelCollector.releaseName,
  jaeger: 'jaeger',
} as const;

export const endpoints = {
  lokiUrl: `http://${inMonitoring(serviceNames.loki)}:${ports.lokiHttp}`,
  lokiPushUrl: `http://${inMonitoring(serviceNames.loki)}:${ports.lokiHttp}/loki/api/v1/push`,
  /** OTLP/HTTP, the runtime's OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpHttpUrl: `http://${inMonitoring(serviceNames.otelCollector)}:${ports.otlpHttp}`,
  /** Jaeger's OTLP/gRPC receiver, where the collector exports traces. */
  jaegerOtlpGrpc: `${inMonitoring(serviceNames.jaeger)}:${ports.otlpGrpc}`,
  jaegerQueryUrl: `http://${inMonitoring(serviceNames.jaeger)}:${ports.jaegerQuery}`,
} as const;

/** Grafana datasource uids the dashboards refer to (kube-prometheus-stack names its Prometheus `prometheus`). */
export const datasourceUids = { prometheus: 'prometheus', loki: 'loki', jaeger: 'jaeger' } as const;
