#!/usr/bin/env bash
# `npm test`: prepares what the tests need (npm deps, Node 24, PostgreSQL, Redis, pgvector, build),
# runs the static checks (types incl. tests, format, lint with module boundaries), then every Jest project:
# unit, integration (real Postgres + pgvector, Redis), e2e (the five services as processes), faults
# (crash and outage scenarios on a private PostgreSQL cluster and redis-server), deploy (image, Compose
# stack, Helm chart) and bench (a smoke of `npm run bench:compare`). Extra arguments go to Jest (`npm test -- --selectProjects unit`).
# Tests create and drop their own databases; the run ends with the summary line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/prepare.sh
source "$here/lib/prepare.sh"

# The fault tests start their own PostgreSQL cluster and redis-server (they need the server binaries locally);
# the metrics tests check the exposition with promtool (Debian's prometheus package).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v redis-server >/dev/null || ! command -v promtool >/dev/null; then
  log "installing PostgreSQL and Redis server binaries and promtool for the tests"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server prometheus >/dev/null
fi

# The Helm chart test renders the chart with Helm's template engine, built from Debian's Go packages.
bash "$root/scripts/lib/ensure-go-render.sh"

# The side-by-side benchmark keeps the peer's packages (LangChain.js) in bench/compare, out of the product.
bash "$root/bench/compare/ensure-deps.sh"

log "type-checking (apps, libs, tests, bench/compare)"
tsc -p tsconfig.json --noEmit
tsc -p bench/compare/tsconfig.json --noEmit
log "checking the format (prettier; fix with: npm run format)"
prettier --check . >/dev/null || { prettier --list-different .; die "files not formatted: run npm run format"; }
log "linting"
# @nx/enforce-module-boundaries reads the cached project graph; without one it silently skips.
NX_DAEMON=false nx show projects >/dev/null
eslint --max-warnings 0 .
log "running the tests"
export TZ=UTC
exec jest "$@"
