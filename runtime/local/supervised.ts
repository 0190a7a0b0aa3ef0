// The origin's and the edge's entry under local mode: runtime/main.ts plus a lifeline. The
// supervisor starts this with an IPC channel; should the supervisor die without stopping us
// (SIGKILL), the channel closes and we stop as on SIGTERM, so no service outlives local mode.
import { main } from '../main.ts';

if (process.connected) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
process.exitCode = await main(process.env);
// The channel would keep this process alive after main returns.
if (process.connected) process.disconnect();
