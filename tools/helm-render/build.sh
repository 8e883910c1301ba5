#!/usr/bin/env bash
# Builds helm-render offline from Debian's Go packages (see main.go), into $1 (default tmp/helm-render/helm-render).
# GOPATH mode: Debian ships the sources under /usr/share/gocode without the /v3 directories that the import
# paths of sprig v3 and semver v3 name, so a private GOPATH links them in.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/tmp/helm-render/helm-render}"
work="$root/tmp/helm-render"
masterminds="$work/gopath/src/github.com/Masterminds"
mkdir -p "$masterminds/sprig" "$masterminds/semver" "$(dirname "$out")"
ln -sfn /usr/share/gocode/src/github.com/Masterminds/sprig "$masterminds/sprig/v3"
ln -sfn /usr/share/gocode/src/github.com/Masterminds/semver "$masterminds/semver/v3"
cd "$here"
GO111MODULE=off GOPATH="$work/gopath:/usr/share/gocode" GOCACHE="$work/gocache" GOFLAGS= go build -o "$out" .
