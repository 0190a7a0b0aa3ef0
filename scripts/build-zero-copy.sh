#!/usr/bin/env bash
# Builds the edge's zero-copy addon (runtime/edge/zero-copy/send-file.c, N-API) with the system C
# compiler against the running Node's headers:
#   scripts/build-zero-copy.sh [OUTPUT]     (default runtime/edge/zero-copy/build/send-file.node)
# Rebuilds only when the source is newer than the output. Without a compiler or Node's headers it
# says so and exits 0: the edge then writes large hits as it does small ones (zero-copy/index.ts).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source=$root/runtime/edge/zero-copy/send-file.c
output=${1:-$root/runtime/edge/zero-copy/build/send-file.node}
[[ $(uname -s) == Linux ]] || exit 0
if [[ -f $output && $output -nt $source ]]; then exit 0; fi
compiler=${CC:-cc}
if ! command -v "$compiler" >/dev/null 2>&1; then
  echo "edgeplane: no C compiler ($compiler): large cached objects are written, not sent with sendfile (apt-get install gcc libc6-dev)" >&2
  exit 0
fi
# Official Node builds (the pinned toolchain, the node images) keep the headers beside the binary;
# Debian's nodejs has them in libnode-dev.
prefix=$(dirname "$(dirname "$(command -v node)")")
include=''
for candidate in "$prefix/include/node" /usr/include/node; do
  if [[ -f $candidate/node_api.h ]]; then include=$candidate; break; fi
done
if [[ -z $include ]]; then
  echo "edgeplane: no Node headers (node_api.h) near $(command -v node): large cached objects are written, not sent with sendfile" >&2
  exit 0
fi
mkdir -p "$(dirname "$output")"
"$compiler" -O2 -Wall -Wextra -Werror -shared -fPIC -I"$include" "$source" -o "$output.tmp"
mv "$output.tmp" "$output"
