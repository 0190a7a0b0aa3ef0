import type { RuntimeRole } from '../../runtime/contract.ts';

/**
 * The labels that select each role's pods (Services, PDBs, NetworkPolicies). Data stores admit
 * the origin by them (components/cluster/data-store.ts `originClient`).
 */
export function runtimePodSelector(role: RuntimeRole): Record<string, string> {
  // The same keys and values standardLabels(role, ...) puts on the pods.
  return { 'app.kubernetes.io/name': role, 'app.kubernetes.io/part-of': 'edgeplane' };
}
