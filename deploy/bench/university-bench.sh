#!/usr/bin/env bash
# Search at the scale of a university (issue 31, part 2): many courses in one database, every chunk with its course
# as `source`. Measures the bulk load, the sizes, chat-service's search scoped to one course and over every course,
# the recall of the scoped nearest-neighbour search, and the course vocabulary's refresh. Prints tables; asserts
# nothing.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/university-bench.sh [--courses N] [--chunks-per-course N] [--dimensions "384 1536"]
                                        [--duration SECONDS] [--connections "1 4 16"] [--recall-queries N]
                                        [--shared-buffers SIZE] [--maintenance-work-mem SIZE]

Starts a private PostgreSQL cluster (the binaries and pgvector deploy/local/postgres.sh installed; a Unix socket of
its own, removed on exit) with --shared-buffers (default 256MB: 25% of a 1 GB plan) and, for each dimension:
  - the schema from the migrations (deploy/bench/private-cluster.sh), then --courses courses (default 100) of
    --chunks-per-course chunks each (default 2000), sources course-001, course-002 ...: text made of the sample
    course's sentences (about 1,050 characters a chunk), random vectors; the HNSW index built after the insert
    with the migration's definition and --maintenance-work-mem (default 512MB) (deploy/bench/seed-chunks.sh):
    the insert's and the index build's times, the sizes (table + TOAST, HNSW, GIN, total);
  - REFRESH MATERIALIZED VIEW CONCURRENTLY course_vocabulary, what ingest-service runs after every ingest that
    wrote: it recounts every course's chunks;
  - chat-service's search statement (SearchRepository.SEARCH_TEMPLATE, read from its source) with pgbench
    -M prepared, in sessions with the settings chat-service's connections start with (SearchPoolCreator), at each
    of --connections (default "1 4 16"), --duration seconds a row (default 10) after a warm-up: 100 scripts, each
    a random question vector and one of the sample course's questions,
      scoped     source = a course picked at random per script (a student asking in their course)
      unscoped   source NULL (every course)
    TPS, p50 and p99 from pgbench's per-transaction log, and the scans per search each index and table got
    (pg_stat_user_*: which plan the searches ran);
  - recall@10 of the nearest-neighbour part of the statement (ORDER BY distance LIMIT 10, same settings) against
    an exact scan (enable_indexscan=off; both plans checked with EXPLAIN), for --recall-queries random question
    vectors (default 50), each scoped to a random course, and the same vectors unscoped.
The vectors are random, not embeddings: HNSW finds neighbours of uniform random vectors less well than those of
real embeddings, which cluster; read recall as a floor, and scoped against unscoped.
USAGE
}

courses=100 per_course=2000 dim_list="384 1536" duration=10 conn_list="1 4 16" recall_queries=50
shared_buffers=256MB work_mem=512MB
command_line=$(printf '%q ' "$0" "$@")
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --courses) courses=$2; shift ;;
    --chunks-per-course) per_course=$2; shift ;;
    --dimensions) dim_list=$2; shift ;;
    --duration) duration=$2; shift ;;
    --connections) conn_list=$2; shift ;;
    --recall-queries) recall_queries=$2; shift ;;
    --shared-buffers) shared_buffers=$2; shift ;;
    --maintenance-work-mem) work_mem=$2; shift ;;
    *) echo "university-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
fail() { echo "university-bench: $*" >&2; exit 2; }
number() { [[ $1 =~ ^[0-9]+$ ]]; }
number "$courses" && ((courses >= 1 && courses <= 10000)) || fail "--courses 1..10000"
number "$per_course" && ((per_course >= 10 && per_course <= 100000)) || fail "--chunks-per-course 10..100000"
chunks=$((courses * per_course))
((chunks <= 2000000)) || fail "at most 2,000,000 chunks in all"
for d in $dim_list; do number "$d" && ((d >= 2 && d <= 2000)) || fail "--dimensions 2..2000 (HNSW's limit)"; done
[[ -n ${dim_list// /} ]] || fail "--dimensions: at least one"
for c in $conn_list; do number "$c" && ((c >= 1 && c <= 16)) || fail "--connections 1..16 (the cluster allows 20)"; done
[[ -n ${conn_list// /} ]] || fail "--connections: at least one"
number "$duration" && ((duration >= 1 && duration <= 300)) || fail "--duration 1..300"
number "$recall_queries" && ((recall_queries >= 1 && recall_queries <= 1000)) || fail "--recall-queries 1..1000"
[[ $shared_buffers =~ ^[0-9]+[kMG]B$ ]] || fail "--shared-buffers like 256MB"
[[ $work_mem =~ ^[0-9]+[kMG]B$ ]] || fail "--maintenance-work-mem like 512MB"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
say() { printf 'university-bench: %s\n' "$*" >&2; }
# shellcheck source=private-cluster.sh
source "$repo/deploy/bench/private-cluster.sh"
work=$cluster_work url=$cluster_url
mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }
# The settings chat-service's connections start with (SearchPoolCreator).
options="-c hnsw.ef_search=80 -c hnsw.iterative_scan=strict_order -c random_page_cost=1.1"
index=course_vector_1_embedding_idx

python3 "$repo/deploy/bench/pgbench-scripts.py" search-statement >"$work/search.sql"
jq -r -n '[inputs.question][:100][]' "$repo/deploy/demo-course/questions.jsonl" >"$work/questions.txt"

# inputs DIMENSIONS: the searches' parameters, 100 scoped and the same 100 unscoped (the statement's 13, as
# db-sizing.sh passes them: k=20 candidates, threshold 0.35, margin 0.1, RRF k 60, 5 sections, full text on, no
# names, 3 closest, $12 the course or NULL), and the recall queries (vector + course a line).
inputs() {
  psql "$url" -X -qtA -c "SELECT DISTINCT source FROM course_chunk ORDER BY source" >"$work/sources.txt"
  python3 - "$1" "$work" "$recall_queries" <<'PY'
import json, random, sys
dim, work, recall = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sources = open(f"{work}/sources.txt").read().split()
questions = open(f"{work}/questions.txt").read().splitlines()
vector = lambda: [round(random.random() - 0.5, 6) for _ in range(dim)]  # $1 is a real[]
with open(f"{work}/scoped.jsonl", "w") as scoped, open(f"{work}/unscoped.jsonl", "w") as unscoped:
    for i in range(100):
        q, v, course = questions[i % len(questions)], vector(), random.choice(sources)
        for f, source in ((scoped, course), (unscoped, None)):
            f.write(json.dumps([v, "english", q, 20, 0.35, 0.1, 60, 5, True, [], 3, source, q]) + "\n")
with open(f"{work}/recall.txt", "w") as f:
    for i in range(recall):
        f.write("[" + ",".join(str(x) for x in vector()) + "] " + random.choice(sources) + "\n")
PY
  local scope
  for scope in scoped unscoped; do
    mkdir -p "$work/pgb-$scope" && rm -f "$work/pgb-$scope"/*.sql
    python3 "$repo/deploy/bench/pgbench-scripts.py" many "$work/search.sql" "$work/$scope.jsonl" "$work/pgb-$scope"
  done
}

# scans: the scans of the indexes and tables a search may use, as "hnsw gin source seq" (source = course_chunk's
# (source, page_url) index; seq = sequential scans of course_chunk and the vectors). Backends report their counts
# when they end: read a moment after pgbench's sessions did.
scans() {
  sleep 1
  psql "$url" -X -qtA -F' ' -c "
    SELECT (SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes WHERE indexrelname = '$index'),
           (SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes WHERE indexrelname = 'course_chunk_tsv_idx'),
           (SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes WHERE indexrelname = 'course_chunk_page_idx'),
           (SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_user_tables WHERE relname IN ('course_chunk', 'course_vector_1'))"
}

# search SCOPE CONNECTIONS [SECONDS] -> "tps p50 p99 hnsw gin source seq" (scans per search)
search() {
  local scripts=() f before after
  for f in "$work/pgb-$1"/*.sql; do scripts+=(-f "$f"); done
  before=$(scans)
  PGOPTIONS=$options pgbench -n -M prepared -c "$2" -j "$(($2 < 2 ? $2 : 2))" -T "${3:-$duration}" -l \
    --log-prefix="$work/pgblog" "${scripts[@]}" "$url" >"$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out" >&2; exit 1; }
  after=$(scans)
  local tps n latencies
  tps=$(awk -F'= ' '/^tps/ {split($2, a, " "); printf "%.1f", a[1]; exit}' "$work/pgbench.out")
  n=$(cat "$work"/pgblog.* | wc -l)
  latencies=$(cat "$work"/pgblog.* | awk '{print $3}' | sort -n | awk '{v[NR] = $1}
    END {m = int((NR + 1) / 2); i = int(NR * 0.99); if (i < 1) i = 1; printf "%.1f %.1f", v[m] / 1000, v[i] / 1000}')
  rm -f "$work"/pgblog.*
  printf '%s %s %s\n' "$tps" "$latencies" "$(awk -v n="$n" -v b="$before" -v a="$after" 'BEGIN {
    k = split(b, x, " "); split(a, y, " "); for (i = 1; i <= k; i++) printf "%s%.2f", (i > 1 ? " " : ""), n ? (y[i] - x[i]) / n : 0 }')"
}

# recall SCOPE -> "recall_mean recall_min plan_hnsw_session plan_exact_session": the nearest-neighbour part of the
# statement, LIMIT 10, in a session with chat-service's settings, against the same queries with index scans off.
recall() {
  local scope=$1
  awk -v scope="$scope" '{
    where = scope == "scoped" ? " WHERE c.source = '\''" $2 "'\''" : ""
    printf "SELECT %d, v.id FROM course_vector_1 v JOIN course_chunk c ON c.id = v.id%s ORDER BY v.embedding <=> '\''%s'\'' LIMIT 10;\n", NR, where, $1
  }' "$work/recall.txt" >"$work/recall-$scope.sql"
  local plans=() session settings
  for session in index exact; do
    settings=$options
    [[ $session == exact ]] && settings="$options -c enable_indexscan=off"
    { echo "EXPLAIN (COSTS OFF)"; head -n 1 "$work/recall-$scope.sql"; } >"$work/explain.sql"
    PGOPTIONS=$settings psql "$url" -X -qtA -v ON_ERROR_STOP=1 -f "$work/explain.sql" >"$work/plan-$scope-$session.txt"
    if grep -q "Index Scan using $index" "$work/plan-$scope-$session.txt"; then plans+=(hnsw); else plans+=(exact); fi
    PGOPTIONS=$settings psql "$url" -X -qtA -v ON_ERROR_STOP=1 -f "$work/recall-$scope.sql" >"$work/ids-$scope-$session.txt"
  done
  if [[ ${plans[1]} != exact ]]; then
    say "the exact session's plan uses the HNSW index after all:"; cat "$work/plan-$scope-exact.txt" >&2; exit 1
  fi
  [[ ${plans[0]} == hnsw ]] || { say "$scope: the planner did not use the HNSW index, its plan:"; sed 's/^/    /' "$work/plan-$scope-index.txt" >&2; }
  awk -F'|' 'NR == FNR {exact[$1, $2] = 1; n[$1]++; next} ($1, $2) in exact {hit[$1]++}
    END {min = 1; for (q in n) {r = hit[q] / n[q]; sum += r; count++; if (r < min) min = r}
         printf "%.3f %.2f", sum / count, min}' "$work/ids-$scope-exact.txt" "$work/ids-$scope-index.txt"
  printf ' %s %s\n' "${plans[0]}" "${plans[1]}"
}

say "options: $command_line"
say "(courses $courses, chunks per course $per_course = $chunks chunks, dimensions $dim_list, duration $duration s,"
say " connections $conn_list, recall queries $recall_queries, shared_buffers $shared_buffers, maintenance_work_mem $work_mem)"
cluster_start "$shared_buffers"
load_rows=() search_rows=()
for dim in $dim_list; do
  dim_started=$SECONDS
  say "$dim dimensions: schema, $chunks chunks in $courses courses, HNSW index"
  cluster_migrate "$dim"
  "$repo/deploy/bench/seed-chunks.sh" "$url" "$chunks" "$dim" 9 1 --courses "$courses" --maintenance-work-mem "$work_mem" \
    --times "$work/times.txt"
  read -r insert_s hnsw_s _ _ <"$work/times.txt"
  read -r table hnsw gin total < <(psql "$url" -X -qtA -F' ' -c "
    SELECT pg_table_size('course_chunk') + pg_table_size('course_vector_1'), pg_relation_size('$index'),
           pg_relation_size('course_chunk_tsv_idx'),
           pg_total_relation_size('course_chunk') + pg_total_relation_size('course_vector_1')")

  say "$dim dimensions: REFRESH MATERIALIZED VIEW CONCURRENTLY course_vocabulary"
  started=$(date +%s.%N)
  cluster_sql -c "REFRESH MATERIALIZED VIEW CONCURRENTLY course_vocabulary"
  refresh_s=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')

  say "$dim dimensions: pgbench scripts (100 scoped, the same 100 unscoped)"
  inputs "$dim"
  for scope in scoped unscoped; do
    say "$dim dimensions, $scope: warm-up, then $duration s at each of $conn_list connection(s)"
    search "$scope" 1 "$((duration < 3 ? duration : 3))" >/dev/null # warm-up
    for c in $conn_list; do
      result=$(search "$scope" "$c")
      read -r tps p50 p99 s_hnsw s_gin s_source s_seq <<<"$result"
      search_rows+=("$(printf '%5s %-9s %5s %8s %8s %8s %6s %6s %6s %6s' "$dim" "$scope" "$c" "$tps" "$p50" "$p99" \
        "$s_hnsw" "$s_gin" "$s_source" "$s_seq")")
    done
  done

  say "$dim dimensions: recall@10, $recall_queries queries scoped and unscoped, each against an exact scan"
  result=$(recall scoped)
  read -r scoped_recall scoped_min scoped_plan _ <<<"$result"
  result=$(recall unscoped)
  read -r all_recall all_min all_plan _ <<<"$result"
  load_rows+=("$(printf '%5s %8s %7s %8s %8s %9s %8s %8s %8s %9s   %-21s %-21s' "$dim" "$chunks" "$courses" "$insert_s" \
    "$hnsw_s" "$(mb "$table")" "$(mb "$hnsw")" "$(mb "$gin")" "$(mb "$total")" "$refresh_s" \
    "$scoped_recall ($scoped_min) $scoped_plan" "$all_recall ($all_min) $all_plan")")
  say "$dim dimensions: done in $((SECONDS - dim_started)) s"
done

echo
echo "university-bench: $courses courses x $per_course chunks = $chunks chunks; shared_buffers $shared_buffers,"
echo "maintenance_work_mem $work_mem, PostgreSQL $(psql "$url" -X -qtA -c "SHOW server_version" | cut -d' ' -f1)," \
  "pgvector $(psql "$url" -X -qtA -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
echo "options: $command_line"
echo
echo "Load and recall (times in s, sizes in MB; refresh = REFRESH MATERIALIZED VIEW CONCURRENTLY course_vocabulary;"
echo "recall@10 = mean (lowest) over $recall_queries queries, then the plan the index session's EXPLAIN showed)"
printf '%5s %8s %7s %8s %8s %9s %8s %8s %8s %9s   %-21s %-21s\n' dims chunks courses insert_s hnsw_s table+toast \
  hnsw_mb gin_mb total_mb refresh_s "recall scoped" "recall unscoped"
printf '%s\n' "${load_rows[@]}"
echo
echo "Search: chat-service's statement (k=20 candidates, ef_search 80, strict_order), pgbench -M prepared,"
echo "$duration s a row; p50 / p99 in ms; scans per search: hnsw, gin (full text), source (course_chunk_page_idx), seq"
printf '%5s %-9s %5s %8s %8s %8s %6s %6s %6s %6s\n' dims scope conns tps p50 p99 hnsw gin source seq
printf '%s\n' "${search_rows[@]}"
echo
echo "measured in $SECONDS s"
