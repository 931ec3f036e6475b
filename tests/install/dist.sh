#!/usr/bin/env bash
# `make dist` as a release manager runs it, signed (GES_GPG_KEY) with a
# throwaway key: one release in dist/, every file the contract lists and no
# other, the checksums right, and
#   - every ELF file it ships, in the tarball, the wheel and the provider's zip
#     included, needs no glibc symbol version above 2.17 (objdump -T);
#   - a C program linked against the tarball's static library by zig for glibc
#     2.17 (as on such a system) needs nothing newer, and lists backups from
#     the tarball's emulator;
#   - both checksum files' signatures verify with the exported public key in
#     another keyring, and fail on a tampered checksum file; without
#     GES_GPG_KEY, make dist signs nothing (its dry run calls no gpg);
#   - the C tarball is an installed prefix that pkg-config can use wherever it
#     is unpacked.
# Then the crates (crates.sh). The provider's files are installed and used by
# Terraform and OpenTofu in bindings/terraform's tests; the wheel by
# bindings/python's.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d /tmp/ges-dist.XXXXXX)
fail() { echo "dist test: $*" >&2; exit 1; }
. tests/install/common.sh
signer="$work/signer" verifier="$work/verifier"
cleanup() {
  [[ -n $emulator ]] && kill "$emulator" 2>/dev/null
  for home in "$signer" "$verifier"; do
    [[ -d $home ]] && gpgconf --homedir "$home" --kill gpg-agent 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
# The contract's floor: a release runs on any x86-64 Linux with glibc 2.17 or later.
glibc_floor=2.17

# A throwaway signing key in a keyring of its own.
t0=$SECONDS
mkdir -m 700 "$signer" "$verifier"
GNUPGHOME="$signer" gpg --batch --passphrase '' \
  --quick-gen-key 'ges-backups release test <release-test@ges-backups.invalid>' rsa3072 sign never \
  >"$work/keygen.log" 2>&1 || { cat "$work/keygen.log" >&2; fail "gpg --quick-gen-key failed"; }
key=$(GNUPGHOME="$signer" gpg --batch --with-colons --list-secret-keys 2>>"$work/keygen.log" | awk -F: '$1 == "fpr" { print $10; exit }')
[[ -n $key ]] || fail "no throwaway key"
keygen_seconds=$((SECONDS - t0))

t0=$SECONDS
if ! GNUPGHOME="$signer" make -s dist GES_GPG_KEY="$key" >"$work/dist.log" 2>&1; then
  tail -n 60 "$work/dist.log" >&2
  fail "make dist GES_GPG_KEY=$key failed (log above)"
fi
dist_seconds=$((SECONDS - t0))

cd dist
wheels=(ges_backups-"$version"-py3-none-*manylinux_*_x86_64.whl)
[[ -f ${wheels[0]} ]] || fail "no py3-none-manylinux wheel in dist/: $(ls)"
expected=(
  "ges-backups-$version-linux_amd64.tar.gz"
  "ges-backups_${version}_linux_amd64"
  "ges-emulator_${version}_linux_amd64"
  "terraform-provider-ges_${version}_linux_amd64.zip"
  "terraform-provider-ges_${version}_SHA256SUMS"
  "terraform-provider-ges_${version}_SHA256SUMS.sig"
  "terraform-provider-ges_${version}_manifest.json"
  "ges_backups-$version.tar.gz"
  "${wheels[0]}"
  "ges-backups_${version}_signing-key.asc"
  SHA256SUMS
  SHA256SUMS.sig
)
[[ $(printf '%s\n' "${expected[@]}" | sort) == "$(ls | sort)" ]] \
  || fail "dist/ holds $(ls | tr '\n' ' '); want ${expected[*]}"
sha256sum --quiet -c SHA256SUMS || fail "SHA256SUMS does not match"
sha256sum --quiet -c "terraform-provider-ges_${version}_SHA256SUMS" || fail "the provider's SHA256SUMS does not match"
[[ $(./"ges-backups_${version}_linux_amd64" --version) == *"$version"* ]] || fail "CLI version"

# Every file shipped, archives unpacked.
t0=$SECONDS
unpacked="$work/unpacked"
for f in *; do
  mkdir -p "$unpacked/$f"
  case $f in
    *.tar.gz) tar -C "$unpacked/$f" -xzf "$f" ;;
    *.zip | *.whl) python3 -m zipfile -e "$f" "$unpacked/$f" ;;
    *) cp "$f" "$unpacked/$f/" ;;
  esac
done

# glibc_above_floor ELF: "SYMBOL GLIBC_x.y" for each dynamic symbol of ELF
# whose glibc version is above the floor.
glibc_above_floor() {
  objdump -T "$1" | awk -v floor="$glibc_floor" '
    function rank(v, p) { split(v, p, "."); return p[1] * 1000000 + p[2] * 1000 + p[3] }
    match($0, /GLIBC_[0-9][0-9.]*/) {
      v = substr($0, RSTART + 6, RLENGTH - 6)
      if (rank(v) > rank(floor)) print $NF, "GLIBC_" v
    }'
}
# check_elf ELF: fails naming ELF and its symbols that need a newer glibc.
check_elf() {
  local dynamic newer
  dynamic=$(objdump -T "$1" 2>&1) || fail "objdump -T $1: $dynamic"
  newer=$(glibc_above_floor "$1")
  [[ -z $newer ]] || fail "${1#"$unpacked/"} needs a glibc above $glibc_floor: $(tr '\n' ' ' <<<"$newer")"
  printf '  %-90s %s\n' "${1#"$unpacked/"}" "$(grep -o 'GLIBC_[0-9.]*' <<<"$dynamic" | sort -uV | tail -n1)"
}

echo "ELF files shipped, the highest glibc symbol version each needs:"
elves=0 archives=0
while IFS= read -r -d '' f; do
  case $(head -c 8 "$f" | od -An -tx1 | tr -d ' \n') in
    7f454c46*) check_elf "$f"; elves=$((elves + 1)) ;;
    213c617263683e0a) archives=$((archives + 1)) ;;  # "!<arch>\n": object files, checked through the program linked below
  esac
done < <(find "$unpacked" -type f -print0 | sort -z)
# The library twice (tarball, wheel), the CLI and emulator twice (top level, tarball), the provider.
[[ $elves -eq 7 && $archives -eq 1 ]] || fail "$elves ELF files and $archives static libraries shipped; want 7 and 1"

# The static library as a program on a glibc 2.17 system links it: zig for
# that glibc (with -lunwind, zig's unwinder, where gcc would add libgcc's).
prefix="$unpacked/ges-backups-$version-linux_amd64.tar.gz/ges-backups-$version-linux_amd64"
zig=$(make -s -C "$root" print-ZIG)
[[ -x $zig ]] || fail "no zig at '$zig' (make dist installs it)"
static_flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs ges_backups_static)
# shellcheck disable=SC2086
"$zig" cc -target "x86_64-linux-gnu.$glibc_floor" -std=c99 -Wall -Wextra -Werror \
  "$root/tests/install/consumer.c" $static_flags -lunwind -o "$unpacked/consumer_glibc_$glibc_floor" \
  || fail "zig cc for glibc $glibc_floor could not link the tarball's static library"
check_elf "$unpacked/consumer_glibc_$glibc_floor"
start_emulator "$prefix/bin/ges-emulator"
out=$("$unpacked/consumer_glibc_$glibc_floor" "$url") || fail "the glibc $glibc_floor program failed: $out"
[[ $out == *"version $version, 3 backups"* ]] || fail "the glibc $glibc_floor program printed: $out"
elf_seconds=$((SECONDS - t0))

# Signatures: detached, binary, by the key, verified in a keyring that has
# only the exported public key.
t0=$SECONDS
asc="ges-backups_${version}_signing-key.asc"
grep -q -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' "$asc" || fail "$asc is not an armored public key"
if grep -q PRIVATE "$asc"; then fail "$asc holds a private key"; fi
GNUPGHOME="$verifier" gpg --batch --import "$asc" >"$work/import.log" 2>&1 || { cat "$work/import.log" >&2; fail "gpg --import $asc"; }
for sums in SHA256SUMS "terraform-provider-ges_${version}_SHA256SUMS"; do
  # Binary: an OpenPGP packet's first byte has its high bit set; armor starts with "-".
  (( 0x$(head -c 1 "$sums.sig" | od -An -tx1 | tr -d ' \n') & 0x80 )) || fail "$sums.sig is not a binary signature"
  status=$(GNUPGHOME="$verifier" gpg --batch --status-fd 1 --verify "$sums.sig" "$sums" 2>/dev/null) \
    || fail "gpg --verify $sums.sig $sums failed"
  [[ $status == *"[GNUPG:] VALIDSIG $key "* ]] || fail "$sums.sig is not a valid signature by $key: $status"
  awk 'NR == 1 { $0 = (substr($0, 1, 1) == "a" ? "b" : "a") substr($0, 2) } { print }' "$sums" >"$work/tampered"
  ! cmp -s "$sums" "$work/tampered" || fail "could not tamper with $sums"
  if GNUPGHOME="$verifier" gpg --batch --verify "$sums.sig" "$work/tampered" 2>/dev/null; then
    fail "$sums.sig verifies a tampered $sums"
  fi
done
# Without GES_GPG_KEY, nothing is signed: make dist's dry run calls no gpg.
dry_run=$(env -u GES_GPG_KEY make -s -n -C "$root" dist)
if grep -n 'gpg' <<<"$dry_run"; then fail "make dist without GES_GPG_KEY runs gpg (above)"; fi
sign_seconds=$((SECONDS - t0))

# The C tarball, unpacked elsewhere, is a working prefix.
[[ $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion ges_backups_static) == "$version" ]] \
  || fail "the tarball's pkg-config files"
if grep -rIl -- "$root" "$prefix"; then fail "a build-tree path in the tarball's files above"; fi

echo "dist: $(ls | wc -l) files, checksums and signatures verified, $elves ELF files need glibc $glibc_floor at most"
echo "  make dist ${dist_seconds}s, ELF checks ${elf_seconds}s, throwaway key ${keygen_seconds}s, signature checks ${sign_seconds}s"
du -b -- * | awk '{printf "  %8.1f MB  %s\n", $1/1e6, $2}'

"$root/tests/install/crates.sh"
