#!/usr/bin/env bash
# install_provider.sh: installs the provider into the implied local mirror
# directories of Terraform and OpenTofu,
#
#   $HOME/.terraform.d/plugins/{registry.terraform.io,registry.opentofu.org}/ges-backups/ges/{VERSION}/{OS}_{ARCH}/
#
# so that `terraform init` / `tofu init` install `source = "ges-backups/ges"`
# with no dev_overrides and no CLI configuration. VERSION is the root
# Cargo.toml's [workspace.package] version. Needs `cargo build --release` first.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/release_common.sh"

version="$(project_version)"
platform="$(provider_platform)"
binary="terraform-provider-ges_v${version}"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
build_provider "$stage/$binary" "$version"

for host in registry.terraform.io registry.opentofu.org; do
  dir="$HOME/.terraform.d/plugins/$host/ges-backups/ges/$version/$platform"
  mkdir -p "$dir"
  install -m 0755 "$stage/$binary" "$dir/$binary"
  echo "installed $dir/$binary"
done
