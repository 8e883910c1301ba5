#!/usr/bin/env bash
# Makes tools/helm-render buildable: Go and the Go libraries Helm's template engine is made of (sprig v3,
# sigs.k8s.io/yaml, gojsonschema), from Debian's packages. The Helm chart test (tests/deploy) builds the
# renderer with them; no helm binary and no network beyond the apt mirror are needed.
# Idempotent: the second run only checks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"

packages=(golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev golang-github-xeipuuv-gojsonschema-dev)
gocode=/usr/share/gocode/src
if command -v go >/dev/null && [[ -d $gocode/github.com/Masterminds/sprig && -d $gocode/sigs.k8s.io/yaml && -d $gocode/github.com/xeipuuv/gojsonschema ]]; then
  exit 0
fi
command -v apt-get >/dev/null || die "helm-render: needs Debian's ${packages[*]} (apt-get not found)"
AS_ROOT_HINT="or install them by hand: apt-get install ${packages[*]}"
log "installing Go and the template libraries for the Helm chart test (${packages[*]})"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
