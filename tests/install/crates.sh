#!/usr/bin/env bash
# The crates as crates.io would take them: every field crates.io shows is set,
# and `cargo package` passes for ges-signing and ges-backups: each packaged
# crate builds on its own, from its own files and the registry's crates.
# ges-backups depends on ges-signing by version; one `cargo package` of both
# lets it resolve the unpublished ges-signing from the other's package.
# --offline: the registry's crates are the ones the workspace build fetched
# (Cargo.lock, --locked); --allow-dirty: a checkout under test may be edited.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fail() { echo "crates test: $*" >&2; exit 1; }
. tests/install/common.sh
crates=(ges-signing ges-backups)

cargo metadata --format-version 1 --no-deps --offline --locked | python3 -c '
import json, sys
fields = ["description", "license", "repository", "readme", "keywords", "categories", "rust_version"]
wanted = sys.argv[1:]
packages = {p["name"]: p for p in json.load(sys.stdin)["packages"]}
missing = [f"{name}: {field}" for name in wanted for field in fields if not packages[name].get(field)]
if missing:
    sys.exit("crates test: no " + ", ".join(missing) + " in Cargo.toml")
for name in wanted:
    p = packages[name]
    print("  {} {}: rust-version {}, {}, {}".format(name, p["version"], p["rust_version"], p["license"], p["repository"]))
' "${crates[@]}"

t0=$SECONDS
log=$(mktemp /tmp/ges-crates.XXXXXX)
trap 'rm -f "$log"' EXIT
if ! cargo package --offline --locked --allow-dirty "${crates[@]/#/--package=}" >"$log" 2>&1; then
  cat "$log" >&2
  fail "cargo package failed (above)"
fi
for name in "${crates[@]}"; do
  grep -q "Verifying $name v" "$log" || fail "cargo package did not verify $name"
done
echo "cargo package: ${crates[*]} packaged and built from their packages in $((SECONDS - t0))s"
for name in "${crates[@]}"; do
  crate="target/package/$name-$version.crate"
  printf '  %8d bytes  %s, %s files\n' "$(stat -c %s "$crate")" "$crate" "$(tar tzf "$crate" | wc -l)"
done
