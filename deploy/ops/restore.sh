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
  --replace   the target may hold objects already: drop every table, view, sequence and function of
              its schemas (not an extension's) and restore the snapshot, in the same transaction, so
              the database becomes exactly the snapshot, also when the snapshot is of an older schema
              (a rollback across a migration). Without it a non-empty target is refused.

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

# What --replace drops first: everything in the target's own schemas but what extensions own (pgvector's type and
# operators stay). Dropping only what the snapshot holds is not enough: a newer schema's objects would stay behind
# (course_content became a view in schema 4, which a DROP TABLE from an older snapshot cannot drop).
cat >"$work/replace.sql" <<'SQL'
DO $replace$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW'
                              WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                              WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, n.nspname, c.relname) AS drop
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
              ORDER BY c.relkind = 'S'
    LOOP
        EXECUTE r.drop;
    END LOOP;
    FOR r IN SELECT format('DROP FUNCTION IF EXISTS %I.%I(%s) CASCADE', n.nspname, p.proname,
                           pg_get_function_identity_arguments(p.oid)) AS drop
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE r.drop;
    END LOOP;
END
$replace$;
SQL
# pg_restore writes the snapshot as SQL and psql runs it (after the drops of --replace) in one transaction.
{ [[ $replace == true ]] && cat "$work/replace.sql"
  "$bin/pg_restore" --no-owner --no-acl --use-list="$work/toc.restore" -f - "$file"
} | PGOPTIONS="-c client_min_messages=warning" "$bin/psql" -X -q -v ON_ERROR_STOP=1 --single-transaction \
      -d "$url" >/dev/null 2>"$work/err" \
  || { cat "$work/err" >&2; die "pg_restore into $db failed and was rolled back: its tables are as they were"; }
# Only the restoring role's own tables are analysed; catalog tables it may not touch would only warn.
PGOPTIONS="-c client_min_messages=error" psql_target -c 'ANALYZE' || die "restored, but ANALYZE failed"
