// The runtime's entry point: one image, the role chosen by EDGEPLANE_ROLE.
import { parseRuntimeEnv, type RuntimeEnv, RuntimeEnvError } from './contract.ts';

/** Exit codes: 2 for a bad environment or sites file, 3 for a role this build does not contain yet. */
export async function main(env: Record<string, string | undefined>): Promise<number> {
  let runtimeEnv: RuntimeEnv;
  try {
    runtimeEnv = parseRuntimeEnv(env);
  } catch (error) {
    if (error instanceof RuntimeEnvError) {
      process.stderr.write(`edgeplane: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (runtimeEnv.EDGEPLANE_ROLE === 'edge') {
    const { runEdge } = await import('./edge/index.ts');
    return runEdge(runtimeEnv);
  }
  // The origin role (issue #5) is not built yet.
  process.stderr.write(
    `edgeplane: role ${runtimeEnv.EDGEPLANE_ROLE} is not part of this build yet\n`,
  );
  return 3;
}

if (import.meta.main) {
  process.exitCode = await main(process.env);
}
