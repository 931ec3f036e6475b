# Sourced by dist.sh and install_provider.sh (bash, set -euo pipefail): the
# project's one version and the release build of the provider binary.

tf_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$tf_dir/../.." && pwd)"

# project_version: `version` of [workspace.package] in the root Cargo.toml,
# the version of every artefact (library, CLI, bindings, provider).
project_version() {
  local v
  v="$(awk '/^\[/ { section = $0 }
    section == "[workspace.package]" && /^version *=/ { gsub(/^[^"]*"|".*$/, ""); print; exit }' "$root/Cargo.toml")"
  if [[ -z "$v" ]]; then
    echo "no [workspace.package] version in $root/Cargo.toml" >&2
    return 1
  fi
  echo "$v"
}

# provider_platform: the platform the provider is built for, as the registry
# names it (linux_amd64).
provider_platform() {
  echo "$(go env GOOS)_$(go env GOARCH)"
}

# use_checkout_library: points pkg-config at an installed prefix of this
# checkout, so that the Go package links the library as a user's program
# links an installed prefix. The prefix is GES_PREFIX when the caller made
# one (the test scripts do), else the root Makefile installs this checkout
# under target/ (never a prefix found on the caller's PKG_CONFIG_PATH, which
# may hold another version). That prefix keeps its path because Go's build
# cache keeps pkg-config's flags, the library's path included.
use_checkout_library() {
  local prefix="${GES_PREFIX:-}"
  if [[ -z "$prefix" ]]; then
    prefix="$root/target/terraform-provider-prefix"
    # MAKEFLAGS: a `make dist DESTDIR=...` above us must not redirect this install.
    if ! MAKEFLAGS= make -C "$root" --no-print-directory install DESTDIR= PREFIX="$prefix" >"$prefix.log" 2>&1; then
      cat "$prefix.log" >&2
      echo "make install PREFIX=$prefix failed" >&2
      return 1
    fi
  fi
  export CGO_ENABLED=1 PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  # The Go build cache hashes neither pkg-config's answer (the prefix's path)
  # nor the library and header: fold them into CGO_CFLAGS (replacing a
  # caller's key) so that another prefix or library is always built against.
  local key flags
  key="$( (echo "$prefix"; cat "$prefix/lib/libges_backups.a" "$prefix/include/ges_backups.h") | sha256sum | cut -c1-16)"
  flags="$(sed 's/ *-DGES_LIB_KEY=[^ ]*//g' <<<"${CGO_CFLAGS:--O2 -g}")"
  export CGO_CFLAGS="$flags -DGES_LIB_KEY=$key"
}

# use_zig_for_glibc: with GES_ZIG (a zig binary) and GES_GLIBC (a glibc
# version, 2.17) set, as make dist sets them, cgo compiles and links with
# `zig cc` against that glibc's symbol versions: the provider then runs on any
# x86-64 Linux with that glibc or later. zig links no unwinder by itself (gcc
# adds libgcc's): -lunwind, zig's own, for the Rust library's panics. Else the
# host's C compiler and glibc (bindings/terraform's tests, install_provider.sh).
use_zig_for_glibc() {
  [[ -n "${GES_ZIG:-}" ]] || return 0
  if [[ -z "${GES_GLIBC:-}" || "$(provider_platform)" != linux_amd64 ]]; then
    echo "GES_ZIG needs GES_GLIBC and a linux_amd64 build (have '${GES_GLIBC:-}', $(provider_platform))" >&2
    return 1
  fi
  export CC="$GES_ZIG cc -target x86_64-linux-gnu.$GES_GLIBC"
  export CGO_LDFLAGS="${CGO_LDFLAGS:-} -lunwind"
}

# build_provider OUT VERSION: a stripped, reproducible (-trimpath) provider
# binary reporting VERSION, with this checkout's Rust static library linked in.
build_provider() {
  local out="$1" version="$2"
  use_checkout_library
  use_zig_for_glibc
  (cd "$tf_dir" && go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$out" .)
}
