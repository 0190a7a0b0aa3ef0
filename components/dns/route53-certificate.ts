// ACM certificates for the load balancers, one per region (ACM is regional), validated over DNS in
// the stack's Route53 zone. ACM asks for the same validation record for a name in every region of an
// account, so the records are written once (by the home certificate, which covers every name) and
// each region's validation waits on them.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface AcmCertificatesArgs {
  /** Route53 is global: the home region's provider writes the validation records. */
  dnsProvider: aws.Provider;
  zoneId: pulumi.Input<string>;
  /** Every name the home certificate covers: the edge hostname first, then the API and dashboard. */
  homeNames: string[];
  /** Every region with its provider; the first is home. Others cover the edge hostname only. */
  regions: { region: string; provider: aws.Provider }[];
  tags: Record<string, string>;
}

/** TLS policy of the load balancers' listeners: TLS 1.3 and 1.2 with forward secrecy only. */
export const loadBalancerTlsPolicy = 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06';

export class AcmCertificates extends pulumi.ComponentResource {
  /** Region -> ARN of its validated certificate (resolves once ACM has issued it). */
  public readonly certificateArns: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: AcmCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:dns:AcmCertificates', name, {}, opts);
    const [edgeName] = args.homeNames;
    if (!edgeName) throw new Error(`AcmCertificates ${name}: homeNames must not be empty`);
    const certificates = args.regions.map(({ region, provider }, index) => {
      const names = index === 0 ? args.homeNames : [edgeName];
      const certificate = new aws.acm.Certificate(
        `${name}-${region}`,
        {
          domainName: edgeName,
          subjectAlternativeNames: names.slice(1),
          validationMethod: 'DNS',
          keyAlgorithm: 'EC_prime256v1',
          tags: args.tags,
        },
        // A replacement is issued before the old certificate is released from its listener.
        { parent: this, provider, deleteBeforeReplace: false },
      );
      return { region, provider, names, certificate };
    });
    const home = certificates[0];
    if (!home) throw new Error(`AcmCertificates ${name}: regions must not be empty`);
    const validationRecords = new Map<string, aws.route53.Record>();
    for (const domainName of home.names) {
      const option = home.certificate.domainValidationOptions.apply((options) => {
        const found = options.find((candidate) => candidate.domainName === domainName);
        if (!found) throw new Error(`ACM asked no validation for ${domainName}`);
        return found;
      });
      validationRecords.set(
        domainName,
        new aws.route53.Record(
          `${name}-validation-${domainName}`,
          {
            zoneId: args.zoneId,
            name: option.apply((found) => found.resourceRecordName as string),
            type: option.apply((found) => found.resourceRecordType as string),
            records: [option.apply((found) => found.resourceRecordValue as string)],
            ttl: 300,
            allowOverwrite: true,
          },
          { parent: this, provider: args.dnsProvider },
        ),
      );
    }
    for (const { region, provider, names, certificate } of certificates) {
      const validation = new aws.acm.CertificateValidation(
        `${name}-${region}`,
        {
          certificateArn: certificate.arn,
          validationRecordFqdns: names.map(
            (domainName) => validationRecords.get(domainName)?.fqdn as pulumi.Output<string>,
          ),
        },
        { parent: this, provider },
      );
      this.certificateArns[region] = validation.certificateArn;
    }
    this.registerOutputs({ certificateArns: this.certificateArns });
  }
}

/** Annotations for the EKS cloud controller's NLB: internet-facing, TLS on 443 with the certificate. */
export function nlbAnnotations(certificateArn: pulumi.Input<string>) {
  return {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
    'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': certificateArn,
    'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
    'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': loadBalancerTlsPolicy,
    'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'tcp',
    'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
  } satisfies Record<string, pulumi.Input<string>>;
}
