#!/usr/bin/env bash
# npm run check: the type check and the lint (scripts/typecheck-and-lint.ts, over one TypeScript
# program) beside the format check. Measured back to back on this two-core machine under the same
# load (2026-11-30): `tsc --noEmit` and `eslint .` took 62 + 104 s of CPU on their own programs, the
# shared program 95 s. Every tool's output is printed; the exit status is the first failure's
# (type check or lint, then prettier), 0 when all pass.
set -u
cd "$(dirname "$0")/.."
npx prettier --check . --log-level warn &
prettier=$!
npx tsx scripts/typecheck-and-lint.ts
typed=$?
wait "$prettier"
prettier=$?
for status in "$typed" "$prettier"; do
  if [ "$status" -ne 0 ]; then exit "$status"; fi
done
exit 0
