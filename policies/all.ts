// Every policy of the pack, in one list; importing this starts nothing. index.ts hands it to the
// PolicyPack, and `npm run plan` evaluates it over the offline plan.
import type { EnforcementLevel, Policies } from '@pulumi/policy';
import { cloudPolicies } from './cloud.ts';
import { platformPolicies } from './platform.ts';

export const packName = 'edgeplane';
export const packDescription =
  'edgeplane: data stores, clusters, Kubernetes workloads, TLS, secrets and providers of an edgeplane stack.';
/** The level of a policy that names none (each of ours names its own). */
export const packEnforcementLevel: EnforcementLevel = 'advisory';

export const allPolicies: Policies = [...cloudPolicies, ...platformPolicies];
