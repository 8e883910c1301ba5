#!/usr/bin/env bash
# `npm run bench:compare [-- options]`: installs the bench's packages if missing, builds the product
# (incremental) and the bench, and runs it. Needs PostgreSQL with pgvector and Redis on their usual ports
# (as `npm test` does); the bench starts its own embedding server and DataFactory stack.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"

bash "$here/ensure-deps.sh"
npm run --silent build
tsc -p "$here/tsconfig.json"
# libs/testing finds the product's dist/ three folders above its own file, which compiled into
# bench/compare/dist is bench/compare/dist: point it at the real one.
ln -sfn ../../../dist "$here/dist/dist"
exec node "$here/dist/bench/compare/src/main.js" "$@"
