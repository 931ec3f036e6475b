#!/usr/bin/env bash
# The performance harness (bench/README.md): builds every contender, then runs
# bench/run.py, which starts the emulators and prints the table.
#
#   bench/run.sh            # the full run (about 4 minutes after the builds)
#   bench/run.sh --tiny     # CI: tiny sizes, one run, every contender and workload,
#                           # terraform plan included (bindings/terraform/bench_plan.sh)
#
# Arguments go to bench/run.py (--help lists them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=target/bench
mkdir -p "$out"

echo "== bench: build (release): library, emulator, ges-bench" >&2
cargo build --release --quiet -p ges-backups -p ges-emulator -p ges-bench

echo "== bench: C driver against the static library" >&2
cc -O2 -std=c99 -Wall -Wextra -Werror -Iinclude bench/drivers/c_abi.c \
  target/release/libges_backups.a -lpthread -ldl -lm -o "$out/c_abi"
cc -O2 -std=c99 -Wall -Wextra -Werror -Iinclude bench/drivers/c_shared.c \
  target/release/libges_backups.a -lpthread -ldl -lm -o "$out/c_shared"

echo "== bench: Go drivers (the official SDK from the Go module proxy, and bindings/go)" >&2
# bindings/go links the static library of an installed prefix, found by pkg-config.
prefix="$root/$out/prefix"
make -s install PREFIX="$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# Go's build cache does not see a rebuilt library: key the cgo flags on it.
CGO_CFLAGS="-DGES_LIB_KEY=$({ echo "$prefix"; cat "$prefix/lib/libges_backups.a" "$prefix/include/ges_backups.h"; } | sha256sum | cut -c1-16)"
export CGO_CFLAGS
# Go does not see a new libges_backups.a as a change: no old binary, so it links anew.
rm -f "$out/official_go" "$out/ours_go"
(cd bench/drivers/official_go && go build -o "$root/$out/official_go" .)
(cd bench/drivers/ours_go && go build -o "$root/$out/ours_go" .)

echo "== bench: Python venv with the official SDK (target/venvs/bench)" >&2
venv=target/venvs/bench
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r bench/requirements.txt

echo "== bench: run" >&2
exec python3 bench/run.py "$@"
