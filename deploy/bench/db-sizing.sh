#!/usr/bin/env bash
# Database sizing (issue 17): how much disk and memory course_content and its indexes take at a given number of
# chunks and dimensions, and the search statement's latency with shared_buffers as on Render's plans. Prints a
# table; asserts nothing.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/db-sizing.sh [--chunks "1000 10000 50000"] [--dimensions "1536 384"]
                                 [--buffers "64MB 256MB"] [--duration SECONDS]

Starts a private PostgreSQL cluster (the binaries and pgvector deploy/local/postgres.sh installed; a free port
on 127.0.0.1, removed on exit), and for each dimension and chunk count:
  - creates the schema from the migrations (ingest-service/src/main/resources/db/migration, placeholders filled
    as ingest-service fills them) and inserts the chunks: text made of the sample course's sentences (about
    1,100 characters a chunk, as the chunker makes them), random vectors; the HNSW index built after the insert
    (same definition), ANALYZE, the course vocabulary refreshed;
  - prints the sizes: the table with its TOAST (text and vectors), the HNSW index, the GIN (full-text) index and
    the total;
  - for each shared_buffers value (default 64MB and 256MB: 25% of a 256 MB and of a 1 GB plan, PostgreSQL's
    usual share), restarts the cluster with it and runs chat-service's search statement
    (SearchRepository.SEARCH_TEMPLATE, read from the source, over space 1) with pgbench -M prepared, in sessions with the settings
    chat-service's connections start with (SearchPoolCreator), one client, --duration seconds
    (default 10) after a warm-up (3 s, or --duration if shorter), k=5, random question vectors: p50 and p99 in ms.
Caveat: this machine's operating system caches the files in memory it has to spare; on a 256 MB plan the OS
cache is small too, so a working set larger than the plan's memory is slower there than measured here. Read
the sizes against the plan's memory first.
USAGE
}

chunk_list="1000 10000 50000" dim_list="1536 384" buffer_list="64MB 256MB" duration=10
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --chunks) chunk_list=$2; shift ;;
    --dimensions) dim_list=$2; shift ;;
    --buffers) buffer_list=$2; shift ;;
    --duration) duration=$2; shift ;;
    *) echo "db-sizing: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in $chunk_list; do ((n >= 100 && n <= 500000)) || { echo "db-sizing: chunks 100..500000" >&2; exit 2; }; done
for d in $dim_list; do ((d >= 2 && d <= 2000)) || { echo "db-sizing: dimensions 2..2000 (HNSW's limit)" >&2; exit 2; }; done
((duration >= 1 && duration <= 300)) || { echo "db-sizing: --duration 1..300" >&2; exit 2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
say() { printf 'db-sizing: %s\n' "$*" >&2; }
# shellcheck source=private-cluster.sh
source "$repo/deploy/bench/private-cluster.sh"
work=$cluster_work url=$cluster_url
start() { cluster_start "$1"; }
stop() { cluster_stop; }
sql() { cluster_sql "$@"; }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }

# The statement chat-service sends, from its source.
python3 "$repo/deploy/bench/pgbench-scripts.py" search-statement >"$work/search.sql"
questions=$(jq -r -n '[inputs.question][:20][]' "$repo/deploy/demo-course/questions.jsonl")

start 128MB
rows=()
for dim in $dim_list; do
  for n in $chunk_list; do
    say "$n chunks x $dim dimensions: schema, insert, HNSW index"
    cluster_migrate "$dim"
    started=$SECONDS
    "$repo/deploy/bench/seed-chunks.sh" "$url" "$n" "$dim" 9 1 # ~1,050 characters a chunk, as the chunker makes
    read -r table hnsw gin total avg < <(psql "$url" -X -qtA -F' ' -c "
      SELECT pg_table_size('course_chunk') + pg_table_size('course_vector_1'),
             pg_relation_size('course_vector_1_embedding_idx'), pg_relation_size('course_chunk_tsv_idx'),
             pg_total_relation_size('course_chunk') + pg_total_relation_size('course_vector_1'),
             (SELECT avg(length(content))::int FROM course_chunk)")
    say "  inserted and indexed in $((SECONDS - started)) s; chunks average $avg characters"
    # One pgbench script per question, each with a random vector bound by \gset, then the statement.
    mkdir -p "$work/pgb" && rm -f "$work"/pgb/*.sql
    i=0
    while IFS= read -r q; do
      i=$((i + 1))
      parameters=$(python3 -c 'import json, random, sys
vector = [round(random.random() - 0.5, 6) for _ in range(int(sys.argv[1]))]  # $1 is a real[]
print(json.dumps([vector, "english", sys.argv[2], 20, 0.35, 0.1, 60, 5, True, [], 3, None, sys.argv[2]]))' "$dim" "$q")
      python3 "$repo/deploy/bench/pgbench-scripts.py" one "$work/search.sql" "$parameters" >"$work/pgb/q$i.sql"
    done <<<"$questions"
    scripts=(); for f in "$work"/pgb/*.sql; do scripts+=(-f "$f"); done
    latencies=()
    # The settings chat-service's connections start with (SearchPoolCreator).
    options="-c hnsw.ef_search=80 -c hnsw.iterative_scan=strict_order -c random_page_cost=1.1"
    for buffers in $buffer_list; do
      stop; start "$buffers"
      PGOPTIONS=$options pgbench -n -M prepared -c 1 -T "$((duration < 3 ? duration : 3))" "${scripts[@]}" "$url" \
        >/dev/null 2>&1 # warm-up: 3 s, or --duration if shorter
      PGOPTIONS=$options pgbench -n -M prepared -c 1 -T "$duration" -l --log-prefix="$work/pgblog" "${scripts[@]}" "$url" \
        >"$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out" >&2; exit 1; }
      latencies+=("$(cat "$work"/pgblog.* | awk '{print $3}' | sort -n | awk '{v[NR] = $1}
        END {m = int((NR + 1) / 2); i = int(NR * 0.99); if (i < 1) i = 1; printf "%.1f / %.1f", v[m] / 1000, v[i] / 1000}')")
      rm -f "$work"/pgblog.*
    done
    stop; start 128MB
    rows+=("$(printf '%6s %6s %10s %10s %10s %10s' "$dim" "$n" "$(mb "$table")" "$(mb "$hnsw")" "$(mb "$gin")" \
      "$(mb "$total")")$(printf '   %-15s' "${latencies[@]}")")
  done
done

echo
echo "db-sizing: course_chunk + one space's vectors with the migrations' indexes; sizes in MB; search = chat-service's statement"
echo "(k=5, ef_search 80), p50 / p99 ms over ${duration} s, one client, per shared_buffers value"
printf '%6s %6s %10s %10s %10s %10s' dims chunks table+toast hnsw gin total
for b in $buffer_list; do printf '   %-15s' "sb=$b"; done
echo
printf '%s\n' "${rows[@]}"
