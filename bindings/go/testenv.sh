# Shared by bindings/go/run_tests.sh and bindings/terraform/run_tests.sh, which
# source it (bash, set -euo pipefail) from the module directory they test.
#
# Checks that `cargo build --release` ran at the repository root, sets root,
# lib, header, work (a temporary directory, removed on exit) and log, exports
# GES_EMULATOR, CGO_ENABLED and CGO_CFLAGS, and defines step, go_lint and
# go_test_logged.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
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

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/go-test.log"

step() { printf '\n== %s\n' "$*"; }

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
