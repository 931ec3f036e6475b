#!/usr/bin/env bash
# Every test of the project, as CI runs it (.ci/run calls this). Needs only what
# a fresh machine of the project's kind has: cargo, cc, valgrind, python3, go.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
step() { printf '\n==== %s (%ss so far)\n' "$*" "$SECONDS"; }

step "build (release): library, emulator, CLI"
cargo build --release --workspace

step "the committed C header matches what the build generates"
cargo test --release -p ges-backups --lib header_drift

step "format, lints and the Rust API docs"
cargo fmt --all -- --check
cargo clippy --release --workspace --all-targets -- -D warnings
# The Rust API docs: no broken intra-doc link, no warning.
RUSTDOCFLAGS="-D warnings" cargo doc --release --no-deps -p ges-backups -p ges-signing

step "supply chain: licenses, duplicate versions and sources of every dependency (cargo deny, deny.toml)"
tests/supply_chain.sh

step "Rust tests: unit, signing vectors, C ABI against the emulator"
cargo test --release --workspace

step "C program against the committed header, under valgrind"
tests/c/run.sh

step "make install into a temporary prefix; C programs built against it alone (pkg-config)"
tests/install/run.sh

step "C tests and a short soak under AddressSanitizer and UndefinedBehaviorSanitizer"
tests/c/run_sanitizers.sh

step "short soak: 8 threads on one client while the emulator fails 8% of requests"
tests/soak/run.sh --short

step "fuzz targets, 20 s each from the committed seeds and distilled corpus (cargo-fuzz, ASan)"
fuzz/run.sh 20

step "official Huawei Cloud Python SDK against the emulator"
tests/official_sdk/run.sh

step "Python package: release wheel (manylinux_2_17) and sdist, mypy --strict, pytest, CPython 3.9-3.13 without Rust, editable install"
bindings/python/run_tests.sh

step "make dist, signed with a throwaway key: one release in dist/, checksums and signatures, every shipped ELF at most glibc 2.17, the C tarball as a working prefix; cargo package of the crates"
tests/install/dist.sh

# One installed prefix for the Go package and the provider (pkg-config),
# outside the repository: the Go test proves no path of the checkout is used.
GES_PREFIX="$(mktemp -d /tmp/ges-prefix.XXXXXX)/prefix"
make -s install PREFIX="$GES_PREFIX" >/dev/null
export GES_PREFIX

step "Go package gesbackups: gofmt, go vet, go test -race; a module outside the repository against the installed prefix (go mod vendor, static)"
bindings/go/run_tests.sh

step "Terraform/OpenTofu provider ges: docs (tfplugindocs), protocol, release files, Terraform 1.11 and OpenTofu v1.6.3 end to end from a filesystem mirror"
bindings/terraform/run_tests.sh

step "performance harness at a tiny size, so that it cannot rot (the full run: bench/run.sh)"
bench/run.sh --tiny

step "every relative link in the Markdown docs resolves"
python3 tests/docs/check_links.py

step "demo"
target/release/ges-backups list --emulator

echo
echo "all tests passed in ${SECONDS}s"
