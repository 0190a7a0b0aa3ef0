#!/usr/bin/env bash
# The test command: typecheck, lint + format check, then every jest test (real Postgres and Redis
# are started by the jest global setup). Each static check counts as one test in the closing
# line, which is the plain `N passed, N failed` that CI reads.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .test-results
rm -f .test-results/jest.json

checks_passed=0
checks_failed=0
run_check() {
  local name=$1
  shift
  echo "== $name: $*"
  if "$@"; then
    checks_passed=$((checks_passed + 1))
  else
    echo "== $name FAILED"
    checks_failed=$((checks_failed + 1))
  fi
}

run_check typecheck npx --no-install tsc --noEmit -p tsconfig.json
run_check lint-and-format npx --no-install biome ci --error-on-warnings .
echo "== jest"
npx --no-install jest --json --outputFile=.test-results/jest.json "$@"
jest_status=$?

node scripts/test-summary.ts .test-results/jest.json "$checks_passed" "$checks_failed" "$jest_status"
