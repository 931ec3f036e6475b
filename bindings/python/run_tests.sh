#!/usr/bin/env bash
# Test the Python package `ges_backups` as users get it:
#  1. the release wheel and sdist (dist.sh: `python -m build`, the wheel built from the
#     sdist, zig-linked, `auditwheel repair`, `twine check --strict`): wheel tagged
#     py3-none-manylinux_2_17, checked by `auditwheel show`; the sdist carries the
#     crate's sources; both carry the license; twine refuses a broken description;
#  2. that wheel in a fresh venv: `mypy --strict` and pytest against the emulator;
#  3. that one wheel installed into a venv of each CPython 3.9 .. 3.13 with no cargo or
#     rustc on PATH, each resolving the type hints of every public callable, listing
#     backups from the real emulator with Client and AsyncClient, and cancelling a
#     listing with SIGINT (KeyboardInterrupt) and an AsyncClient one with
#     task.cancel(), each within half a second and with no request after it;
#  4. an editable install (`pip install -e`), which must import and list.
# Each step's time is printed at the end.
#
# Needs `cargo build --release` to have been run (target/release/ges-emulator), and
# pyenv's CPython 3.9 .. 3.13 (PYENV_ROOT, default ~/.pyenv).
# Environment: PYTHON (default python3, 3.11 or newer), GES_PY_VENV (default
# target/py-venv), GES_PY_TOOLS (see dist.sh), GES_EMULATOR (default
# target/release/ges-emulator). Extra arguments go to pytest.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
venv="${GES_PY_VENV:-$root/target/py-venv}"
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
export GES_EMULATOR="${GES_EMULATOR:-$root/target/release/ges-emulator}"
dist="$root/target/python-dist"
export GES_PY_TOOLS="${GES_PY_TOOLS:-$root/target/py-tools}"  # dist.sh's tools
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

if [[ ! -x "$GES_EMULATOR" ]]; then
    echo "run_tests.sh: $GES_EMULATOR is missing; run 'cargo build --release' first" >&2
    exit 1
fi

timings=()
started=$SECONDS
step() {
    if [[ -n "${step_name:-}" ]]; then
        timings+=("$(printf '%5ds  %s' $((SECONDS - step_start)) "$step_name")")
    fi
    step_name="$*"
    step_start=$SECONDS
    [[ -n "$step_name" ]] && echo "== python: $step_name"
    return 0
}
fail() {
    echo "run_tests.sh: $*" >&2
    exit 1
}

version="$("$python" -c '
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    print(tomllib.load(f)["workspace"]["package"]["version"])' "$root/Cargo.toml")"

step "release wheel and sdist: dist.sh $dist"
rm -rf "$dist"
"$here/dist.sh" "$dist"

step "wheel: one file, tagged py3-none-manylinux_2_17, auditwheel agrees"
wheels=("$dist"/*.whl)
[[ ${#wheels[@]} -eq 1 ]] || fail "expected one wheel in $dist, found ${wheels[*]}"
wheel="${wheels[0]}"
case "$(basename "$wheel")" in
    "ges_backups-$version-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl") ;;
    *) fail "unexpected wheel name $(basename "$wheel") (version $version, tag py3-none-manylinux_2_17)" ;;
esac
"$GES_PY_TOOLS/bin/auditwheel" show "$wheel" | tee "$scratch/auditwheel.txt"
grep -q 'consistent with the[[:space:]]*following platform tag: "manylinux_2_17_x86_64"' \
    <(tr '\n' ' ' <"$scratch/auditwheel.txt") || fail "auditwheel show does not give manylinux_2_17_x86_64"
unzip -Z1 "$wheel" >"$scratch/wheel.txt"  # a file, not a pipe: grep -q would cut it short
grep -qx 'ges_backups/libges_backups.so' "$scratch/wheel.txt" || fail "the wheel lacks ges_backups/libges_backups.so"
grep -qx "ges_backups-$version.dist-info/licenses/LICENSE" "$scratch/wheel.txt" || fail "the wheel lacks the license"

step "sdist: carries the crate (the wheel above was built from it)"
sdist="$dist/ges_backups-$version.tar.gz"
tar tzf "$sdist" >"$scratch/sdist.txt"
for member in rust/Cargo.toml rust/Cargo.lock rust/build.rs rust/src/lib.rs rust/include/ges_backups.h setup.py pyproject.toml ges_backups/py.typed ges_backups/_schema.py LICENSE; do
    grep -qx "ges_backups-$version/$member" "$scratch/sdist.txt" || fail "the sdist lacks $member"
done
cmp -s <(tar xzf "$sdist" -O "ges_backups-$version/LICENSE") "$root/LICENSE" || fail "the sdist's LICENSE is not the repository's"

step "twine check refuses a long description that does not render (dist.sh's check is live)"
# The sdist's PKG-INFO, its Markdown description declared reStructuredText.
mkdir -p "$scratch/broken/ges_backups-$version"
tar xzf "$sdist" -O "ges_backups-$version/PKG-INFO" |
    sed 's|^Description-Content-Type: text/markdown$|Description-Content-Type: text/x-rst|' \
        >"$scratch/broken/ges_backups-$version/PKG-INFO"
grep -q '^Description-Content-Type: text/x-rst$' "$scratch/broken/ges_backups-$version/PKG-INFO" ||
    fail "the sdist's PKG-INFO has no Markdown content type to break"
tar czf "$scratch/ges_backups-$version.tar.gz" -C "$scratch/broken" "ges_backups-$version"
if "$GES_PY_TOOLS/bin/twine" check --strict "$scratch/ges_backups-$version.tar.gz" >"$scratch/twine.txt" 2>&1; then
    cat "$scratch/twine.txt"
    fail "twine check passed a description that does not render"
fi

step "fresh venv with the wheel and the test tools: $venv"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet "$wheel[test]"

cd "$here"
step "mypy --strict"
"$venv/bin/python" -m mypy --strict --cache-dir "$venv/mypy-cache" ges_backups tests generate.py

step "pytest"
# Run the venv's pytest from a folder that is not the source tree, so that the
# installed package (with its bundled library) is the one imported.
cd "$here/tests"
"$venv/bin/pytest" -p no:cacheprovider --rootdir "$here" -c "$here/pyproject.toml" "$@" "$here/tests"

# PATH without any folder holding cargo or rustc: the wheel must need neither.
no_rust_path=""
IFS=: read -ra path_entries <<<"$PATH"
for entry in "${path_entries[@]}"; do
    [[ -z "$entry" || -e "$entry/cargo" || -e "$entry/rustc" ]] && continue
    no_rust_path="${no_rust_path:+$no_rust_path:}$entry"
done
step "wheelhouse of the dependencies"
# Dependencies come from a local wheelhouse (typing_extensions for 3.9 and 3.10);
# the package itself only from the wheel.
"$python" -m pip download --quiet --only-binary :all: --dest "$scratch/wheelhouse" \
    "typing_extensions>=4.6"
for minor in 9 10 11 12 13; do
    step "the wheel on CPython 3.$minor, no Rust toolchain on PATH"
    interpreters=("$pyenv_root"/versions/3.$minor.*/bin/python)
    [[ -x "${interpreters[-1]}" ]] || fail "CPython 3.$minor is missing from $pyenv_root/versions"
    env PATH="$no_rust_path" "${interpreters[-1]}" -m venv "$scratch/py3$minor"
    env PATH="$no_rust_path" "$scratch/py3$minor/bin/python" -m pip install --quiet \
        --no-index --find-links "$scratch/wheelhouse" --only-binary :all: "$wheel"
    (cd "$scratch" && env PATH="$no_rust_path" "$scratch/py3$minor/bin/python" \
        "$here/tests/smoke_installed.py" --no-toolchain --ctrl-c "$GES_EMULATOR" "$version")
done

step "editable install (pip install -e) imports and lists"
"$python" -m venv "$scratch/editable"
"$scratch/editable/bin/python" -m pip install --quiet -e "$here"
(cd "$scratch" && "$scratch/editable/bin/python" "$here/tests/smoke_installed.py" \
    --editable "$here" "$GES_EMULATOR" "$version")

step ""
echo "== python: time per step (total $((SECONDS - started))s)"
printf '%s\n' "${timings[@]}"
