#!/usr/bin/env bash
# Tests of the Go package gesbackups (bindings/go).
#
# Builds against an installed prefix, found through pkg-config as a user's
# program finds it: GES_PREFIX when given, else one made by `make install`
# (see testenv.sh). Needs Go (1.25+), pkg-config and a C compiler. Runs:
# gofmt, go vet (cgo on and off), the whole test suite twice against the
# emulator: with cgo (the static library, -race) and with CGO_ENABLED=0 (the
# prefix's shared library through GES_BACKUPS_LIBRARY and purego, the load
# errors included); the cgo-free cross builds (darwin, windows, linux/arm64);
# a program of another module built vendored against the prefix alone and
# linked statically (also fully static), and without cgo; and the build
# error when pkg-config cannot find the library.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
. ./testenv.sh
emulator_pid=""
trap '[[ -z "$emulator_pid" ]] || kill "$emulator_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
start=$SECONDS

go_lint

step "CGO_ENABLED=0 go vet"
CGO_ENABLED=0 go vet ./...

step "go test -race, cgo: the static library (against $GES_EMULATOR)"
t0=$SECONDS
go_test_logged -race -timeout 10m
grep -h 'cancel latency' "$log" | sed 's/^ *//'
echo "with cgo: $((SECONDS - t0))s"

step "go test, CGO_ENABLED=0: GES_BACKUPS_LIBRARY=$sharedlib through purego"
t0=$SECONDS
CGO_ENABLED=0 GES_BACKUPS_LIBRARY="$sharedlib" go_test_logged -timeout 10m
grep -h 'cancel latency' "$log" | sed 's/^ *//'
grep -c -- '--- PASS: TestLibraryLoading/' "$log" | sed 's/$/ library loading cases (missing, other ABI, function missing, system search)/'
echo "without cgo: $((SECONDS - t0))s"

step "cross builds with CGO_ENABLED=0: go build and go vet of every package, examples and tests included"
for target in darwin/arm64 darwin/amd64 windows/amd64 linux/arm64; do
  CGO_ENABLED=0 GOOS="${target%/*}" GOARCH="${target#*/}" go build ./...
  CGO_ENABLED=0 GOOS="${target%/*}" GOARCH="${target#*/}" go vet ./...
  echo "ok: $target"
done

step "a program of another module: go mod vendor, built with the prefix's pkg-config file alone"
consumer="$work/consumer"
mkdir -p "$consumer"
cp testdata/consumer/main.go "$consumer/"
# As a user with a checkout writes it (README.md, section Install).
cat >"$consumer/go.mod" <<MOD
module example.com/consumer

go 1.25

require github.com/ges-backups/ges-backups/bindings/go v0.0.0-00010101000000-000000000000

replace github.com/ges-backups/ges-backups/bindings/go => $here
MOD
(
  cd "$consumer"
  export GOWORK=off GOFLAGS=-mod=vendor PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  GOFLAGS= go mod tidy
  GOFLAGS= go mod vendor
  test -f vendor/github.com/ges-backups/ges-backups/bindings/go/gesbackups.h
  # -x shows the commands, -ldflags=-v the C linker's: no path of the
  # checkout may be in them, the prefix's static library must. (The module
  # info line names the replace directive's directory, as it should.)
  go build -x -ldflags=-v -o consumer . >build.log 2>&1 || { cat build.log >&2; exit 1; }
  if grep -v '^modinfo ' build.log | grep -F "$root/"; then
    echo "the build of a vendored program used a path of the checkout $root" >&2
    exit 1
  fi
  grep -qF "$prefix/lib/pkgconfig/../../lib/libges_backups.a" build.log
  echo "ok: vendored build, no path of $root in its flags"
  go build -ldflags=-extldflags=-static -o consumer-static . 2>static.log || { cat static.log >&2; exit 1; }
  CGO_ENABLED=0 go build -o consumer-nocgo .
)

step "the program needs no libges_backups at run time, and lists from a real emulator"
readelf -d "$consumer/consumer" | grep NEEDED
if readelf -d "$consumer/consumer" | grep NEEDED | grep -q libges_backups; then
  echo "the program needs libges_backups at run time" >&2
  exit 1
fi
if ! readelf -d "$consumer/consumer-static" | grep -q 'no dynamic section'; then
  readelf -d "$consumer/consumer-static" >&2
  echo "-extldflags=-static did not give a static program" >&2
  exit 1
fi
"$prefix/bin/ges-emulator" --listen 127.0.0.1:0 --auth-token consumer-token --backups 250 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 100); do [[ -s "$work/emulator.out" ]] && break; sleep 0.05; done
export GES_ENDPOINT="$(head -n1 "$work/emulator.out")" HW_PROJECT_ID=demo-project HW_AUTH_TOKEN=consumer-token
"$prefix/bin/ges-backups" list --output json >"$work/cli.json"
for program in consumer consumer-static consumer-nocgo; do
  # A fresh environment: nothing of the build tree on any path. Without cgo,
  # the program finds the prefix's shared library as the system finds it.
  env -i GES_ENDPOINT="$GES_ENDPOINT" HW_PROJECT_ID="$HW_PROJECT_ID" HW_AUTH_TOKEN="$HW_AUTH_TOKEN" \
    LD_LIBRARY_PATH="$([[ $program == consumer-nocgo ]] && echo "$prefix/lib")" \
    "$consumer/$program" >"$work/$program.json"
  if ! cmp -s "$work/$program.json" "$work/cli.json"; then
    echo "$program printed another list than ges-backups list --output json:" >&2
    diff <(head -c 600 "$work/$program.json") <(head -c 600 "$work/cli.json") >&2 || true
    exit 1
  fi
  echo "ok: $program listed $(grep -o '"id"' "$work/$program.json" | wc -l) ids (250 backups and the list), as the CLI"
done
ls -l "$consumer/consumer" "$consumer/consumer-static" "$consumer/consumer-nocgo" | awk '{print $5, $9}'
kill "$emulator_pid"
emulator_pid=""

step "without the pkg-config file, the build says what is missing"
mkdir -p "$work/nopc"
# Another CGO_CFLAGS, else the build cache, which hashes no pkg-config answer,
# would reuse the package built above.
if (cd "$consumer" && PKG_CONFIG_PATH="$work/nopc" CGO_CFLAGS="$CGO_CFLAGS -DGES_NO_PC_CHECK" \
    go build -mod=vendor -o /dev/null . >"$work/out" 2>&1); then
  echo "a build without ges_backups_static.pc succeeded" >&2
  exit 1
fi
if ! grep -q 'ges_backups_static' "$work/out" || ! grep -q 'PKG_CONFIG_PATH' "$work/out"; then
  echo "the build failed without naming ges_backups_static and PKG_CONFIG_PATH:" >&2
  cat "$work/out" >&2
  exit 1
fi
grep -m2 -E 'ges_backups_static|PKG_CONFIG_PATH' "$work/out"

echo
echo "bindings/go: all green in $((SECONDS - start))s"
