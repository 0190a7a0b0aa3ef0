export { type AlertReceivers, alertmanagerConfig } from './alertmanager-config.ts';
export { charts } from './charts.ts';
export { dashboards } from './dashboards.ts';
export { endpoints } from './endpoints.ts';
export { Monitoring, type MonitoringArgs, secretNames } from './monitoring.ts';
export { runtimeRuleGroups } from './runtime-rules.ts';
export type { MonitoringOutputs } from './types.ts';
