import * as pulumi from '@pulumi/pulumi';
import type { StoreSslMode } from '../../runtime/contract.ts';

/** What every Postgres component (rds.ts, cloudsql.ts, incluster.ts) hands to the runtime. */
export interface PostgresEndpoint {
  host: pulumi.Output<string>;
  port: pulumi.Output<number>;
  database: pulumi.Output<string>;
  user: pulumi.Output<string>;
  /** Always a secret Output. */
  password: pulumi.Output<string>;
  /** libpq sslmode the runtime must use (runtime/contract.ts storeSslModes says what each verifies). */
  sslMode: StoreSslMode;
  /**
   * PEM of the CA(s) that sign the server certificate: the runtime trusts them instead of Node's
   * built-in roots (DATABASE_CA_CERT). Absent: the built-in roots, or no verification with `require`.
   */
  caCertificate?: pulumi.Output<string>;
}

/** DATABASE_URL for the runtime, as a secret Output. */
export function postgresUrl(endpoint: PostgresEndpoint): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.interpolate`postgres://${endpoint.user}:${endpoint.password.apply(encodeURIComponent)}@${endpoint.host}:${endpoint.port}/${endpoint.database}?sslmode=${endpoint.sslMode}`,
  );
}
