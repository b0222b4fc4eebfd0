# A throw-away PostgreSQL cluster for benchmarks that change server settings (shared_buffers) or the schema
# freely: the binaries and pgvector deploy/local/postgres.sh installed, a Unix socket of its own, removed on
# exit. Sourced (not run) by db-sizing.sh, space-layouts.sh and university-bench.sh, never with lib.sh (each sets the
# EXIT trap); the caller has `set -euo pipefail` and say().
# Sets cluster_url and cluster_work; cluster_start SHARED_BUFFERS, cluster_stop, cluster_sql, cluster_migrate DIMENSIONS.

cluster_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cluster_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r | while read -r d; do
  [[ -x $d/postgres ]] && { echo "$d"; break; }; done || true)
[[ -n $cluster_bin ]] || { say "no PostgreSQL under /usr/lib/postgresql: run deploy/local/postgres.sh first"; exit 1; }
# PostgreSQL refuses to run as root: as root, the cluster runs as the user deploy/local/postgres.sh uses.
cluster_owner=$(id -un)
if [[ $(id -u) -eq 0 ]]; then cluster_owner=$(id postgres >/dev/null 2>&1 && echo postgres || echo coursebot-pg); fi
cluster_as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u "$cluster_owner" -- "$@"; else "$@"; fi; }

# Connections only through the socket in this folder, which only the cluster's owner (and root) may enter: trust
# authentication there is safe, and TCP is off.
cluster_work=$(mktemp -d /tmp/private-cluster.XXXXXX)
chmod 700 "$cluster_work"
[[ $(id -u) -ne 0 ]] || chown "$cluster_owner" "$cluster_work"
cluster_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cluster_url="postgresql:///postgres?host=$cluster_work&port=$cluster_port&user=postgres"
cluster_cleanup() {
  trap - INT TERM EXIT
  cluster_as_owner "$cluster_bin/pg_ctl" -D "$cluster_work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster_work"
}
trap cluster_cleanup EXIT
trap 'cluster_cleanup; exit 130' INT
trap 'cluster_cleanup; exit 143' TERM

cluster_as_owner "$cluster_bin/initdb" -D "$cluster_work/data" -U postgres --auth-local=trust --auth-host=reject --encoding=UTF8 \
  --locale=C.UTF-8 >"$cluster_work/initdb.log" 2>&1 || { cat "$cluster_work/initdb.log" >&2; exit 1; }

cluster_start() { # SHARED_BUFFERS
  cluster_as_owner "$cluster_bin/pg_ctl" -D "$cluster_work/data" -w -l "$cluster_work/postgres.log" \
    -o "-p $cluster_port -c listen_addresses='' -c unix_socket_directories=$cluster_work -c shared_buffers=$1 -c max_connections=20" \
    start >/dev/null || { tail -n 20 "$cluster_work/postgres.log" >&2; exit 1; }
}
cluster_stop() { cluster_as_owner "$cluster_bin/pg_ctl" -D "$cluster_work/data" -m fast -w stop >/dev/null; }
cluster_sql() { psql "$cluster_url" -X -q -v ON_ERROR_STOP=1 "$@"; }

# cluster_migrate DIMENSIONS: an empty public schema, then ingest-service's migrations with their placeholders filled as
# ingest-service fills them, the first embedding space of DIMENSIONS active (course_vector_1, its HNSW index).
cluster_migrate() {
  local f
  cluster_sql -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null 2>&1
  # In version order, as Flyway applies them: the glob's order puts V10 before V2.
  while IFS= read -r f; do
    sed -e "s/\${embedding_dimension}/$1/g" -e 's/\${chat_role}/coursebot_chat/g' -e 's/\${insights_role}/coursebot_insights/g' \
        -e 's/\${embedding_model}/bench-model/g' -e 's/\${embedding_provider}/openai/g' \
        -e 's/\${text_search_config}/english/g' -e 's/\${flyway:defaultSchema}/public/g' "$f" | PGOPTIONS="-c client_min_messages=warning" cluster_sql >/dev/null
  done < <(printf '%s\n' "$cluster_repo"/ingest-service/src/main/resources/db/migration/V*__*.sql | sort -V)
}
