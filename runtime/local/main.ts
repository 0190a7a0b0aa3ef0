// `./run start` and `npm start`: local mode, the whole CDN on this machine (see local-mode.ts).
import { dirname } from 'node:path';
import { runLocalMode } from './local-mode.ts';

if (import.meta.main) {
  process.exitCode = await runLocalMode({
    argv: process.argv.slice(2),
    env: process.env,
    checkout: dirname(dirname(import.meta.dirname)),
    out: process.stdout,
    err: process.stderr,
  });
}
