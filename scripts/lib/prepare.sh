#!/usr/bin/env bash
# Shared preparation for `npm start` and `npm test`: npm dependencies (Node 24 from the registry's
# `node` package), PostgreSQL, Redis, pgvector and a build. Each step reuses what is already there.
# Sourced by scripts/stack.sh and scripts/test.sh.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"
root="$(repo_root)"
cd "$root"

# npm dependencies: install when missing or when package-lock.json changed since the last install.
stamp="node_modules/.package-lock.json"
# `npm install` honours package-lock.json like `npm ci`, but also tolerates a lock written against a registry mirror
# that lacks other OSes' optional native binaries, where `npm ci` refuses it. (The lock is complete today.)
if [[ ! -d node_modules || ! -f $stamp || package-lock.json -nt $stamp ]]; then
  log "installing npm dependencies"
  npm install --no-audit --no-fund --loglevel=error
fi

# Node 24 LTS from node_modules/.bin (the `node` package) comes first, whatever the machine has.
export PATH="$root/node_modules/.bin:$PATH"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[[ $node_major == 24 ]] || die "expected Node 24 from node_modules/.bin, found $(node -v); run: npm ci"

bash "$here/ensure-stores.sh"
bash "$here/ensure-pgvector.sh"

log "building (tsc, incremental)"
npm run --silent build
