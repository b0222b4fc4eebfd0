#!/usr/bin/env bash
# Dumps a Coursebot database (schema and data) to a timestamped pg_dump custom-format file.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/ops/snapshot.sh [--url URL] [--dir DIR]

Writes DIR/coursebot-<database>-<UTC timestamp>.dump (pg_dump -Fc: schema, data, the pgvector extension
and Flyway's history) and prints its path. Take one before any migration or embedding model change;
deploy/ops/restore.sh puts it back.

  --url URL   the database, postgresql://user:pass@host:port/db (default: $DATABASE_URL).
              On Render use the database's External URL.
  --dir DIR   where to write (default: ./snapshots); created when missing.

pg_dump must be at least as new as the server; the script picks /usr/lib/postgresql/<N>/bin/pg_dump
when one matches, else says which postgresql-client-<N> to install. Set PG_BIN to choose a folder.
USAGE
}

say() { echo "snapshot.sh: $*" >&2; }
die() { say "$*"; exit 1; }

url=${DATABASE_URL:-}
dir=./snapshots
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --url) [[ $# -ge 2 ]] || die "--url needs a value"; url=$2; shift 2 ;;
    --dir) [[ $# -ge 2 ]] || die "--dir needs a value"; dir=$2; shift 2 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ -n $url ]] || die "no database: pass --url or set DATABASE_URL"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/ops/pg-tools.sh
source "$here/pg-tools.sh"

server=$(server_major "$url") || die "cannot connect to $(redact "$url") (psql's message above)"
bin=$(client_bin "$server") || die "pg_dump for PostgreSQL $server or newer not found: install postgresql-client-$server (or set PG_BIN)"

db=$("$bin/psql" -X -Atq -d "$url" -c 'SELECT current_database()')
mkdir -p "$dir" || die "cannot create $dir"
file="$dir/coursebot-$db-$(date -u +%Y%m%dT%H%M%SZ).dump"
[[ ! -e $file ]] || die "$file exists already (two snapshots in the same second?)"
tmp="$file.partial"
trap 'rm -f "$tmp"' EXIT

"$bin/pg_dump" -d "$url" --format=custom --compress=6 --file="$tmp" 2>"$tmp.err" \
  || { cat "$tmp.err" >&2; rm -f "$tmp.err"; die "pg_dump of $(redact "$url") failed"; }
rm -f "$tmp.err"
# A dump that pg_restore cannot list is no snapshot: check before calling it one.
"$bin/pg_restore" --list "$tmp" >/dev/null || die "pg_dump wrote $tmp but pg_restore cannot read it"
mv "$tmp" "$file"
trap - EXIT
echo "$file"
