// A prometheus-operator ServiceMonitor that scrapes one runtime role's management port.
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { managementPaths } from '../../runtime/contract.ts';
import type { MonitoringOutputs } from '../monitoring/types.ts';
import { portNames } from './container.ts';
import { withDependencies } from './depends-on.ts';

export interface RuntimeServiceMonitorArgs {
  /** Prefix of the Pulumi name (the Cdn's name). */
  resourcePrefix: string;
  namespace: string;
  labels: Record<string, string>;
  /** Labels of the role's Service. */
  serviceSelector: Record<string, string>;
  monitoring: MonitoringOutputs;
}

export function runtimeServiceMonitor(
  name: string,
  args: RuntimeServiceMonitorArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    `${args.resourcePrefix}-${name}`,
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: {
        name,
        namespace: args.namespace,
        // Prometheus selects ServiceMonitors by the monitoring component's labels.
        labels: { ...args.labels, ...args.monitoring.selectorLabels },
      },
      spec: {
        selector: { matchLabels: args.serviceSelector },
        namespaceSelector: { matchNames: [args.namespace] },
        endpoints: [
          {
            port: portNames.management,
            path: managementPaths.metrics,
            interval: '30s',
            scrapeTimeout: '10s',
          },
        ],
      },
    },
    withDependencies(opts, args.monitoring.ready),
  );
}
