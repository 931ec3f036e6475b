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
root="$(cd "$here/../.." && pwd)"
cd "$here"

lib="$root/target/release/libges_backups.a"
header="$root/include/ges_backups.h"
export GES_EMULATOR="${GES_EMULATOR:-$root/target/release/ges-emulator}"
for f in "$lib" "$header" "$GES_EMULATOR"; do
  if [[ ! -e "$f" ]]; then
    echo "run_tests.sh: $f is missing; run \`cargo build --release\` at $root first" >&2
    exit 1
  fi
done
export CGO_ENABLED=1

# The Go build cache does not hash the Rust library; fold its digest into
# CGO_CFLAGS so that a rebuilt library is always relinked and retested.
key="$(cat "$lib" "$header" | sha256sum | cut -c1-16)"
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -DGES_LIB_KEY=$key"

step() { printf '\n== %s\n' "$*"; }
start=$SECONDS

step "gofmt"
unformatted="$(gofmt -l .)"
if [[ -n "$unformatted" ]]; then
  echo "not gofmt-ed:" >&2
  echo "$unformatted" >&2
  exit 1
fi

step "go vet"
go vet ./...

step "go test -race (against $GES_EMULATOR)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! go test -race -count=1 -timeout 10m -v ./... >"$log" 2>&1; then
  grep -E '^(\s*--- FAIL|FAIL|panic:|\s+\S+_test\.go:[0-9]+:)' "$log" >&2 || true
  tail -n 60 "$log" >&2
  echo "go test -race failed" >&2
  exit 1
fi
grep -E '^(ok|---)' "$log" || true
echo "tests: $(grep -cE '^\s*--- PASS' "$log") passed (subtests included), $(grep -cE '^\s*--- SKIP' "$log") skipped"

step "static link: a built program needs no libges_backups at run time"
bin="$(mktemp -d)"
trap 'rm -f "$log"; rm -rf "$bin"' EXIT
go build -o "$bin/list-backups" ./examples/list-backups
if command -v ldd >/dev/null; then
  ldd "$bin/list-backups" || true
  if ldd "$bin/list-backups" | grep -q libges_backups; then
    echo "list-backups links libges_backups dynamically" >&2
    exit 1
  fi
fi
"$bin/list-backups" -h >/dev/null 2>&1 || true
echo "ok: no libges_backups dependency"

step "a missing library is a clear build error"
fake="$bin/tree"
mkdir -p "$fake/bindings" "$fake/include"
cp -r "$here" "$fake/bindings/go"
cp "$header" "$fake/include/"
if (cd "$fake/bindings/go" && go build ./... >"$bin/out" 2>&1); then
  echo "a build without target/release/libges_backups.a succeeded" >&2
  exit 1
fi
if ! grep -q 'run: cargo build --release' "$bin/out"; then
  echo "the build failed without the expected message:" >&2
  cat "$bin/out" >&2
  exit 1
fi
grep -m1 -o 'gesbackups: target/release/libges_backups.a not found[^"]*' "$bin/out"

echo
echo "bindings/go: all green in $((SECONDS - start))s"
