#!/usr/bin/env bash
# bench_plan.sh [N...]: `terraform plan` of one ges_backups data source over
# N backups (default 1 5000 20000) served by the emulator on loopback. Prints
# per N: plan wall time, the provider's own ReadDataSource time (from its
# log lines: request to encoded state, library listing included), the
# provider process's peak RSS, and the service answers' JSON size (every page
# at limit=1000). KEEP=1 keeps the working directory. Needs `cargo build --release` (or
# GES_PREFIX) and terraform on PATH (TERRAFORM to use another CLI).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/release_common.sh"
use_checkout_library

sizes=("${@:-1}")
[[ $# -gt 0 ]] || sizes=(1 5000 20000)
terraform="${TERRAFORM:-$(command -v terraform)}"
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

token="bench-token-not-a-secret"
printf '%8s %10s %12s %14s %12s %10s\n' backups plan_ms provider_ms provider_rss_mb answers_mb rss/json
for n in "${sizes[@]}"; do
  GES_EMULATOR_AUTH_TOKEN="$token" "$emulator" --listen 127.0.0.1:0 --backups "$n" >"$work/emu.out" 2>&1 &
  emu=$!
  for _ in $(seq 100); do grep -q 'http://' "$work/emu.out" && break; sleep 0.05; done
  url="$(grep -o 'http://[0-9.:]*' "$work/emu.out" | head -n1)"
  bytes=0
  for ((offset = 0; offset < n; offset += 1000)); do
    b="$(curl -s -H "X-Auth-Token: $token" "$url/v1.0/demo-project/graphs/backups?offset=$offset&limit=1000" | wc -c)"
    bytes=$((bytes + b))
  done
  rm -f "$work/rss"
  start=$(date +%s%N)
  (cd "$work" && TF_CLI_CONFIG_FILE="$work/dev.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 HW_AUTH_TOKEN="$token" \
    TF_LOG_PROVIDER=DEBUG TF_LOG_PATH="$work/tf.log" \
    "$terraform" plan -input=false -no-color -var "endpoint=$url" >"$work/plan.out" 2>&1) || { cat "$work/plan.out" >&2; exit 1; }
  plan_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  grep -q "backups = $n" "$work/plan.out" || { echo "plan did not read $n backups" >&2; cat "$work/plan.out" >&2; exit 1; }
  # From the provider's own lines: the request's start to its state encoded.
  provider_ms="$(grep -E 'listing GES backups|encoded the ges_backups state' "$work/tf.log" |
    awk '{ split(substr($1, 12, 12), t, ":"); ms = (t[1] * 3600 + t[2] * 60 + t[3]) * 1000
           if (/listing/) start = ms; else d = ms - start } END { printf "%d", d }')"
  rss_kb="$(sort -n "$work/rss" | tail -n1)"
  awk -v n="$n" -v p="$plan_ms" -v r="${provider_ms:-?}" -v rss="$rss_kb" -v b="$bytes" \
    'BEGIN { printf "%8d %10d %12s %14.1f %12.2f %10.2f\n", n, p, r, rss / 1024, b / 1048576, (rss * 1024) / b }'
  kill "$emu"; wait "$emu" 2>/dev/null || true; emu=
  rm -f "$work/tf.log"
done
