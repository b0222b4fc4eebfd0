#!/usr/bin/env bash
# Fills a migrated Coursebot database with synthetic chunks for the benchmarks (search-bench.sh, db-sizing.sh):
# text made of the sample course's sentences (realistic words for full-text search, realistic TOAST
# compression) in course_chunk, random vectors in the active embedding space's table; that space's HNSW index
# rebuilt after the insert (same definition), then VACUUM ANALYZE and the course vocabulary refreshed, as
# ingest-service leaves it.
#
# Usage: deploy/bench/seed-chunks.sh URL CHUNKS DIMENSIONS SENTENCES_MIN SENTENCES_SPREAD
#   each chunk takes SENTENCES_MIN + (its number mod SENTENCES_SPREAD) sentences at random; DIMENSIONS must be the
#   active space's
set -euo pipefail
[[ $# -eq 5 ]] || { echo "usage: seed-chunks.sh URL CHUNKS DIMENSIONS SENTENCES_MIN SENTENCES_SPREAD" >&2; exit 2; }
url=$1 chunks=$2 dim=$3 min=$4 spread=$5
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
psql "$url" -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE TEMP TABLE sentence (n serial, t text);
\copy sentence (t) FROM '$sentences'
DROP INDEX ${vectors}_embedding_idx;
INSERT INTO course_chunk (id, title, content, url, content_type, part_id, module_id, source, page_url,
                          position, heading_path, content_hash)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'Section ' || g,
       (SELECT string_agg(t, ' ') FROM (SELECT t FROM sentence WHERE n > 0 * g ORDER BY random()
                                          LIMIT $min + g % $spread) x),
       'https://course.example.org/part' || (g % 13 + 1) || '/' || chr(97 + g % 5) || '/#s' || g,
       (ARRAY['section', 'subsection', 'code', 'exercise', 'page'])[1 + g % 5],
       (g % 13 + 1)::text, chr(97 + g % 5),
       'bench', 'https://course.example.org/part' || (g % 13 + 1) || '/' || chr(97 + g % 5) || '/', g % 40,
       'Part ' || (g % 13 + 1) || ' > Section ' || g, md5(g::text)
  FROM generate_series(1, $chunks) g;
INSERT INTO $vectors (id, content_hash, embedding)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, md5(g::text),
       (SELECT array_agg(random() - 0.5) FROM generate_series(1, $dim) d WHERE d > 0 * g)::vector
  FROM generate_series(1, $chunks) g;
SET maintenance_work_mem = '512MB';
$index_def;
VACUUM ANALYZE course_chunk;
VACUUM ANALYZE $vectors;
REFRESH MATERIALIZED VIEW course_vocabulary;
SQL
echo "seed-chunks: $chunks chunks x $dim dimensions from $(wc -l <"$sentences") distinct sentences" >&2
