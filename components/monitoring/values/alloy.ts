// Values for Grafana Alloy shipping every pod's logs to Loki. Alloy reads the logs through the
// Kubernetes API (loki.source.kubernetes), so it needs no hostPath mount and runs as a small
// Deployment; with more than one replica, clustering splits the pods between them.
import type { Environment } from '../../../stacks/config-schema.ts';
import { alloyLogPipeline } from '../alloy-config.ts';
import { charts } from '../charts.ts';
import { monitoringSizing, smallResources } from '../sizing.ts';

export function alloyValues(environment: Environment) {
  const replicas = monitoringSizing[environment].logShipperReplicas;
  return {
    fullnameOverride: charts.alloy.releaseName,
    controller: { type: 'deployment', replicas },
    alloy: {
      configMap: { content: alloyLogPipeline({ clustered: replicas > 1 }) },
      clustering: { enabled: replicas > 1 },
      enableReporting: false,
      resources: smallResources,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 473,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    },
  };
}
