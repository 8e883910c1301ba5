#!/usr/bin/env bash
# Makes the pgvector extension available to the PostgreSQL server behind DATABASE_URL.
#   1. reuse it when the server already offers it;
#   2. else install the OS package postgresql-<major>-pgvector where the apt sources have one;
#   3. else build Debian's source package `pgvector` from a newer Debian suite against
#      postgresql-server-dev-<major>, using the mirror already configured in this machine's apt sources.
# Idempotent: the second run only does step 1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"

admin_url="$(admin_database_url)"
available() { psql "$admin_url" -tAqc "select 1 from pg_available_extensions where name = 'vector'" 2>/dev/null | grep -q 1; }

if available; then
  log "pgvector: already available"
  exit 0
fi

major="$(psql "$admin_url" -tAqc "select current_setting('server_version_num')::int / 10000")"
[[ "$major" =~ ^[0-9]+$ ]] || die "pgvector: could not read the PostgreSQL server version from $admin_url"
log "pgvector: not available on PostgreSQL $major; installing"

AS_ROOT_HINT="pgvector needs root to install; or install it by hand: apt-get install postgresql-$major-pgvector"

pgdir="/usr/lib/postgresql/$major"
if [[ ! -x "$pgdir/bin/pg_config" ]] && ! command -v apt-get >/dev/null; then
  die "pgvector: this script installs it on Debian/Ubuntu only; install pgvector for PostgreSQL $major by hand (https://github.com/pgvector/pgvector#installation)"
fi

apt_updated=0
apt_update_once() { if [[ $apt_updated -eq 0 ]]; then as_root apt-get update -qq; apt_updated=1; fi; }

apt_update_once
if apt-cache policy "postgresql-$major-pgvector" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$major-pgvector"
  available || die "pgvector: postgresql-$major-pgvector installed but the server does not offer the extension"
  log "pgvector: installed postgresql-$major-pgvector"
  exit 0
fi

log "pgvector: no postgresql-$major-pgvector package in the apt sources; building Debian's source package"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-server-dev-$major" build-essential dpkg-dev >/dev/null

# The Debian mirror and keyring this machine already uses (deb822 .sources or one-line .list files).
mirror=""; keyring=""
for f in /etc/apt/sources.list.d/*.sources; do
  [[ -f $f ]] || continue
  m="$(sed -nE 's#^URIs:[[:space:]]*([^[:space:]]*/debian)/?([[:space:]].*)?$#\1#p' "$f" | head -n1)"
  if [[ -n $m ]]; then mirror="$m"; keyring="$(sed -nE 's#^Signed-By:[[:space:]]*([^[:space:]]+).*#\1#p' "$f" | head -n1)"; break; fi
done
if [[ -z $mirror ]]; then
  mirror="$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | sed -E 's/\[[^]]*\] *//' | awk '$2 ~ /debian\/?$/ {print $2; exit}')"
fi
[[ -n $mirror ]] || die "pgvector: found no Debian mirror in the apt sources; install pgvector by hand"
keyring="${keyring:-/usr/share/keyrings/debian-archive-keyring.gpg}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial"
built=""
for suite in trixie forky sid; do
  echo "deb-src [signed-by=$keyring] $mirror $suite main" >"$work/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives" -o "APT::Get::List-Cleanup=0")
  apt-get "${apt_opts[@]}" update -qq 2>/dev/null || continue
  (cd "$work" && apt-get "${apt_opts[@]}" source -qq pgvector >/dev/null 2>&1) || continue
  src="$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n1)"
  [[ -n $src ]] || continue
  log "pgvector: building $(basename "$src") from Debian $suite"
  make -s -C "$src" PG_CONFIG="$pgdir/bin/pg_config" >/dev/null
  as_root make -s -C "$src" PG_CONFIG="$pgdir/bin/pg_config" install >/dev/null
  built="$suite"
  break
done
[[ -n $built ]] || die "pgvector: could not fetch Debian's pgvector source package from $mirror; install pgvector by hand"
available || die "pgvector: built and installed, but the server does not offer the extension"
log "pgvector: built and installed from Debian $built"
