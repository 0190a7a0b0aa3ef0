#!/usr/bin/env bash
# The test command: typecheck, lint + format check, the offline plan of every example stack with
# the policy pack's verdict (a mandatory violation fails it), then every jest test (real Postgres
# and Redis are started by the jest global setup). Each static check and each stack's plan counts
# as one test in the closing line, which is the plain `N passed, N failed` that CI reads.
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

# The whole plan goes to .test-results/plan-<stack>.txt; the verdict is printed here.
plan_with_policies() {
  local out=.test-results/plan-$1.txt status
  node scripts/plan.ts "$1" >"$out"
  status=$?
  sed -n '/^Policy verdict/,$p' "$out"
  return $status
}
for stack_file in Pulumi.*.yaml; do
  stack=${stack_file#Pulumi.}
  stack=${stack%.yaml}
  run_check "plan $stack" plan_with_policies "$stack"
done
echo "== jest"
npx --no-install jest --json --outputFile=.test-results/jest.json "$@"
jest_status=$?

node scripts/test-summary.ts .test-results/jest.json "$checks_passed" "$checks_failed" "$jest_status"
