import * as pulumi from '@pulumi/pulumi';

/** What every Redis component (elasticache.ts, memorystore.ts, incluster.ts) hands to the runtime. */
export interface RedisEndpoint {
  host: pulumi.Output<string>;
  port: pulumi.Output<number>;
  /** AUTH password, always a secret Output. */
  password: pulumi.Output<string>;
  /** true: connect with TLS (rediss://). */
  tls: boolean;
  /**
   * With TLS, what the runtime verifies (runtime/contract.ts storeSslModes); default `verify-full`
   * (chain and host name).
   */
  sslMode?: 'require' | 'verify-ca' | 'verify-full';
  /** PEM of the CA(s) that sign the server certificate, instead of Node's roots (REDIS_CA_CERT). */
  caCertificate?: pulumi.Output<string>;
}

/** REDIS_URL for the runtime, as a secret Output. */
export function redisUrl(endpoint: RedisEndpoint): pulumi.Output<string> {
  const scheme = endpoint.tls ? 'rediss' : 'redis';
  const query = endpoint.tls && endpoint.sslMode ? `?sslmode=${endpoint.sslMode}` : '';
  return pulumi.secret(
    pulumi.interpolate`${scheme}://:${endpoint.password.apply(encodeURIComponent)}@${endpoint.host}:${endpoint.port}${query}`,
  );
}
