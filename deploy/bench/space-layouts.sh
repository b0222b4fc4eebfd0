#!/usr/bin/env bash
# Several embedding spaces in one database (issue 18): which storage layout does the planner serve with an HNSW
# index per space? Prints, per layout and space, whether the nearest-neighbour query's plan uses that space's
# index (generic and custom plan), its p50 / p99, and the sizes. Asserts nothing.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/space-layouts.sh [--chunks N] [--duration SECONDS]

A private PostgreSQL cluster (the binaries and pgvector deploy/local/postgres.sh installed; removed on exit)
holds --chunks chunks (default 10000) once, and their vectors in two spaces: 1536 dimensions (as
text-embedding-3-small) and 384 (as the local model), random. Two layouts:
  tables   one table of vectors per space, typed vector(D), its own HNSW index; the chunks' text in one table
  column   one table of vectors for every space, an untyped vector column, and per space a partial HNSW index
           on the cast: USING hnsw ((embedding::vector(D)) vector_cosine_ops) WHERE space_id = S
For each layout and space: the nearest 20 chunks with their text (ORDER BY distance LIMIT 20, the form HNSW
serves), prepared, EXPLAINed as a generic and as a custom plan (does it use that space's index?), then pgbench
-M prepared, one client, --duration seconds (default 10): p50 / p99 ms. The statements are printed.
USAGE
}

chunks=10000 duration=10
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --chunks) chunks=$2; shift ;;
    --duration) duration=$2; shift ;;
    *) echo "space-layouts: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((chunks >= 100 && chunks <= 200000 && duration >= 1 && duration <= 300)) \
  || { echo "space-layouts: --chunks 100..200000, --duration 1..300" >&2; exit 2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
say() { printf 'space-layouts: %s\n' "$*" >&2; }
# shellcheck source=private-cluster.sh
source "$repo/deploy/bench/private-cluster.sh"
cluster_start 128MB

options="-c hnsw.ef_search=80 -c hnsw.iterative_scan=strict_order -c random_page_cost=1.1" # as chat-service's
say "$chunks chunks, two spaces (1536 and 384 dimensions), two layouts"
cluster_sql >/dev/null <<SQL
CREATE EXTENSION vector;
CREATE TABLE chunk (id bigint PRIMARY KEY, title text, url text, content text);
INSERT INTO chunk SELECT g, 'Section ' || g, 'https://course.example.org/p' || g % 97 || '/#s' || g,
                         repeat(md5(g::text) || ' ', 30) FROM generate_series(1, $chunks) g;
-- layout "tables"
CREATE TABLE vec_s1 (chunk_id bigint PRIMARY KEY REFERENCES chunk, embedding vector(1536) NOT NULL);
CREATE TABLE vec_s2 (chunk_id bigint PRIMARY KEY REFERENCES chunk, embedding vector(384) NOT NULL);
INSERT INTO vec_s1 SELECT g, (SELECT array_agg(random() - 0.5) FROM generate_series(1, 1536) d WHERE d > 0 * g)::vector
  FROM generate_series(1, $chunks) g;
INSERT INTO vec_s2 SELECT g, (SELECT array_agg(random() - 0.5) FROM generate_series(1, 384) d WHERE d > 0 * g)::vector
  FROM generate_series(1, $chunks) g;
-- layout "column": the same vectors
CREATE TABLE chunk_vector (chunk_id bigint NOT NULL REFERENCES chunk, space_id int NOT NULL, embedding vector NOT NULL,
                           PRIMARY KEY (space_id, chunk_id));
INSERT INTO chunk_vector SELECT chunk_id, 1, embedding FROM vec_s1;
INSERT INTO chunk_vector SELECT chunk_id, 2, embedding FROM vec_s2;
SET maintenance_work_mem = '512MB';
CREATE INDEX vec_s1_idx ON vec_s1 USING hnsw (embedding vector_cosine_ops);
CREATE INDEX vec_s2_idx ON vec_s2 USING hnsw (embedding vector_cosine_ops);
CREATE INDEX chunk_vector_s1_idx ON chunk_vector USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE space_id = 1;
CREATE INDEX chunk_vector_s2_idx ON chunk_vector USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE space_id = 2;
VACUUM ANALYZE;
SQL

statement() { # LAYOUT SPACE DIM -> the nearest-20 statement, $1 the question vector
  if [[ $1 == tables ]]; then
    echo "SELECT c.id, c.title, c.url, c.content, 1 - (v.embedding <=> \$1::vector($3)) AS similarity
  FROM vec_s$2 v JOIN chunk c ON c.id = v.chunk_id
 ORDER BY v.embedding <=> \$1::vector($3) LIMIT 20"
  else
    echo "SELECT c.id, c.title, c.url, c.content, 1 - (v.embedding::vector($3) <=> \$1::vector($3)) AS similarity
  FROM chunk_vector v JOIN chunk c ON c.id = v.chunk_id
 WHERE v.space_id = $2
 ORDER BY v.embedding::vector($3) <=> \$1::vector($3) LIMIT 20"
  fi
}
vector() { python3 -c "import random; print('[' + ','.join(f'{random.random() - 0.5:.6f}' for _ in range($1)) + ']')"; }

rows=()
for layout in tables column; do
  for space in 1 2; do
    dim=$([[ $space == 1 ]] && echo 1536 || echo 384)
    sql=$(statement "$layout" "$space" "$dim")
    index=$([[ $layout == tables ]] && echo "vec_s${space}_idx" || echo "chunk_vector_s${space}_idx")
    say "$layout, space $space ($dim dimensions):"
    sed 's/^/    /' <<<"$sql" >&2
    plans=()
    for mode in force_generic_plan force_custom_plan; do
      plan=$(PGOPTIONS="$options -c plan_cache_mode=$mode" psql "$cluster_url" -X -qtA <<SQL
PREPARE s AS $sql;
EXPLAIN (COSTS OFF) EXECUTE s('$(vector "$dim")');
SQL
)
      grep -q "Index Scan using $index" <<<"$plan" && plans+=("index") || plans+=("NO INDEX")
    done
    mkdir -p "$cluster_work/pgb" && rm -f "$cluster_work"/pgb/*.sql
    printf '%s\n' "$sql" >"$cluster_work/statement.sql"
    for i in $(seq 20); do
      python3 "$repo/deploy/bench/pgbench-scripts.py" one "$cluster_work/statement.sql" "[\"$(vector "$dim")\"]" \
        >"$cluster_work/pgb/q$i.sql"
    done
    scripts=(); for f in "$cluster_work"/pgb/*.sql; do scripts+=(-f "$f"); done
    PGOPTIONS=$options pgbench -n -M prepared -c 1 -T "$((duration < 2 ? duration : 2))" "${scripts[@]}" "$cluster_url" \
      >/dev/null 2>&1 # warm-up: 2 s, or --duration if shorter
    PGOPTIONS=$options pgbench -n -M prepared -c 1 -T "$duration" -l --log-prefix="$cluster_work/pgblog" \
      "${scripts[@]}" "$cluster_url" >"$cluster_work/pgbench.out" 2>&1 || { cat "$cluster_work/pgbench.out" >&2; exit 1; }
    latency=$(cat "$cluster_work"/pgblog.* | awk '{print $3}' | sort -n | awk '{v[NR] = $1}
      END {m = int((NR + 1) / 2); i = int(NR * 0.99); if (i < 1) i = 1; printf "%.1f / %.1f", v[m] / 1000, v[i] / 1000}')
    rm -f "$cluster_work"/pgblog.*
    size=$(psql "$cluster_url" -X -qtA -c "SELECT round(pg_relation_size('$index') / 1048576.0, 1)")
    rows+=("$(printf '%-8s %6s %6s %-10s %-10s %14s %10s' "$layout" "$space" "$dim" "${plans[0]}" "${plans[1]}" \
      "$latency" "$size")")
  done
done
tables_size=$(psql "$cluster_url" -X -qtA -c "SELECT round((pg_table_size('vec_s1') + pg_table_size('vec_s2')) / 1048576.0, 1)")
column_size=$(psql "$cluster_url" -X -qtA -c "SELECT round(pg_table_size('chunk_vector') / 1048576.0, 1)")

echo
echo "space-layouts: $chunks chunks in two spaces; nearest 20 with their text, one client, ${duration} s; ms; MB"
printf '%-8s %6s %6s %-10s %-10s %14s %10s\n' layout space dims generic custom "p50 / p99" index_MB
printf '%s\n' "${rows[@]}"
echo "vectors' tables: tables layout $tables_size MB, column layout $column_size MB (with TOAST)"
