// Least-privilege Route53 policies for the two in-cluster DNS writers, limited to the stack's zone.
import * as pulumi from '@pulumi/pulumi';

/** cert-manager's DNS-01 solver: TXT records under _acme-challenge in the zone, nothing else. */
export function certManagerRoute53Policy(zoneId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(zoneId).apply((id) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' },
        {
          Effect: 'Allow',
          Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
          Resource: `arn:aws:route53:::hostedzone/${id}`,
          Condition: {
            'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
            'ForAllValues:StringLike': {
              'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'],
            },
          },
        },
        { Effect: 'Allow', Action: 'route53:ListHostedZonesByName', Resource: '*' },
      ],
    }),
  );
}

/** external-dns: records in the zone, plus the listing it does to find the zone. */
export function externalDnsRoute53Policy(zoneId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(zoneId).apply((id) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
          Resource: `arn:aws:route53:::hostedzone/${id}`,
        },
        {
          Effect: 'Allow',
          Action: ['route53:ListHostedZones', 'route53:ListTagsForResources'],
          Resource: '*',
        },
      ],
    }),
  );
}
