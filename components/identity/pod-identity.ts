// An IAM role for one Kubernetes ServiceAccount through EKS Pod Identity: the role trusts the
// Pod Identity agent, and an association binds it to namespace/serviceAccount on one cluster.
// Unlike IRSA there is no OIDC provider and no ServiceAccount annotation to keep in sync.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface PodIdentityRoleArgs {
  provider: aws.Provider;
  clusterName: pulumi.Input<string>;
  namespace: string;
  serviceAccount: string;
  /** Inline policy document (JSON), or managed policy ARNs, or both. */
  policy?: pulumi.Input<string>;
  managedPolicyArns?: string[];
  tags?: Record<string, string>;
}

/** The trust policy of every Pod Identity role. */
export const podIdentityTrustPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    },
  ],
});

export class PodIdentityRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  public readonly association: aws.eks.PodIdentityAssociation;

  constructor(name: string, args: PodIdentityRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:identity:PodIdentityRole', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const role = new aws.iam.Role(
      name,
      {
        assumeRolePolicy: podIdentityTrustPolicy,
        description: `Pod Identity of ${args.namespace}/${args.serviceAccount}`,
        tags: args.tags,
      },
      child,
    );
    if (args.policy !== undefined) {
      new aws.iam.RolePolicy(name, { role: role.id, policy: args.policy }, child);
    }
    for (const [index, policyArn] of (args.managedPolicyArns ?? []).entries()) {
      new aws.iam.RolePolicyAttachment(`${name}-${index}`, { role: role.name, policyArn }, child);
    }
    this.association = new aws.eks.PodIdentityAssociation(
      name,
      {
        clusterName: args.clusterName,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        roleArn: role.arn,
        tags: args.tags,
      },
      child,
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
