// Cloud policies (data stores, prod protection, EKS, GKE, instance classes, labels/tags).
import type { Policies } from '@pulumi/policy';

export const cloudPolicies: Policies = [];
