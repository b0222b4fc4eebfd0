#!/usr/bin/env bash
# Runs the whole system locally: PostgreSQL, ingest-service, chat-service, and a first ingest.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/local/run.sh

Ensures PostgreSQL + pgvector (deploy/local/postgres.sh), builds what is missing, starts ingest-service (8081)
and chat-service (8080), ingests the bundled sample course (deploy/demo-course) and prints where to go.
Ctrl-C stops what it started, and only that.

Environment:
  OPENAI_API_KEY   use OpenAI (embeddings text-embedding-3-small, answers gpt-4o-mini) instead of the offline
                   default (local all-MiniLM-L6-v2 + extractive answers); uses its own database (1536 dimensions)
  SOURCE_URL       ingest this site (https://...) instead of the sample course
  ADMIN_TOKEN      the admin API token (default: generated and printed)
  CHAT_PORT, INGEST_PORT   ports (default 8080, 8081)
  REBUILD=1        rebuild even when the jars exist
Logs: .local/logs/ingest.log and .local/logs/chat.log
USAGE
}
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
chat_port=${CHAT_PORT:-8080}
ingest_port=${INGEST_PORT:-8081}
logs=$repo/.local/logs
mkdir -p "$logs"
say() { printf '%s\n' "run.sh: $*"; }

for port in "$chat_port" "$ingest_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    say "port $port is in use (another Coursebot running?). Stop it or set CHAT_PORT / INGEST_PORT."; exit 1
  fi
done

say "ensuring PostgreSQL + pgvector"
writer_url=$(deploy/local/postgres.sh | tail -n 1)

if [[ -n ${OPENAI_API_KEY:-} ]]; then
  # A 1536-dimension space cannot share a table with the local model's 384: use a database of its own.
  database=coursebot_openai dimension=1536
  psql "$writer_url" -X -q -tA -c "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
    || psql "$writer_url" -X -q -c "CREATE DATABASE $database"
  writer_url=${writer_url%/*}/$database
  say "OPENAI_API_KEY is set: OpenAI embeddings and answers, database $database"
else
  dimension=384
  say "offline default: local embedding model, extractive answers"
fi
chat_url=$(sed -E 's#//[^@]*@#//coursebot_chat:coursebot_chat@#' <<<"$writer_url")
insights_url=$(sed -E 's#//[^@]*@#//coursebot_insights:coursebot_insights@#' <<<"$writer_url")

jars=(ingest-service/target/quarkus-app/quarkus-run.jar chat-service/target/quarkus-app/quarkus-run.jar)
if [[ -n ${REBUILD:-} || ! -f ${jars[0]} || ! -f ${jars[1]} ]]; then
  say "building (the first build downloads dependencies: a few minutes)"
  mvn -B -ntp -Dstyle.color=never -DskipTests package | grep --line-buffered -E '^\[INFO\] (Building |BUILD)|ERROR' || true
  [[ -f ${jars[0]} && -f ${jars[1]} ]] || { say "the build failed; run 'mvn -DskipTests package' to see why"; exit 1; }
fi

admin_token=${ADMIN_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}
if [[ -n ${SOURCE_URL:-} ]]; then
  source_name=site
  source_env=(COURSEBOT_SOURCES_SITE_BASE_URL="$SOURCE_URL")
else
  source_name=demo
  source_env=(COURSEBOT_SOURCES_DEMO_DIRECTORY="$repo/deploy/demo-course"
              COURSEBOT_SOURCES_DEMO_BASE_URL="http://localhost:$chat_port/course/"
              "COURSEBOT_SOURCES_DEMO_PART_PATTERN=/part(?<part>\\d+)/(?<module>[a-z])/")
fi
# The local model needs more than a 64 MB heap; these are the container flags with room for it.
jvm=(-Xmx256m -XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError)

pids=()
cleanup() {
  trap - INT TERM EXIT
  ((${#pids[@]})) && { say "stopping"; kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; }
}
trap cleanup INT TERM EXIT

env DATABASE_URL="$writer_url" EMBEDDING_DIMENSION="$dimension" ADMIN_TOKEN="$admin_token" PORT="$ingest_port" \
    CHAT_SERVICE_URL="http://127.0.0.1:$chat_port" "${source_env[@]}" java "${jvm[@]}" -jar "${jars[0]}" >"$logs/ingest.log" 2>&1 &
pids+=($!)
env CHAT_DATABASE_URL="$chat_url" INSIGHTS_DATABASE_URL="$insights_url" PORT="$chat_port" COURSEBOT_CHAT_DEMO_COURSE_DIRECTORY="$repo/deploy/demo-course" \
    ADMIN_TOKEN="$admin_token" \
    java "${jvm[@]}" -jar "${jars[1]}" >"$logs/chat.log" 2>&1 &
pids+=($!)

wait_ready() { # name port
  local i
  for ((i = 0; i < 120; i++)); do
    curl -fsS "http://127.0.0.1:$2/q/health/live" >/dev/null 2>&1 && return 0
    kill -0 "${pids[@]}" 2>/dev/null || { say "$1 exited; see $logs/$1.log"; tail -n 20 "$logs/$1.log"; exit 1; }
    sleep 1
  done
  say "$1 did not start in 120 s; see $logs/$1.log"; exit 1
}
say "starting ingest-service (log: $logs/ingest.log)"; wait_ready ingest "$ingest_port"
say "starting chat-service (log: $logs/chat.log)"; wait_ready chat "$chat_port"

admin="http://127.0.0.1:$ingest_port/admin/ingest"
say "ingesting source '$source_name'"
run_id=$(curl -fsS -X POST -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
  -d "{\"source\":\"$source_name\"}" "$admin" | sed -E 's/.*"runId":([0-9]+).*/\1/')
while :; do
  run=$(curl -fsS -H "Authorization: Bearer $admin_token" "$admin/runs/$run_id")
  status=$(sed -E 's/.*"status":"([a-z]+)".*/\1/' <<<"$run")
  seen=$(sed -E 's/.*"pagesSeen":([0-9]+).*/\1/' <<<"$run")
  embedded=$(sed -E 's/.*"chunksEmbedded":([0-9]+).*/\1/' <<<"$run")
  say "  run $run_id: $status, $seen pages, $embedded chunks embedded"
  [[ $status == running ]] || break
  sleep 2
done
for ((i = 0; i < 60; i++)); do
  curl -fsS "http://127.0.0.1:$chat_port/q/health/ready" >/dev/null 2>&1 && break
  sleep 1
done

cat <<DONE

  Coursebot is running.
  Chat page:   http://localhost:$chat_port/
  Ask by API:  curl -s -H 'Content-Type: application/json' -d '{"question":"How do I read JSON in an Express route?"}' http://localhost:$chat_port/api/chat
  Admin API:   curl -s -H 'Authorization: Bearer $admin_token' http://localhost:$ingest_port/admin/ingest/runs
  Logs:        $logs/ingest.log  $logs/chat.log
  Ctrl-C stops both services (PostgreSQL keeps running: deploy/local/postgres.sh stop).

DONE
wait "${pids[@]}"
