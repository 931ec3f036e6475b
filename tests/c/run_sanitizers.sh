#!/usr/bin/env bash
# The C tests again, built with AddressSanitizer (LeakSanitizer included) and
# UndefinedBehaviorSanitizer (gcc -fsanitize=address,undefined): tests/c/test_abi.c
# against the shared and the static library, and the short soak (8 threads on
# one client under faults). The Rust library is the normal release build; ASan
# replaces malloc/free for the whole process, so heap misuse across the C ABI,
# a free of the wrong pointer, a double free and every leak at exit are caught.
# Any report fails the run. Expects `cargo build --release` to have run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
release="$root/target/release"
# Programs linked with -lges_backups ask for its SONAME at run time; cargo
# builds only libges_backups.so, so add the link that `make install` makes.
soname=$(readelf -d "$release/libges_backups.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
ln -sf libges_backups.so "$release/$soname"
out="$root/target/c-tests-sanitized"
mkdir -p "$out"
flags=(-std=c99 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
       -Wall -Wextra -Werror -I"$root/include")
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

cc "${flags[@]}" "$root/tests/c/test_abi.c" -L"$release" -Wl,-rpath,"$release" -lges_backups -lpthread \
  -o "$out/test_abi"
cc "${flags[@]}" "$root/tests/c/test_abi.c" "$release/libges_backups.a" -lpthread -ldl -lm \
  -o "$out/test_abi_static"

"$release/ges-emulator" --listen 127.0.0.1:0 > "$out/emulator.out" 2> "$out/emulator.err" &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 300); do grep -q "^http" "$out/emulator.out" 2>/dev/null && break; sleep 0.1; done
url=$(head -n1 "$out/emulator.out")
case "$url" in http*) ;; *) echo "the emulator did not start: $(cat "$out/emulator.out")" >&2; exit 1 ;; esac

"$out/test_abi" "$url"
echo "ASan+UBSan: no reports (test_abi, shared library)"
"$out/test_abi_static" "$url"
echo "ASan+UBSan: no reports (test_abi, static library)"

# Memory figures mean nothing under ASan (quarantine, shadow memory): only the
# correctness checks of the soak count here.
SOAK_CC_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
  SOAK_LIMITS="95 100000000 8" "$root/tests/soak/run.sh" --short
echo "ASan+UBSan: no reports (soak --short)"
