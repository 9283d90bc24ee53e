#!/usr/bin/env bash
# Regenerates the hashed Python locks (requirements-*.txt) from their inputs (requirements-*.in).
# Run it after editing a .in file and commit both. pip-tools runs in a throwaway venv, so nothing
# here touches .venv/ or .venv-bench/. The locks carry the hashes of every published file of each
# pinned version (all platforms), so they install on any machine with pip --require-hashes.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/pip" install --quiet --disable-pip-version-check pip-tools==7.6.2
export CUSTOM_COMPILE_COMMAND="bash scripts/lock-python-tools.sh"
for input in requirements-test.in requirements-uv.in requirements-bench.in requirements-bench-build.in; do
  # --allow-unsafe: the build lock's whole point is to pin setuptools.
  "$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links \
    --output-file "${input%.in}.txt" "$input"
done
