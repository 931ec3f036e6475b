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

source "$root/tests/c/emulators.sh"

"$out/test_abi" "$samples" "$slow"
echo "ASan+UBSan: no reports (test_abi, shared library)"
"$out/test_abi_static" "$samples" "$slow"
echo "ASan+UBSan: no reports (test_abi, static library)"

# Memory figures mean nothing under ASan (quarantine, shadow memory): only the
# correctness checks of the soak count here.
SOAK_CC_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
  SOAK_LIMITS="95 100000000 8" "$root/tests/soak/run.sh" --short
echo "ASan+UBSan: no reports (soak --short)"
