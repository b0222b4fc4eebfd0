#!/usr/bin/env bash
# Search load benchmark (issue 6): GET /api/search on a 20,000-chunk database next to pgbench running the
# same SQL directly (the floor the service stands on). Prints numbers; asserts nothing but the RSS budget.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/search-bench.sh [--chunks N] [--duration SECONDS] [--connections "1 4 16"]

Builds a throw-away database of the local cluster (COURSEBOT_TEST_DATABASE_URL or
postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot), migrated by ingest-service at 1536 dimensions,
with --chunks rows (default 20000) inserted by SQL: text made of the sample course's sentences, random
vectors; the migration's HNSW index is rebuilt after the bulk insert (same definition), then ANALYZE.
chat-service runs with its image flags (java @chat-service/src/main/docker/jvm.options -jar ...) and the
OpenAI provider against the fake OpenAI server on 127.0.0.1 (question embeddings cost no model time).

For each connection count (default 1, 4 and 16), --duration seconds each (default 20):
  service   wrk: GET /api/search?q=<question>&k=5&threshold=0, rotating the first 100 questions of
            deploy/demo-course/questions.jsonl: requests/s, p50, p99
  pgbench   the SQL chat-service runs for one such search (SearchRepository: BEGIN; SET LOCAL
            hnsw.ef_search; NEAREST LIMIT 4k; COMMIT, plus the hybrid FULL_TEXT query), one script per
            question with the fake server's vector for it, -M prepared: TPS, mean and p99 latency
  nearest   pgbench with the NEAREST transaction alone
and the ratio service/pgbench. chat-service VmRSS is sampled every second; prints its peak and VmHWM
(budget 128 MB). Needs wrk (deploy/local/tools.sh). Stops everything it started on exit, Ctrl-C included.
USAGE
}

chunks=20000 duration=20 conn_list="1 4 16"
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --chunks) chunks=$2; shift ;;
    --duration) duration=$2; shift ;;
    --connections) conn_list=$2; shift ;;
    *) echo "search-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((chunks >= 100 && chunks <= 200000 && duration >= 1 && duration <= 300)) \
  || { echo "search-bench: --chunks 100..200000, --duration 1..300" >&2; exit 2; }
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
python3 - "$repo/deploy/demo-course" >"$work/sentences.txt" <<'PY'
import html, pathlib, re, sys
out = set()
for page in pathlib.Path(sys.argv[1]).rglob("*.html"):
    text = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", page.read_text(encoding="utf-8"))
    for s in re.split(r"(?<=[.!?])\s+", html.unescape(re.sub(r"\s+", " ", text))):
        if 40 <= len(s) <= 300 and "\t" not in s and "\\" not in s:
            out.add(s.strip())
print("\n".join(sorted(out)))
PY
say "inserting $chunks chunks ($(wc -l <"$work/sentences.txt") distinct sentences)"
index_def=$(psql "$db_url" -X -qtA -c "SELECT indexdef FROM pg_indexes WHERE indexname = 'course_content_embedding_idx'")
[[ $index_def == *hnsw* ]] || { say "the migration's HNSW index is missing"; exit 1; }
seed_started=$SECONDS
psql "$db_url" -X -q -v ON_ERROR_STOP=1 <<SQL >/dev/null
CREATE TEMP TABLE sentence (n serial, t text);
\copy sentence (t) FROM '$work/sentences.txt'
DROP INDEX course_content_embedding_idx;
INSERT INTO course_content (id, title, content, url, content_type, part_id, module_id, embedding, source, page_url,
                            position, heading_path, content_hash, embedding_model)
SELECT gen_random_uuid(), 'Section ' || g,
       (SELECT string_agg(t, ' ') FROM (SELECT t FROM sentence WHERE n > 0 * g ORDER BY random() LIMIT 3 + g % 4) x),
       'https://course.example.org/part' || (g % 13 + 1) || '/' || chr(97 + g % 5) || '/#s' || g,
       (ARRAY['section', 'subsection', 'code', 'exercise', 'page'])[1 + g % 5],
       (g % 13 + 1)::text, chr(97 + g % 5),
       (SELECT array_agg(random() - 0.5) FROM generate_series(1, 1536) d WHERE d > 0 * g)::vector,
       'bench', 'https://course.example.org/part' || (g % 13 + 1) || '/' || chr(97 + g % 5) || '/', g % 40,
       'Part ' || (g % 13 + 1) || ' > Section ' || g, md5(g::text), 'text-embedding-3-small'
  FROM generate_series(1, $chunks) g;
SET maintenance_work_mem = '256MB';
$index_def;
ANALYZE course_content;
SQL
say "seeded in $((SECONDS - seed_started)) s: $(psql "$db_url" -X -qtA -c "SELECT count(*) FROM course_content") rows"

# The vector the fake server returns for each question: what chat-service searches with.
# The first 100 (pgbench takes at most 128 scripts): the same set in every run, so runs compare.
jq -r -n '[inputs.question][:100][]' "$repo/deploy/demo-course/questions.jsonl" >"$work/questions.txt"
cat >"$work/QueryVectors.java" <<'JAVA'
public class QueryVectors {
    public static void main(String[] a) throws Exception {
        for (String q : java.nio.file.Files.readAllLines(java.nio.file.Path.of(a[0]))) {
            float[] v = org.coursebot.testing.FakeOpenAiServer.vectorFor(q, 1536);
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < v.length; i++) {
                s.append(i == 0 ? "" : ",").append(v[i]);
            }
            System.out.println(s.append(']'));
        }
    }
}
JAVA
java -cp "$test_cp" "$work/QueryVectors.java" "$work/questions.txt" >"$work/vectors.txt"
mkdir -p "$work/pgb-nearest" "$work/pgb-search"
columns="id, title, url, content, content_type, part_id, module_id, page_url, heading_path, position"
i=0
while IFS= read -r question && IFS= read -r vector <&3; do
  i=$((i + 1))
  q=${question//\'/\'\'}
  nearest="BEGIN;
SET LOCAL hnsw.ef_search = 80;
SELECT $columns, 1 - (embedding <=> '$vector'::vector) AS similarity FROM course_content ORDER BY embedding <=> '$vector'::vector LIMIT 20;
END;"
  printf '%s\n' "$nearest" >"$work/pgb-nearest/q$i.sql"
  printf '%s\n%s\n' "$nearest" "SELECT $columns, CASE WHEN '$vector'::text IS NULL THEN NULL ELSE 1 - (embedding <=> '$vector'::vector) END AS similarity FROM course_content, websearch_to_tsquery('english'::regconfig, '$q') AS query WHERE tsv @@ query ORDER BY ts_rank_cd(tsv, query) DESC LIMIT 20;" \
    >"$work/pgb-search/q$i.sql"
done <"$work/questions.txt" 3<"$work/vectors.txt"

port=$(free_port)
start_service chat-service "$port" "" CHAT_DATABASE_URL="$chat_db_url" "${openai_env[@]}" COURSEBOT_RATE_LIMIT_ENABLED=false \
  COURSEBOT_HTTP_MAX_REQUESTS_PER_CLIENT=100000  # every connection comes from one address
chat_pid=$svc_pid
start_sampler "$chat_pid" "$work/rss-chat"
for _ in $(seq 60); do curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
hits=$(curl -fsS "http://127.0.0.1:$port/api/search?q=event%20loop&k=5&threshold=0" | jq '.hits | length')
say "chat-service ready; a search returns $hits hits"
make_wrk_script search "$work/search.lua"
wrk -t1 -c4 -d5s -s "$work/search.lua" "http://127.0.0.1:$port" >/dev/null # warm-up (JIT, pools)

to_ms() { # wrk duration (123.45us, 1.2ms, 1.5s) -> ms
  awk -v d="$1" 'BEGIN { v = d + 0; if (d ~ /us$/) v /= 1000; else if (d ~ /ms$/) v = v; else if (d ~ /m$/) v *= 60000; else if (d ~ /s$/) v *= 1000; printf "%.2f", v }'
}
pgbench_run() { # DIR CLIENTS -> "tps mean_ms p99_ms"
  local dir=$1 c=$2 scripts=() f
  for f in "$dir"/*.sql; do scripts+=(-f "$f"); done
  pgbench -n -M prepared -c "$c" -j "$((c < 2 ? c : 2))" -T "$duration" -l --log-prefix="$work/pgblog" \
    "${scripts[@]}" "$chat_db_url" >"$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out" >&2; exit 1; }
  local tps mean p99
  tps=$(awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]; exit}' "$work/pgbench.out")
  mean=$(awk -F'= ' '/^latency average/ {split($2, a, " "); print a[1]}' "$work/pgbench.out")
  # per-transaction log: the 3rd field is the latency in microseconds
  p99=$(cat "$work"/pgblog.* | awk '{print $3}' | sort -n | awk '{v[NR] = $1} END {i = int(NR * 0.99); if (i < 1) i = 1; printf "%.2f", v[i] / 1000}')
  rm -f "$work"/pgblog.*
  printf '%.1f %.2f %s\n' "$tps" "$mean" "$p99"
}

rows=()
for c in $conn_list; do
  say "$c connection(s): wrk, then pgbench (search SQL), then pgbench (nearest only), $duration s each"
  wrk -t"$((c < 2 ? c : 2))" -c"$c" -d"${duration}s" --timeout 10s --latency -s "$work/search.lua" \
    "http://127.0.0.1:$port" >"$work/wrk-$c.out" 2>&1
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk-$c.out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$work/wrk-$c.out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/wrk-$c.out")")
  errors=$(awk '/Non-2xx/ {n = $NF} /Socket errors/ {s = $0} END {print (n ? n : 0) (s ? " +" s : "")}' "$work/wrk-$c.out")
  read -r tps mean pp99 < <(pgbench_run "$work/pgb-search" "$c")
  read -r ntps nmean np99 < <(pgbench_run "$work/pgb-nearest" "$c")
  ratio=$(awk -v a="$rps" -v b="$tps" 'BEGIN {printf "%.2f", a / b}')
  rows+=("$(printf '%5s %10s %8s %8s %8s %11s %9s %9s %7s %11s %9s %9s' "$c" "$rps" "$p50" "$p99" "$errors" \
    "$tps" "$mean" "$pp99" "$ratio" "$ntps" "$nmean" "$np99")")
done
chat_hwm=$(vm_kb "$chat_pid" VmHWM)
chat_peak=$(max_rss_kb "$work/rss-chat")
stop_pid "$chat_pid"

echo
echo "search-bench: $chunks chunks x 1536 dimensions (HNSW), GET /api/search k=5 (hybrid: nearest LIMIT 20 at"
echo "ef_search 80 + full-text LIMIT 20), ${duration} s per row; latencies in ms; pgbench -M prepared on 127.0.0.1"
printf '%5s %10s %8s %8s %8s %11s %9s %9s %7s %11s %9s %9s\n' conns svc_req/s svc_p50 svc_p99 non2xx \
  pgb_tps pgb_mean pgb_p99 svc/pgb nearest_tps near_mean near_p99
printf '%s\n' "${rows[@]}"
echo "(pgb_* = the service's SQL per search: the NEAREST transaction + the FULL_TEXT query; nearest_* = NEAREST alone)"
echo "chat-service memory: peak VmRSS sampled $(mb "$chat_peak") MB, VmHWM $(mb "$chat_hwm") MB (budget 128 MB):" \
  "$( ((chat_hwm <= 128 * 1024)) && echo PASS || echo FAIL)"
