#!/usr/bin/env bash
# Installs the Python test tools (requirements-test.txt) into a project-local venv, .venv/.
# Idempotent: reinstalls only when requirements-test.txt changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.requirements-test.sha256
want=$(sha256sum requirements-test.txt | cut -d' ' -f1)
if [[ -x .venv/bin/python && -f $stamp && $(cat "$stamp") == "$want" ]]; then
  exit 0
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
echo "$want" > "$stamp"
echo "setup-test-tools: installed $(tr '\n' ' ' < <(grep -v '^#' requirements-test.txt)) into .venv"
