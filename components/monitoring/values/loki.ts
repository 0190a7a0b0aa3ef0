// Values for Loki in single-binary mode with its filesystem on a persistent volume: enough for
// dev and small installs. Prod at scale would run the SimpleScalable mode on object storage (S3,
// GCS), which is a values change here. Retention follows the stack's monitoring retention.
import type { Environment } from '../../../stacks/config-schema.ts';
import { monitoringSizing } from '../sizing.ts';

export interface LokiInputs {
  environment: Environment;
  retentionDays: number;
  storageClassName: string;
}

export function lokiValues(inputs: LokiInputs) {
  const size = monitoringSizing[inputs.environment];
  return {
    deploymentMode: 'SingleBinary',
    loki: {
      // One tenant: the cluster. Without this every push and query needs an X-Scope-OrgID.
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: 'filesystem' },
      schemaConfig: {
        configs: [
          {
            from: '2024-04-01',
            store: 'tsdb',
            object_store: 'filesystem',
            schema: 'v13',
            index: { prefix: 'loki_index_', period: '24h' },
          },
        ],
      },
      limits_config: { retention_period: `${inputs.retentionDays * 24}h` },
      compactor: {
        retention_enabled: true,
        delete_request_store: 'filesystem',
        working_directory: '/var/loki/compactor',
      },
    },
    singleBinary: {
      replicas: 1,
      persistence: {
        enabled: true,
        size: `${size.lokiVolumeGi}Gi`,
        storageClass: inputs.storageClassName,
      },
      resources: size.lokiResources,
    },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    // The memcached caches ask for 8 GiB and more by default; single-binary Loki does without.
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    // Alloy and Grafana talk to the single binary's Service directly.
    gateway: { enabled: false },
  };
}
