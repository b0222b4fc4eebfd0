#!/usr/bin/env bash
# Makes a PostgreSQL with pgvector >= 0.8 available and prints the URL to use as its last line.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/local/postgres.sh [start|stop|status|--help]

  start   (default) Use $DATABASE_URL when it is reachable and has the vector extension;
          otherwise install PostgreSQL + pgvector with apt (building pgvector from Debian's
          source package when the distribution has no binary package) and start a
          project-local cluster on 127.0.0.1. Prints the writer's URL as the last line.
  stop    Stop the project-local cluster this script started.
  status  Say whether the project-local cluster runs.

Environment:
  DATABASE_URL          an existing database to use instead of the local cluster
  COURSEBOT_PG_PORT     port of the local cluster (default 5433)
  COURSEBOT_PG_DATA     data folder of the local cluster (default <repo>/.local/pgdata)

Roles created in the local cluster:
  coursebot       writer (ingest-service; may create databases, which the tests do)
  coursebot_chat  read-only (chat-service); what it may read is granted by the migrations
  coursebot_insights  chat-service's question log: INSERT on question_log and answer_feedback only
USAGE
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
port=${COURSEBOT_PG_PORT:-5433}
data=${COURSEBOT_PG_DATA:-$repo/.local/pgdata}
run_dir=$repo/.local/run
build_dir=$repo/.local/build
log=$repo/.local/postgres.log
writer_url="postgresql://coursebot:coursebot@127.0.0.1:$port/coursebot"
min_vector=0.8.0

say() { echo "postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# ---- helpers ---------------------------------------------------------------------------------

pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    [[ -x $dir/postgres ]] && { echo "$dir"; return; }
  done
  return 1
}

os_user() {
  # PostgreSQL refuses to run as root; when invoked as root, run the cluster as a system user.
  if [[ $(id -u) -ne 0 ]]; then id -un; elif id postgres >/dev/null 2>&1; then echo postgres; else
    useradd --system --no-create-home --shell /usr/sbin/nologin coursebot-pg; echo coursebot-pg
  fi
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

apt_install() {
  command -v apt-get >/dev/null || return 1
  local sudo=""
  [[ $(id -u) -ne 0 ]] && { command -v sudo >/dev/null || return 1; sudo="sudo"; }
  say "installing with apt-get: $*"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>"$repo/.local/apt.log" \
    || { $sudo apt-get update -qq >/dev/null 2>&1 && \
         $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>"$repo/.local/apt.log"; } \
    || { cat "$repo/.local/apt.log" >&2; return 1; }
}

installed_vector_version() {
  local control
  control="$("$bin/pg_config" --sharedir)/extension/vector.control"
  [[ -f $control ]] && sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$control"
}

ensure_postgres() {
  if ! bin=$(pg_bin); then
    apt_install postgresql || die "PostgreSQL is not installed and apt-get could not install it.
Install PostgreSQL >= 13 with pgvector >= $min_vector (or run 'docker compose up' with docker-compose.yml)."
    bin=$(pg_bin) || die "PostgreSQL binaries not found under /usr/lib/postgresql after installing."
  fi
  major=$("$bin/pg_config" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
  [[ -x $bin/pg_config ]] || apt_install "postgresql-server-dev-$major" || true
}

build_pgvector_from_debian_source() {
  # Debian 12 has no pgvector package; trixie's source package builds against PostgreSQL 15.
  local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  apt_install "postgresql-server-dev-$major" dpkg-dev make gcc || die "could not install build tools for pgvector"
  local list=/etc/apt/sources.list.d/coursebot-pgvector-src.list
  if ! apt-cache showsrc pgvector 2>/dev/null | grep -q '^Version: 0\.[89]'; then
    if [[ ! -f $list ]]; then
      echo "deb-src http://deb.debian.org/debian trixie main" | $sudo tee "$list" >/dev/null
    fi
    say "fetching the pgvector source package list"
    $sudo apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed (see 'apt-get update')"
  fi
  rm -rf "$build_dir" && mkdir -p "$build_dir"
  say "building pgvector from Debian's source package (about a minute)"
  (cd "$build_dir" && apt-get source -qq pgvector >/dev/null 2>&1) || die "apt-get source pgvector failed"
  local src
  src=$(find "$build_dir" -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -n1)
  [[ -n $src ]] || die "no pgvector source folder in $build_dir"
  # OPTFLAGS="" drops -march=native so the build runs on any x86-64.
  (cd "$src" && make -s OPTFLAGS="" PG_CONFIG="$bin/pg_config" >"$build_dir/make.log" 2>&1 \
     && $sudo make -s OPTFLAGS="" PG_CONFIG="$bin/pg_config" install >>"$build_dir/make.log" 2>&1) \
    || { tail -n 30 "$build_dir/make.log" >&2; die "building pgvector failed"; }
}

ensure_pgvector() {
  local v; v=$(installed_vector_version || true)
  if [[ -n $v ]] && version_ge "$v" "$min_vector"; then return; fi
  if command -v apt-cache >/dev/null && apt-cache policy "postgresql-$major-pgvector" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt_install "postgresql-$major-pgvector" || true
  fi
  v=$(installed_vector_version || true)
  if [[ -z $v ]] || ! version_ge "$v" "$min_vector"; then
    command -v apt-get >/dev/null || die "pgvector >= $min_vector is not installed for PostgreSQL $major.
Install it (https://github.com/pgvector/pgvector#installation) or run 'docker compose up'."
    build_pgvector_from_debian_source
  fi
  v=$(installed_vector_version || true)
  [[ -n $v ]] && version_ge "$v" "$min_vector" || die "pgvector $v installed, but >= $min_vector is needed"
}

psql_admin() { PGOPTIONS="-c client_min_messages=warning" as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$run_dir" -p "$port" -U postgres "$@"; }

cluster_running() { [[ -f $data/PG_VERSION ]] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

start_cluster() {
  mkdir -p "$repo/.local" "$run_dir"
  if [[ $(id -u) -eq 0 ]]; then
    chown "$owner" "$run_dir"
    mkdir -p "$data" && chown "$owner" "$data" && chmod 700 "$data"
    runuser -u "$owner" -- test -w "$data" || die "$owner cannot write $data: set COURSEBOT_PG_DATA to a folder it can reach"
    touch "$log" && chown "$owner" "$log"
  fi
  if [[ ! -f $data/PG_VERSION ]]; then
    say "creating a cluster in $data"
    as_owner "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$repo/.local/initdb.log" 2>&1 \
      || { cat "$repo/.local/initdb.log" >&2; die "initdb failed"; }
  fi
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-p $port -k $run_dir -c listen_addresses=127.0.0.1 -c shared_buffers=128MB -c max_connections=200" \
    start >/dev/null || { tail -n 20 "$log" >&2; die "the cluster did not start (log: $log)"; }
}

provision() {
  # Idempotent: roles, database, and the extension in template1 so that test databases have it.
  psql_admin -d postgres <<'SQL'
SELECT 'CREATE ROLE coursebot LOGIN CREATEDB PASSWORD ''coursebot'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'coursebot') \gexec
SELECT 'CREATE ROLE coursebot_chat LOGIN PASSWORD ''coursebot_chat'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'coursebot_chat') \gexec
SELECT 'CREATE ROLE coursebot_insights LOGIN PASSWORD ''coursebot_insights'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'coursebot_insights') \gexec
SELECT 'CREATE DATABASE coursebot OWNER coursebot'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'coursebot') \gexec
SQL
  psql_admin -d template1 -c 'CREATE EXTENSION IF NOT EXISTS vector'
  psql_admin -d coursebot -c 'CREATE EXTENSION IF NOT EXISTS vector'
  psql_admin -d coursebot -c "ALTER EXTENSION vector UPDATE" >/dev/null 2>&1 || true
}

external_database_ok() {
  command -v psql >/dev/null || return 1
  psql "$DATABASE_URL" -X -q -t -A -c "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'" 2>/dev/null | grep -q 1
}

# ---- commands --------------------------------------------------------------------------------

cmd=${1:-start}
case $cmd in
  -h|--help|help) usage; exit 0 ;;
  start|stop|status) ;;
  *) usage >&2; exit 2 ;;
esac

if [[ $cmd == start && -n ${DATABASE_URL:-} ]]; then
  if external_database_ok; then echo "$DATABASE_URL"; exit 0; fi
  say "DATABASE_URL is set but not reachable or has no vector extension; using the local cluster instead"
fi

mkdir -p "$repo/.local"
owner=$(os_user)

case $cmd in
  stop)
    bin=$(pg_bin) || exit 0
    if cluster_running; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; say "stopped"; fi
    exit 0 ;;
  status)
    bin=$(pg_bin) || { echo "not installed"; exit 3; }
    if cluster_running; then echo "running on 127.0.0.1:$port ($data)"; else echo "stopped"; exit 3; fi
    exit 0 ;;
esac

ensure_postgres
if ! cluster_running; then
  ensure_pgvector
  start_cluster
fi
provision
echo "$writer_url"
