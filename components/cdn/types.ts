import type * as pulumi from '@pulumi/pulumi';

/** The CDN's public hostnames in a region. */
export interface CdnHostnames {
  /** Where clients reach the edges (the stack's domain; geo DNS points it at every region). */
  edge: string;
  /** The origin's control-plane API (home region only). */
  api?: string;
  /** The origin's dashboard (home region only). */
  dashboard?: string;
}

/** What the cdn component hands to DNS and to the edge-only regions. */
export interface CdnOutputs {
  namespace: string;
  hostnames: CdnHostnames;
  /** In-cluster Service the Ingress sends edge traffic to, `<name>.<namespace>`. */
  edgeService: string;
  /**
   * Home region only: the origin URL edges of other regions use, and the token they present,
   * always a secret Output. Hand both to every edge-only region's Cdn.
   */
  homeOrigin?: { url: string; edgeToken: pulumi.Output<string> };
  /**
   * With `CdnArgs.loadBalancer` only: the address (hostname or IP) the cloud gave each role's load
   * balancer; the origin's in the home region only. DNS points the hostnames here.
   */
  loadBalancers?: { edge: pulumi.Output<string>; origin?: pulumi.Output<string> };
}
