// The edge's young generation, in a real V8: the option its container, the bench and local mode
// start it with (NODE_OPTIONS) is accepted there and bounds the main thread's new space, and the
// worker threads' resource limits bound theirs without it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { edgeNodeOptions, edgeSemiSpaceMb } from '../contract.ts';

const run = promisify(execFile);
const child = join(import.meta.dirname, 'young-generation.child.ts');
/**
 * The new space is two semi-spaces, 16 MB; V8 may hold a few pages beyond that for a while (a CI
 * run measured 17.75 MB, most likely pages pinned by a scavenge's stack scan). V8's default here
 * is 128 MB.
 */
const boundMb = 4 * edgeSemiSpaceMb;

async function newSpaces(
  nodeOptions: string | undefined,
): Promise<{ main: number; worker: number }> {
  const env = { ...process.env, NODE_OPTIONS: nodeOptions };
  if (nodeOptions === undefined) delete env.NODE_OPTIONS;
  const { stdout } = await run(process.execPath, [child], { env, timeout: 60_000 });
  return JSON.parse(stdout) as { main: number; worker: number };
}

describe("the edge threads' young generation", () => {
  test('NODE_OPTIONS as the container sets it bounds the main thread and the workers', async () => {
    expect(edgeNodeOptions).toEqual({ name: 'NODE_OPTIONS', value: '--max-semi-space-size=8' });
    const sizes = await newSpaces(edgeNodeOptions.value);
    expect(sizes.main).toBeGreaterThan(0);
    expect(sizes.main).toBeLessThanOrEqual(boundMb);
    expect(sizes.worker).toBeGreaterThan(0);
    expect(sizes.worker).toBeLessThanOrEqual(boundMb);
  }, 90_000);

  test('a worker thread is bounded by its resource limits when the process was started without the option', async () => {
    const sizes = await newSpaces(undefined);
    expect(sizes.worker).toBeGreaterThan(0);
    expect(sizes.worker).toBeLessThanOrEqual(boundMb);
  }, 90_000);
});
