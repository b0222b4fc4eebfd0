#!/usr/bin/env bash
# Runs every benchmark once with tiny sizes, so that none of them rots: each must exit 0; its numbers are
# printed, not judged (they mean nothing at these sizes). Part of the test command (deploy/local/test.sh).
set -uo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  cat <<'USAGE'
Usage: deploy/bench/smoke.sh

Runs deploy/bench/{search,limits,bucket4j,ingest,embed,extract,pdf,insights,condense}-bench.sh, soak.sh, large-course.sh, db-sizing.sh, space-layouts.sh, space-switch.sh, university-bench.sh, jvm-bench.sh, deploy/local/memory.sh and
deploy/local/eval.sh with tiny sizes (a few seconds of work each, plus their start-up), one after another, and
prints one line per benchmark: ok or FAILED, with its time. Each one's output goes to
target/bench-smoke/<name>.log. Exit status 1 if any failed (its log's tail is printed).
USAGE
  exit 0
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
logs=$repo/target/bench-smoke
mkdir -p "$logs"
failed=0
run() {
  local name=$1
  shift
  local start=$SECONDS
  if "$@" >"$logs/$name.log" 2>&1; then
    printf 'bench smoke: %-16s ok      %3d s\n' "$name" $((SECONDS - start))
  else
    printf 'bench smoke: %-16s FAILED  %3d s  (%s)\n' "$name" $((SECONDS - start)) "$*"
    tail -n 25 "$logs/$name.log" | sed 's/^/    /'
    failed=1
  fi
}
run search-bench deploy/bench/search-bench.sh --chunks 300 --duration 1 --connections "1 2" --stats-wait 0
run limits-bench deploy/bench/limits-bench.sh --chunks 300 --duration 1 --connections "1 4" --clients 50 --rounds 1
run bucket4j-bench deploy/bench/bucket4j-bench.sh --duration 1 --warmup 1 --threads 2 --clients 50 --rounds 1
run ingest-bench deploy/bench/ingest-bench.sh --pages 6 --edits 1 --no-local --timeout 120
run embed-bench deploy/bench/embed-bench.sh all --chunks 40 --tokens 50 --paragraphs 10
run extract-bench deploy/bench/extract-bench.sh
run pdf-bench deploy/bench/pdf-bench.sh --pages 5 --bomb-mb 64
run insights-bench deploy/bench/insights-bench.sh --chunks 300 --duration 2 --connections 2 --warmup 1
run condense-bench deploy/bench/condense-bench.sh --rounds 1 --chunks 300 --latency 50 --timeout 200
run soak deploy/bench/soak.sh --runs 1 --pages 8
run large-course deploy/bench/large-course.sh 8
run memory deploy/local/memory.sh --pages 8 --duration 2 --connections 2
run db-sizing deploy/bench/db-sizing.sh --chunks 300 --dimensions 384 --buffers 64MB --duration 1
run space-layouts deploy/bench/space-layouts.sh --chunks 300 --duration 1
run space-switch deploy/bench/space-switch.sh 2 3
run university-bench deploy/bench/university-bench.sh --courses 3 --chunks-per-course 100 --dimensions 384 --duration 1 \
  --connections 1 --recall-queries 5 --questions 3000 --recall-ef 200
# Java 25 and its AOT cache: the training runs, and both services started with their caches (-XX:AOTMode=on)
run jvm-bench deploy/bench/jvm-bench.sh --runs 1 --configs "17 25-aot" --pages 8 --load 2 --search 1
run eval deploy/local/eval.sh --only demo-course --variant rrf-k-20:COURSEBOT_SEARCH_RRF_K=20
exit $failed
