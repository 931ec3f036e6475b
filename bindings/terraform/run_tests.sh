#!/usr/bin/env bash
# Tests of the Terraform/OpenTofu provider terraform-provider-ges
# (bindings/terraform).
#
# Assumes `cargo build --release` ran at the repository root (it needs
# target/release/libges_backups.a, include/ges_backups.h and
# target/release/ges-emulator, or GES_EMULATOR). Needs only Go (1.25+) and the
# Go module proxy. Runs: gofmt, go vet, the provider build, the in-process
# protocol tests, the docs check, and the end-to-end tests with a real CLI:
# OpenTofu v1.6.3 built from the module proxy and cached under
# $GES_CACHE_DIR (default ~/.cache/ges-backups), Terraform v1.5.7 as the
# fallback. A caller may supply its own CLI with TF_ACC_TERRAFORM_PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
. ../go/testenv.sh

cache="${GES_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ges-backups}"
tofu_version="v1.6.3"
terraform_version="v1.5.7"

start=$SECONDS

go_lint

step "build terraform-provider-ges"
version="$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)"
mkdir -p bin
go build -ldflags "-X main.version=${version:-dev}" -o bin/terraform-provider-ges .
if command -v ldd >/dev/null && ldd bin/terraform-provider-ges | grep -q libges_backups; then
  echo "terraform-provider-ges links libges_backups dynamically" >&2
  exit 1
fi
export GES_PROVIDER_BIN="$here/bin/terraform-provider-ges"
echo "ok: $GES_PROVIDER_BIN (version ${version:-dev})"

# cli_version PATH: the first line of `PATH version`. sed reads all of it: with
# head -n1 the CLI could die of SIGPIPE writing its second line, failing the
# pipeline under pipefail.
cli_version() { "$1" version 2>/dev/null | sed -n 1p; }

# cli_ok PATH WANT: PATH runs and reports version WANT.
cli_ok() { [[ -x "$1" && "$(cli_version "$1")" == *" $2" ]]; }

ensure_cli() {
  if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
    echo "using the caller's CLI: $TF_ACC_TERRAFORM_PATH"
    return
  fi
  local dir="$cache/tofu-$tofu_version"
  if cli_ok "$dir/tofu" "$tofu_version"; then
    echo "cached: $dir/tofu"
    export TF_ACC_TERRAFORM_PATH="$dir/tofu"
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
    export TF_ACC_TERRAFORM_PATH="$dir/tofu"
    return
  fi
  echo "OpenTofu $tofu_version did not build; falling back to Terraform $terraform_version" >&2
  dir="$cache/terraform-$terraform_version"
  if ! cli_ok "$dir/terraform" "$terraform_version"; then
    mkdir -p "$dir"
    t0=$SECONDS
    GOBIN="$dir" go install -trimpath \
      -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" \
      "github.com/hashicorp/terraform@$terraform_version"
    echo "built Terraform $terraform_version in $((SECONDS - t0))s"
  fi
  export TF_ACC_TERRAFORM_PATH="$dir/terraform"
}

step "CLI for the end-to-end tests"
ensure_cli
cli_version "$TF_ACC_TERRAFORM_PATH"

step "go test: protocol, schema, docs, acceptance and end-to-end tests"
export TF_ACC=1
go_test_logged -timeout 15m
grep -E 'e2e_test.go:[0-9]+: .* in [0-9.]+m?s$' "$log" | sed 's/^ *//' || true
if grep -qE '^\s*--- SKIP' "$log"; then
  grep -E -A1 '^\s*--- SKIP' "$log" >&2
  echo "a test was skipped" >&2
  exit 1
fi

echo
echo "bindings/terraform: all green in $((SECONDS - start))s (CLI: $(cli_version "$TF_ACC_TERRAFORM_PATH"))"
