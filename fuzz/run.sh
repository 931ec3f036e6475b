#!/usr/bin/env bash
# Builds the cargo-fuzz targets (AddressSanitizer) and runs each one for
# SECONDS (default 25) from the committed seeds plus a working corpus in
# fuzz/corpus/<target> (not committed), which starts as the distilled corpus of
# the long runs when fuzz/distilled.tar.gz (fuzz/distill.sh) is there. Fails on
# the first crash, leak, timeout or out-of-memory, leaving the input in
# fuzz/artifacts/<target>/.
#   fuzz/run.sh [SECONDS] [TARGET...]
# cargo-fuzz is installed from crates.io into ~/.cache/ges-backups when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
seconds=${1:-25}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode_answer config_json query_json c_entry_points c_answer)

# cargo-fuzz passes nightly-only flags (-Zsanitizer=address). Use the nightly
# toolchain when installed; otherwise the stable one with RUSTC_BOOTSTRAP=1,
# which lets stable rustc accept them (rustup cannot fetch a toolchain here).
if cargo +nightly --version >/dev/null 2>&1; then
  toolchain=+nightly
else
  toolchain=+stable
  export RUSTC_BOOTSTRAP=1
  echo "fuzz/run.sh: no nightly toolchain; stable rustc with RUSTC_BOOTSTRAP=1"
fi
tools="$HOME/.cache/ges-backups/cargo-fuzz"
export PATH="$tools/bin:$PATH"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz --version 0.13.2 --root "$tools"
fi

cargo "$toolchain" fuzz build -O 2>&1 | tail -n 3
# Credentials in the environment end the credential chain before its last
# source, the ECS metadata service at 169.254.169.254, which a fuzzed config
# must never make the library contact.
export HW_AUTH_TOKEN=fuzz-token
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  if [ -z "$(ls -A "corpus/$target")" ] && [ -f distilled.tar.gz ]; then
    tar -xzf distilled.tar.gz -C corpus "./$target/"
  fi
  echo "== $target: ${seconds}s"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a runaway
  # allocation is a finding, not a machine brought down.
  cargo "$toolchain" fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    2> "artifacts/$target/last-run.log" || {
      tail -n 40 "artifacts/$target/last-run.log" >&2
      echo "fuzz/run.sh: $target found a problem; input in fuzz/artifacts/$target/" >&2
      exit 1
    }
  grep -E '^stat::number_of_executed_units|^Done' "artifacts/$target/last-run.log" || true
done
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no findings"
