#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis behind DATABASE_URL / REDIS_URL answer: reuses running servers,
# starts installed local ones that are stopped, installs them from the OS packages when missing
# (Debian/Ubuntu). Remote servers are only checked, never touched.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"

is_local() { [[ $1 == localhost || $1 == 127.0.0.1 || $1 == ::1 || $1 == "[::1]" ]]; }
apt_install() { command -v apt-get >/dev/null || die "$1 is missing and this is not a Debian/Ubuntu machine: install it by hand"; as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }

# --- PostgreSQL ---
db_url="$(database_url)"
admin_url="$(admin_database_url)"
pg_host="$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$db_url")"
if ! command -v psql >/dev/null; then
  is_local "$pg_host" || die "psql is needed to reach $pg_host: install postgresql-client"
  log "postgres: not installed; installing the OS package"
  apt_install postgresql postgresql-contrib
fi
if ! psql "$admin_url" -tAqc 'select 1' >/dev/null 2>&1; then
  is_local "$pg_host" || die "postgres at $pg_host does not answer; check DATABASE_URL"
  if ! command -v pg_lsclusters >/dev/null || [[ -z $(pg_lsclusters -h 2>/dev/null) ]]; then
    log "postgres: no local cluster; installing the OS package"
    apt_install postgresql postgresql-contrib
  fi
  read -r ver cluster _ < <(pg_lsclusters -h | head -n1)
  log "postgres: starting cluster $ver/$cluster"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" start || true
  for _ in $(seq 1 30); do psql "$admin_url" -tAqc 'select 1' >/dev/null 2>&1 && break; sleep 1; done
  psql "$admin_url" -tAqc 'select 1' >/dev/null 2>&1 \
    || die "postgres does not accept $admin_url (a fresh install may need: sudo -u postgres createuser -s $(whoami), or a password in DATABASE_URL)"
fi
log "postgres: ok ($(psql "$admin_url" -tAqc 'show server_version'))"

# --- Redis ---
r_url="$(redis_url)"
r_host="$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$r_url")"
r_port="$(node -e 'console.log(new URL(process.argv[1]).port || 6379)' "$r_url")"
if ! command -v redis-cli >/dev/null; then
  is_local "$r_host" || die "redis-cli is needed to reach $r_host: install redis-tools"
  log "redis: not installed; installing the OS package"
  apt_install redis-server
fi
if [[ $(redis-cli -u "$r_url" ping 2>/dev/null) != PONG ]]; then
  is_local "$r_host" || die "redis at $r_host does not answer; check REDIS_URL"
  data_dir="$(repo_root)/.stack/redis"
  mkdir -p "$data_dir"
  log "redis: starting a local server on port $r_port (data in $data_dir, AOF on, noeviction)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$r_port" --dir "$data_dir" --logfile "$data_dir/redis.log" \
    --appendonly yes --maxmemory-policy noeviction
  for _ in $(seq 1 20); do [[ $(redis-cli -u "$r_url" ping 2>/dev/null) == PONG ]] && break; sleep 0.5; done
  [[ $(redis-cli -u "$r_url" ping 2>/dev/null) == PONG ]] || die "redis did not start; see $data_dir/redis.log"
fi
policy="$(redis-cli -u "$r_url" config get maxmemory-policy 2>/dev/null | tail -n1 || true)"
log "redis: ok (maxmemory-policy ${policy:-unknown})"
