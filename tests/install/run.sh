#!/usr/bin/env bash
# `make install` as a user runs it, then C programs built against that prefix
# alone: no path of the build tree may appear in an installed file, in the
# compile flags or in the programs. Checks the SONAME and its links, that the
# libraries are stripped, DESTDIR staging, and runs the dynamic and the static
# program against the installed emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/ges-install.XXXXXX)
fail() { echo "install test: $*" >&2; exit 1; }
. "$root/tests/install/common.sh"
trap '[[ -n $emulator ]] && kill $emulator 2>/dev/null; [[ -n ${KEEP:-} ]] || rm -rf "$work"' EXIT
prefix="$work/prefix"
make -s -C "$root" install PREFIX="$prefix" >/dev/null

lib="$prefix/lib"
[[ -f $lib/libges_backups.so.$version && ! -L $lib/libges_backups.so.$version ]] || fail "no libges_backups.so.$version"
[[ $(readlink "$lib/libges_backups.so.1") == "libges_backups.so.$version" ]] || fail "libges_backups.so.1 link"
[[ $(readlink "$lib/libges_backups.so") == "libges_backups.so.1" ]] || fail "libges_backups.so link"
soname=$(readelf -d "$lib/libges_backups.so.$version" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
abi=$(sed -n 's/^#define GES_ABI_VERSION \([0-9]*\)$/\1/p' "$prefix/include/ges_backups.h")
[[ -n $abi && $soname == "libges_backups.so.$abi" ]] || fail "SONAME is '$soname', the header's ABI is '$abi'"
for f in "$lib/libges_backups.so.$version" "$prefix/bin/ges-backups" "$prefix/bin/ges-emulator" "$lib/libges_backups.a"; do
  sections=$(readelf -S "$f" 2>/dev/null)
  [[ $sections != *.debug_info* ]] || fail "$f is not stripped"
done
[[ -f $prefix/include/ges_backups.h ]] || fail "no header"
manual=$(MANPAGER=cat MANWIDTH=200 man -l "$prefix/share/man/man1/ges-backups.1") || fail "no manual page"
for flag in --region --endpoint --project-id --profile --deadline-ms --output; do
  [[ $manual == *"$flag <"* ]] || fail "the manual page lacks $flag"
done
if grep -rIl -- "$root" "$prefix"; then fail "a build-tree path in the installed files above"; fi

# Relocatable: move the prefix; pkg-config must follow it.
mv "$prefix" "$work/moved"
prefix="$work/moved"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[[ $(pkg-config --modversion ges_backups) == "$version" ]] || fail "pkg-config version"
dynamic_flags=$(pkg-config --cflags --libs ges_backups)
static_flags=$(pkg-config --cflags --libs ges_backups_static)
case "$dynamic_flags $static_flags" in *"$root"*|*target/*) fail "build-tree path in pkg-config flags" ;; esac

cd "$work"
# shellcheck disable=SC2086
cc -std=c99 -Wall -Wextra -Werror "$root/tests/install/consumer.c" $dynamic_flags -o consumer_dynamic
# shellcheck disable=SC2086
cc -std=c99 -Wall -Wextra -Werror "$root/tests/install/consumer.c" $static_flags -o consumer_static
# (Outputs captured first: `cmd | grep -q` under pipefail fails when grep exits early.)
static_needs=$(readelf -d consumer_static)
dynamic_needs=$(readelf -d consumer_dynamic)
[[ $static_needs != *libges_backups* ]] || fail "the static program needs libges_backups"
[[ $dynamic_needs == *"Shared library: [libges_backups.so.1]"* ]] || fail "the dynamic program does not need libges_backups.so.1"

start_emulator "$prefix/bin/ges-emulator"

LD_LIBRARY_PATH="$prefix/lib" ./consumer_dynamic "$url" | tee out_dynamic
./consumer_static "$url" | tee out_static
grep -q "version $version, 3 backups" out_dynamic || fail "dynamic program output"
cmp -s out_dynamic out_static || fail "the two programs disagree"
loaded=$(LD_LIBRARY_PATH="$prefix/lib" ldd consumer_dynamic)
[[ $loaded == *"$prefix/lib/libges_backups.so.1"* ]] || fail "loaded another libges_backups"
[[ $("$prefix/bin/ges-backups" --version) == *"$version"* ]] || fail "installed CLI version"

# DESTDIR stages the same tree under another root.
make -s -C "$root" install DESTDIR="$work/stage" PREFIX=/opt/ges >/dev/null
[[ -L $work/stage/opt/ges/lib/libges_backups.so.1 && -f $work/stage/opt/ges/lib/pkgconfig/ges_backups.pc ]] || fail "DESTDIR"
man_page=$work/stage/opt/ges/share/man/man1/ges-backups.1
[[ -f $man_page ]] || fail "DESTDIR: no manual page"
make -s -C "$root" uninstall DESTDIR="$work/stage" PREFIX=/opt/ges >/dev/null
[[ ! -e $man_page ]] || fail "make uninstall left the manual page"

echo "install: prefix relocatable, SONAME $soname, stripped; dynamic and static C programs listed from the installed emulator"
du -b "$prefix/lib/libges_backups.so.$version" "$prefix/lib/libges_backups.a" "$prefix/bin/ges-backups" "$prefix/bin/ges-emulator" | awk '{printf "  %8.1f MB  %s\n", $1/1e6, $2}'
