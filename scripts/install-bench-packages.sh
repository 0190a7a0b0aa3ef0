#!/usr/bin/env bash
# Installs the Debian packages `npm run bench` uses, only those missing: nginx (the baseline
# cache) and wrk (the load generator). Debian's nginx package starts a system nginx on port 80
# when it can; the bench runs its own on loopback, so starting services is refused for the
# duration of the install (policy-rc.d), unless the machine already has a policy of its own.
set -euo pipefail
declare -A wanted=([/usr/sbin/nginx]=nginx [/usr/bin/wrk]=wrk)

missing=()
for binary in "${!wanted[@]}"; do
  [[ -x $binary ]] || missing+=("${wanted[$binary]}")
done
((${#missing[@]} == 0)) && exit 0

sudo=()
if ((EUID != 0)); then
  command -v sudo >/dev/null 2>&1 || {
    echo "edgeplane: the bench needs Debian packages ${missing[*]}; run as root or install them first" >&2
    exit 1
  }
  sudo=(sudo)
fi
policy=/usr/sbin/policy-rc.d
added_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\n# edgeplane bench: no service starts during its package install\nexit 101\n' |
    "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  added_policy=true
fi
remove_policy() { if $added_policy; then "${sudo[@]}" rm -f "$policy"; fi; }
trap remove_policy EXIT

echo "edgeplane: installing Debian packages for the bench: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# apt may be locked by another install on a shared machine: wait for it.
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=120 update -qq
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
