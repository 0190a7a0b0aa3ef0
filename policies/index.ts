// The pack's entry point, run by the Pulumi CLI (`pulumi preview --policy-pack policies`). Only this
// module constructs the PolicyPack (which starts a gRPC server): tests and the offline plan import
// all.ts or single policy modules instead.
import { PolicyPack } from '@pulumi/policy';
import { allPolicies, packDescription, packEnforcementLevel, packName } from './all.ts';

new PolicyPack(packName, {
  policies: allPolicies,
  enforcementLevel: packEnforcementLevel,
  description: packDescription,
});
