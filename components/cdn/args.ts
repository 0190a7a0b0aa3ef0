import type * as pulumi from '@pulumi/pulumi';
import type { RedisEndpoint } from '../cache/types.ts';
import type { ClusterOutputs } from '../cluster/types.ts';
import type { PostgresEndpoint } from '../database/types.ts';
import type { MonitoringOutputs } from '../monitoring/types.ts';
import type { TlsOutputs } from '../tls/types.ts';

export type CdnEnvironment = 'dev' | 'staging' | 'prod';

export interface ContainerResources {
  /** Kubernetes CPU quantity, e.g. 500m or 2. */
  cpu: string;
  /** Kubernetes memory quantity, e.g. 512Mi or 2Gi. */
  memory: string;
}

/** The runtime settings of the stack config (`edgeplane:runtime`); StackConfig['runtime'] fits as is. */
export interface CdnRuntimeSettings {
  image: string;
  /** The edge's minimum replicas; the HorizontalPodAutoscaler scales from there. */
  edgeReplicas: number;
  originReplicas: number;
  /** EDGEPLANE_CACHE_MEMORY_MB: at most 3/4 of the edge's memory less 128 MB per extra thread. */
  cacheMemoryMb: number;
  edgeResources: ContainerResources;
  originResources: ContainerResources;
  /** Upper bound of the edge autoscaler. Default: 4 x edgeReplicas. */
  edgeMaxReplicas?: number;
  /** Size of the edge's disk cache tier on an emptyDir, 0 to turn it off. Default: 1024. */
  cacheDiskMb?: number;
  /** Default: info. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

/** The home region runs the origin (with Postgres and Redis) and edges. */
export interface HomeRegion {
  role: 'home';
  postgres: PostgresEndpoint;
  redis: RedisEndpoint;
}

/** Any other region runs edges only; they follow the home origin with the home region's token. */
export interface EdgeOnlyRegion {
  role: 'edge-only';
  /** `CdnOutputs.homeOrigin` of the home region's Cdn. */
  homeOrigin: { url: pulumi.Input<string>; edgeToken: pulumi.Input<string> };
}

export interface CdnArgs {
  cluster: ClusterOutputs;
  tls: TlsOutputs;
  monitoring: MonitoringOutputs;
  region: HomeRegion | EdgeOnlyRegion;
  runtime: CdnRuntimeSettings;
  /** The stack's domain: the edge hostname. The API and dashboard live at api.<domain> and dashboard.<domain>. */
  domain: string;
  environment: CdnEnvironment;
  /**
   * Namespace of the ingress controller that serves the Ingress (the origin admits its API and
   * dashboard traffic only from there). Default: kube-system, where k3s runs traefik.
   */
  ingressControllerNamespace?: string;
  /**
   * Managed Postgres and Redis (RDS, Cloud SQL, ElastiCache, Memorystore) live outside the cluster:
   * give their CIDRs so the origin may reach them. Default: the stores run in namespace edgeplane-data.
   */
  dataStoreCidrs?: string[];
  /**
   * Let the edge and origin fetch from tenant origins on private addresses (RFC 1918, CGNAT, IPv6
   * ULA), e.g. a home lab whose sites live on the LAN. Default false: a site cannot point the CDN
   * at the cluster's own network. Link-local (instance metadata) stays blocked either way.
   */
  privateTenantOrigins?: boolean;
  /**
   * Clouds: reach the edge (and, in the home region, the origin) through LoadBalancer Services
   * instead of an Ingress, e.g. an AWS NLB that terminates TLS with an ACM certificate. The Cdn then
   * creates no Ingress, admits clients to the origin from anywhere, and exposes each load
   * balancer's address as `loadBalancers` for DNS. Default: an Ingress of `cluster.ingressClassName`.
   */
  loadBalancer?: { annotations: Record<string, pulumi.Input<string>> };
}
