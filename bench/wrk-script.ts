// The Lua script handed to wrk (-s). Every run reports through done() as one JSON line, exact
// microsecond percentiles rather than wrk's rounded text. A miss run also defines request(), so
// every request asks for a URL no cache has seen: <prefix><thread>/<counter>, where the prefix
// is unique per run (wrk args) and the thread number is handed out in setup().
// wrk decides whether requests are dynamic by whether the script defines request() at top level,
// so the two kinds are two scripts rather than one with a switch.

/** wrk prints this before the JSON line of the report. */
export const reportMarker = 'EDGEPLANE_WRK';

const done = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '${reportMarker} {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
`;

const distinctUrls = `
local threads = 0
setup = function(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

local prefix = "/"
local counter = 0
init = function(args)
  prefix = args[1] .. thread_number .. "/"
end

request = function()
  counter = counter + 1
  return wrk.format(nil, prefix .. counter)
end
`;

export type WrkScriptKind = 'fixed-url' | 'distinct-urls';

export function renderWrkScript(kind: WrkScriptKind): string {
  return `-- Rendered by bench/wrk-script.ts (${kind}).\n${kind === 'distinct-urls' ? distinctUrls : ''}${done}`;
}
