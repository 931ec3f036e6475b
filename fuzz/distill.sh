#!/usr/bin/env bash
# Distils each target's working corpus (fuzz/corpus/<target>, grown by long runs
# of fuzz/run.sh) to one input per covered edge, and packs them all into
# fuzz/distilled.tar.gz, the corpus fuzz/run.sh starts from when it has none.
#   fuzz/distill.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export PATH="$HOME/.cache/ges-backups/cargo-fuzz/bin:$PATH"
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for target in decode_answer config_json query_json c_entry_points c_answer; do
  mkdir -p "$out/$target"
  # Edges only (no counters, no value profile): the smallest set that keeps them.
  cargo +nightly fuzz run -O "$target" "$out/$target" "corpus/$target" "seeds/$target" -- \
    -merge=1 -use_counters=0 -use_value_profile=0 -timeout=10 -rss_limit_mb=2048 2>&1 |
    grep -E '^MERGE-OUTER: [0-9]+ new files'
done
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=2026-01-01 -C "$out" -czf distilled.tar.gz .
echo "fuzz/distilled.tar.gz: $(tar -tzf distilled.tar.gz | grep -vc '/$') inputs"
