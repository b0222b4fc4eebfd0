#!/usr/bin/env bash
# Restores a snapshot made by snapshot.sh into an empty database.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/ops/restore.sh [--url URL] [--yes] [--replace] SNAPSHOT

Restores SNAPSHOT (a deploy/ops/snapshot.sh file) into the database at URL, in one transaction: it either
all lands or nothing changes. Then runs ANALYZE so the planner uses the vector index straight away.

  --url URL   the target, postgresql://user:pass@host:port/db (default: $DATABASE_URL)
  --yes       do not ask for confirmation (scripts, tests)
  --replace   the target may hold objects already: drop each object the snapshot contains and
              recreate it (pg_restore --clean --if-exists). Without it a non-empty target is refused.

Ownership and grants are not restored (the target's roles may differ): the restoring role owns what it
creates. Re-run deploy/ops/create-chat-role.sql afterwards to give the read-only chat role its grants.
Stop ingest-service first, so that no ingest writes while the restore runs.
USAGE
}

say() { echo "restore.sh: $*" >&2; }
die() { say "$*"; exit 1; }

url=${DATABASE_URL:-}
yes=false
replace=false
file=""
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --url) [[ $# -ge 2 ]] || die "--url needs a value"; url=$2; shift 2 ;;
    --yes) yes=true; shift ;;
    --replace) replace=true; shift ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [[ -z $file ]] || die "one snapshot at a time ('$file' and '$1')"; file=$1; shift ;;
  esac
done
[[ -n $file ]] || die "which snapshot? (see --help)"
[[ -f $file ]] || die "snapshot $file not found"
[[ -n $url ]] || die "no target database: pass --url or set DATABASE_URL"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/ops/pg-tools.sh
source "$here/pg-tools.sh"

server=$(server_major "$url") || die "cannot connect to $(redact "$url") (psql's message above)"
bin=$(client_bin "$server") || die "pg_restore for PostgreSQL $server or newer not found: install postgresql-client-$server (or set PG_BIN)"
"$bin/pg_restore" --list "$file" >/dev/null 2>&1 || die "$file is not a pg_dump custom-format archive"

psql_target() { "$bin/psql" -X -Atq -v ON_ERROR_STOP=1 -d "$url" "$@"; }
db=$(psql_target -c 'SELECT current_database()')
# Extensions alone (the local cluster keeps vector in template1) do not make a database non-empty.
objects=$(psql_target -c "
  SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
     AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
     AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')")
if [[ $objects -gt 0 && $replace != true ]]; then
  die "database $db at $(redact "$url") is not empty ($objects tables, views or sequences).
Restore into an empty database, or pass --replace to drop and recreate what the snapshot contains."
fi

if [[ $yes != true ]]; then
  [[ -t 0 ]] || die "no terminal to confirm on: pass --yes to restore without asking"
  what="the empty database $db"
  [[ $objects -gt 0 ]] && what="database $db, REPLACING the objects of the snapshot ($objects tables, views or sequences now)"
  printf 'Restore %s into %s at %s? Type the database name to confirm: ' "$file" "$what" "$(redact "$url")" >&2
  read -r answer
  [[ $answer == "$db" ]] || die "not confirmed ('$answer' is not '$db'): nothing changed"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Extensions are created here rather than restored: only their owner (a superuser on most hosts) may
# COMMENT ON or DROP them, which a plain restore does, while CREATE EXTENSION IF NOT EXISTS is what the
# database owner may do on Render and locally. Everything else comes from the archive's own list.
"$bin/pg_restore" --list "$file" >"$work/toc"
grep -vE '^[0-9]+; [0-9]+ [0-9]+ (EXTENSION|COMMENT - EXTENSION) ' "$work/toc" >"$work/toc.restore" || true
for ext in $(sed -nE 's/^[0-9]+; [0-9]+ [0-9]+ EXTENSION - ([^ ]+).*/\1/p' "$work/toc"); do
  psql_target -c "CREATE EXTENSION IF NOT EXISTS \"$ext\"" 2>"$work/err" \
    || { cat "$work/err" >&2; die "the snapshot needs extension $ext, which $db lacks and this role may not create"; }
done

clean=()
[[ $replace == true ]] && clean=(--clean --if-exists)
"$bin/pg_restore" -d "$url" --single-transaction --exit-on-error --no-owner --no-acl ${clean[@]+"${clean[@]}"} \
  --use-list="$work/toc.restore" "$file" 2>"$work/err" \
  || { cat "$work/err" >&2; die "pg_restore into $db failed and was rolled back: its tables are as they were"; }
# Only the restoring role's own tables are analysed; catalog tables it may not touch would only warn.
PGOPTIONS="-c client_min_messages=error" psql_target -c 'ANALYZE' || die "restored, but ANALYZE failed"
