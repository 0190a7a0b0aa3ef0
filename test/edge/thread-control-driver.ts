// `node runtime/main.ts` for the edge role (runEdge, the same start), plus one hook for tests: a line
// `terminate N` on stdin ends worker thread N abruptly (Worker.terminate: no stop message, no last
// words), the way a crash in that thread ends it. Worker threads run runtime/main.ts, as in
// production. Run with `node` and the edge's environment.
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type EdgeEnv, parseRuntimeEnv } from '../../runtime/contract.ts';
import { runEdge } from '../../runtime/edge/index.ts';

const env = parseRuntimeEnv(process.env) as EdgeEnv;
const code = await runEdge(env, {
  workerEntry: join(import.meta.dirname, '..', '..', 'runtime', 'main.ts'),
  started(edge) {
    if (!('workers' in edge)) return;
    createInterface({ input: process.stdin }).on('line', (line) => {
      const [command, index] = line.trim().split(' ');
      if (command === 'terminate') void edge.workers().get(Number(index))?.terminate();
    });
  },
});
process.exit(code);
