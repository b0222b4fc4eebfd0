#!/usr/bin/env bash
# The training run of a service's AOT cache (Java 25, JEP 483/514/515): the service started as its image starts it,
# plus -XX:AOTCacheOutput, does a realistic piece of work, then stops; the JVM writes the cache as it exits.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/docker/aot-train.sh SERVICE APP_DIR OPTIONS_FILE CACHE_FILE|- [EXTRA JVM FLAGS...]

Starts SERVICE (ingest-service or chat-service) from APP_DIR (a quarkus-app folder packaged as aot-jar:
-Dquarkus.package.jar.type=aot-jar) with `java @OPTIONS_FILE [EXTRA] -XX:AOTCacheOutput=CACHE_FILE -jar
APP_DIR/quarkus-run.jar`, MALLOC_ARENA_MAX=1, on a free loopback port, then trains it:
  ingest-service  ingests TRAIN_SITE (default: the sample course, deploy/demo-course, pages and slides) as source
                  "train", reads the runs, the spaces and the exercises list, previews a
                  run (dry run) and ingests again (every page unchanged), then stops
  chat-service    asks TRAIN_QUESTIONS (default: the sample course's questions.jsonl, the first 60) through
                  GET /api/search, POST /api/chat (JSON and SSE, with and without history), POST /v1/chat/completions,
                  a few bad requests (400 problems), the chat page and the health and metrics endpoints, then stops
Then the JVM assembles CACHE_FILE (a forked JVM, a few seconds). CACHE_FILE "-": the same work, no cache (the
ingest that fills chat-service's training database). The extra JVM flags must be the ones production
runs with (the garbage collector and -XX:+UseCompactObjectHeaders must match, or the JVM ignores the cache).
The service's own environment comes from the caller: DATABASE_URL (ingest-service) or CHAT_DATABASE_URL
(chat-service, over a database that already holds a course), OPENAI_API_KEY and the like. JAVA (default: java on
PATH) must be 25 or later. Prints "aot-train.sh: SERVICE: CACHE_FILE, N MB, trained in S s"; exits non-zero,
with the service's log, on any failure.
USAGE
}
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }
[[ $# -ge 4 ]] || { usage >&2; exit 2; }

say() { echo "aot-train.sh: $*" >&2; }
die() { say "$*"; exit 1; }

service=$1 app=$2 options=$3 cache=$4
shift 4
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
java=${JAVA:-java}
site=${TRAIN_SITE:-$repo/deploy/demo-course}
questions=${TRAIN_QUESTIONS:-$repo/deploy/demo-course/questions.jsonl}
[[ $service == ingest-service || $service == chat-service ]] || die "SERVICE is ingest-service or chat-service, not '$service'"
[[ -f $app/quarkus-run.jar ]] || die "no $app/quarkus-run.jar"
[[ -f $options ]] || die "no options file $options"
if [[ $cache != - ]]; then
  aot=$("$java" -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "AOTCacheOutput" {print "yes"}')
  [[ $aot == yes ]] || die "$java has no -XX:AOTCacheOutput (Java 25 or later is needed): $("$java" -version 2>&1 | head -n 1)"
  rm -f "$cache"
  set -- "$@" "-XX:AOTCacheOutput=$cache"
fi
for tool in curl jq python3; do command -v "$tool" >/dev/null || die "needs $tool"; done

log=$(mktemp /tmp/aot-train.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=train-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
pid=""
# shellcheck disable=SC2317  # called by the trap
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -f "$log"; }
trap cleanup EXIT
started=$SECONDS

env MALLOC_ARENA_MAX=1 PORT="$port" ADMIN_TOKEN="$token" \
  COURSEBOT_SOURCES_TRAIN_DIRECTORY="$site" COURSEBOT_SOURCES_TRAIN_BASE_URL=https://course.example.org/ \
  COURSEBOT_RATE_LIMIT_ENABLED=false \
  "$java" "@$options" "$@" -jar "$app/quarkus-run.jar" >"$log" 2>&1 &
pid=$!
base=http://127.0.0.1:$port
fail() { tail -n 40 "$log" >&2; die "$service: $*"; }
for _ in $(seq 240); do
  curl -fsS "$base/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || fail "exited during start-up"
  sleep 0.5
done
curl -fsS "$base/q/health/ready" >/dev/null 2>&1 || fail "not ready after 120 s"

admin() { curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
# ingest DRY_RUN: one run of the course, waited for (5 min at most); prints how it ended
ingest() {
  local run_id status=running
  run_id=$(admin -X POST -d "{\"source\":\"train\",\"dryRun\":$1}" "$base/admin/ingest" | jq -r .runId) \
    || fail "POST /admin/ingest failed"
  for _ in $(seq 600); do
    status=$(admin "$base/admin/ingest/runs/$run_id" | jq -r .status)
    [[ $status != running ]] && break
    sleep 0.5
  done
  echo "$status"
}
if [[ $service == ingest-service ]]; then
  status=$(ingest false)
  [[ $status == succeeded ]] || fail "the training ingest ended '$status'"
  admin "$base/admin/ingest/runs?limit=5" >/dev/null
  admin "$base/admin/spaces" >/dev/null
  admin "$base/admin/sources/train/exercises" >/dev/null
  # a dry run (the cost preview), then a re-ingest that finds every page unchanged
  [[ $(ingest true) == succeeded && $(ingest false) == succeeded ]] || fail "a training dry run or re-ingest failed"
  curl -sS -o /dev/null "$base/admin/spaces" # refused: no token (401 problem)
else
  n=0
  while IFS= read -r question; do
    enc=$(jq -rn --arg q "$question" '$q | @uri')
    curl -fsS -o /dev/null "$base/api/search?k=5&q=$enc" || fail "GET /api/search failed"
    curl -fsS -o /dev/null -H 'Content-Type: application/json' \
      -d "$(jq -cn --arg q "$question" '{question: $q}')" "$base/api/chat" || fail "POST /api/chat failed"
    if ((n % 4 == 0)); then
      curl -fsS -o /dev/null -H 'Content-Type: application/json' -H 'Accept: text/event-stream' \
        -d "$(jq -cn --arg q "$question" '{question: $q}')" "$base/api/chat" || fail "SSE /api/chat failed"
      curl -fsS -o /dev/null -H 'Content-Type: application/json' \
        -d "$(jq -cn --arg q "$question" '{question: "and what about the example?",
              history: [{role: "user", content: $q}, {role: "assistant", content: "See the section."}]}')" \
        "$base/api/chat" || fail "a follow-up failed"
      curl -fsS -o /dev/null -H 'Content-Type: application/json' \
        -d "$(jq -cn --arg q "$question" '{model: "coursebot", messages: [{role: "user", content: $q}]}')" \
        "$base/v1/chat/completions" || fail "POST /v1/chat/completions failed"
    fi
    n=$((n + 1))
  done < <(jq -r .question "$questions" | head -n 60)
  ((n > 0)) || fail "no questions in $questions"
  curl -sS -o /dev/null -H 'Content-Type: application/json' -d '{"question": ""}' "$base/api/chat" # 400 problem
  curl -sS -o /dev/null "$base/api/search?k=99&q=x"                                                 # 400 problem
  curl -sS -o /dev/null "$base/"
  curl -sS -o /dev/null "$base/q/metrics"
fi
curl -fsS -o /dev/null "$base/q/health"

# SIGTERM: Quarkus shuts down, the JVM exits normally and writes the cache (the assembly runs in a forked JVM).
kill -TERM "$pid"
wait "$pid" || true
pid=""
[[ $cache == - ]] && { say "$service: the workload ran (no cache asked for) in $((SECONDS - started)) s"; exit 0; }
[[ -s $cache ]] || { tail -n 40 "$log" >&2; die "$service: no cache written to $cache"; }
grep -q 'AOTCache creation is complete' "$log" || say "$service: the JVM did not report the cache complete (see above)"
say "$service: $cache, $(du -m "$cache" | cut -f1) MB, trained in $((SECONDS - started)) s"
