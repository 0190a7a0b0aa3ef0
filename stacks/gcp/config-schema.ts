// The `edgeplane:gcp` key: where a GCP stack lives and how its clusters are reached. Present
// exactly when cloud is gcp (the stack schema enforces it).
import { BlockList, isIPv4 } from 'node:net';
import { z } from 'zod';

export const gkeReleaseChannels = ['RAPID', 'REGULAR', 'STABLE'] as const;

const ipv4Cidr = z
  .string({ error: 'must be an IPv4 CIDR such as 203.0.113.0/24' })
  .refine((value) => {
    const [network = '', prefix = '', ...rest] = value.split('/');
    if (rest.length > 0 || !isIPv4(network) || !/^\d{1,2}$/.test(prefix)) return false;
    const bits = Number(prefix);
    if (bits > 32) return false;
    new BlockList().addSubnet(network, bits, 'ipv4');
    return true;
  }, 'must be an IPv4 CIDR such as 203.0.113.0/24');

export function gcpSchema(environment: 'dev' | 'staging' | 'prod') {
  return z
    .strictObject({
      project: z
        .string({ error: 'must be a GCP project ID such as edgeplane-staging' })
        .regex(
          /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
          'must be a GCP project ID such as edgeplane-staging (6-30 lower-case letters, digits, hyphens)',
        ),
      releaseChannel: z
        .enum(gkeReleaseChannels, { error: `must be one of ${gkeReleaseChannels.join(', ')}` })
        .default(environment === 'prod' ? 'STABLE' : 'REGULAR'),
      /** Who may reach the clusters' public control-plane endpoints; empty: nobody from outside the VPC. */
      masterAuthorizedNetworks: z
        .array(
          z.strictObject({
            name: z
              .string({ error: 'must be a short label such as office' })
              .regex(/^[a-z0-9][a-z0-9 _-]{0,62}$/i, 'must be a short label such as office'),
            cidr: ipv4Cidr,
          }),
          {
            error:
              'must be a list of { name, cidr } such as { name: office, cidr: 203.0.113.0/24 }',
          },
        )
        .max(50, 'must name at most 50 networks (GKE limit)')
        .default([]),
      /**
       * Control planes on private endpoints only: Pulumi and kubectl must then run inside the VPC (or a
       * network peered with it). Default false: public endpoints behind masterAuthorizedNetworks.
       */
      privateEndpoint: z.boolean({ error: 'must be true or false' }).default(false),
    })
    .superRefine((gcp, ctx) => {
      if (!gcp.privateEndpoint && gcp.masterAuthorizedNetworks.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['masterAuthorizedNetworks'],
          message:
            'must name at least one network (where Pulumi and kubectl run) while the control planes have public endpoints; or set gcp.privateEndpoint true and run Pulumi inside the VPC',
        });
      }
    });
}

export type GcpSettings = z.output<ReturnType<typeof gcpSchema>>;
