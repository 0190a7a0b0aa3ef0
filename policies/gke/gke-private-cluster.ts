// GKE nodes have no public IPs, and the control plane's public endpoint (when kept) answers only
// authorized networks. Mandatory: public nodes expose every NodePort and kubelet to the internet, and
// an open control plane is one stolen token from takeover. Nodes reach the internet through Cloud NAT.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { gcp } from '../lib/cloud-types.ts';
import { read, readArray, unknown } from '../lib/props.ts';

const worldCidrs = ['0.0.0.0/0', '::/0'];

export const gkePrivateCluster: ResourceValidationPolicy = {
  name: 'gke-private-cluster',
  description:
    'GKE clusters have private nodes (privateClusterConfig.enablePrivateNodes), and unless the endpoint is private, masterAuthorizedNetworksConfig lists who may reach the control plane (never 0.0.0.0/0, no Google Cloud public ranges). Node pools do not opt out of private nodes. Mandatory: public nodes and an open API server are the classic GKE breach.',
  enforcementLevel: 'mandatory',
  validateResource: validateTypes({
    [gcp.gkeCluster]: (props, report) => {
      const privateNodes = read(props, 'privateClusterConfig.enablePrivateNodes');
      if (privateNodes !== true && privateNodes !== unknown)
        report(
          'GKE nodes get public IPs: set privateClusterConfig.enablePrivateNodes: true (egress through Cloud NAT).',
        );
      const privateEndpoint = read(props, 'privateClusterConfig.enablePrivateEndpoint');
      if (privateEndpoint === true || privateEndpoint === unknown) return;
      const authorized = read(props, 'masterAuthorizedNetworksConfig');
      if (authorized === unknown) return;
      if (authorized === undefined || authorized === null) {
        report(
          'The GKE control plane answers the whole internet: set masterAuthorizedNetworksConfig.cidrBlocks to your offices and CI runners, or privateClusterConfig.enablePrivateEndpoint: true.',
        );
        return;
      }
      const blocks = readArray(authorized, 'cidrBlocks');
      if (blocks !== unknown) {
        for (const block of blocks ?? []) {
          const cidr = read(block, 'cidrBlock');
          if (typeof cidr === 'string' && worldCidrs.includes(cidr))
            report(
              `The GKE control plane authorizes ${cidr}, the whole internet: list only your offices and CI runners.`,
            );
        }
      }
      if (read(authorized, 'gcpPublicCidrsAccessEnabled') === true)
        report(
          'The GKE control plane admits every Google Cloud public IP (any GCP customer): set masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled: false.',
        );
    },
    [gcp.gkeNodePool]: (props, report) => {
      if (read(props, 'networkConfig.enablePrivateNodes') === false)
        report(
          "This node pool gives its nodes public IPs: remove networkConfig.enablePrivateNodes: false (the cluster's private nodes apply).",
        );
    },
  }),
};
