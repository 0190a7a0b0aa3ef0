import type { ResourceValidationPolicy } from '@pulumi/policy';
import { read, readArray, unknown } from '../lib/props.ts';
import { containerLabel, validateWorkloads } from '../lib/workload-policy.ts';

// Capabilities that amount to root on the node.
const dangerousCapabilities = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
]);

/**
 * No privileged container, no privilege escalation (it defaults to allowed, so it must be set
 * false), no dangerous added capabilities and no host namespaces.
 */
export const k8sNoPrivileged: ResourceValidationPolicy = {
  name: 'k8s-no-privileged',
  description:
    'No privileged container, allowPrivilegeEscalation: false on every container, no SYS_ADMIN-like capabilities, no hostNetwork/hostPID/hostIPC.',
  enforcementLevel: 'mandatory',
  validateResource: validateWorkloads(({ podSpec, containers }) => {
    const problems = (['hostNetwork', 'hostPID', 'hostIPC'] as const)
      .filter((field) => read(podSpec, field) === true)
      .map((field) => `the pod uses ${field}`);
    for (const container of containers) {
      const label = containerLabel(container);
      if (read(container.spec, 'securityContext.privileged') === true) {
        problems.push(`${label} is privileged`);
      }
      const escalation = read(container.spec, 'securityContext.allowPrivilegeEscalation');
      if (escalation !== false && escalation !== unknown) {
        problems.push(`${label} does not set allowPrivilegeEscalation: false`);
      }
      const added = readArray(container.spec, 'securityContext.capabilities.add');
      if (Array.isArray(added)) {
        for (const capability of added) {
          if (
            typeof capability === 'string' &&
            dangerousCapabilities.has(capability.toUpperCase())
          ) {
            problems.push(`${label} adds capability ${capability}`);
          }
        }
      }
    }
    return problems;
  }),
};
