// Run by young-generation.test.ts: churns short-lived and surviving objects in the main thread
// and in a worker thread made with the edge's resource limits, then prints each one's new-space
// size in MB as JSON ({"main": n, "worker": n}).
import { getHeapSpaceStatistics } from 'node:v8';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { workerResourceLimits } from './young-generation.ts';

function newSpaceMbAfterChurn(): number {
  let kept: { index: number; text: string }[] = [];
  for (let index = 0; index < 3_000_000; index++) {
    kept.push({ index, text: `object ${index}` });
    if (kept.length > 200_000) kept = [];
  }
  const space = getHeapSpaceStatistics().find((one) => one.space_name === 'new_space');
  return (space?.space_size ?? Number.NaN) / (1024 * 1024);
}

if (isMainThread) {
  const main = newSpaceMbAfterChurn();
  const worker = new Worker(new URL(import.meta.url), { resourceLimits: workerResourceLimits });
  worker.once('message', (workerMb: number) => {
    process.stdout.write(`${JSON.stringify({ main, worker: workerMb })}\n`);
  });
} else {
  parentPort?.postMessage(newSpaceMbAfterChurn());
}
