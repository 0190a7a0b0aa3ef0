// Platform policies: Kubernetes workloads, TLS, secrets and stack-wide checks.
import type { Policies } from '@pulumi/policy';

export const platformPolicies: Policies = [];
