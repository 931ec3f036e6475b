#!/usr/bin/env bash
# bench_plan.sh [--json] [--runs R] [N...]: `terraform plan` of one
# ges_backups data source over N backups (default 1 5000 20000) served by the
# emulator on loopback, R times each (default 1). Prints per plan: its wall
# time, the provider's own ReadDataSource time and, inside it, the library's
# listing (gesbackups.ListBackups) time, both from the provider's log lines
# (request to encoded state, and the listing's start to its end), the
# provider process's peak RSS and the service answers' JSON size (every page
# at limit=1000). --json: one JSON object per plan instead of the table
# (bench/run.py reads it). KEEP=1 keeps the working directory. Needs
# `cargo build --release` (or GES_PREFIX) and terraform on PATH (TERRAFORM to
# use another CLI).
set -euo pipefail
trap 'echo "bench_plan.sh: line $LINENO failed" >&2' ERR
. "$(dirname "${BASH_SOURCE[0]}")/release_common.sh"

json="" runs=1 sizes=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --json) json=1 ;;
    --runs) runs="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | cut -c3-; exit 0 ;;
    *) sizes+=("$1") ;;
  esac
  shift
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1 5000 20000)

use_checkout_library
terraform="${TERRAFORM:-$(command -v terraform || true)}"
[[ -n "$terraform" ]] || { echo "bench_plan.sh: no terraform on PATH (or set TERRAFORM)" >&2; exit 1; }
emulator="$(dirname "$PKG_CONFIG_PATH")/../bin/ges-emulator"
work="$(mktemp -d)"
trap 'kill "${emu:-}" 2>/dev/null || true; [[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT

version="$(project_version)"
(cd "$tf_dir" && go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$work/bin/terraform-provider-ges.real" .)
# The CLI starts this wrapper as the plugin: /usr/bin/time records the
# provider's peak RSS when it exits.
cat >"$work/bin/terraform-provider-ges" <<SH
#!/bin/sh
exec /usr/bin/time -f %M -a -o "$work/rss" "$work/bin/terraform-provider-ges.real" "\$@"
SH
chmod +x "$work/bin/terraform-provider-ges"
printf 'provider_installation {\n  dev_overrides { "ges-backups/ges" = "%s" }\n  direct {}\n}\n' "$work/bin" >"$work/dev.tfrc"
cat >"$work/main.tf" <<'TF'
terraform {
  required_providers {
    ges = { source = "ges-backups/ges" }
  }
}
variable "endpoint" { type = string }
provider "ges" {
  endpoint   = var.endpoint
  project_id = "demo-project"
}
data "ges_backups" "all" {}
output "backups" { value = length(data.ges_backups.all.backups) }
TF

# log_ms START_PATTERN END_PATTERN: milliseconds between the provider's two
# log lines (their timestamps, hh:mm:ss.mmm, as Terraform writes them).
log_ms() {
  grep -E "$1|$2" "$work/tf.log" |
    awk -v s="$1" '{ split(substr($1, 12, 12), t, ":"); ms = (t[1] * 3600 + t[2] * 60 + t[3]) * 1000
      if ($0 ~ s) start = ms; else d = ms - start } END { printf "%d", d }'
}

token="bench-token-not-a-secret"
[[ -n "$json" ]] || printf '%8s %10s %12s %11s %16s %12s %10s\n' \
  backups plan_ms provider_ms library_ms provider_rss_mb answers_mb rss/json
for n in "${sizes[@]}"; do
  GES_EMULATOR_AUTH_TOKEN="$token" "$emulator" --listen 127.0.0.1:0 --backups "$n" >"$work/emu.out" 2>&1 &
  emu=$!
  for _ in $(seq 100); do grep -q 'http://' "$work/emu.out" && break; sleep 0.05; done
  url="$(grep -o 'http://[0-9.:]*' "$work/emu.out" | head -n1)"
  bytes=0
  for ((offset = 0; offset < n; offset += 1000)); do
    b="$(curl -sf --retry 5 --retry-connrefused -H "X-Auth-Token: $token" "$url/v1.0/demo-project/graphs/backups?offset=$offset&limit=1000" | wc -c)"
    bytes=$((bytes + b))
  done
  for ((run = 0; run < runs; run++)); do
    rm -f "$work/rss" "$work/tf.log"
    start=$(date +%s%N)
    (cd "$work" && TF_CLI_CONFIG_FILE="$work/dev.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 HW_AUTH_TOKEN="$token" \
      TF_LOG_PROVIDER=DEBUG TF_LOG_PATH="$work/tf.log" \
      "$terraform" plan -input=false -no-color -var "endpoint=$url" >"$work/plan.out" 2>&1) || { cat "$work/plan.out" >&2; exit 1; }
    plan_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    grep -q "backups = $n" "$work/plan.out" || { echo "plan did not read $n backups" >&2; cat "$work/plan.out" >&2; exit 1; }
    # From the provider's own lines: the request's start to its state encoded,
    # and the library's listing inside it.
    provider_ms="$(log_ms 'listing GES backups' 'encoded the ges_backups state')"
    library_ms="$(log_ms 'listing GES backups' 'listed GES backups')"
    rss_kb="$(sort -n "$work/rss" | tail -n1)"
    if [[ -n "$json" ]]; then
      printf '{"backups": %d, "plan_ms": %d, "provider_ms": %d, "library_ms": %d, "provider_rss_kib": %d, "answers_bytes": %d}\n' \
        "$n" "$plan_ms" "${provider_ms:-0}" "${library_ms:-0}" "$rss_kb" "$bytes"
    else
      awk -v n="$n" -v p="$plan_ms" -v r="${provider_ms:-?}" -v l="${library_ms:-?}" -v rss="$rss_kb" -v b="$bytes" \
        'BEGIN { printf "%8d %10d %12s %11s %16.1f %12.2f %10.2f\n", n, p, r, l, rss / 1024, b / 1048576, (rss * 1024) / b }'
    fi
  done
  kill "$emu"; wait "$emu" 2>/dev/null || true; emu=
done
