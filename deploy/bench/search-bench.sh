#!/usr/bin/env bash
# Search load benchmark (issues 6, 16): GET /api/search on a 20,000-chunk database next to pgbench running the
# statement the service sends, recorded from the service itself (the floor the service stands on). Prints numbers;
# asserts nothing but the RSS budget.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/search-bench.sh [--chunks N] [--duration SECONDS] [--connections "1 4 16"] [--profile]
                                    [--stats-wait SECONDS]

Builds a throw-away database of the local cluster (COURSEBOT_TEST_DATABASE_URL or
postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot), migrated by ingest-service at 1536 dimensions,
with --chunks rows (default 20000) inserted by SQL: text made of the sample course's sentences, random
vectors; the migration's HNSW index is rebuilt after the bulk insert (same definition), then ANALYZE and the
course vocabulary refreshed. chat-service runs with its image flags (java @chat-service/src/main/docker/jvm.options
-jar ...) and the OpenAI provider against the fake OpenAI server on 127.0.0.1 (question embeddings cost no model
time, and the question cache holds them after the warm-up: 5 s of wrk, or --duration if shorter).

The statement: chat-service is first started with SearchRepository's DEBUG log on and asked each of the first
100 questions of deploy/demo-course/questions.jsonl once; each search logs the statement it sends and its
parameters, and becomes one pgbench script (deploy/bench/pgbench-scripts.py: the parameters bound by a \gset of
literals, then the statement: one trivial round trip more per transaction, in the service's favour). The
statement is printed. chat-service is then restarted without that log, and for each connection count (default
1, 4 and 16), --duration seconds each (default 20), on the same database:
  service   wrk: GET /api/search?q=<question>&k=5&threshold=0, rotating the same 100 questions: requests/s,
            p50, p99
  pgbench   the recorded statements, -M prepared (prepared, as the service's client sends them), in sessions
            with the service's connection settings (PGOPTIONS, as logged): TPS, mean, p99
and the ratios service/pgbench (throughput; p99). Then which plan each side's searches got, as the database saw
them: scans per search of the HNSW index, the full-text index, the two tables' keys, and sequential scans of each
table (pg_stat_user_*, read --stats-wait seconds, default 11, after each run so that idle backends have
reported: PostgreSQL's PGSTAT_IDLE_INTERVAL is 10 s), so that the two sides running different plans cannot hide.
chat-service VmRSS is sampled every second; prints its peak and VmHWM (budget 128 MB).

--stats-wait SECONDS  below 11 the service side's scan counts may miss searches: for a smoke run only, whose
           numbers are not read (deploy/bench/smoke.sh passes 0).
--profile  also records a JFR profile of chat-service (target/bench/search-bench.jfr) and prints where a
           search's time goes: the coursebot.search.phase timers (embedding, statement) against wrk's mean
           latency, and the methods most often on CPU. Profiling costs throughput: compare runs without it.

Needs wrk (deploy/local/tools.sh). Stops everything it started on exit, Ctrl-C included.
USAGE
}

chunks=20000 duration=20 conn_list="1 4 16" profile= stats_wait=11
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --chunks) chunks=$2; shift ;;
    --duration) duration=$2; shift ;;
    --connections) conn_list=$2; shift ;;
    --profile) profile=1 ;;
    --stats-wait) stats_wait=$2; shift ;;
    *) echo "search-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((chunks >= 100 && chunks <= 200000 && duration >= 1 && duration <= 300 && stats_wait >= 0 && stats_wait <= 60)) \
  || { echo "search-bench: --chunks 100..200000, --duration 1..300, --stats-wait 0..60" >&2; exit 2; }
for c in $conn_list; do ((c >= 1 && c <= 64)) || { echo "search-bench: connections 1..64" >&2; exit 2; }; done

bench_name=search-bench
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

# Realistic text: the sample course's sentences, 3..6 per chunk.
seed_started=$SECONDS
"$repo/deploy/bench/seed-chunks.sh" "$db_url" "$chunks" 1536 3 4
say "seeded in $((SECONDS - seed_started)) s: $(psql "$db_url" -X -qtA -c "SELECT count(*) FROM course_chunk") rows"

# The first 100 questions (pgbench takes at most 128 scripts): the same set in every run and on both sides.
jq -r -n '[inputs.question][:100][]' "$repo/deploy/demo-course/questions.jsonl" >"$work/questions.txt"
chat_env=(CHAT_DATABASE_URL="$chat_db_url" "${openai_env[@]}" COURSEBOT_RATE_LIMIT_ENABLED=false
  COURSEBOT_HTTP_MAX_REQUESTS_PER_CLIENT=100000) # every connection comes from one address

# Record what the service sends: one search per question with SearchRepository's DEBUG log on.
port=$(free_port)
start_service chat-service "$port" "" "${chat_env[@]}" \
  QUARKUS_LOG_CATEGORY__ORG_COURSEBOT_CHAT_SEARCH__LEVEL=DEBUG # (the package: env names lose case)
for _ in $(seq 60); do curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
while IFS= read -r question; do
  curl -fsS -G "http://127.0.0.1:$port/api/search" --data-urlencode "q=$question" -d k=5 -d threshold=0 >/dev/null
done <"$work/questions.txt"
stop_pid "$svc_pid"
mkdir -p "$work/pgb-search"
python3 "$repo/deploy/bench/pgbench-scripts.py" from-log "$work/chat-service-$port.log" "$work/pgb-search" "$work/statement.sql"
# pgbench's sessions get the settings the service's connections start with (SearchPoolCreator), as logged.
pg_options=$(grep -o 'search connection options .*' "$work/chat-service-$port.log" | head -n 1 | cut -d' ' -f4- || true)
[[ -n $pg_options ]] || { say "chat-service did not log its connection options"; exit 1; }
say "recorded $(find "$work/pgb-search" -name 'q*.sql' | wc -l) searches; the statement chat-service sent for each"
say "(its connections start with PGOPTIONS='$pg_options', and so do pgbench's):"
sed 's/^/    /' "$work/statement.sql" >&2

port=$(free_port)
jfr_flags=
[[ -z $profile ]] || jfr_flags="-XX:StartFlightRecording=filename=$work/chat.jfr,settings=profile,dumponexit=true"
start_service chat-service "$port" "$jfr_flags" "${chat_env[@]}"
chat_pid=$svc_pid
start_sampler "$chat_pid" "$work/rss-chat"
for _ in $(seq 60); do curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
hits=$(curl -fsS "http://127.0.0.1:$port/api/search?q=event%20loop&k=5&threshold=0" | jq '.hits | length')
say "chat-service ready; a search returns $hits hits"
make_wrk_script search "$work/search.lua" 100
wrk -t1 -c4 -d"$((duration < 5 ? duration : 5))s" -s "$work/search.lua" "http://127.0.0.1:$port" >/dev/null # warm-up (JIT, pools, question cache)

pgbench_run() { # DIR CLIENTS -> "tps mean_ms p99_ms"
  local dir=$1 c=$2 scripts=() f
  for f in "$dir"/*.sql; do scripts+=(-f "$f"); done
  PGOPTIONS=$pg_options pgbench -n -M prepared -c "$c" -j "$((c < 2 ? c : 2))" -T "$duration" -l --log-prefix="$work/pgblog" \
    "${scripts[@]}" "$chat_db_url" >"$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out" >&2; exit 1; }
  local tps mean p99
  tps=$(awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]; exit}' "$work/pgbench.out")
  mean=$(awk -F'= ' '/^latency average/ {split($2, a, " "); print a[1]}' "$work/pgbench.out")
  # per-transaction log: the 3rd field is the latency in microseconds
  p99=$(cat "$work"/pgblog.* | awk '{print $3}' | sort -n | awk '{v[NR] = $1} END {i = int(NR * 0.99); if (i < 1) i = 1; printf "%.2f", v[i] / 1000}')
  rm -f "$work"/pgblog.*
  printf '%.1f %.2f %s\n' "$tps" "$mean" "$p99"
}
# Which plan each side's searches got, seen from the database: index and sequential scans of the two tables
# (pg_stat_user_*; readable without superuser) per search. A backend reports its counts when idle, within 10 s
# (PGSTAT_IDLE_INTERVAL), and when its session ends: the service's pooled connections are waited for after wrk;
# pgbench's sessions have ended when it returns, and the service stayed idle through pgbench's run, so the counts
# after pgbench are also those before the next row's wrk.
scan_columns="hnsw gin_tsv chunk_pkey vec_pkey chunk_seq vec_seq"
scan_totals() { # [WAIT_SECONDS] -> the counts of $scan_columns
  sleep "${1:-0}"
  psql "$db_url" -X -qtA -F' ' -c "
    SELECT coalesce(sum(idx_scan) FILTER (WHERE indexrelname = 'course_vector_1_embedding_idx'), 0),
           coalesce(sum(idx_scan) FILTER (WHERE indexrelname = 'course_chunk_tsv_idx'), 0),
           coalesce(sum(idx_scan) FILTER (WHERE indexrelname = 'course_chunk_pkey'), 0),
           coalesce(sum(idx_scan) FILTER (WHERE indexrelname = 'course_vector_1_pkey'), 0),
           (SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'course_chunk'),
           (SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'course_vector_1')
      FROM pg_stat_user_indexes WHERE relname IN ('course_chunk', 'course_vector_1')"
}
per_search() { # SEARCHES BEFORE... -- AFTER... -> each count's difference per search
  local n=$1; shift
  awk -v n="$n" -v all="$*" 'BEGIN {
    split(all, halves, " -- "); k = split(halves[1], b, " "); split(halves[2], a, " ")
    for (i = 1; i <= k; i++) printf "%s%.2f", (i > 1 ? " " : ""), n ? (a[i] - b[i]) / n : 0; print "" }'
}
phase_totals() { # -> "embedding_count embedding_sum_s statement_count statement_sum_s" from /q/metrics
  curl -fsS "http://127.0.0.1:$port/q/metrics" | awk '
    /^coursebot_search_phase_seconds_(count|sum)\{.*phase="(embedding|statement)"/ {
      match($0, /phase="[a-z]+"/); p = substr($0, RSTART + 7, RLENGTH - 8)
      if ($0 ~ /_count\{/) c[p] = $NF; else s[p] = $NF
    }
    END { printf "%d %.6f %d %.6f\n", c["embedding"], s["embedding"], c["statement"], s["statement"] }'
}

rows=() profile_rows=() plan_rows=()
for c in $conn_list; do
  say "$c connection(s): wrk, then pgbench (the recorded statements), $duration s each"
  read -r e0 es0 s0 ss0 < <(phase_totals)
  [[ -n ${scans2:-} ]] && scans0=$scans2 || scans0=$(scan_totals "$stats_wait") # the first row: after the warm-up's wrk
  wrk -t"$((c < 2 ? c : 2))" -c"$c" -d"${duration}s" --timeout 10s --latency -s "$work/search.lua" \
    "http://127.0.0.1:$port" >"$work/wrk-$c.out" 2>&1
  read -r e1 es1 s1 ss1 < <(phase_totals)
  scans1=$(scan_totals "$stats_wait")
  svc_searches=$(awk '/requests in/ {print $1}' "$work/wrk-$c.out")
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk-$c.out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$work/wrk-$c.out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/wrk-$c.out")")
  wmean=$(to_ms "$(awk '$1 == "Latency" {print $2}' "$work/wrk-$c.out")")
  errors=$(awk '/Non-2xx/ {n = $NF} /Socket errors/ {s = $0} END {print (n ? n : 0) (s ? " +" s : "")}' "$work/wrk-$c.out")
  read -r tps mean pp99 < <(pgbench_run "$work/pgb-search" "$c")
  scans2=$(scan_totals)
  pgb_searches=$(awk -F': ' '/^number of transactions actually processed/ {split($2, a, "/"); print a[1]}' "$work/pgbench.out")
  plan_rows+=("$(printf '%5s %-8s %s' "$c" service "$(per_search "$svc_searches" "$scans0 -- $scans1")")")
  plan_rows+=("$(printf '%5s %-8s %s' "$c" pgbench "$(per_search "$pgb_searches" "$scans1 -- $scans2")")")
  ratio=$(awk -v a="$rps" -v b="$tps" 'BEGIN {printf "%.2f", a / b}')
  p99ratio=$(awk -v a="$p99" -v b="$pp99" 'BEGIN {printf "%.2f", a / b}')
  rows+=("$(printf '%5s %10s %8s %8s %8s %11s %9s %9s %7s %9s' "$c" "$rps" "$p50" "$p99" "$errors" \
    "$tps" "$mean" "$pp99" "$ratio" "$p99ratio")")
  profile_rows+=("$(awk -v c="$c" -v w="$wmean" -v e="$((e1 - e0))" -v es="$es0" -v es1="$es1" -v s="$((s1 - s0))" \
    -v ss="$ss0" -v ss1="$ss1" 'BEGIN {
      em = e ? (es1 - es) * 1000 / e : 0; sm = s ? (ss1 - ss) * 1000 / s : 0
      printf "%5s %12.2f %12.3f %12.2f %12.2f", c, w, em, sm, w - em - sm }')")
done
chat_hwm=$(vm_kb "$chat_pid" VmHWM)
chat_peak=$(max_rss_kb "$work/rss-chat")
stop_pid "$chat_pid"

echo
echo "search-bench: $chunks chunks x 1536 dimensions (HNSW), GET /api/search k=5 (one statement: nearest LIMIT 20"
echo "at ef_search 80 + full-text LIMIT 20, fused), ${duration} s per row; latencies in ms; pgbench -M prepared on 127.0.0.1"
printf '%5s %10s %8s %8s %8s %11s %9s %9s %7s %9s\n' conns svc_req/s svc_p50 svc_p99 non2xx \
  pgb_tps pgb_mean pgb_p99 svc/pgb p99/pgb
printf '%s\n' "${rows[@]}"
echo "(pgb_* = pgbench running the statement chat-service sent for each question, as recorded above)"
echo
echo "the plans, as the database saw them: scans per search (pg_stat_user_*; the same numbers = the same plan shape)"
printf '%5s %-8s %s\n' conns side "$scan_columns"
printf '%s\n' "${plan_rows[@]}"
echo "chat-service memory: peak VmRSS sampled $(mb "$chat_peak") MB, VmHWM $(mb "$chat_hwm") MB (budget 128 MB):" \
  "$( ((chat_hwm <= 128 * 1024)) && echo PASS || echo FAIL)"
if [[ -n $profile ]]; then
  echo
  echo "where a search's time goes (means in ms; the rest = HTTP, JSON, scheduling and queueing in the service):"
  printf '%5s %12s %12s %12s %12s\n' conns wrk_latency embedding statement rest
  printf '%s\n' "${profile_rows[@]}"
  mkdir -p "$repo/target/bench"
  cp "$work/chat.jfr" "$repo/target/bench/search-bench.jfr"
  echo "chat-service's JFR profile: target/bench/search-bench.jfr; methods most often on CPU (top frame, samples):"
  jfr print --events jdk.ExecutionSample "$work/chat.jfr" | awk '
    /stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); n[$0]++; total++ }
    END { for (m in n) printf "%7d %5.1f%%  %s\n", n[m], 100 * n[m] / total, m }' | sort -rn | head -n 15
fi
