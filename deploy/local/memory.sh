#!/usr/bin/env bash
# Memory of both services under load, started with the images' JVM flags (issue 8): peak RSS vs budget.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/local/memory.sh [--pages N] [--duration SECONDS] [--connections N] [--spaces 1|2] [--chat-flags "FLAGS"] [--nmt]

Starts each service exactly as its image does (java @<svc>/src/main/docker/jvm.options -jar quarkus-run.jar,
MALLOC_ARENA_MAX=1 as the image ENV),
with the OpenAI provider against the fake OpenAI server (test-support) on 127.0.0.1, over a throw-away database
of the local cluster (COURSEBOT_TEST_DATABASE_URL or postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot):
  ingest-service  ingests a generated course site of --pages pages (default 500), then stops
  chat-service    over that database: --duration seconds (default 120) of wrk load at --connections
                  (default 16), in turn GET /api/search, POST /api/chat (llm answers from the fake server) and
                  POST /v1/chat/completions, over the sample course's question set, rate limit off, the question log on
With --spaces 2 (the default: the memory of a model change in progress) ingest-service first creates a second
embedding space (text-embedding-3-small at 512 dimensions), so the ingest embeds every chunk into both, then builds
it; chat-service searches space 1 for the first half of the load and space 2 (activated in the database) for the
second, so it holds both spaces' question embedders.
VmRSS is sampled every second; prints a table of peak RSS and final VmHWM per service against the budgets
(chat-service <= 128 MB, ingest-service <= 256 MB) and whether the process survived, and how many classes
chat-service had loaded after start-up and after the load (RSS follows the classes: ~10 KB each).

  --chat-flags "FLAGS"  extra JVM flags after chat-service's options file (to try a change before making it)
  --nmt                 chat-service with -XX:NativeMemoryTracking=summary; prints jcmd VM.native_memory
                        summary after the load
Needs wrk (deploy/local/tools.sh installs it). Builds what is missing under the shared Maven lock.
Stops everything it started on exit, Ctrl-C included.
USAGE
}

pages=500 duration=120 connections=16 spaces=2 chat_flags="" nmt=""
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --pages) pages=$2; shift ;;
    --duration) duration=$2; shift ;;
    --connections) connections=$2; shift ;;
    --spaces) spaces=$2; shift ;;
    --chat-flags) chat_flags=$2; shift ;;
    --nmt) nmt=1 ;;
    *) echo "memory.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((pages >= 1 && pages <= 5000 && duration >= 1 && duration <= 1800 && connections >= 1 && connections <= 256)) \
  && [[ $spaces == 1 || $spaces == 2 ]] \
  || { echo "memory.sh: --pages 1..5000, --duration 1..1800, --connections 1..256, --spaces 1 or 2" >&2; exit 2; }

bench_name=memory.sh
# shellcheck source=../bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../bench/lib.sh"
"$repo/deploy/local/tools.sh"
bench_build
token=mem-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
java -cp "$test_cp" org.coursebot.testing.SiteGenerator "$work/site" "$pages" 1 >/dev/null
start_fake 1536
create_db
openai_env=(OPENAI_API_KEY=sk-bench COURSEBOT_EMBEDDING_BASE_URL="$fake_url")

# --- ingest-service: one ingest of the generated site
port=$(free_port)
start_service ingest-service "$port" "" DATABASE_URL="$db_url" ADMIN_TOKEN="$token" "${openai_env[@]}" \
  COURSEBOT_SOURCES_SITE_DIRECTORY="$work/site" COURSEBOT_SOURCES_SITE_BASE_URL=https://course.example.org/
ingest_pid=$svc_pid
start_sampler "$ingest_pid" "$work/rss-ingest"
if ((spaces == 2)); then
  admin -X POST -d '{"model":"text-embedding-3-small","dimensions":512}' "http://127.0.0.1:$port/admin/spaces" >/dev/null
fi
say "ingest-service: ingesting $pages pages into $spaces space(s)"
run=$(await_run "http://127.0.0.1:$port" "$(admin -X POST -d '{"source":"site","dryRun":false}' "http://127.0.0.1:$port/admin/ingest" | jq -r .runId)")
ingest_status=$(jq -r .status <<<"$run")
ingest_note="$(jq -r .counts.pagesSeen <<<"$run") pages, $(jq -r .counts.chunksEmbedded <<<"$run") vectors into $spaces space(s), run $ingest_status"
if ((spaces == 2)); then
  build=$(await_run "http://127.0.0.1:$port" "$(admin -X POST -d '{}' "http://127.0.0.1:$port/admin/spaces/2/build" | jq -r .runId)")
  [[ $(jq -r .status <<<"$build") == succeeded ]] || { say "build of space 2: $build"; exit 1; }
  ingest_note="$ingest_note; space 2 $(admin "http://127.0.0.1:$port/admin/spaces/2" | jq -r .status)"
fi
sleep 2 # a sample or two after the run
ingest_alive=yes
kill -0 "$ingest_pid" 2>/dev/null || ingest_alive=NO
ingest_hwm=$(vm_kb "$ingest_pid" VmHWM 2>/dev/null || echo 0)
ingest_peak=$(max_rss_kb "$work/rss-ingest")
stop_pid "$ingest_pid"

# --- chat-service: mixed search/chat load
extra=$chat_flags
[[ -n $nmt ]] && extra="$extra -XX:NativeMemoryTracking=summary"
port=$(free_port)
start_service chat-service "$port" "$extra" CHAT_DATABASE_URL="$chat_db_url" INSIGHTS_DATABASE_URL="$insights_db_url" \
  "${openai_env[@]}" \
  COURSEBOT_RATE_LIMIT_ENABLED=false COURSEBOT_HTTP_MAX_REQUESTS_PER_CLIENT=100000  # all load comes from one address
chat_pid=$svc_pid
start_sampler "$chat_pid" "$work/rss-chat"
for _ in $(seq 60); do curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
chat_start_rss=$(vm_kb "$chat_pid" VmRSS)
loaded_classes() { jstat -class "$1" 2>/dev/null | awk 'NR == 2 {print $1}'; } # RSS follows the classes loaded
chat_start_classes=$(loaded_classes "$chat_pid")
make_wrk_script mixed "$work/load.lua"
say "chat-service: $duration s of mixed search/chat load at $connections connections"
if ((spaces == 2)); then # half-way, space 2 becomes the active one (what /admin/spaces/2/activate does)
  (sleep $((duration / 2)); psql "$db_url" -X -q -c "SELECT coursebot_activate_space(2)" >/dev/null) &
fi
wrk -t2 -c"$connections" -d"${duration}s" --timeout 30s --latency -s "$work/load.lua" "http://127.0.0.1:$port" \
  >"$work/wrk.out" 2>&1 || { cat "$work/wrk.out" >&2; exit 1; }
sleep 2
chat_alive=yes
kill -0 "$chat_pid" 2>/dev/null || chat_alive=NO
chat_hwm=$(vm_kb "$chat_pid" VmHWM 2>/dev/null || echo 0)
chat_peak=$(max_rss_kb "$work/rss-chat")
chat_end_classes=$(loaded_classes "$chat_pid")
[[ -n $nmt && $chat_alive == yes ]] && jcmd "$chat_pid" VM.native_memory summary >"$work/nmt.txt" 2>&1 || true
requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
searched=$(cat "$work"/chat-service-*.log 2>/dev/null | grep -c 'now searching space 2' || true)
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.out")
# The question log is on (INSIGHTS_DATABASE_URL): what it wrote and dropped, and the rows it left.
log_metrics=$(curl -fsS "http://127.0.0.1:$port/q/metrics" 2>/dev/null | awk '
  /^coursebot_insights_written_total\{.*kind="question"/ { w = $NF }
  /^coursebot_insights_dropped_total\{/ { d += $NF }
  END { printf "%d written, %d dropped", w, d }')
log_rows=$(psql "$db_url" -X -qtA -c "SELECT count(*) FROM question_log" 2>/dev/null || echo "?")
stop_pid "$chat_pid"

verdict() { # HWM_KB PEAK_KB BUDGET_MB ALIVE: the larger of the final VmHWM and the sampled peak counts
  local kb=$(($1 > $2 ? $1 : $2))
  [[ $4 == yes && $kb -gt 0 && $kb -le $(($3 * 1024)) ]] && echo PASS || echo FAIL
}
echo
echo "memory.sh: peak RSS per service, JVM flags from <svc>/src/main/docker/jvm.options${chat_flags:+ (chat-service plus: $chat_flags)}"
printf '%-15s %14s %13s %10s %6s %7s  %s\n' service peak_VmRSS_MB VmHWM_MB budget_MB alive verdict load
printf '%-15s %14s %13s %10s %6s %7s  %s\n' ingest-service "$(mb "$ingest_peak")" "$(mb "$ingest_hwm")" 256 \
  "$ingest_alive" "$(verdict "$ingest_hwm" "$ingest_peak" 256 "$ingest_alive")" "ingest of $ingest_note"
printf '%-15s %14s %13s %10s %6s %7s  %s\n' chat-service "$(mb "$chat_peak")" "$(mb "$chat_hwm")" 128 \
  "$chat_alive" "$(verdict "$chat_hwm" "$chat_peak" 128 "$chat_alive")" \
  "${duration}s at $connections conns: $requests requests, ${non2xx:-0} non-2xx (RSS after start-up $(mb "$chat_start_rss") MB)"
echo "chat-service classes loaded: ${chat_start_classes:-?} after start-up, ${chat_end_classes:-?} after the load"
echo "chat-service question log: ${log_metrics:-?} questions; $log_rows rows in question_log"
if ((spaces == 2)); then
  echo "chat-service logged 'now searching space 2' $searched time(s) during the load (1 expected)"
fi
echo
echo "wrk (mixed GET /api/search + POST /api/chat + POST /v1/chat/completions):"
sed -n '/Latency Distribution/,/Transfer/p' "$work/wrk.out"
if [[ -n $nmt ]]; then
  echo
  echo "chat-service native memory (jcmd VM.native_memory summary, after the load):"
  grep -E '^(Total|-)' "$work/nmt.txt" || cat "$work/nmt.txt"
fi
