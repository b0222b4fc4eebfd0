#!/usr/bin/env bash
# Search at the scale of a university (issue 31, part 2): many courses in one database, every chunk with its course
# as `source`. Measures the bulk load, the sizes, chat-service's search scoped to one course and over every course,
# the recall of its nearest-neighbour search, and the course vocabulary's refresh. Prints tables; asserts nothing.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/university-bench.sh [--courses N] [--chunks-per-course N] [--dimensions "384 1536"]
                                        [--duration SECONDS] [--connections "1 4 16"] [--recall-queries N]
                                        [--vectors clustered|random] [--questions N] [--recall-ef "40 200 400"]
                                        [--shared-buffers SIZE] [--maintenance-work-mem SIZE]

Starts a private PostgreSQL cluster (the binaries and pgvector deploy/local/postgres.sh installed; a Unix socket of
its own, removed on exit) with --shared-buffers (default 256MB: 25% of a 1 GB plan) and, for each dimension:
  - the schema from the migrations (deploy/bench/private-cluster.sh), then --courses courses (default 100) of
    --chunks-per-course chunks each (default 2000), sources course-001, course-002 ...: text made of the sample
    course's sentences (about 1,050 characters a chunk), --vectors (default clustered: shaped like embeddings,
    courses in subjects of five, a course in pages; random: uniform, no structure; see deploy/bench/seed-chunks.sh);
    the HNSW index built after the insert with the migration's definition and --maintenance-work-mem (default
    512MB): the insert's and the index build's times, the sizes (table + TOAST, HNSW, GIN, total);
  - the course vocabulary recounted for one course (what ingest-service runs after an ingest of that course that
    wrote) and for every course;
  - chat-service's search statement (SearchRepository.SEARCH_TEMPLATE, read from its source) with pgbench
    -M prepared, in sessions with the settings chat-service's connections start with (SearchPoolCreator), at each
    of --connections (default "1 4 16"), --duration seconds a row (default 10) after a warm-up: 100 scripts, each
    a question vector and one of the sample course's questions. With clustered vectors a question's vector is a
    random chunk's plus noise (cosine similarity about 0.7 to that chunk, as a question to the section answering
    it); with random vectors, a random vector.
      scoped     source = the course of the question's chunk (a student asking in their course)
      elsewhere  source = another course picked at random (a question that course does not cover)
      unscoped   source NULL (every course)
    each scoped search with the nearest chunks found by the HNSW graph (SearchRepository.NEAREST_BY_GRAPH) and by
    comparing each chunk of the course (NEAREST_IN_COURSE, what chat-service runs for a course of at most
    coursebot.search.course-scan-max-chunks chunks); then, at the largest of --connections up to 4, the statements
    chat-service runs (in a course, over every course) while the first course is ingested again (its pages
    rewritten one after another, text and vectors, each page a transaction, its vocabulary recounted after each
    pass);
    TPS, p50 and p99 from pgbench's per-transaction log, and the scans per search each index and table got
    (pg_stat_user_*: which plan the searches ran);
  - recall@10 of the nearest-neighbour part of the statement (ORDER BY distance LIMIT 10, same settings) against
    an exact scan (enable_indexscan=off; both plans checked with EXPLAIN), for --recall-queries question vectors
    (default 50) made as above, in each of the three scopes; unscoped also at each hnsw.ef_search of --recall-ef.
  - the question log at a month of a university's questions: --questions (default 300000) asked over the last 30
    days in every course (each citing a chunk of its course, with that chunk's vector), a fifth not covered,
    feedback on one in twenty; the insights report's statements (InsightsRepository) over the last 7 days for one
    course and for every course, and the retention's daily delete (the oldest day). 0: not measured.
HNSW finds neighbours of uniform random vectors much less well than those of real embeddings, which cluster: with
--vectors random, read recall as a floor.
USAGE
}

courses=100 per_course=2000 dim_list="384 1536" duration=10 conn_list="1 4 16" recall_queries=50
shared_buffers=256MB work_mem=512MB vectors_kind=clustered question_rows=300000 ef_list="40 200 400"
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
    --vectors) vectors_kind=$2; shift ;;
    --questions) question_rows=$2; shift ;;
    --recall-ef) ef_list=$2; shift ;;
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
[[ $vectors_kind == clustered || $vectors_kind == random ]] || fail "--vectors clustered or random"
number "$question_rows" && ((question_rows <= 10000000)) || fail "--questions 0..10000000"
for ef in $ef_list; do number "$ef" && ((ef >= 1 && ef <= 1000)) || fail "--recall-ef: values 1..1000"; done
((courses >= 2)) || fail "--courses: at least 2 (a question is also searched in a course other than its own)"
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

python3 "$repo/deploy/bench/pgbench-scripts.py" search-statement >"$work/search-graph.sql"
python3 "$repo/deploy/bench/pgbench-scripts.py" search-statement course_vector_1 --in-course >"$work/search-course.sql"
jq -r -n '[inputs.question][:100][]' "$repo/deploy/demo-course/questions.jsonl" >"$work/questions.txt"

# inputs DIMENSIONS: the question vectors (max(100, --recall-queries) of them, each with its course and another
# course), then the searches' parameters for each scope (the statement's 13, as db-sizing.sh passes them: k=20
# candidates, threshold 0.35, margin 0.1, RRF k 60, 5 sections, full text on, no names, 3 closest, $12 the course or
# NULL) and the recall queries (vector + course a line).
inputs() {
  local n=$((recall_queries > 100 ? recall_queries : 100))
  python3 - "$n" "$chunks" "$courses" >"$work/picks.txt" <<'PY'
import random, sys
n, chunks, courses = (int(a) for a in sys.argv[1:])
course = lambda g: (g - 1) * courses // chunks + 1  # seed-chunks.sh's
for i in range(1, n + 1):
    g = random.randint(1, chunks)
    other = random.choice([c for c in range(1, courses + 1) if c != course(g)])
    print(i, g, course(g), other)
PY
  if [[ $vectors_kind == clustered ]]; then # the chunk's vector plus noise of variance 1: scale sqrt(12)
    psql "$url" -X -qtA -F' ' -v ON_ERROR_STOP=1 >"$work/vectors.txt" <<SQL
SELECT q.n, (v.embedding + (SELECT array_agg((random() - 0.5) * 3.4641) FROM generate_series(1, $1) d
                             WHERE d > 0 * q.n)::vector)::real[]
  FROM (VALUES $(awk '{printf "%s(%d, %d)", (NR > 1 ? ", " : ""), $1, $2}' "$work/picks.txt")) AS q (n, g)
  JOIN course_vector_1 v ON v.id = ('00000000-0000-4000-8000-' || lpad(to_hex(q.g), 12, '0'))::uuid
 ORDER BY q.n;
SQL
  else
    python3 -c 'import random, sys
for i in range(1, int(sys.argv[1]) + 1): print(i, "{" + ",".join(str(round(random.random() - 0.5, 6)) for _ in range(int(sys.argv[2]))) + "}")' \
      "$n" "$1" >"$work/vectors.txt"
  fi
  python3 - "$work" "$courses" <<'PY'
import json, sys
work, courses = sys.argv[1], int(sys.argv[2])
width = max(3, len(str(courses)))
name = lambda c: "course-" + str(c).zfill(width)  # seed-chunks.sh's sources
questions = open(f"{work}/questions.txt").read().splitlines()
vectors = {int(n): [float(x) for x in v.strip("{}").split(",")]
           for n, v in (line.split(" ", 1) for line in open(f"{work}/vectors.txt").read().splitlines())}
picks = [line.split() for line in open(f"{work}/picks.txt").read().splitlines()]
scopes = ("scoped", "elsewhere", "unscoped")
files = {scope: open(f"{work}/{scope}.jsonl", "w") for scope in scopes}
recall = {scope: open(f"{work}/recall-{scope}.txt", "w") for scope in scopes}
for i, (n, g, own, other) in enumerate(picks):
    v, q = vectors[int(n)], questions[i % len(questions)]
    for scope, source in zip(scopes, (name(own), name(other), None)):
        if i < 100:
            files[scope].write(json.dumps([v, "english", q, 20, 0.35, 0.1, 60, 5, True, [], 3, source, q]) + "\n")
        recall[scope].write("[" + ",".join(repr(x) for x in v) + "] " + (source or "-") + "\n")
PY
  local scope nearest
  for scope in scoped elsewhere unscoped; do
    for nearest in graph course; do
      [[ $scope == unscoped && $nearest == course ]] && continue
      mkdir -p "$work/pgb-$scope-$nearest" && rm -f "$work/pgb-$scope-$nearest"/*.sql
      python3 "$repo/deploy/bench/pgbench-scripts.py" many "$work/search-$nearest.sql" "$work/$scope.jsonl" \
        "$work/pgb-$scope-$nearest"
    done
  done
}

# ingest COURSE: rewrites the course's pages one after another, as an ingest of a changed course writes them (each
# page a transaction: its chunks' text, so their tsv and GIN entries, and their vectors, so HNSW insertions), and
# recounts its vocabulary after each pass over its pages, until $work/ingesting is removed. Prints the pages written.
ingest() {
  local pages=0 page
  mapfile -t page_urls < <(psql "$url" -X -qtA -c "SELECT DISTINCT page_url FROM course_chunk WHERE source = '$1' ORDER BY 1")
  while [[ -e $work/ingesting ]]; do
    for page in "${page_urls[@]}"; do
      [[ -e $work/ingesting ]] || break
      psql "$url" -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
BEGIN;
UPDATE course_chunk SET content = content || ' Revised.', content_hash = md5(content || ' Revised.'), updated_at = now()
 WHERE source = '$1' AND page_url = '$page';
UPDATE course_vector_1 v
   SET embedding = v.embedding + (SELECT array_agg((random() - 0.5) * 0.3) FROM generate_series(1, $dim) d
                                   WHERE d > 0 * hashtext(v.id::text))::vector,
       content_hash = c.content_hash
  FROM course_chunk c WHERE c.id = v.id AND c.source = '$1' AND c.page_url = '$page';
COMMIT;
SQL
      pages=$((pages + 1))
    done
    psql "$url" -X -q -c "SELECT coursebot_refresh_vocabulary('$1')" >/dev/null
  done
  echo "$pages"
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

# search SCRIPTS CONNECTIONS [SECONDS] -> "tps p50 p99 hnsw gin source seq" (scans per search); SCRIPTS: a folder
# of inputs()
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

# recall SCOPE [EF_SEARCH] -> "recall_mean recall_min plan_hnsw_session plan_exact_session": the nearest-neighbour
# part of the statement, LIMIT 10, in a session with chat-service's settings (hnsw.ef_search EF_SEARCH instead of 80
# when given), against the same queries with index scans off.
recall() {
  local scope=$1 ef=${2:-80}
  head -n "$recall_queries" "$work/recall-$scope.txt" | awk '{
    where = $2 == "-" ? "" : " WHERE c.source = '\''" $2 "'\''"
    printf "SELECT %d, v.id FROM course_vector_1 v JOIN course_chunk c ON c.id = v.id%s ORDER BY v.embedding <=> '\''%s'\'' LIMIT 10;\n", NR, where, $1
  }' >"$work/recall-$scope.sql"
  local plans=() session settings
  for session in index exact; do
    settings="${options/hnsw.ef_search=80/hnsw.ef_search=$ef}"
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

# questions N: a month of questions in question_log, N of them in the last 30 days, spread over the courses by
# seed-chunks.sh's chunks (a question asked in a chunk's course, citing it, with that chunk's vector as its own);
# a fifth not covered, feedback on one in twenty. Then the insights report's statements (InsightsRepository,
# read from its source), each prepared once and run 6 times, over the last 7 days, for one course and for every
# course: the median of the last 5 (ms); and the retention's delete (QuestionLogRepository.EXPIRE) of the oldest
# day; and CourseSources' statement (chat-service reads the courses and their sizes every minute). Prints "seed_s
# summary_one summary_all days_one days_all candidates_one candidates_all cited_one cited_all never_one never_all
# pairs_one expire_s expired_rows sources".
questions() {
  local n=$1 started seed_s
  started=$(date +%s.%N)
  psql "$url" -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE question_text (n serial, t text);
\copy question_text (t) FROM '$work/questions.txt'
INSERT INTO question_log (answer_id, asked_at, question, covered, mode, degraded, coverage, top_similarity, cited,
                          latency_ms, client_key, channel, source, space_id, embedding)
SELECT gen_random_uuid(), now() - random() * interval '30 days',
       (SELECT t FROM question_text WHERE n = 1 + g % (SELECT count(*) FROM question_text)),
       g % 5 <> 0, 'extractive', false, '{"reason": "bench"}', 0.5,
       jsonb_build_array(jsonb_build_object('url', c.url, 'title', c.title)), 5 + g % 40,
       md5((g % 5000)::text), 'api', c.source, 1, v.embedding
  FROM generate_series(1, $n) g
  JOIN course_chunk c ON c.id = ('00000000-0000-4000-8000-' || lpad(to_hex(1 + (hashint4(g) & 2147483647) % $chunks), 12, '0'))::uuid
  JOIN course_vector_1 v ON v.id = c.id;
INSERT INTO answer_feedback (id, answer_id, given_at, helpful)
SELECT gen_random_uuid(), answer_id, asked_at + interval '1 minute', random() < 0.7
  FROM question_log TABLESAMPLE BERNOULLI (5);
VACUUM ANALYZE question_log;
VACUUM ANALYZE answer_feedback;
SQL
  seed_s=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}')
  local java=chat-service/src/main/java/org/coursebot/chat/insights/InsightsRepository.java name course
  local to from
  to=$(psql "$url" -X -qtA -c "SELECT now()") from=$(psql "$url" -X -qtA -c "SELECT now() - interval '7 days'")
  course=$(psql "$url" -X -qtA -c "SELECT min(source) FROM course_chunk")
  {
    echo '\timing on'
    for name in SUMMARY DAYS CANDIDATES MOST_CITED NEVER_CITED PAIRS; do
      echo "PREPARE $name AS $(python3 "$repo/deploy/bench/pgbench-scripts.py" java-text "$java" "$name");"
    done
    echo "PREPARE SOURCES AS $(python3 "$repo/deploy/bench/pgbench-scripts.py" java-text \
      chat-service/src/main/java/org/coursebot/chat/search/SearchRepository.java SOURCES);"
    for name in SUMMARY DAYS CANDIDATES MOST_CITED NEVER_CITED; do
      for scope in "'$course'" NULL; do
        local args="'$from', '$to', $scope"
        [[ $name == CANDIDATES ]] && args="$args, 2000"
        echo "\\echo timing $name $scope"
        for _ in 1 2 3 4 5 6; do echo "EXECUTE $name($args);"; done
      done
    done
    # The course's candidates, as the report groups them (EXECUTE takes no subquery).
    echo "\\timing off"
    echo "SELECT array_agg(answer_id)::text AS ids FROM (SELECT answer_id FROM question_log WHERE source = '$course'"
    echo "   AND asked_at >= '$from' AND NOT covered ORDER BY asked_at DESC LIMIT 2000) AS c \\gset"
    echo "\\timing on"
    echo "\\echo timing PAIRS one"
    for _ in 1 2 3 4 5 6; do echo "EXECUTE PAIRS(:'ids', 0.5);"; done
    echo "\\echo timing SOURCES NULL"
    for _ in 1 2 3 4 5 6; do echo "EXECUTE SOURCES;"; done
  } >"$work/report.sql"
  psql "$url" -X -q -v ON_ERROR_STOP=1 -o /dev/null -f "$work/report.sql" >"$work/report-times.raw" 2>&1 \
    || { say "the insights statements failed:"; tail -n 5 "$work/report-times.raw" >&2; exit 1; }
  awk '/^timing/ {key = $2 "_" ($3 == "NULL" ? "all" : "one"); next}
       /^Time:/ {t[key] = t[key] " " $2}
       END {for (k in t) print k t[k]}' "$work/report-times.raw" >"$work/report-times.txt"
  median() { # the median of the last 5 times of KEY
    awk -v k="$1" '$1 == k {for (i = NF - 4; i <= NF; i++) print $i}' "$work/report-times.txt" | sort -n | sed -n 3p
  }
  local expire expired expire_s
  expire=$(python3 "$repo/deploy/bench/pgbench-scripts.py" java-text \
    ingest-service/src/main/java/org/coursebot/ingest/insights/QuestionLogRepository.java EXPIRE)
  started=$(date +%s.%N)
  expired=$(psql "$url" -X -qtA -F' ' -c "PREPARE expire AS $expire" -c "EXECUTE expire(now() - interval '29 days')")
  expire_s=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
  echo "$seed_s $(median SUMMARY_one) $(median SUMMARY_all) $(median DAYS_one) $(median DAYS_all)" \
    "$(median CANDIDATES_one) $(median CANDIDATES_all) $(median MOST_CITED_one) $(median MOST_CITED_all)" \
    "$(median NEVER_CITED_one) $(median NEVER_CITED_all) $(median PAIRS_one) $expire_s ${expired%% *}" \
    "$(median SOURCES_all)"
}

say "options: $command_line"
say "(courses $courses, chunks per course $per_course = $chunks chunks, dimensions $dim_list, duration $duration s,"
say " connections $conn_list, recall queries $recall_queries, $vectors_kind vectors, shared_buffers $shared_buffers,"
say " maintenance_work_mem $work_mem)"
cluster_start "$shared_buffers"
load_rows=() search_rows=() recall_rows=() insights_rows=() sweep_rows=()
for dim in $dim_list; do
  dim_started=$SECONDS
  say "$dim dimensions: schema, $chunks chunks in $courses courses, HNSW index"
  cluster_migrate "$dim"
  "$repo/deploy/bench/seed-chunks.sh" "$url" "$chunks" "$dim" 9 1 --courses "$courses" --vectors "$vectors_kind" \
    --maintenance-work-mem "$work_mem" \
    --times "$work/times.txt"
  read -r insert_s hnsw_s _ _ <"$work/times.txt"
  read -r table hnsw gin total < <(psql "$url" -X -qtA -F' ' -c "
    SELECT pg_table_size('course_chunk') + pg_table_size('course_vector_1'), pg_relation_size('$index'),
           pg_relation_size('course_chunk_tsv_idx'),
           pg_total_relation_size('course_chunk') + pg_total_relation_size('course_vector_1')")

  say "$dim dimensions: the course vocabulary recounted for one course, then for every course"
  started=$(date +%s.%N)
  cluster_sql -c "SELECT coursebot_refresh_vocabulary((SELECT min(source) FROM course_chunk))" >/dev/null
  one_s=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
  started=$(date +%s.%N)
  cluster_sql -c "SELECT coursebot_refresh_vocabulary()" >/dev/null
  every_s=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')

  say "$dim dimensions: pgbench scripts (100 questions, each in its course, in another course, in every course)"
  inputs "$dim"
  for scripts in scoped-graph scoped-course elsewhere-graph elsewhere-course unscoped-graph; do
    say "$dim dimensions, $scripts: warm-up, then $duration s at each of $conn_list connection(s)"
    search "$scripts" 1 "$((duration < 3 ? duration : 3))" >/dev/null # warm-up
    for c in $conn_list; do
      result=$(search "$scripts" "$c")
      read -r tps p50 p99 s_hnsw s_gin s_source s_seq <<<"$result"
      search_rows+=("$(printf '%5s %-22s %5s %8s %8s %8s %6s %6s %6s %6s' "$dim" "$scripts" "$c" "$tps" "$p50" "$p99" \
        "$s_hnsw" "$s_gin" "$s_source" "$s_seq")")
    done
  done

  # While one course is ingested, students of the others search: chat-service's statements (in their course, and
  # over every course), at the largest of --connections up to 4.
  conns=1
  for c in $conn_list; do ((c <= 4 && c > conns)) && conns=$c; done
  first=$(psql "$url" -X -qtA -c "SELECT min(source) FROM course_chunk")
  for scripts in scoped-course unscoped-graph; do
    say "$dim dimensions, $scripts during an ingest of $first: $duration s at $conns connection(s)"
    touch "$work/ingesting"
    ingest "$first" >"$work/ingested.txt" &
    writer=$!
    result=$(search "$scripts" "$conns")
    rm -f "$work/ingesting"
    wait "$writer"
    read -r tps p50 p99 s_hnsw s_gin s_source s_seq <<<"$result"
    search_rows+=("$(printf '%5s %-22s %5s %8s %8s %8s %6s %6s %6s %6s   %s pages written' "$dim" "$scripts+ingest" \
      "$conns" "$tps" "$p50" "$p99" "$s_hnsw" "$s_gin" "$s_source" "$s_seq" "$(cat "$work/ingested.txt")")")
  done

  say "$dim dimensions: recall@10, $recall_queries queries in each scope, each against an exact scan"
  recalls=()
  for scope in scoped elsewhere unscoped; do
    read -r mean lowest plan _ <<<"$(recall "$scope")"
    recalls+=("$mean ($lowest) $plan")
  done
  load_rows+=("$(printf '%5s %8s %7s %8s %8s %9s %8s %8s %8s %10s %10s' "$dim" "$chunks" "$courses" "$insert_s" \
    "$hnsw_s" "$(mb "$table")" "$(mb "$hnsw")" "$(mb "$gin")" "$(mb "$total")" "$one_s" "$every_s")")
  recall_rows+=("$(printf '%5s   %-20s %-20s %-20s' "$dim" "${recalls[@]}")")
  sweep=()
  for ef in $ef_list; do
    read -r mean lowest _ <<<"$(recall unscoped "$ef")"
    sweep+=("$ef: $mean ($lowest)")
  done
  sweep_rows+=("$(printf '%5s   %s' "$dim" "$(printf '%-22s' "${sweep[@]}")")")
  if ((question_rows > 0)); then
    say "$dim dimensions: $question_rows questions in the log, the insights report's statements, the retention"
    result=$(questions "$question_rows") || exit 1
    insights_rows+=("$(printf '%5s %9s %s' "$dim" "$question_rows" "$result")")
  fi
  say "$dim dimensions: done in $((SECONDS - dim_started)) s"
done

echo
echo "university-bench: $courses courses x $per_course chunks = $chunks chunks; shared_buffers $shared_buffers,"
echo "maintenance_work_mem $work_mem, $vectors_kind vectors, PostgreSQL $(psql "$url" -X -qtA -c "SHOW server_version" | cut -d' ' -f1)," \
  "pgvector $(psql "$url" -X -qtA -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
echo "options: $command_line"
echo
echo "Load (times in s, sizes in MB; vocabulary: coursebot_refresh_vocabulary for one course, then for every course)"
printf '%5s %8s %7s %8s %8s %9s %8s %8s %8s %10s %10s\n' dims chunks courses insert_s hnsw_s table+toast \
  hnsw_mb gin_mb total_mb vocab_one vocab_all
printf '%s\n' "${load_rows[@]}"
echo
echo "Recall@10 of the nearest neighbours against an exact scan: mean (lowest) over $recall_queries queries, then the plan"
echo "the index session's EXPLAIN showed"
printf '%5s   %-20s %-20s %-20s\n' dims scoped elsewhere unscoped
printf '%s\n' "${recall_rows[@]}"
echo "Unscoped, at other hnsw.ef_search values (--recall-ef; chat-service's coursebot.search.ef-search, default 80):"
printf '%s\n' "${sweep_rows[@]}"
echo
echo "Search: chat-service's statement (k=20 candidates, ef_search 80, strict_order), pgbench -M prepared,"
echo "$duration s a row; p50 / p99 in ms; scans per search: hnsw, gin (full text), source (course_chunk_page_idx), seq."
echo "Scripts: the scope (scoped: in the question's course; elsewhere: in another course; unscoped: every course), then"
echo "the nearest chunks by the HNSW graph or by comparing each chunk of the course (SearchRepository.NEAREST_IN_COURSE);"
echo "+ingest: while the first course's pages are rewritten one after another (page transactions, vocabulary after each pass)"
printf '%5s %-22s %5s %8s %8s %8s %6s %6s %6s %6s\n' dims scripts conns tps p50 p99 hnsw gin source seq
printf '%s\n' "${search_rows[@]}"
if ((question_rows > 0)); then
  echo
  echo "The question log: seed_s = the questions' insert; then each insights statement over the last 7 days, one course |"
  echo "every course, median ms of 5 (summary, days, candidates, most cited, never cited; pairs: one course's candidates);"
  echo "the retention's delete of the oldest day: s and rows; CourseSources' statement (every minute in chat-service), ms"
  printf '%5s %9s %s\n' dims questions "seed_s summary days candidates cited never pairs expire_s rows sources"
  for row in "${insights_rows[@]}"; do
    read -r d q seed s1 s2 d1 d2 c1 c2 m1 m2 n1 n2 pairs ex rows sources <<<"$row"
    printf '%5s %9s %6s %s|%s %s|%s %s|%s %s|%s %s|%s %s %s %s %s\n' "$d" "$q" "$seed" "$s1" "$s2" "$d1" "$d2" "$c1" "$c2" \
      "$m1" "$m2" "$n1" "$n2" "$pairs" "$ex" "$rows" "$sources"
  done
fi
echo
echo "measured in $SECONDS s"
