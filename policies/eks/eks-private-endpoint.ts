// The EKS API is reachable from the VPC, and from the internet only through an allowlist. Mandatory:
// an API server open to 0.0.0.0/0 is one stolen token (or one CVE) from cluster takeover, and the
// provider's defaults (public endpoint, 0.0.0.0/0) do exactly that.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { aws } from '../lib/cloud-types.ts';
import { read, readArray, unknown } from '../lib/props.ts';

const worldCidrs = ['0.0.0.0/0', '::/0'];

export const eksPrivateEndpoint: ResourceValidationPolicy = {
  name: 'eks-private-endpoint',
  description:
    'EKS clusters have the private API endpoint on, and the public one either off or limited by publicAccessCidrs that do not include 0.0.0.0/0. Mandatory: the provider defaults to a public endpoint open to the whole internet.',
  enforcementLevel: 'mandatory',
  validateResource: validateTypes({
    [aws.eksCluster]: (props, report) => {
      const privateAccess = read(props, 'vpcConfig.endpointPrivateAccess');
      if (privateAccess !== true && privateAccess !== unknown)
        report(
          'The EKS API has no private endpoint, so nodes reach it over the internet: set vpcConfig.endpointPrivateAccess: true.',
        );
      // Unset means public (the provider's default).
      const publicAccess = read(props, 'vpcConfig.endpointPublicAccess');
      if (publicAccess === false || publicAccess === unknown) return;
      const cidrs = readArray(props, 'vpcConfig.publicAccessCidrs');
      if (cidrs === unknown) return;
      if (cidrs === undefined || cidrs.length === 0) {
        report(
          'The EKS API is public to the whole internet (no publicAccessCidrs means 0.0.0.0/0): set vpcConfig.endpointPublicAccess: false, or publicAccessCidrs to your offices and CI runners.',
        );
        return;
      }
      const open = cidrs.filter((cidr) => typeof cidr === 'string' && worldCidrs.includes(cidr));
      if (open.length > 0)
        report(
          `The EKS API is public to the whole internet (publicAccessCidrs has ${open.join(', ')}): list only your offices and CI runners, or set vpcConfig.endpointPublicAccess: false.`,
        );
    },
  }),
};
