#!/usr/bin/env bash
# Test the Python package `ges_backups` as a user gets it: in a fresh virtual
# environment, `pip install ./bindings/python[test]` (which builds the Rust library with
# cargo and bundles it), then `mypy --strict` and pytest against the emulator.
#
# Needs `cargo build --release` to have been run (target/release/ges-emulator).
# Environment: PYTHON (default python3), GES_PY_VENV (default target/py-venv),
# GES_EMULATOR (default target/release/ges-emulator). Extra arguments go to pytest.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
venv="${GES_PY_VENV:-$root/target/py-venv}"
export GES_EMULATOR="${GES_EMULATOR:-$root/target/release/ges-emulator}"

if [[ ! -x "$GES_EMULATOR" ]]; then
    echo "run_tests.sh: $GES_EMULATOR is missing; run 'cargo build --release' first" >&2
    exit 1
fi

echo "== python: fresh virtual environment in $venv"
rm -rf "$venv"
"$python" -m venv "$venv"

echo "== python: pip install ./bindings/python[test]"
"$venv/bin/python" -m pip install --quiet "$here[test]"

cd "$here"
echo "== python: mypy --strict"
"$venv/bin/python" -m mypy --strict --cache-dir "$venv/mypy-cache" ges_backups tests

echo "== python: pytest"
# Run the venv's pytest from a folder that is not the source tree, so that the
# installed package (with its bundled library) is the one imported.
cd "$here/tests"
"$venv/bin/pytest" -p no:cacheprovider --rootdir "$here" -c "$here/pyproject.toml" "$@" "$here/tests"
