#!/usr/bin/env bash
# Shared helpers for the stack and test scripts. Sourced, not run.

log() { printf '\033[1;34m[datafactory]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[datafactory] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo; else stops, with an optional hint.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) for: $*${AS_ROOT_HINT:+; $AS_ROOT_HINT}"; fi
}

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

# Reads KEY from .env when it is not in the environment (the apps do the same through libs/config).
env_or_dotenv() {
  local key="$1" default="${2:-}" file
  file="$(repo_root)/.env"
  if [[ -n ${!key:-} ]]; then printf '%s' "${!key}"; return; fi
  if [[ -f $file ]]; then
    local line
    line="$(grep -E "^${key}=" "$file" | tail -n1 || true)"
    if [[ -n $line ]]; then line="${line#*=}"; line="${line%\"}"; line="${line#\"}"; printf '%s' "$line"; return; fi
  fi
  printf '%s' "$default"
}

database_url() { env_or_dotenv DATABASE_URL "postgres://postgres@127.0.0.1:5432/datafactory"; }
redis_url() { env_or_dotenv REDIS_URL "redis://127.0.0.1:6379"; }

# The same server as DATABASE_URL, database `postgres`: for checks and CREATE DATABASE.
admin_database_url() {
  local url; url="$(database_url)"
  printf '%s' "${url%/*}/postgres"
}
