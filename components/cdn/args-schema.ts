// Checks the plain values of CdnArgs before anything is registered: a bad value fails with the
// field, the problem and a valid example, and no resource is created.
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import type { CdnArgs } from './args.ts';
import { edgeCacheProblem, memoryQuantityPattern } from './edge-memory.ts';

const count = (min: number, example: number) =>
  z
    .number({ error: `must be a whole number, e.g. ${example}` })
    .int(`must be a whole number, e.g. ${example}`)
    .min(min, `must be at least ${min}, e.g. ${example}`);

const cpu = z
  .string()
  .regex(/^(\d+m|\d+(\.\d+)?)$/, 'must be a Kubernetes CPU quantity such as 500m or 2');
const memory = z
  .string()
  .regex(memoryQuantityPattern, 'must be a Kubernetes memory quantity such as 512Mi or 2Gi');
const resources = z.object({ cpu, memory });
const httpUrl = (example: string) =>
  z
    .string()
    .refine(
      (value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol),
      `must be an http or https URL, e.g. ${example}`,
    );
const cidr = z.string().refine((value) => {
  const [network = '', prefix = '', ...rest] = value.split('/');
  const family = isIP(network);
  const bits = Number(prefix);
  if (rest.length > 0 || family === 0 || !/^\d+$/.test(prefix)) return false;
  if (bits > (family === 4 ? 32 : 128)) return false;
  new BlockList().addSubnet(network, bits, family === 4 ? 'ipv4' : 'ipv6');
  return true;
}, 'must be a CIDR such as 10.20.0.0/16');

const plainArgs = z
  .object({
    domain: z
      .string()
      .regex(
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'must be a lower-case DNS name such as cdn.example.com',
      ),
    cluster: z.object({
      // The runtime's EDGEPLANE_REGION accepts this form (runtime/contract.ts).
      region: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a region name such as us-east-1 or home-lab'),
      ingressClassName: z.string(),
    }),
    tls: z.object({
      clusterIssuerName: z.string().min(1, 'must name a ClusterIssuer, e.g. letsencrypt'),
    }),
    monitoring: z.object({
      namespace: z.string().min(1, 'must name a namespace, e.g. monitoring'),
      otlpEndpoint: httpUrl('http://otel-collector.monitoring.svc:4318'),
    }),
    runtime: z.object({
      image: z.string().min(1, 'must be an image reference, e.g. edgeplane/runtime:0.1.0'),
      edgeReplicas: count(1, 3),
      originReplicas: count(1, 2),
      edgeMaxReplicas: count(1, 12).optional(),
      cacheMemoryMb: count(16, 256),
      cacheDiskMb: count(0, 1024).optional(),
      edgeResources: resources,
      originResources: resources,
    }),
    ingressControllerNamespace: z.string().min(1).optional(),
    dataStoreCidrs: z.array(cidr).optional(),
    loadBalancer: z.object({ annotations: z.record(z.string(), z.unknown()) }).optional(),
  })
  .superRefine((args, ctx) => {
    // With load balancers there is no Ingress, so no IngressClass to name.
    if (!args.loadBalancer && args.cluster.ingressClassName === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster', 'ingressClassName'],
        message: 'must name an IngressClass, e.g. traefik (or give loadBalancer)',
      });
    }
    const cacheProblem = edgeCacheProblem(
      args.runtime.cacheMemoryMb,
      args.runtime.edgeResources,
      args.runtime.cacheDiskMb,
    );
    if (cacheProblem !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['runtime', 'cacheMemoryMb'], message: cacheProblem });
    }
    const { edgeMaxReplicas, edgeReplicas } = args.runtime;
    if (edgeMaxReplicas !== undefined && edgeMaxReplicas < edgeReplicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['runtime', 'edgeMaxReplicas'],
        message: `must be at least runtime.edgeReplicas (${edgeReplicas})`,
      });
    }
  });

const homeOriginUrl = httpUrl('https://api.cdn.example.com');

export class CdnArgsError extends Error {
  constructor(name: string, problems: string[]) {
    super(
      `Cdn ${name}: invalid arguments; nothing was created:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.name = 'CdnArgsError';
  }
}

/** Throws CdnArgsError naming every bad field. Outputs (endpoints, the home token) are not checked here. */
export function validateCdnArgs(name: string, args: CdnArgs): void {
  const problems: string[] = [];
  const result = plainArgs.safeParse(args);
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
  }
  const url = args.region.role === 'edge-only' ? args.region.homeOrigin.url : undefined;
  if (typeof url === 'string' && !homeOriginUrl.safeParse(url).success) {
    problems.push(
      'region.homeOrigin.url: must be an http or https URL, e.g. https://api.cdn.example.com',
    );
  }
  if (problems.length > 0) throw new CdnArgsError(name, problems);
}
