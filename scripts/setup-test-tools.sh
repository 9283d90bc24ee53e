#!/usr/bin/env bash
# Installs the Python test tools into a project-local venv, .venv/, from requirements-test.txt: a lock
# in which every transitive dependency is pinned with its sha256 hashes (generated from
# requirements-test.in by scripts/lock-python-tools.sh). The installer is uv, itself installed by pip
# from its own hashed lock, requirements-uv.txt: uv downloads in parallel and installs several times
# faster than pip (README, "The two commands"). Both run with --require-hashes, which refuses any file
# whose hash is not in the lock and any dependency the lock does not pin, and --only-binary, which
# keeps them from building (and so from running) a source archive's setup code. --clear starts from
# an empty venv, so .venv holds exactly the lock and uv, nothing left over from an earlier one.
# --compile-bytecode: uv, unlike pip, writes no .pyc files by default, and where PYTHONDONTWRITEBYTECODE
# is set (as on the CI machine) every start of moto, cfn-lint or checkov would compile its modules again.
# uv reads no pip.conf: behind a private index, set UV_INDEX_URL (uv's own settings) as well.
# Idempotent: reinstalls only when requirements-test.txt or requirements-uv.txt changed since the last
# install. After it, nothing needs the network: the tests run the tools from .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.requirements-test.sha256
want=$(cat requirements-test.txt requirements-uv.txt | sha256sum | cut -d' ' -f1)
if [[ -x .venv/bin/python && -f $stamp && $(cat "$stamp") == "$want" ]]; then
  exit 0
fi
python3 -m venv --clear .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  --require-hashes --only-binary=:all: --no-deps -r requirements-uv.txt
.venv/bin/uv pip install --quiet --python .venv/bin/python \
  --require-hashes --only-binary=:all: --no-deps --compile-bytecode -r requirements-test.txt
echo "$want" > "$stamp"
echo "setup-test-tools: installed $(grep -v '^#' requirements-test.in | grep . | tr '\n' ' ')(and their locked dependencies) into .venv"
