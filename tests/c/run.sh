#!/usr/bin/env bash
# Builds tests/c/test_abi.c against the committed header, strict C99 with every
# warning an error, checks the header also compiles as C++, and runs the program
# under valgrind against a fresh emulator: zero errors and zero leaks, or it fails.
# Expects `cargo build --release` to have run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
release="$root/target/release"
# Programs linked with -lges_backups ask for its SONAME at run time; cargo
# builds only libges_backups.so, so add the link that `make install` makes.
soname=$(readelf -d "$release/libges_backups.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
ln -sf libges_backups.so "$release/$soname"
out="$root/target/c-tests"
mkdir -p "$out"

cc -std=c99 -Wall -Wextra -Werror -pedantic -I"$root/include" -fsyntax-only -x c "$root/include/ges_backups.h"
echo '#include "ges_backups.h"' | c++ -std=c++11 -Wall -Wextra -Werror -I"$root/include" -fsyntax-only -x c++ -
cc -std=c99 -Wall -Wextra -Werror -pedantic -g -I"$root/include" "$root/tests/c/test_abi.c" \
  -L"$release" -Wl,-rpath,"$release" -lges_backups -lpthread -o "$out/test_abi"
# The static library links into a C program too.
cc -std=c99 -g -I"$root/include" "$root/tests/c/test_abi.c" "$release/libges_backups.a" \
  -lpthread -ldl -lm -o "$out/test_abi_static"

# The README's C example compiles and links as printed.
awk '/^```c$/{on=1; next} /^```$/{on=0} on' "$root/README.md" > "$out/readme_example.c"
[ -s "$out/readme_example.c" ] || { echo "README.md has no C example" >&2; exit 1; }
cc -std=c99 -Wall -Wextra -Werror -pedantic -I"$root/include" "$out/readme_example.c" \
  -L"$release" -lges_backups -o "$out/readme_example"

source "$root/tests/c/emulators.sh"

"$out/test_abi_static" "$samples" "$slow"
valgrind --quiet --suppressions="$root/tests/c/valgrind.supp" --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
  "$out/test_abi" "$samples" "$slow"
echo "valgrind: 0 errors, 0 leaks (test_abi)"
