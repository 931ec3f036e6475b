#!/usr/bin/env bash
# The quick tier: what a change to src/ needs before the full run
# (tests/run_all.sh). Formatting, lints, the API docs, unit tests, the C ABI tests against
# the emulator, the C program under valgrind, the docs' links.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
step() { printf '\n==== %s (%ss so far)\n' "$1" "$SECONDS"; }

step "build (release) and the header drift check"
cargo build --release -p ges-backups -p ges-emulator -p ges-backups-cli
cargo test --release -p ges-backups --lib header_drift

step "format, lints and the Rust API docs"
cargo fmt --all -- --check
cargo clippy --release -p ges-backups -p ges-signing --all-targets -- -D warnings
# The Rust API docs: no broken intra-doc link, no warning.
RUSTDOCFLAGS="-D warnings" cargo doc --release --no-deps -p ges-backups -p ges-signing

step "unit tests and the C ABI tests against the emulator"
cargo test --release -p ges-backups -p ges-signing

step "C program under valgrind"
tests/c/run.sh

step "docs links"
python3 tests/docs/check_links.py

echo
echo "quick tier passed in ${SECONDS}s"
