#!/usr/bin/env bash
# The dependency tree's licenses, duplicate versions and sources, as deny.toml
# allows them (cargo-deny, installed from crates.io into target/tools the first
# time). Advisories are not checked: see docs/reliability.md, "Supply chain".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/target/tools"
version=0.20.2
deny="$tools/bin/cargo-deny"
if ! "$deny" --version 2>/dev/null | grep -qx "cargo-deny $version"; then
  cargo install --quiet cargo-deny --locked --version "$version" --root "$tools"
fi
"$deny" --manifest-path "$root/Cargo.toml" check licenses bans sources
