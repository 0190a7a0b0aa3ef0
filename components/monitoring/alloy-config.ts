// Grafana Alloy's pipeline (its own configuration language): discover pods, label their streams
// with namespace, pod, container and the app/component labels, read their logs through the
// Kubernetes API and push them to Loki. Lines from the edgeplane namespace are the runtime's pino
// JSON: their level becomes a stream label and trace_id structured metadata, so Grafana can filter
// by level and jump from a log line to its trace. The JSON line itself stays as it is, for `| json`.
import { namespaces } from '../namespaces.ts';
import { endpoints } from './endpoints.ts';

const relabel = (source: string, target: string) => `  rule {
    source_labels = ["${source}"]
    target_label  = "${target}"
  }`;

export function alloyLogPipeline(options: { clustered: boolean }): string {
  return `discovery.kubernetes "pods" {
  role = "pod"
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
${relabel('__meta_kubernetes_namespace', 'namespace')}
${relabel('__meta_kubernetes_pod_name', 'pod')}
${relabel('__meta_kubernetes_pod_container_name', 'container')}
${relabel('__meta_kubernetes_pod_label_app_kubernetes_io_name', 'app')}
${relabel('__meta_kubernetes_pod_label_app_kubernetes_io_component', 'component')}
}

loki.source.kubernetes "pods" {
  targets    = discovery.relabel.pods.output
  forward_to = [loki.process.runtime.receiver]

  clustering {
    enabled = ${options.clustered}
  }
}

loki.process "runtime" {
  stage.match {
    selector = "{namespace=\\"${namespaces.cdn}\\"}"

    stage.json {
      expressions = { level = "level", trace_id = "trace_id" }
    }

    stage.labels {
      values = { level = "" }
    }

    stage.structured_metadata {
      values = { trace_id = "" }
    }
  }

  forward_to = [loki.write.default.receiver]
}

loki.write "default" {
  endpoint {
    url = "${endpoints.lokiPushUrl}"
  }
}
`;
}
