# Sourced by the scripts of tests/install (bash, set -euo pipefail) after they
# set root (the checkout) and work (their temporary directory).

# version: the project's one version, [workspace.package] of Cargo.toml.
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml")

# start_emulator BINARY: runs that ges-emulator on a free loopback port in the
# background; sets emulator (its pid, for the caller's trap) and url.
emulator=
start_emulator() {
  "$1" --listen 127.0.0.1:0 >"$work/emulator.out" &
  emulator=$!
  for _ in $(seq 300); do grep -q '^http' "$work/emulator.out" 2>/dev/null && break; sleep 0.1; done
  url=$(head -n1 "$work/emulator.out")
  [[ $url == http* ]] || fail "$1 did not start"
}
