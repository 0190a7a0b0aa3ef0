// How big the monitoring stack is per environment: replicas, volumes, requests and limits.
import type { Environment } from '../../stacks/config-schema.ts';

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface MonitoringSizing {
  prometheusReplicas: number;
  prometheusVolumeGi: number;
  prometheusResources: Resources;
  alertmanagerReplicas: number;
  alertmanagerVolumeGi: number;
  lokiVolumeGi: number;
  lokiResources: Resources;
  collectorReplicas: number;
  logShipperReplicas: number;
}

const small: Resources = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};

export const monitoringSizing: Record<Environment, MonitoringSizing> = {
  dev: {
    prometheusReplicas: 1,
    prometheusVolumeGi: 20,
    prometheusResources: {
      requests: { cpu: '200m', memory: '512Mi' },
      limits: { cpu: '1', memory: '2Gi' },
    },
    alertmanagerReplicas: 1,
    alertmanagerVolumeGi: 1,
    lokiVolumeGi: 10,
    lokiResources: small,
    collectorReplicas: 1,
    logShipperReplicas: 1,
  },
  staging: {
    prometheusReplicas: 1,
    prometheusVolumeGi: 50,
    prometheusResources: {
      requests: { cpu: '500m', memory: '2Gi' },
      limits: { cpu: '2', memory: '4Gi' },
    },
    alertmanagerReplicas: 2,
    alertmanagerVolumeGi: 1,
    lokiVolumeGi: 50,
    lokiResources: {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '2Gi' },
    },
    collectorReplicas: 2,
    logShipperReplicas: 2,
  },
  prod: {
    prometheusReplicas: 2,
    prometheusVolumeGi: 200,
    prometheusResources: {
      requests: { cpu: '1', memory: '4Gi' },
      limits: { cpu: '4', memory: '8Gi' },
    },
    alertmanagerReplicas: 3,
    alertmanagerVolumeGi: 2,
    lokiVolumeGi: 200,
    lokiResources: {
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2', memory: '4Gi' },
    },
    collectorReplicas: 2,
    logShipperReplicas: 2,
  },
};

export const smallResources = small;

/** Prometheus stops at 85% of its volume so compaction never fills the disk. */
export function retentionSizeFor(volumeGi: number): string {
  return `${Math.floor(volumeGi * 0.85)}GiB`;
}
