#!/usr/bin/env bash
# `npm test`: prepares what the tests need (npm deps, Node 24, PostgreSQL, Redis, pgvector, build),
# runs the static checks (types incl. tests, lint with module boundaries), then every Jest project:
# unit, integration (real Postgres + pgvector, Redis) and e2e (the five services as processes).
# Tests create and drop their own databases; the run ends with the summary line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/prepare.sh
source "$here/lib/prepare.sh"

log "type-checking (apps, libs, tests)"
tsc -p tsconfig.json --noEmit
log "linting"
# @nx/enforce-module-boundaries reads the cached project graph; without one it silently skips.
NX_DAEMON=false nx show projects >/dev/null
eslint --max-warnings 0 .
log "running the tests"
export TZ=UTC
exec jest "$@"
