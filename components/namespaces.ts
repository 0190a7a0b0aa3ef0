/** Namespaces edgeplane creates, one place for the components and their NetworkPolicies. */
export const namespaces = {
  cdn: 'edgeplane',
  data: 'edgeplane-data',
  monitoring: 'monitoring',
  certManager: 'cert-manager',
} as const;
