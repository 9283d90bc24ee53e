#!/usr/bin/env bash
# Installs the Python test tools into a project-local venv, .venv/, from requirements-test.txt: a lock
# in which every transitive dependency is pinned with its sha256 hashes (generated from
# requirements-test.in by scripts/lock-python-tools.sh). pip --require-hashes refuses any file whose
# hash is not in the lock and any dependency the lock does not pin; --only-binary keeps pip from
# building (and so from running) a source archive's setup code; --clear starts from an empty venv, so
# .venv holds exactly the lock and nothing left over from an earlier one.
# Idempotent: reinstalls only when requirements-test.txt changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.requirements-test.sha256
want=$(sha256sum requirements-test.txt | cut -d' ' -f1)
if [[ -x .venv/bin/python && -f $stamp && $(cat "$stamp") == "$want" ]]; then
  exit 0
fi
python3 -m venv --clear .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  --require-hashes --only-binary=:all: --no-deps -r requirements-test.txt
echo "$want" > "$stamp"
echo "setup-test-tools: installed $(grep -v '^#' requirements-test.in | grep . | tr '\n' ' ')(and their locked dependencies) into .venv"
