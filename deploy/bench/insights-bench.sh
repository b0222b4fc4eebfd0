#!/usr/bin/env bash
# The question log under load (issue 20): a slow or failing log write never delays or fails an answer. POST /api/chat
# with the log off, on, on a stalled log database and on a slow one; asserts that no answer failed, that every
# answer was either written to question_log or counted as dropped, and the RSS budget.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/insights-bench.sh [--chunks N] [--duration SECONDS] [--connections N] [--warmup SECONDS]
                                      [--queue-memory SIZE] [--chat-flags "FLAGS"] [--rounds N]
                                      [--scenarios "LIST"]

Builds a throw-away database of the local cluster (COURSEBOT_TEST_DATABASE_URL or
postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot), migrated by ingest-service at 1536 dimensions,
with --chunks rows (default 5000) of the sample course's sentences and random vectors (deploy/bench/seed-chunks.sh).
chat-service runs with its image flags (java @chat-service/src/main/docker/jvm.options -jar ...), the OpenAI
provider against the fake OpenAI server on 127.0.0.1 for question embeddings, extractive answers
(COURSEBOT_ANSWER_MODE=extractive) and the rate limits off. wrk sends POST /api/chat {"question", "k": 5,
"threshold": 0} rotating the first 100 questions of deploy/demo-course/questions.jsonl at --connections (default
16) for --warmup seconds (default 5, at most --duration), then --duration seconds (default 20) measured, in each
of five scenarios, each with a freshly started chat-service and question_log emptied (TRUNCATE, as the owner):
  off      INSIGHTS_ENABLED=false: nothing is logged (the baseline)
  on       INSIGHTS_DATABASE_URL (the INSERT-only role coursebot_insights): every answer queued and written
  stalled  as on, with COURSEBOT_INSIGHTS_WRITE_TIMEOUT=3s, while a session of the owner holds LOCK TABLE
           question_log IN ACCESS EXCLUSIVE MODE in an open transaction from 1 s into the warm-up until the
           measured run is over: every write waits until the database cancels it (statement_timeout) and the
           queue (coursebot.insights.queue-memory) overflows; the lock is then released
  delayed  as on (write timeout 10s), while a loop holds that lock 2 s out of every 3 s, from 1 s into the
           warm-up to the end of the run: writes wait up to ~2 s and succeed
  off-again  off once more, last: its ratio to off is the run-to-run noise the other ratios stand against
After each run (and the release of the lock), the service is given up to 40 s to settle (queue empty, every
answer written or dropped). One row per scenario: wrk's requests, failures (non-2xx + socket errors), requests/s,
p50 and p99 (ms); from /q/metrics: answers given (http_server_requests_seconds_count, POST /api/chat, 200,
warm-up included), coursebot_insights_written_total{kind="question"}, coursebot_insights_dropped_total by reason
(queue-full, write-failed), coursebot_insights_queued; the rows in question_log; chat-service VmHWM and its time
in GC. Then p50/p99/throughput of on, stalled, delayed and off-again against off.

  --queue-memory SIZE   COURSEBOT_INSIGHTS_QUEUE_MEMORY for on, stalled and delayed, e.g. 3M (default: the service's)
  --chat-flags "FLAGS"  extra JVM flags after chat-service's options file, in every scenario (e.g. -Xmx64m: is a
                        cost the heap's?)
  --scenarios "LIST"    the scenarios to run, in this order (default "off on stalled delayed off-again"); ratios
                        need off among them
  --rounds N            every scenario N times (default 1), the order rotated each round; the ratios are then of
                        the medians (on two cores, one 20 s run of a scenario varies by about 10%)

Exit status 1 when an invariant is broken: any failed request; chat-service gone or its VmHWM over 128 MB; for
on, stalled and delayed: queued != 0, written + dropped != answers given, or rows in question_log != written.
Needs wrk (deploy/local/tools.sh). Stops everything it started on exit, Ctrl-C included.
USAGE
}

chunks=5000 duration=20 connections=16 warmup=5 capacity='' chat_flags='' rounds=1 order=(off on stalled delayed off-again)
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --chunks) chunks=$2; shift ;;
    --duration) duration=$2; shift ;;
    --connections) connections=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --queue-memory) capacity=$2; shift ;;
    --chat-flags) chat_flags=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --scenarios) read -r -a order <<<"$2"; shift ;;
    *) echo "insights-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((chunks >= 100 && chunks <= 200000 && duration >= 1 && duration <= 300 && connections >= 1 && connections <= 64
  && warmup >= 1 && warmup <= 60 && rounds >= 1 && rounds <= 9)) \
  || { echo "insights-bench: --chunks 100..200000, --duration 1..300, --connections 1..64, --warmup 1..60, --rounds 1..9" >&2; exit 2; }
((warmup <= duration)) || warmup=$duration
[[ -z $capacity || $capacity =~ ^[1-9][0-9]*[KMG]?$ ]] \
  || { echo "insights-bench: --queue-memory is a size such as 512K or 3M" >&2; exit 2; }

bench_name=insights-bench
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$repo/deploy/local/tools.sh"
bench_build
start_fake 1536
create_db
openai_env=(OPENAI_API_KEY=sk-bench COURSEBOT_EMBEDDING_BASE_URL="$fake_url")

# Schema: ingest-service migrates the database (1536 dimensions for the openai provider), then stops.
start_service ingest-service "$(free_port)" "" DATABASE_URL="$db_url" "${openai_env[@]}"
stop_pid "$svc_pid"
seed_started=$SECONDS
"$repo/deploy/bench/seed-chunks.sh" "$db_url" "$chunks" 1536 3 4
say "seeded in $((SECONDS - seed_started)) s: $(psql "$db_url" -X -qtA -c "SELECT count(*) FROM course_chunk") rows"

make_wrk_script chat "$work/chat.lua" 100
# Extractive answers: with OPENAI_API_KEY set, mode auto would have the (fake) chat model write them.
chat_env=(CHAT_DATABASE_URL="$chat_db_url" "${openai_env[@]}" COURSEBOT_ANSWER_MODE=extractive
  COURSEBOT_RATE_LIMIT_ENABLED=false COURSEBOT_HTTP_MAX_REQUESTS_PER_CLIENT=100000) # all load from one address

metrics() { # -> "answered written_questions dropped_full dropped_failed queued" from chat-service's /q/metrics
  { curl -fsS "http://127.0.0.1:$port/q/metrics" 2>/dev/null || true; } | awk '
    /^http_server_requests_seconds_count\{/ && /uri="\/api\/chat"/ && /method="POST"/ && /status="200"/ { a += $NF }
    /^coursebot_insights_written_total\{/ && /kind="question"/ { w = $NF }
    /^coursebot_insights_dropped_total\{/ && /reason="queue-full"/ { f = $NF }
    /^coursebot_insights_dropped_total\{/ && /reason="write-failed"/ { x = $NF }
    /^coursebot_insights_queued[ {]/ { q = $NF }
    END { printf "%d %d %d %d %d\n", a, w, f, x, q }'
}
log_rows() { psql "$db_url" -X -qtA -c "SELECT count(*) FROM question_log"; }

# The stalled log database: a session of the owner holding the table's strongest lock; found again by its name.
lock_app=insights-bench-lock
lock_sql="LOCK TABLE question_log IN ACCESS EXCLUSIVE MODE"
hold_lock() { # SECONDS: one transaction holding the lock that long (or until cancelled)
  PGAPPNAME=$lock_app psql "$db_url" -X -q -c "BEGIN; $lock_sql; SELECT pg_sleep($1); COMMIT;" >/dev/null 2>&1 || true
}
lock_held() {
  [[ $(psql "$db_url" -X -qtA -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.application_name = '$lock_app' AND l.relation = 'question_log'::regclass
          AND l.mode = 'AccessExclusiveLock' AND l.granted") -ge 1 ]]
}
release_lock() { # cancelling pg_sleep aborts the transaction (a killed psql would leave the backend sleeping)
  psql "$db_url" -X -qtA -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity
    WHERE application_name = '$lock_app' AND datname = current_database()" >/dev/null
}

# settle: until the queue is empty and every answer given is written or dropped (a batch being written is in
# neither), 40 s at most; sets answered written dropped_full dropped_failed queued.
settle() {
  local deadline=$((SECONDS + 40))
  while :; do
    read -r answered written dropped_full dropped_failed queued < <(metrics)
    if [[ $1 == off* ]] || ((answered > 0 && queued == 0 && written + dropped_full + dropped_failed == answered)); then
      sleep 1 # and nothing more arrives
      read -r answered written dropped_full dropped_failed queued < <(metrics)
      return
    fi
    ((SECONDS < deadline)) || { say "$1: not settled after 40 s"; return; }
    sleep 0.5
  done
}

rows=() violations=()
declare -A p50_of p99_of rps_of
scenario() { # NAME
  local name=$1 env=("${chat_env[@]}")
  [[ $name == off* || -z $capacity ]] || env+=(COURSEBOT_INSIGHTS_QUEUE_MEMORY="$capacity")
  case $name in
    off|off-again) env+=(INSIGHTS_ENABLED=false) ;;
    on|delayed) env+=(INSIGHTS_DATABASE_URL="$insights_db_url") ;;
    stalled) env+=(INSIGHTS_DATABASE_URL="$insights_db_url" COURSEBOT_INSIGHTS_WRITE_TIMEOUT=3s) ;;
  esac
  psql "$db_url" -X -q -c "TRUNCATE question_log" >/dev/null
  port=$(free_port)
  start_service chat-service "$port" "$chat_flags" "${env[@]}"
  local chat_pid=$svc_pid
  for _ in $(seq 60); do curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
  local check
  check=$(curl -fsS -H 'Content-Type: application/json' -d '{"question":"What is the event loop?","k":5,"threshold":0}' \
    "http://127.0.0.1:$port/api/chat" | jq -r '"\(.mode), covered \(.covered), \(.citations | length) citations"')
  say "$name: chat-service ready (an answer: $check); ${warmup} s warm-up, then $duration s at $connections connections"

  local threads=$((connections < 2 ? connections : 2)) warm_pid holder_pid=
  rm -f "$work/stop-delay" "$work/lock-cycles"
  wrk -t"$threads" -c"$connections" -d"${warmup}s" --timeout 10s -s "$work/chat.lua" "http://127.0.0.1:$port" \
    >"$work/warm-$name.out" 2>&1 &
  warm_pid=$!
  sleep $((warmup > 1 ? 1 : 0)) # the log database is stalled (or slow) from 1 s into the warm-up on
  case $name in
    stalled)
      hold_lock 3600 &
      holder_pid=$!
      bench_pids+=("$holder_pid")
      for _ in $(seq 50); do lock_held && break; sleep 0.1; done
      lock_held || { say "stalled: the lock on question_log was not taken"; exit 1; }
      ;;
    delayed)
      (
        while [[ ! -e $work/stop-delay ]]; do
          hold_lock 2
          echo >>"$work/lock-cycles"
          sleep 1
        done
      ) &
      holder_pid=$!
      bench_pids+=("$holder_pid")
      ;;
  esac
  wait "$warm_pid" || { cat "$work/warm-$name.out" >&2; exit 1; }
  wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s --latency -s "$work/chat.lua" \
    "http://127.0.0.1:$port" >"$work/wrk-$name.out" 2>&1 || { cat "$work/wrk-$name.out" >&2; exit 1; }
  local note=
  case $name in
    stalled)
      local s0
      read -r _ _ _ s0 _ < <(metrics)
      release_lock
      wait "$holder_pid" 2>/dev/null || true
      note="lock released after the run; $s0 rows had failed by then"
      ;;
    delayed)
      touch "$work/stop-delay"
      wait "$holder_pid" 2>/dev/null || true
      note="lock held $(wc -l <"$work/lock-cycles") x 2 s"
      ;;
  esac
  settle "$name"
  local alive=yes hwm gc
  kill -0 "$chat_pid" 2>/dev/null || alive=NO
  hwm=$(vm_kb "$chat_pid" VmHWM 2>/dev/null || echo 0)
  gc=$(jstat -gcutil "$chat_pid" 2>/dev/null | awk 'NR == 2 {printf "%.2f", $NF}' || true) # GCT: since start
  local in_log
  in_log=$(log_rows)
  stop_pid "$chat_pid"

  local out=$work/wrk-$name.out requests rps p50 p99 non2xx socket failed
  requests=$(awk '/requests in/ {print $1}' "$out")
  rps=$(awk '/^Requests\/sec/ {print $2}' "$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  # failures of the warm-up count too (the stalled lock is taken during it)
  non2xx=$(awk '/Non-2xx/ {n += $NF} END {print n + 0}' "$out" "$work/warm-$name.out")
  socket=$(awk '/Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out" "$work/warm-$name.out")
  failed=$((non2xx + socket))
  p50_of[$name]+="$p50 " p99_of[$name]+="$p99 " rps_of[$name]+="$rps "
  rows+=("$(printf '%-9s %9s %7s %9s %8s %8s %9s %9s %8s %10s %12s %7s %9s %6s' "$name" "$requests" "$failed" "$rps" \
    "$p50" "$p99" "$answered" "$in_log" "$written" "$dropped_full" "$dropped_failed" "$queued" "$(mb "$hwm")" \
    "${gc:--}")")
  [[ -n $note ]] && rows+=("         ($note)")

  ((failed == 0)) || violations+=("$name: $failed request(s) failed (non-2xx $non2xx, socket errors $socket)")
  if [[ $alive != yes ]]; then # its metrics are gone with it
    violations+=("$name: chat-service is gone; its log ends: $(grep -v '^\s*$' "$work/chat-service-$port.log" | tail -n 1)")
    return
  fi
  ((hwm <= 128 * 1024)) || violations+=("$name: chat-service VmHWM $(mb "$hwm") MB > 128 MB")
  ((in_log == written)) || violations+=("$name: $in_log rows in question_log, $written counted as written")
  if [[ $name != off* ]]; then
    ((queued == 0)) || violations+=("$name: $queued still queued after settling")
    ((written + dropped_full + dropped_failed == answered)) \
      || violations+=("$name: written $written + dropped $dropped_full + $dropped_failed != $answered answers given")
    ((answered > 0)) || violations+=("$name: no answers counted (http_server_requests_seconds_count for /api/chat?)")
  fi
}

# Rounds rotate the order of the scenarios, so that none always runs first or last; ratios are of medians.
for ((round = 0; round < rounds; round++)); do
  for ((i = 0; i < ${#order[@]}; i++)); do scenario "${order[(i + round) % ${#order[@]}]}"; done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo
echo "insights-bench: $chunks chunks x 1536 dimensions, POST /api/chat k=5 (extractive answers), $connections connections,"
echo "$duration s per scenario after $warmup s of warm-up, each with a fresh chat-service${chat_flags:+ (plus JVM flags:" \
  "$chat_flags)}; queue memory ${capacity:-the default}; latencies in ms;"
echo "answered/written/dropped/queued from /q/metrics (warm-up included), after settling; rows = question_log's;"
echo "gc_s = chat-service's time in garbage collection since its start (jstat GCT)"
printf '%-9s %9s %7s %9s %8s %8s %9s %9s %8s %10s %12s %7s %9s %6s\n' scenario requests failed req/s p50 p99 \
  answered rows written drop_full drop_failed queued VmHWM_MB gc_s
printf '%s\n' "${rows[@]}"
echo
echo "against off (ratios$( ((rounds > 1)) && echo " of the medians of $rounds rounds"): 1.00 = no cost):"
printf '%-9s %8s %8s %8s\n' scenario p50 p99 req/s
for s in "${order[@]}"; do
  [[ $s == off || -z ${p50_of[off]:-} ]] && continue
  awk -v s="$s" -v a="$(median "${p50_of[$s]}")" -v b="$(median "${p50_of[off]}")" -v c="$(median "${p99_of[$s]}")" \
    -v d="$(median "${p99_of[off]}")" -v e="$(median "${rps_of[$s]}")" -v f="$(median "${rps_of[off]}")" '
    function r(x, y) { return y > 0 ? sprintf("%.2f", x / y) : "-" }
    BEGIN {printf "%-9s %8s %8s %8s\n", s, r(a, b), r(c, d), r(e, f)}'
done
echo
if ((${#violations[@]} == 0)); then
  echo "invariants: PASS (no failed request; every answer written or counted as dropped; rows = written; VmHWM <= 128 MB)"
else
  echo "invariants: FAIL"
  printf '  %s\n' "${violations[@]}"
  exit 1
fi
