// The `edgeplane:aws` key: who administers the EKS clusters and how they are reached. Optional on
// aws stacks (every setting has a default) and refused on the others (the stack schema enforces it).
import { BlockList, isIPv4 } from 'node:net';
import { z } from 'zod';

const ipv4Cidr = (example: string) =>
  z.string({ error: `must be an IPv4 CIDR such as ${example}` }).refine((value) => {
    const [network = '', prefix = '', ...rest] = value.split('/');
    if (rest.length > 0 || !isIPv4(network) || !/^\d{1,2}$/.test(prefix)) return false;
    const bits = Number(prefix);
    if (bits > 32) return false;
    new BlockList().addSubnet(network, bits, 'ipv4');
    return true;
  }, `must be an IPv4 CIDR such as ${example}`);

const iamRoleArn = z
  .string({
    error: 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin',
  })
  .regex(
    /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin',
  );

const logRetentionChoices = [7, 14, 30, 60, 90, 180, 365] as const;

export function awsSchema(environment: 'dev' | 'staging' | 'prod') {
  return z.strictObject({
    /** IAM roles granted cluster admin through EKS access entries (authentication mode API). */
    adminRoleArns: z
      .array(iamRoleArn, { error: 'must be a list of IAM role ARNs' })
      .max(20, 'must name at most 20 roles')
      .default([]),
    /** Who may reach the EKS API from the internet; empty: the endpoint is private only. */
    publicAccessCidrs: z
      .array(ipv4Cidr('203.0.113.0/24'), { error: 'must be a list of IPv4 CIDRs' })
      .max(40, 'must name at most 40 CIDRs (EKS limit)')
      .refine(
        (cidrs) => !cidrs.some((cidr) => cidr.endsWith('/0')),
        'must not open the API to the whole internet (0.0.0.0/0): name your networks, e.g. 203.0.113.0/24',
      )
      .default([]),
    /** Run the nodes on spot capacity (cheaper, interruptible). */
    spot: z.boolean({ error: 'must be true or false' }).default(false),
    /** The VPC's address range in every region (regions are not peered, so they may share it). */
    vpcCidr: ipv4Cidr('10.0.0.0/16')
      .refine((cidr) => {
        const bits = Number(cidr.split('/')[1]);
        return bits >= 16 && bits <= 20;
      }, 'must be a /16 to /20 range such as 10.0.0.0/16 (room for six subnets)')
      .default('10.0.0.0/16'),
    /** Availability zones per region. */
    availabilityZones: z
      .number({ error: 'must be 2 or 3' })
      .int('must be 2 or 3')
      .min(2, 'must be 2 or 3')
      .max(3, 'must be 2 or 3')
      .default(3),
    /** Days the EKS control-plane logs are kept in CloudWatch. */
    logRetentionDays: z
      .number({ error: `must be one of ${logRetentionChoices.join(', ')} days` })
      .refine(
        (days) => (logRetentionChoices as readonly number[]).includes(days),
        `must be one of ${logRetentionChoices.join(', ')} days (CloudWatch retention values)`,
      )
      .default(environment === 'prod' ? 90 : 14),
  });
}

export type AwsSettings = z.output<ReturnType<typeof awsSchema>>;
