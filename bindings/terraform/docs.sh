#!/usr/bin/env bash
# docs.sh [--check]: renders docs/ with HashiCorp's tfplugindocs from
# templates/, examples/ and the provider's schema (whose descriptions come
# from the library). tfplugindocs builds the provider and reads its schema
# with the terraform on PATH (it downloads none when one is there).
#
# --check renders into a temporary directory and fails when docs/ differs,
# then runs `tfplugindocs validate` (front matter, layout, file names).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/release_common.sh"

tfplugindocs="github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.25.0"
if ! command -v terraform >/dev/null; then
  echo "docs.sh: tfplugindocs needs terraform on PATH" >&2
  exit 1
fi
use_checkout_library
export CHECKPOINT_DISABLE=1

out="docs"
if [[ "${1:-}" == "--check" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # tfplugindocs takes the output directory relative to the provider's.
  out="$(realpath --relative-to="$tf_dir" "$tmp")/docs"
fi

cd "$tf_dir"
go run "$tfplugindocs" generate --provider-dir . --provider-name ges \
  --rendered-website-dir "$out" >"${tmp:-/tmp}/tfplugindocs.log" 2>&1 || {
  cat "${tmp:-/tmp}/tfplugindocs.log" >&2
  exit 1
}

if [[ -n "${tmp:-}" ]]; then
  if ! diff -ru docs "$tmp/docs"; then
    echo "docs/ is out of date: run bindings/terraform/docs.sh" >&2
    exit 1
  fi
  echo "docs/ is up to date"
  go run "$tfplugindocs" validate --provider-dir . --provider-name ges >"$tmp/validate.log" 2>&1 || {
    cat "$tmp/validate.log" >&2
    exit 1
  }
  echo "tfplugindocs validate: ok"
fi
