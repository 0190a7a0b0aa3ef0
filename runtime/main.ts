// The runtime's entry point: one image, the role chosen by EDGEPLANE_ROLE.
import { parseRuntimeEnv, type RuntimeEnv, RuntimeEnvError } from './contract.ts';

/** Exit codes: 1 when a role fails to start, 2 for a bad environment or sites file. */
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
  const { runOrigin } = await import('./origin/index.ts');
  return runOrigin(runtimeEnv);
}

if (import.meta.main) {
  process.exitCode = await main(process.env);
}
