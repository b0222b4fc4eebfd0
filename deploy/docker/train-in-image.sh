#!/usr/bin/env bash
# The AOT cache's training run where the image is built (Dockerfile.jvm's train stage; deploy/local/image-check.sh
# replays it here): a PostgreSQL of its own with pgvector, the fake OpenAI server, then deploy/docker/aot-train.sh.
# Nothing leaves 127.0.0.1 and nothing of it stays but the cache file.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/docker/train-in-image.sh SERVICE APP_DIR OPTIONS_FILE CACHE_FILE [EXTRA JVM FLAGS...]

Trains SERVICE's AOT cache (see deploy/docker/aot-train.sh for the workload) against:
  - a throw-away PostgreSQL cluster (initdb of the newest /usr/lib/postgresql/*/bin, or PG_BIN; pgvector installed
    there), on a free loopback port, with the roles the migrations grant to (coursebot_chat, coursebot_insights)
  - the fake OpenAI server of test-support (embeddings and chat completions at 1536 dimensions: the image trains
    the OpenAI path it runs in production), class path FAKE_CP (default: test-support/target/classes and
    INGEST_APP's lib/main jars, which hold Vert.x and jtokkit)
For chat-service, ingest-service (INGEST_APP, default ingest-service/target/quarkus-app) first ingests the course
into that database, untrained. JAVA (default java) is the JVM that will run the image. Run as root (the Docker
build) the cluster runs as user postgres.
USAGE
}
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }
[[ $# -ge 4 ]] || { usage >&2; exit 2; }

say() { echo "train-in-image.sh: $*" >&2; }
die() { say "$*"; exit 1; }

service=$1 app=$2 options=$3 cache=$4
shift 4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
ingest_app=${INGEST_APP:-$repo/ingest-service/target/quarkus-app}
fake_cp=${FAKE_CP:-$repo/test-support/target/classes:$ingest_app/lib/main/*}
java=${JAVA:-java}
pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V | tail -n 1)}
[[ -x $pg_bin/initdb ]] || die "no PostgreSQL (initdb) under ${pg_bin:-/usr/lib/postgresql/*/bin}; set PG_BIN"
[[ -f $ingest_app/quarkus-run.jar ]] || die "no $ingest_app/quarkus-run.jar (INGEST_APP)"

work=$(mktemp -d /tmp/train-in-image.XXXXXX)
chmod 755 "$work"
owner=$(id -un)
[[ $(id -u) -eq 0 ]] && owner=postgres
as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u "$owner" -- "$@"; else "$@"; fi; }
fake_pid=""
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  [[ -n $fake_pid ]] && kill "$fake_pid" 2>/dev/null
  as_owner "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Not deploy/bench/private-cluster.sh: that one listens on a socket only (the services need TCP) and deploy/bench/
# is outside the image's build context.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chown "$owner" "$work" # the cluster's data, log and socket live here
# Trust on 127.0.0.1 only, for a cluster that lives as long as this script, inside the build.
as_owner "$pg_bin/initdb" -D "$work/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; die "initdb failed"; }
as_owner "$pg_bin/pg_ctl" -D "$work/data" -w -l "$work/postgres.log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work" start >/dev/null \
  || { tail -n 20 "$work/postgres.log" >&2; die "PostgreSQL did not start"; }
db_url=postgresql://postgres:train@127.0.0.1:$port/postgres
# The roles docker-compose's initdb script creates (deploy/local/compose-initdb/10-chat-role.sql), for the grants.
"$pg_bin/psql" "$db_url" -X -q -v ON_ERROR_STOP=1 -c "CREATE ROLE coursebot_chat LOGIN PASSWORD 'train'" \
  -c "CREATE ROLE coursebot_insights LOGIN PASSWORD 'train'" >/dev/null

java -Xmx64m -XX:+UseSerialGC -cp "$fake_cp" org.coursebot.testing.FakeOpenAiServer 0 1536 >"$work/fake.out" 2>"$work/fake.err" &
fake_pid=$!
for _ in $(seq 100); do [[ -s $work/fake.out ]] && break; sleep 0.2; done
fake_url=$(head -n 1 "$work/fake.out")
[[ $fake_url == http://127.0.0.1:* ]] || { cat "$work/fake.err" >&2; die "the fake OpenAI server did not start"; }
openai=(OPENAI_API_KEY=sk-train COURSEBOT_EMBEDDING_BASE_URL="$fake_url" EMBEDDING_DIMENSION=1536)

if [[ $service == chat-service ]]; then
  env DATABASE_URL="$db_url" "${openai[@]}" JAVA="$java" "$here/aot-train.sh" ingest-service "$ingest_app" \
    "$repo/ingest-service/src/main/docker/jvm.options" -
  env CHAT_DATABASE_URL="${db_url/postgres:train/coursebot_chat:train}" \
    INSIGHTS_DATABASE_URL="${db_url/postgres:train/coursebot_insights:train}" "${openai[@]}" JAVA="$java" \
    "$here/aot-train.sh" chat-service "$app" "$options" "$cache" "$@"
else
  env DATABASE_URL="$db_url" "${openai[@]}" JAVA="$java" "$here/aot-train.sh" ingest-service "$app" "$options" "$cache" "$@"
fi
