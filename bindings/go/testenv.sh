# Shared by bindings/go/run_tests.sh and bindings/terraform/run_tests.sh, which
# source it (bash, set -euo pipefail) from the module directory they test.
#
# The Go package finds the library through pkg-config (ges_backups_static.pc,
# see link.go), as a user's program does: the tests build against an
# installed prefix, GES_PREFIX when the caller made one, else one made here
# with `make install PREFIX=$work/prefix` (which runs the cargo build first).
#
# Sets root, prefix, lib, sharedlib (the shared library, by its SONAME), header, work (a temporary directory, removed on
# exit) and log; exports PKG_CONFIG_PATH (the prefix's only), GES_EMULATOR
# (default: the prefix's ges-emulator), CGO_ENABLED and CGO_CFLAGS; defines
# step, go_lint and go_test_logged.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/go-test.log"

step() { printf '\n== %s\n' "$*"; }

if [[ -n "${GES_PREFIX:-}" ]]; then
  prefix="$(cd "$GES_PREFIX" && pwd)"
else
  prefix="$work/prefix"
  step "make install PREFIX=$prefix"
  if ! make -C "$root" install PREFIX="$prefix" >"$work/install.log" 2>&1; then
    tail -n 40 "$work/install.log" >&2
    echo "make install PREFIX=$prefix failed" >&2
    exit 1
  fi
  echo "ok"
fi
lib="$prefix/lib/libges_backups.a"
sharedlib="$prefix/lib/libges_backups.so.1"
header="$prefix/include/ges_backups.h"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export GES_EMULATOR="${GES_EMULATOR:-$prefix/bin/ges-emulator}"
for f in "$lib" "$sharedlib" "$header" "$PKG_CONFIG_PATH/ges_backups_static.pc" "$GES_EMULATOR"; do
  if [[ ! -e "$f" ]]; then
    echo "testenv.sh: $f is missing; is $prefix a prefix made by \`make install\`?" >&2
    exit 1
  fi
done
export CGO_ENABLED=1

# The Go build cache hashes neither pkg-config's answer nor the library; fold
# their digest into CGO_CFLAGS so that another library is always relinked and
# retested.
# The prefix's path goes in too: a cached package links the path it was built with.
key="$({ echo "$PKG_CONFIG_PATH"; cat "$lib" "$header" "$PKG_CONFIG_PATH/ges_backups_static.pc"; } | sha256sum | cut -c1-16)"
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -DGES_LIB_KEY=$key"

# go_lint: gofmt and go vet of the module in the current directory.
go_lint() {
  step "gofmt"
  local unformatted
  unformatted="$(gofmt -l .)"
  if [[ -n "$unformatted" ]]; then
    echo "not gofmt-ed:" >&2
    echo "$unformatted" >&2
    exit 1
  fi
  step "go vet"
  go vet ./...
}

# go_test_logged ARGS...: go test -count=1 -v ARGS ./..., its output kept in
# $log. On failure shows the failures and exits; else prints the
# results and the number of tests passed and skipped.
go_test_logged() {
  if ! go test -count=1 -v "$@" ./... >"$log" 2>&1; then
    grep -E '^(\s*--- FAIL|FAIL|panic:|\s+\S+_test\.go:[0-9]+:)' "$log" >&2 || true
    tail -n 80 "$log" >&2
    echo "go test $* failed" >&2
    exit 1
  fi
  grep -E '^(ok|---)' "$log" || true
  echo "tests: $(grep -cE '^\s*--- PASS' "$log") passed (subtests included), $(grep -cE '^\s*--- SKIP' "$log" || true) skipped"
}
