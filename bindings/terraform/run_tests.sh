#!/usr/bin/env bash
# Tests of the Terraform/OpenTofu provider terraform-provider-ges
# (bindings/terraform).
#
# Builds against an installed prefix of this checkout (GES_PREFIX, else one
# that the root Makefile installs under target/; `make install` runs the
# cargo build). Needs Go (1.25+), the Go module proxy, python3, and terraform
# on PATH (this machine kind ships Terraform 1.11). Runs: gofmt, go vet (cgo
# on and off), the provider build, the docs drift check (HashiCorp's
# tfplugindocs), the in-process protocol tests, and the end-to-end tests with two real CLIs:
# Terraform from PATH and OpenTofu v1.6.3, built from the module proxy and
# cached under $GES_CACHE_DIR (default ~/.cache/ges-backups). The release
# tests run dist.sh and install_provider.sh and install from their output
# with both CLIs. Then, without cgo: the provider built with CGO_ENABLED=0
# for linux/amd64, darwin/arm64, darwin/amd64, windows/amd64 and
# linux/arm64, and the in-process tests again through purego and the
# prefix's shared library. A caller may supply its own CLIs with
# GES_TERRAFORM and GES_TOFU (or TF_ACC_TERRAFORM_PATH, the acceptance
# tests' CLI).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
. ./release_common.sh
if [[ -z "${GES_PREFIX:-}" ]]; then
  # A prefix at a fixed place: Go's build cache keeps pkg-config's flags,
  # so a prefix in a new temporary directory each run would be linked from
  # the previous run's (deleted) one.
  echo "make install PREFIX=$root/target/terraform-provider-prefix"
  (use_checkout_library)
  export GES_PREFIX="$root/target/terraform-provider-prefix"
fi
. ../go/testenv.sh
# testenv.sh's CGO_CFLAGS key leaves out the prefix's path; ours has it.
use_checkout_library

cache="${GES_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ges-backups}"
tofu_version="v1.6.3"

start=$SECONDS

go_lint

step "CGO_ENABLED=0 go vet"
CGO_ENABLED=0 go vet ./...

step "build terraform-provider-ges"
version="$(project_version)"
mkdir -p bin
go build -ldflags "-X main.version=$version" -o bin/terraform-provider-ges .
if command -v ldd >/dev/null && ldd bin/terraform-provider-ges | grep -q libges_backups; then
  echo "terraform-provider-ges links libges_backups dynamically" >&2
  exit 1
fi
export GES_PROVIDER_BIN="$here/bin/terraform-provider-ges"
echo "ok: $GES_PROVIDER_BIN (version $version)"

# cli_version PATH: the first line of `PATH version`. sed reads all of it: with
# head -n1 the CLI could die of SIGPIPE writing its second line, failing the
# pipeline under pipefail.
cli_version() { "$1" version 2>/dev/null | sed -n 1p; }

# cli_ok PATH WANT: PATH runs and reports version WANT.
cli_ok() { [[ -x "$1" && "$(cli_version "$1")" == *" $2" ]]; }

# ensure_tofu: GES_TOFU, else OpenTofu $tofu_version from the cache, else
# built from the Go module proxy into the cache (a few minutes, first run only).
ensure_tofu() {
  if [[ -n "${GES_TOFU:-}" ]]; then
    echo "using the caller's OpenTofu: $GES_TOFU"
    return
  fi
  local dir="$cache/tofu-$tofu_version"
  if cli_ok "$dir/tofu" "$tofu_version"; then
    echo "cached: $dir/tofu"
    export GES_TOFU="$dir/tofu"
    return
  fi
  echo "building OpenTofu $tofu_version from the Go module proxy (first run only; a few minutes)"
  mkdir -p "$dir"
  local t0=$SECONDS
  # Release builds set version.dev=no; without it the CLI calls itself -dev.
  if GOBIN="$dir" go install -trimpath \
      -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
      "github.com/opentofu/opentofu/cmd/tofu@$tofu_version" && cli_ok "$dir/tofu" "$tofu_version"; then
    echo "built OpenTofu $tofu_version in $((SECONDS - t0))s: $dir/tofu"
    export GES_TOFU="$dir/tofu"
    return
  fi
  # The OpenTofu tests then skip, which fails this script below.
  echo "OpenTofu $tofu_version did not build" >&2
}

step "CLIs for the end-to-end tests"
ensure_tofu
if [[ -z "${GES_TERRAFORM:-}" ]] && command -v terraform >/dev/null; then
  export GES_TERRAFORM="$(command -v terraform)"
fi
# The terraform-plugin-testing acceptance tests run one CLI: OpenTofu's.
export TF_ACC_TERRAFORM_PATH="${TF_ACC_TERRAFORM_PATH:-${GES_TOFU:-${GES_TERRAFORM:-}}}"
echo "terraform:  ${GES_TERRAFORM:-none} ($(cli_version "${GES_TERRAFORM:-/nonexistent}" || true))"
echo "tofu:       ${GES_TOFU:-none} ($(cli_version "${GES_TOFU:-/nonexistent}" || true))"
echo "acceptance: ${TF_ACC_TERRAFORM_PATH:-none}"

step "docs: tfplugindocs drift check"
t0=$SECONDS
./docs.sh --check
echo "in $((SECONDS - t0))s"

step "go test: protocol, schema, docs, acceptance and end-to-end tests"
export TF_ACC=1
go_test_logged -timeout 15m
grep -E '(e2e|release|validate_cli|logs_cli|enterprise_cli|cancel|cancel_cli)_test.go:[0-9]+: .* in [0-9.]+m?s$' "$log" | sed 's/^ *//' || true
if grep -qE '^\s*--- SKIP' "$log"; then
  grep -E -A1 '^\s*--- SKIP' "$log" >&2
  echo "a test was skipped" >&2
  exit 1
fi

step "without cgo: CGO_ENABLED=0 go build for each platform terraform-provider-huaweicloud ships"
t0=$SECONDS
for target in linux/amd64 darwin/arm64 darwin/amd64 windows/amd64 linux/arm64; do
  out="$work/nocgo/${target/\//_}/"
  CGO_ENABLED=0 GOOS="${target%/*}" GOARCH="${target#*/}" go build -ldflags "-X main.version=$version" -o "$out" .
  echo "ok: $target ($(du -h "$out"* | cut -f1))"
done
echo "in $((SECONDS - t0))s"

step "without cgo: the in-process tests, GES_BACKUPS_LIBRARY=$sharedlib through purego"
t0=$SECONDS
# The CLI tests (end to end, release, acceptance) run the cgo build above.
CGO_ENABLED=0 GES_BACKUPS_LIBRARY="$sharedlib" go_test_logged -timeout 10m -skip '^Test(CLI|EndToEnd|Release|InstallProvider|Acc)'
echo "without cgo: $((SECONDS - t0))s"

echo
echo "bindings/terraform: all green in $((SECONDS - start))s (CLIs: $(cli_version "${GES_TERRAFORM:-/nonexistent}" || true); $(cli_version "${GES_TOFU:-/nonexistent}" || true))"
