#!/usr/bin/env bash
# `npm start`: brings the whole local stack up — installs/starts what is missing (npm deps, Node 24,
# PostgreSQL, Redis, pgvector), builds, creates `.env` and the database, runs migrations, then runs
# the five services in the foreground until Ctrl-C. `npm start -- --detach` returns once healthy
# (stop with `npm run stop`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/prepare.sh
source "$here/lib/prepare.sh"

detach=0
[[ ${1:-} == --detach ]] && detach=1

services=(ingest search job-orchestrator governance gateway)
run_dir="$root/.stack"
mkdir -p "$run_dir/logs"

if [[ -f $run_dir/pids ]]; then
  while read -r pid; do kill -0 "$pid" 2>/dev/null && die "the stack is already running (pid $pid); stop it with: npm run stop"; done <"$run_dir/pids"
fi

node dist/libs/db/src/cli/migrate.js

: >"$run_dir/pids"
for svc in "${services[@]}"; do
  if [[ $detach == 1 ]]; then
    node "dist/apps/$svc/src/main.js" >>"$run_dir/logs/$svc.log" 2>&1 &
  else
    node "dist/apps/$svc/src/main.js" > >(tee -a "$run_dir/logs/$svc.log" | sed -u "s/^/[$svc] /") 2>&1 &
  fi
  echo $! >>"$run_dir/pids"
done

stop_all() {
  trap - INT TERM EXIT
  log "stopping the stack"
  while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done <"$run_dir/pids"
  wait 2>/dev/null || true
  rm -f "$run_dir/pids"
}
[[ $detach == 1 ]] || trap stop_all INT TERM EXIT

port="$(env_or_dotenv GATEWAY_PORT 8080)"
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/v1/health" >/dev/null 2>&1; then break; fi
  while read -r pid; do kill -0 "$pid" 2>/dev/null || die "a service exited during start-up; see $run_dir/logs/"; done <"$run_dir/pids"
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/v1/health" >/dev/null || die "the stack did not become healthy in 60 s: curl http://127.0.0.1:$port/v1/health"

cat >&2 <<MSG

  DataFactory is up.
    API          http://127.0.0.1:$port/v1   (OpenAPI UI: http://127.0.0.1:$port/docs)
    health       http://127.0.0.1:$port/v1/health
    admin token  ADMIN_TOKEN in $root/.env
    logs         $run_dir/logs/
  Try it: docs/getting-started.md$( [[ $detach == 1 ]] && printf '\n    stop with    npm run stop' || printf '\n    stop with    Ctrl-C')

MSG
[[ $detach == 1 ]] && exit 0
wait
