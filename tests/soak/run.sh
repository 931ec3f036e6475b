#!/usr/bin/env bash
# The soak of issue 6: THREADS threads x LISTINGS full listings of 1,000 backups
# on one client (through the C ABI, in a process of its own) while the emulator,
# another process, fails 8% of the list requests: 4% with 503, 2% dropped before
# the answer, 2% cut off mid-body. Checks (tests/soak/soak.c): every call returns
# the exact list or a clean TRANSPORT/API error, >= 95% succeed, resident memory
# and open fds stay flat after warm-up. Prints the figures, with the failure
# rate the emulator measured.
#   tests/soak/run.sh            the full soak: 8 x 100
#   tests/soak/run.sh --short    the CI version: 8 x 15
#   SOAK_CC_FLAGS="-fsanitize=address,undefined" tests/soak/run.sh --short
# Expects `cargo build --release` to have run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
release="$root/target/release"
# Programs linked with -lges_backups ask for its SONAME at run time; cargo
# builds only libges_backups.so, so add the link that `make install` makes.
soname=$(readelf -d "$release/libges_backups.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
ln -sf libges_backups.so "$release/$soname"
out="$root/target/soak"
mkdir -p "$out"
threads=8 listings=100
[ "${1:-}" = "--short" ] && listings=15
listings=${SOAK_LISTINGS:-$listings}

# shellcheck disable=SC2086
cc -std=c99 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror ${SOAK_CC_FLAGS:-} -I"$root/include" \
  "$root/tests/soak/soak.c" -L"$release" -Wl,-rpath,"$release" -lges_backups -lpthread -o "$out/soak"

"$release/ges-emulator" --listen 127.0.0.1:0 --backups 1000 --graphs 4 --seed 3 > "$out/emulator.out" 2> "$out/emulator.err" &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 300); do grep -q "^http" "$out/emulator.out" 2>/dev/null && break; sleep 0.1; done
url=$(head -n1 "$out/emulator.out")
case "$url" in http*) ;; *) echo "the emulator did not start: $(cat "$out/emulator.out")" >&2; exit 1 ;; esac

# The truth: the service's own order is the listing's (newest first, then id).
curl -sf "$url/v1.0/demo-project/graphs/backups?offset=0&limit=1000" |
  python3 -c 'import json,sys; print("\n".join(b["id"] for b in json.load(sys.stdin)["backupList"]))' \
  > "$out/expected_ids.txt"
[ "$(wc -l < "$out/expected_ids.txt")" -eq 1000 ]

# Each fault applies with its probability to the requests the ones before it let
# through: 0.04, then 0.02/0.96, then 0.02/0.94 makes 4% + 2% + 2% = 8% in all.
curl -sf -X POST -H 'Content-Type: application/json' "$url/__emulator/faults" -d '[
  {"times": 0, "probability": 0.04, "action": {"type": "status", "status": 503}},
  {"times": 0, "probability": 0.0208333, "action": {"type": "drop"}},
  {"times": 0, "probability": 0.0212766, "action": {"type": "truncate"}}]' > /dev/null

status=0
# SOAK_LIMITS="MIN_SUCCESS MAX_RSS_GROWTH_KB MAX_IDLE_FDS" overrides the defaults (95 4096 4).
# shellcheck disable=SC2086
"$out/soak" "$url" "$out/expected_ids.txt" "$threads" "$listings" ${SOAK_LIMITS:-} || status=$?

curl -sf "$url/__emulator/stats" > "$out/stats.json"
curl -sf "$url/__emulator/faults" > "$out/faults.json"
python3 - "$out/stats.json" "$out/faults.json" <<'PY'
import json, sys
requests = json.load(open(sys.argv[1]))["requests"]
applied = [f["applied"] for f in json.load(open(sys.argv[2]))]
print(f"soak: the emulator answered {requests} list requests and failed {sum(applied)} of them "
      f"({100 * sum(applied) / requests:.2f}%: {applied[0]} x 503, {applied[1]} dropped, {applied[2]} truncated)")
PY
exit $status
