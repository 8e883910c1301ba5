#!/usr/bin/env bash
# Installs the bench's own packages (the peer, LangChain.js) into bench/compare/node_modules when they are
# missing or package-lock.json changed since the last install. Never touches the product's node_modules.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
stamp="$here/node_modules/.package-lock.json"
if [[ ! -f $stamp || $here/package-lock.json -nt $stamp ]]; then
  echo "[bench:compare] installing the peer's packages into bench/compare/node_modules" >&2
  npm install --prefix "$here" --no-audit --no-fund --loglevel=error >&2
fi
