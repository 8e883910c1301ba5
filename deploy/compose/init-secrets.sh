#!/bin/sh
# Compose only: fills the `secrets` volume on the first `up` and keeps it on every later one, so nobody has to
# type or commit a key, and every installation has its own. `docker compose down -v` wipes it with the data.
#
# One file per secret, mode 0400, owned by the one image user that reads it: 10001 (DataFactory), 999 (postgres
# in the postgres image), 472 (grafana). Ownership is only set when run as root (the compose service is; a test
# on a host is not).
#
# The four DataFactory secrets and GRAFANA_ADMIN_PASSWORD can be chosen: a value in the environment (at least 24
# characters) replaces the stored one. The database passwords cannot: Postgres takes them when its volume is
# first initialised, and a new one would lock the services out.
set -eu
dir=${SECRETS_DIR:?SECRETS_DIR must name the directory for the secrets}
umask 077
mkdir -p "$dir"
# Traversable but not listable by the other containers' users: they open their own files by name.
chmod 0711 "$dir"

random() { head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_'; }

# write NAME OWNER VALUE: atomically, so a crash leaves the old file or the new one, never half of one.
write() {
  printf '%s' "$3" >"$dir/.$1.tmp"
  chmod 0400 "$dir/.$1.tmp"
  if [ "$(id -u)" -eq 0 ]; then chown "$2" "$dir/.$1.tmp"; fi
  mv -f "$dir/.$1.tmp" "$dir/$1"
}

# ensure NAME OWNER: the value from the environment if given, else the stored one, else a new random one.
ensure() {
  eval "given=\${$1:-}"
  if [ -n "$given" ]; then
    if [ "${#given}" -lt 24 ]; then
      echo "secrets-init: $1 must be at least 24 characters" >&2
      exit 1
    fi
    write "$1" "$2" "$given"
    echo "secrets-init: $1 set from the environment"
  elif [ ! -s "$dir/$1" ]; then
    write "$1" "$2" "$(random)"
    echo "secrets-init: $1 generated"
  fi
}

ensure ADMIN_TOKEN 10001:10001
ensure API_KEY_PEPPER 10001:10001
ensure INTERNAL_TOKEN 10001:10001
ensure GOVERNANCE_SIGNING_KEY 10001:10001
ensure GRAFANA_ADMIN_PASSWORD 472:0

# The superuser's password, for the postgres image only; the services use the `datafactory` role.
if [ ! -s "$dir/POSTGRES_PASSWORD" ]; then
  write POSTGRES_PASSWORD 999:999 "$(random)"
  echo "secrets-init: POSTGRES_PASSWORD generated"
fi
# The role's password twice: for Postgres' first start (deploy/compose/postgres-init.sql) and inside the services'
# DATABASE_URL. Written together; if either is missing, Postgres has not been initialised with them yet (it starts
# only after this step succeeded), so both are made anew.
if [ ! -s "$dir/DB_PASSWORD" ] || [ ! -s "$dir/DATABASE_URL" ]; then
  password=$(random)
  write DATABASE_URL 10001:10001 "postgres://datafactory:$password@postgres:5432/datafactory"
  write DB_PASSWORD 999:999 "$password"
  echo "secrets-init: DB_PASSWORD and DATABASE_URL generated"
fi
echo "secrets-init: secrets ready in $dir"
