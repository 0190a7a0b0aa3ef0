// The IAM roles EKS itself needs: the control plane's and the nodes'. Pods get their own roles
// through Pod Identity (components/identity), never the node role.
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;

export const clusterPolicyArns = [managed('AmazonEKSClusterPolicy')];
/** The node role carries only what the kubelet and image pulls need; the VPC CNI gets its own role. */
export const nodePolicyArns = [
  managed('AmazonEKSWorkerNodePolicy'),
  managed('AmazonEC2ContainerRegistryPullOnly'),
];

function trust(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

export function serviceRole(
  name: string,
  service: 'eks.amazonaws.com' | 'ec2.amazonaws.com',
  policyArns: string[],
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): { role: aws.iam.Role; attachments: aws.iam.RolePolicyAttachment[] } {
  const role = new aws.iam.Role(name, { assumeRolePolicy: trust(service), tags }, opts);
  const attachments = policyArns.map(
    (policyArn, index) =>
      new aws.iam.RolePolicyAttachment(`${name}-${index}`, { role: role.name, policyArn }, opts),
  );
  return { role, attachments };
}
