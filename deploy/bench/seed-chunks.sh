#!/usr/bin/env bash
# Fills a migrated Coursebot database with synthetic chunks for the benchmarks (search-bench.sh, db-sizing.sh,
# university-bench.sh): text made of the sample course's sentences (realistic words for full-text search, realistic
# TOAST compression) in course_chunk, random vectors in the active embedding space's table; that space's HNSW index
# rebuilt after the insert (same definition), then VACUUM ANALYZE and the course vocabulary refreshed (and analyzed), as
# ingest-service leaves it. Says on stderr how long each of those steps took.
#
# Usage: deploy/bench/seed-chunks.sh URL CHUNKS DIMENSIONS SENTENCES_MIN SENTENCES_SPREAD
#                                    [--courses N] [--vectors random|clustered] [--maintenance-work-mem SIZE]
#                                    [--times FILE]
#   each chunk takes SENTENCES_MIN + (its number mod SENTENCES_SPREAD) sentences at random; DIMENSIONS must be the
#   active space's
#   --courses N                the chunks in N consecutive blocks, one course each: source course-001, course-002 ...
#                              (default: one course, source 'bench')
#   --vectors                  random (default): uniform random vectors, no structure. clustered: shaped like
#                              embeddings of many courses (needs --courses): a chunk's vector is the sum of its
#                              subject's, its course's and its page's random direction and noise of its own, with
#                              variances 0.15, 0.15, 0.2 and 0.5. Courses come in subjects of five (course n is of
#                              subject (n - 1) mod (N / 5), as sections of the same introductory course are), a course
#                              in pages of about 1/65 of its chunks. Cosine similarity of two chunks: about 0.5 on a
#                              page, 0.3 in a course, 0.15 in a subject, 0 otherwise.
#   --maintenance-work-mem     for the HNSW build (default 512MB)
#   --times FILE               writes "INSERT HNSW ANALYZE VOCABULARY" there: each step's seconds
set -euo pipefail
usage="usage: seed-chunks.sh URL CHUNKS DIMENSIONS SENTENCES_MIN SENTENCES_SPREAD [--courses N] [--vectors random|clustered] [--maintenance-work-mem SIZE] [--times FILE]"
[[ $# -ge 5 ]] || { echo "$usage" >&2; exit 2; }
url=$1 chunks=$2 dim=$3 min=$4 spread=$5
shift 5
courses=0 work_mem=512MB times_file= vectors_kind=random
while [[ $# -gt 0 ]]; do
  case $1 in
    --courses) courses=$2; shift ;;
    --vectors) vectors_kind=$2; shift ;;
    --maintenance-work-mem) work_mem=$2; shift ;;
    --times) times_file=$2; shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
[[ $courses =~ ^[0-9]+$ ]] && ((courses <= chunks)) || { echo "seed-chunks: --courses 1..CHUNKS" >&2; exit 2; }
[[ $work_mem =~ ^[0-9]+[kMG]B$ ]] || { echo "seed-chunks: --maintenance-work-mem like 512MB" >&2; exit 2; }
[[ $vectors_kind == random || ($vectors_kind == clustered && $courses -gt 0) ]] \
  || { echo "seed-chunks: --vectors random, or clustered with --courses" >&2; exit 2; }
course_sql="((g - 1)::bigint * $courses / $chunks + 1)" # chunk g (1..CHUNKS) belongs to this course (1..COURSES)
if ((courses > 0)); then
  width=$((${#courses} > 3 ? ${#courses} : 3))
  source_sql="'course-' || lpad($course_sql::text, $width, '0')"
else
  source_sql="'bench'"
fi
# One random direction per element of a table, uniform in (-0.5, 0.5) times SCALE: variance SCALE^2 / 12.
direction() { echo "(SELECT array_agg((random() - 0.5) * $1) FROM generate_series(1, $dim) d WHERE d > 0 * $2)::vector"; }
if [[ $vectors_kind == clustered ]]; then
  subjects=$((courses / 5 > 0 ? courses / 5 : 1))
  # variances 0.15, 0.15, 0.2, 0.5: scales sqrt(12 * variance)
  vectors_setup="CREATE TEMP TABLE subject_direction AS SELECT s, $(direction 1.3416 s) AS v FROM generate_series(0, $((subjects - 1))) s;
CREATE TEMP TABLE course_direction AS SELECT c, $(direction 1.3416 c) AS v FROM generate_series(1, $courses) c;
CREATE TEMP TABLE page_direction AS SELECT p, $(direction 1.5492 p) AS v FROM generate_series(0, $((courses * 65 - 1))) p;
CREATE UNIQUE INDEX ON page_direction (p); CREATE UNIQUE INDEX ON course_direction (c); CREATE UNIQUE INDEX ON subject_direction (s);"
  vector_sql="(SELECT v FROM subject_direction WHERE s = ($course_sql - 1) % $subjects)
          + (SELECT v FROM course_direction WHERE c = $course_sql)
          + (SELECT v FROM page_direction WHERE p = ($course_sql - 1) * 65 + g % 65)
          + $(direction 2.4495 g)"
else
  vectors_setup=""
  vector_sql=$(direction 1 g)
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
sentences=$(mktemp)
trap 'rm -f "$sentences"' EXIT
python3 - "$repo/deploy/demo-course" >"$sentences" <<'PY'
import html, pathlib, re, sys
out = set()
for page in pathlib.Path(sys.argv[1]).rglob("*.html"):
    text = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", page.read_text(encoding="utf-8"))
    for s in re.split(r"(?<=[.!?])\s+", html.unescape(re.sub(r"\s+", " ", text))):
        if 40 <= len(s) <= 300 and "\t" not in s and "\\" not in s:
            out.add(s.strip())
print("\n".join(sorted(out)))
PY
read -r space active_dim < <(psql "$url" -X -qtA -F' ' -c "SELECT id, dimension FROM embedding_space WHERE status = 'active'")
[[ ${active_dim:-} == "$dim" ]] \
  || { echo "seed-chunks: the active embedding space has ${active_dim:-no} dimensions, not $dim" >&2; exit 1; }
vectors=course_vector_$space
index_def=$(psql "$url" -X -qtA -c "SELECT indexdef FROM pg_indexes WHERE indexname = '${vectors}_embedding_idx'")
[[ $index_def == *hnsw* ]] || { echo "seed-chunks: the space's HNSW index is missing" >&2; exit 1; }
# The steps' times from the server's clock, printed by the last SELECT (-q keeps the commands' tags quiet).
times=$(psql "$url" -X -q -tA -v ON_ERROR_STOP=1 <<SQL | tail -n 1
CREATE TEMP TABLE sentence (n serial, t text);
\copy sentence (t) FROM '$sentences'
DROP INDEX ${vectors}_embedding_idx;
SELECT clock_timestamp() AS t0 \gset
INSERT INTO course_chunk (id, title, content, url, content_type, part_id, module_id, source, page_url,
                          position, heading_path, content_hash)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'Section ' || g,
       (SELECT string_agg(t, ' ') FROM (SELECT t FROM sentence WHERE n > 0 * g ORDER BY random()
                                          LIMIT $min + g % $spread) x),
       'https://course.example.org/part' || (g % 13 + 1) || '/' || chr(97 + g % 5) || '/#s' || g,
       (ARRAY['section', 'subsection', 'code', 'exercise', 'page'])[1 + g % 5],
       (g % 13 + 1)::text, chr(97 + g % 5),
       $source_sql, 'https://course.example.org/part' || (g % 13 + 1) || '/' || chr(97 + g % 5) || '/', g % 40,
       'Part ' || (g % 13 + 1) || ' > Section ' || g, md5(g::text)
  FROM generate_series(1, $chunks) g;
$vectors_setup
INSERT INTO $vectors (id, content_hash, embedding)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, md5(g::text), $vector_sql
  FROM generate_series(1, $chunks) g;
SELECT clock_timestamp() AS t1 \gset
SET maintenance_work_mem = '$work_mem';
$index_def;
SELECT clock_timestamp() AS t2 \gset
VACUUM ANALYZE course_chunk;
VACUUM ANALYZE $vectors;
SELECT clock_timestamp() AS t3 \gset
SELECT coursebot_refresh_vocabulary();
ANALYZE course_vocabulary;
SELECT concat_ws(' ', round(extract(epoch FROM :'t1'::timestamptz - :'t0'::timestamptz), 1),
                 round(extract(epoch FROM :'t2'::timestamptz - :'t1'::timestamptz), 1),
                 round(extract(epoch FROM :'t3'::timestamptz - :'t2'::timestamptz), 1),
                 round(extract(epoch FROM clock_timestamp() - :'t3'::timestamptz), 1));
SQL
)
[[ -z $times_file ]] || printf '%s\n' "$times" >"$times_file"
read -r insert_s hnsw_s analyze_s vocabulary_s <<<"$times"
echo "seed-chunks: $chunks chunks x $dim dimensions$( ((courses > 0)) && echo " in $courses courses"), $vectors_kind vectors, from" \
  "$(wc -l <"$sentences") distinct sentences: insert $insert_s s, HNSW index $hnsw_s s (maintenance_work_mem $work_mem)," \
  "VACUUM ANALYZE $analyze_s s, vocabulary $vocabulary_s s" >&2
