#!/usr/bin/env bash
# npm test [jest arguments]: everything, on the two cores at once.
#
# - The Python test tools are installed into .venv (scripts/setup-test-tools.sh) while the type check,
#   lint and format check (npm run check) run.
# - Jest starts as soon as the tools are in place, not when the check is done: the check's longest
#   part is one single-threaded process, and run first it left a core idle for most of its time.
#   The check's output is held and printed after jest's, so the two do not interleave.
# - A failed setup stops here (the integration tests need its tools), after the check has finished.
# The exit status is the first failure's: setup, jest, then the check; 0 when all pass.
set -u
cd "$(dirname "$0")/.."
# npm puts node_modules/.bin first on PATH; run directly, this finds jest there (appended, so that a
# stand-in earlier on PATH still wins, as in test/test-command.test.ts).
export PATH="$PATH:$PWD/node_modules/.bin"
check_log=$(mktemp)
trap 'rm -f "$check_log"' EXIT

bash scripts/setup-test-tools.sh &
setup=$!
npm run check >"$check_log" 2>&1 &
check=$!

report_check() {
  wait "$check"
  local status=$?
  cat "$check_log"
  if [ "$status" -ne 0 ]; then echo "npm test: npm run check failed (exit $status), output above" >&2; fi
  return "$status"
}

wait "$setup"
setup_status=$?
if [ "$setup_status" -ne 0 ]; then
  echo "npm test: the test tools' setup failed (exit $setup_status); jest not run" >&2
  report_check
  exit "$setup_status"
fi
jest "$@"
jest_status=$?
report_check
check_status=$?
for status in "$jest_status" "$check_status"; do
  if [ "$status" -ne 0 ]; then exit "$status"; fi
done
exit 0
