# Shared by deploy/bench/*-bench.sh and deploy/local/memory.sh (sourced, not run): building what is missing,
# the fake OpenAI server, throw-away databases, services started with the container JVM flags, RSS sampling,
# and cleaning all of it up. Loopback only. The caller has `set -euo pipefail` and sets $bench_name.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
admin_db_url=${COURSEBOT_TEST_DATABASE_URL:-postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot}
work=$(mktemp -d "/tmp/${bench_name:-bench}.XXXXXX")
bench_pids=()
bench_dbs=()

say() { printf '%s\n' "${bench_name:-bench}: $*" >&2; }

bench_cleanup() {
  trap - INT TERM EXIT
  local pid
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  local db
  for db in "${bench_dbs[@]}"; do
    psql "$admin_db_url" -X -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  [[ -n ${KEEP_WORK:-} ]] || rm -rf "$work"
}
trap bench_cleanup INT TERM EXIT

# Packages both services and test-support (for the fake server and the site generator) when missing, in one
# reactor build (a fresh clone needs nothing installed beforehand); REBUILD=1 forces it.
bench_build() {
  local cpfile=$repo/test-support/target/bench.classpath
  if [[ -n ${REBUILD:-} || ! -f $repo/ingest-service/target/quarkus-app/quarkus-run.jar \
        || ! -f $repo/chat-service/target/quarkus-app/quarkus-run.jar || ! -f $cpfile ]]; then
    say "building (mvn package, tests skipped; under /tmp/coursebot-mvn.lock)"
    "$repo/deploy/bench/build.sh" "both services and test-support" -q -pl ingest-service,chat-service,test-support -am \
      package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench.classpath || exit 1
  fi
  test_cp=$repo/test-support/target/classes:$(cat "$cpfile")
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_fake DIMENSION: the standalone fake OpenAI server on a free loopback port; sets $fake_url (ends in /v1).
start_fake() {
  java -Xmx64m -XX:+UseSerialGC -cp "$test_cp" org.coursebot.testing.FakeOpenAiServer 0 "$1" >"$work/fake.out" 2>"$work/fake.err" &
  bench_pids+=($!)
  local i
  for ((i = 0; i < 100; i++)); do [[ -s $work/fake.out ]] && break; sleep 0.2; done
  fake_url=$(head -n 1 "$work/fake.out")
  [[ $fake_url == http://127.0.0.1:* ]] || { say "fake OpenAI server did not start"; cat "$work/fake.err" >&2; exit 1; }
}

# create_db: a throw-away database, dropped on exit; sets $db_url (writer), $chat_db_url (read-only role) and
# $insights_db_url (the question log's INSERT-only role).
create_db() {
  local db=cb_bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  psql "$admin_db_url" -X -q -c "CREATE DATABASE $db" >/dev/null
  bench_dbs+=("$db")
  db_url=${admin_db_url%/*}/$db
  chat_db_url=$(sed -E 's#//[^@]*@#//coursebot_chat:coursebot_chat@#' <<<"$db_url")
  insights_db_url=$(sed -E 's#//[^@]*@#//coursebot_insights:coursebot_insights@#' <<<"$db_url")
}

# start_service SERVICE PORT "EXTRA JVM FLAGS" ENV...: java @<svc>/src/main/docker/jvm.options [extra] -jar, with the images' MALLOC_ARENA_MAX,
# with only the given environment for Coursebot (DATABASE_URL/OPENAI_API_KEY of the caller are dropped).
# Sets $svc_pid; waits until /q/health/live answers (120 s at most).
start_service() {
  local service=$1 port=$2 extra=$3
  shift 3
  local log=$work/$service-$port.log
  # As chat-service's image: without an OpenAI key the local model needs its own heap (jvm-local-model.options).
  local local_model=""
  if [[ $service == chat-service && " $* " != *" OPENAI_API_KEY="* ]]; then
    local_model=@$repo/chat-service/src/main/docker/jvm-local-model.options
  fi
  # shellcheck disable=SC2086 # extra flags are words
  # MALLOC_ARENA_MAX=1 as the images' ENV sets it (DockerfileTests checks the two agree).
  env -u DATABASE_URL -u OPENAI_API_KEY -u CHAT_DATABASE_URL MALLOC_ARENA_MAX=1 PORT="$port" "$@" \
    java "@$repo/$service/src/main/docker/jvm.options" $local_model $extra -jar "$repo/$service/target/quarkus-app/quarkus-run.jar" \
    >"$log" 2>&1 &
  svc_pid=$!
  bench_pids+=("$svc_pid")
  local i
  for ((i = 0; i < 240; i++)); do
    curl -fsS "http://127.0.0.1:$port/q/health/live" >/dev/null 2>&1 && return 0
    kill -0 "$svc_pid" 2>/dev/null || { say "$service exited; its log:"; tail -n 30 "$log" >&2; exit 1; }
    sleep 0.5
  done
  say "$service not live after 120 s"; tail -n 30 "$log" >&2; exit 1
}

# admin ARGS...: curl with the caller's $token as the admin bearer token, JSON body
admin() { curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }

# await_run BASE RUN_ID: prints the ingest run (JSON) once it is no longer running; 900 s at most
await_run() {
  local deadline=$((SECONDS + 900)) run
  while :; do
    run=$(admin "$1/admin/ingest/runs/$2")
    [[ $(jq -r .status <<<"$run") != running ]] && { echo "$run"; return; }
    ((SECONDS < deadline)) || { say "run $2 still running after 900 s"; exit 1; }
    sleep 0.25
  done
}

stop_pid() { # PID: stops one process this script started
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# start_sampler PID FILE: appends "epoch VmRSS-kB VmHWM-kB" once a second while PID lives; sets $sampler_pid.
start_sampler() {
  local pid=$1 file=$2
  (
    while [[ -r /proc/$pid/status ]]; do
      awk -v t="$(date +%s)" '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} END {if (r) print t, r, h}' "/proc/$pid/status" 2>/dev/null || true
      sleep 1
    done
  ) >>"$file" &
  sampler_pid=$!
  bench_pids+=("$sampler_pid")
}

vm_kb() { # PID FIELD (VmRSS|VmHWM) -> kB
  awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"
}

max_rss_kb() { # FILE of samples -> the largest VmRSS sampled
  awk 'BEGIN {m = 0} $2 > m {m = $2} END {print m}' "$1"
}

mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

to_ms() { # wrk duration (123.45us, 1.2ms, 1.5s) -> ms
  awk -v d="$1" 'BEGIN { v = d + 0; if (d ~ /us$/) v /= 1000; else if (d ~ /ms$/) v = v; else if (d ~ /m$/) v *= 60000; else if (d ~ /s$/) v *= 1000; printf "%.2f", v }'
}

# make_wrk_script MODE FILE [N]: a wrk Lua script rotating the sample course's questions
# (deploy/demo-course/questions.jsonl; the first N when given); MODE search = GET /api/search only, chat = POST
# /api/chat only, mixed = in turn GET /api/search, POST /api/chat and POST /v1/chat/completions (the OpenAI-compatible
# API). threshold=0: the fake server's vectors are random, so any real
# threshold would turn every question into "not covered" and skip the answer path being measured.
make_wrk_script() {
  local mode=$1 file=$2 first=${3:-100000}
  {
    echo "local mode = '$mode'"
    echo 'local questions = {'
    jq -r -n --argjson first "$first" '[inputs][:$first][] | "  { enc = [==[" + (.question | @uri) + "]==], json = [==["
           + ({question: .question, k: 5, threshold: 0} | tojson) + "]==], v1 = [==["
           + ({model: "coursebot", messages: [{role: "user", content: .question}]} | tojson) + "]==] },"' \
      "$repo/deploy/demo-course/questions.jsonl"
    cat <<'LUA'
}
local n = 0
local headers = { ["Content-Type"] = "application/json" }
function setup(thread)
  thread:set("offset", math.random(#questions))
end
function request()
  n = n + 1
  local q = questions[((n + offset) % #questions) + 1]
  if mode == "chat" then
    return wrk.format("POST", "/api/chat", headers, q.json)
  end
  if mode == "mixed" and n % 3 == 1 then
    return wrk.format("POST", "/api/chat", headers, q.json)
  end
  if mode == "mixed" and n % 3 == 2 then
    return wrk.format("POST", "/v1/chat/completions", headers, q.v1)
  end
  return wrk.format("GET", "/api/search?k=5&threshold=0&q=" .. q.enc)
end
LUA
  } >"$file"
}
