#!/usr/bin/env bash
# The official Huawei Cloud Python SDK against our emulator, and its signers
# against ges-signing, in a virtual environment this script makes. Expects
# `cargo build --release` to have run; builds the signing example it needs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv="$root/target/venvs/official-sdk"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
(cd "$root" && cargo build --release --quiet -p ges-signing --example sign)
cd "$here"
"$venv/bin/python" -m pytest -q -p no:cacheprovider .
