#!/usr/bin/env bash
# dist.sh DIST_DIR: writes the provider's release in the registry's layout
# (what a Terraform/OpenTofu registry or a filesystem mirror serves):
#
#   terraform-provider-ges_{VERSION}_{OS}_{ARCH}.zip   the binary terraform-provider-ges_v{VERSION}
#   terraform-provider-ges_{VERSION}_manifest.json     plugin protocol 6.0
#   terraform-provider-ges_{VERSION}_SHA256SUMS        of the two above
#
# VERSION is the root Cargo.toml's [workspace.package] version. Needs Go and
# python3. The Rust static library comes from GES_PREFIX when set (make dist:
# its glibc 2.17 build), else from `make install` of this checkout. With
# GES_ZIG and GES_GLIBC (make dist sets them) the binary is linked by zig
# against that glibc's symbol versions (release_common.sh); a release is made
# by `make dist`, which does both. The zip is reproducible: same sources and
# toolchain, same bytes.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/release_common.sh"

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIST_DIR" >&2
  exit 2
fi
mkdir -p "$1"
dist="$(cd "$1" && pwd)"
version="$(project_version)"
platform="$(provider_platform)"
name="terraform-provider-ges_${version}"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
binary="terraform-provider-ges_v${version}"
build_provider "$stage/$binary" "$version"

# A fixed timestamp and mode: zipping the same binary gives the same archive,
# so its hash (zh: in .terraform.lock.hcl) is stable across rebuilds.
python3 - "$dist/${name}_${platform}.zip" "$stage/$binary" "$binary" <<'PY'
import sys, zipfile
out, src, name = sys.argv[1:]
info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
info.create_system = 3  # unix, so that the mode below is honoured
info.external_attr = 0o100755 << 16
info.compress_type = zipfile.ZIP_DEFLATED
with open(src, "rb") as f, zipfile.ZipFile(out, "w") as z:
    z.writestr(info, f.read(), compresslevel=9)
PY
cp "$tf_dir/terraform-registry-manifest.json" "$dist/${name}_manifest.json"
(cd "$dist" && sha256sum "${name}_${platform}.zip" "${name}_manifest.json" >"${name}_SHA256SUMS")

for f in "${name}_${platform}.zip" "${name}_manifest.json" "${name}_SHA256SUMS"; do
  printf '%10d  %s\n' "$(stat -c %s "$dist/$f")" "$dist/$f"
done
