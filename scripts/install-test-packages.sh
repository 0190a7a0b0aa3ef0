#!/usr/bin/env bash
# Installs the Debian packages the tests use, only those missing: redis-server (a real Redis),
# prometheus (promtool checks and unit-tests the alert rules), prometheus-alertmanager (amtool
# checks the Alertmanager config and its routes), openssl (test certificates).
set -euo pipefail
# bench/*.test.ts check the rendered nginx config with `nginx -t` and run the wrk Lua scripts in wrk.
"$(dirname "${BASH_SOURCE[0]}")/install-bench-packages.sh"
# openssl makes the throwaway CA and server certificates of the Postgres/Redis TLS tests.
# curl runs the lines local mode prints, as printed (test/local-mode.test.ts).
# gcc (with libc6-dev) builds the edge's zero-copy addon, which runtime/edge/zero-copy tests.
declare -A wanted=([redis-server]=redis-server [promtool]=prometheus [amtool]=prometheus-alertmanager [openssl]=openssl [curl]=curl [cc]="gcc libc6-dev")

missing=()
for command in "${!wanted[@]}"; do
  # shellcheck disable=SC2206 # a value may name several packages
  command -v "$command" >/dev/null 2>&1 || missing+=(${wanted[$command]})
done
((${#missing[@]} == 0)) && exit 0

sudo=()
if ((EUID != 0)); then
  command -v sudo >/dev/null 2>&1 || {
    echo "edgeplane: tests need Debian packages ${missing[*]}; run as root or install them first" >&2
    exit 1
  }
  sudo=(sudo)
fi
echo "edgeplane: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
