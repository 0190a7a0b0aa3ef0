// The environment that runs `node runtime/main.ts` as the edge role on loopback, as the tests that
// start the real entry point need it.

export interface EdgeProcessPorts {
  sitesFile: string;
  trafficPort: number;
  managementPort: number;
  /** EDGEPLANE_EDGE_WORKERS: traffic worker processes. */
  workers: number;
}

/** PATH and the edge role's variables; spread more EDGEPLANE_* after it for a test's needs. */
export function edgeProcessEnv(ports: EdgeProcessPorts): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    EDGEPLANE_ROLE: 'edge',
    EDGEPLANE_SITES_FILE: ports.sitesFile,
    EDGEPLANE_TRAFFIC_PORT: String(ports.trafficPort),
    EDGEPLANE_MANAGEMENT_PORT: String(ports.managementPort),
    EDGEPLANE_LISTEN_ADDRESS: '127.0.0.1',
    EDGEPLANE_EDGE_WORKERS: String(ports.workers),
  };
}
