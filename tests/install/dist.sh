#!/usr/bin/env bash
# `make dist` as a release manager runs it: one release in dist/, every file
# the contract lists, the checksums right, and the C tarball an installed
# prefix that pkg-config can use wherever it is unpacked. (The provider's files
# are installed and used by Terraform and OpenTofu in bindings/terraform's
# tests; the wheel by bindings/python's.)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fail() { echo "dist test: $*" >&2; exit 1; }

version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)
make -s dist >/dev/null
cd dist
expected=(
  "ges-backups-$version-linux_amd64.tar.gz"
  "ges-backups_${version}_linux_amd64"
  "ges-emulator_${version}_linux_amd64"
  "terraform-provider-ges_${version}_linux_amd64.zip"
  "terraform-provider-ges_${version}_SHA256SUMS"
  "terraform-provider-ges_${version}_manifest.json"
  "ges_backups-$version.tar.gz"
  SHA256SUMS
)
for f in "${expected[@]}"; do [[ -f $f ]] || fail "no $f in dist/: $(ls)"; done
wheels=(ges_backups-"$version"-py3-none-*manylinux_*_x86_64.whl)
[[ -f ${wheels[0]} ]] || fail "no py3-none-manylinux wheel in dist/: $(ls)"
sha256sum --quiet -c SHA256SUMS || fail "SHA256SUMS does not match"
sha256sum --quiet -c "terraform-provider-ges_${version}_SHA256SUMS" || fail "the provider's SHA256SUMS does not match"
[[ $(./"ges-backups_${version}_linux_amd64" --version) == *"$version"* ]] || fail "CLI version"

# The C tarball, unpacked elsewhere, is a working prefix.
work=$(mktemp -d /tmp/ges-dist.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "ges-backups-$version-linux_amd64.tar.gz"
prefix="$work/ges-backups-$version-linux_amd64"
[[ $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion ges_backups_static) == "$version" ]] \
  || fail "the tarball's pkg-config files"
if grep -rIl -- "$root" "$prefix"; then fail "a build-tree path in the tarball's files above"; fi
echo "dist: $(ls | wc -l) files, checksums verified"
du -b -- * | awk '{printf "  %8.1f MB  %s\n", $1/1e6, $2}'
