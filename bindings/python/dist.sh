#!/usr/bin/env bash
# Build the release distribution of the Python package into DIST_DIR:
#   ges_backups-VERSION.tar.gz  the sdist, with the crate's Rust sources (setup.py)
#   ges_backups-VERSION-py3-none-manylinux_2_17_ARCH.manylinux2014_ARCH.whl
# `python -m build` makes the sdist, then the wheel from that sdist, so a release
# whose sdist does not build fails here. The library is linked by zig (cargo-zigbuild)
# against glibc 2.17's symbol versions, which the manylinux_2_17 tag promises; a plain
# cargo build on this machine would need GLIBC_2.34 (pthread_* and dlsym moved into
# libc in 2.34). `auditwheel repair` checks that and writes the tag. Last, `twine check
# --strict` checks both files as PyPI would take them (metadata, long description).
#
# Usage: bindings/python/dist.sh DIST_DIR
# Environment: PYTHON (default python3) runs the tools, installed from
# dist-requirements.txt into GES_PY_TOOLS (default target/py-tools);
# CARGO_TARGET_DIR (default target/python).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 DIST_DIR" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mkdir -p "$1"
dist="$(cd "$1" && pwd)"
python="${PYTHON:-python3}"
tools="${GES_PY_TOOLS:-$root/target/py-tools}"
arch="$(uname -m)"
glibc="2.17"

# The tools' venv is kept between runs while dist-requirements.txt is unchanged.
if ! cmp -s "$here/dist-requirements.txt" "$tools/dist-requirements.txt" 2>/dev/null; then
    rm -rf "$tools"
    "$python" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet -r "$here/dist-requirements.txt"
    cp "$here/dist-requirements.txt" "$tools/dist-requirements.txt"
fi
zig="$("$tools/bin/python" -c 'import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# setuptools-rust runs $CARGO with --target $CARGO_BUILD_TARGET; cargo-zigbuild reads
# the glibc version from the target's suffix.
CARGO="$tools/bin/cargo-zigbuild" \
CARGO_ZIGBUILD_ZIG_PATH="$zig" \
CARGO_BUILD_TARGET="$arch-unknown-linux-gnu.$glibc" \
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/python}" \
    "$tools/bin/python" -m build --outdir "$work" "$here" >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    echo "dist.sh: python -m build failed (log above)" >&2
    exit 1
}

PATH="$tools/bin:$PATH" "$tools/bin/auditwheel" repair \
    --plat "manylinux_${glibc/./_}_$arch" --wheel-dir "$work/repaired" "$work"/*.whl
"$tools/bin/twine" check --strict "$work"/repaired/*.whl "$work"/*.tar.gz
cp "$work"/repaired/*.whl "$work"/*.tar.gz "$dist/"
ls -l "$dist"/ges_backups-*
