#!/bin/sh
# Entrypoint of the DataFactory image: runs one program, named by the first argument or by APP.
#   entrypoint.sh gateway|ingest|search|job-orchestrator|governance|migrate
# Also runs on a host from a checkout after `npm run build` (the tests do).
set -eu

programs='gateway, ingest, search, job-orchestrator, governance or migrate'
root=$(CDPATH='' cd -- "$(dirname -- "$0")/../.." && pwd)

app=${1:-${APP:-}}
if [ "$#" -gt 0 ]; then shift; fi

case $app in
  gateway | ingest | search | job-orchestrator | governance) main=dist/apps/$app/src/main.js ;;
  migrate) main=dist/libs/db/src/cli/migrate.js ;;
  '')
    echo "datafactory: no program given: pass one as the argument or in APP ($programs)" >&2
    exit 64
    ;;
  *)
    echo "datafactory: unknown program \"$app\": expected $programs" >&2
    exit 64
    ;;
esac

# NAME_FILE names a file holding NAME (a mounted Docker or Kubernetes secret), so the value never sits in the
# container's environment as `docker inspect` shows it. The list is explicit: ENV_FILE is a setting, not a secret.
for name in ADMIN_TOKEN API_KEY_PEPPER INTERNAL_TOKEN GOVERNANCE_SIGNING_KEY DATABASE_URL REDIS_URL EMBEDDING_API_KEY; do
  eval "value=\${$name:-} file=\${${name}_FILE:-}"
  [ -n "$file" ] || continue
  if [ -n "$value" ]; then
    echo "datafactory: both $name and ${name}_FILE are set; set only one" >&2
    exit 64
  fi
  if ! value=$(cat -- "$file"); then
    echo "datafactory: ${name}_FILE=$file cannot be read" >&2
    exit 66
  fi
  export "$name=$value"
  unset "${name}_FILE"
done

cd "$root"
if [ ! -f "$main" ]; then
  echo "datafactory: $root/$main is missing: build first (npm run build)" >&2
  exit 69
fi
# exec: node replaces this shell, so the stop signal (forwarded by tini in the image) reaches node, and the
# services shut down gracefully.
exec node "$main" "$@"
