#!/usr/bin/env bash
# Tests of the Go package gesbackups (bindings/go).
#
# Assumes `cargo build --release` ran at the repository root: it needs
# target/release/libges_backups.a, include/ges_backups.h and
# target/release/ges-emulator (or GES_EMULATOR). Needs only Go (1.24+) and
# the Go module proxy. Runs: gofmt, go vet, go test -race against the
# emulator, a static-link check of a built program, and a check that a
# missing library is a clear build error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
. ./testenv.sh
start=$SECONDS

go_lint

step "go test -race (against $GES_EMULATOR)"
go_test_logged -race -timeout 10m

step "static link: a built program needs no libges_backups at run time"
go build -o "$work/list-backups" ./examples/list-backups
if command -v ldd >/dev/null; then
  ldd "$work/list-backups" || true
  if ldd "$work/list-backups" | grep -q libges_backups; then
    echo "list-backups links libges_backups dynamically" >&2
    exit 1
  fi
fi
"$work/list-backups" -h >/dev/null 2>&1 || true
echo "ok: no libges_backups dependency"

step "a missing library is a clear build error"
fake="$work/tree"
mkdir -p "$fake/bindings" "$fake/include"
cp -r "$here" "$fake/bindings/go"
cp "$header" "$fake/include/"
if (cd "$fake/bindings/go" && go build ./... >"$work/out" 2>&1); then
  echo "a build without target/release/libges_backups.a succeeded" >&2
  exit 1
fi
if ! grep -q 'run: cargo build --release' "$work/out"; then
  echo "the build failed without the expected message:" >&2
  cat "$work/out" >&2
  exit 1
fi
grep -m1 -o 'gesbackups: target/release/libges_backups.a not found[^"]*' "$work/out"

echo
echo "bindings/go: all green in $((SECONDS - start))s"
