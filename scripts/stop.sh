#!/usr/bin/env bash
# `npm run stop`: stops a stack started with `npm start -- --detach`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
pids="$(repo_root)/.stack/pids"
[[ -f $pids ]] || { log "the stack is not running"; exit 0; }
while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done <"$pids"
for _ in $(seq 1 30); do
  alive=0
  while read -r pid; do kill -0 "$pid" 2>/dev/null && alive=1; done <"$pids"
  [[ $alive == 0 ]] && break
  sleep 0.5
done
rm -f "$pids"
log "stack stopped"
