#!/usr/bin/env bash
# Large-course benchmark: the offline default (local model) ingesting a generated course of real size, then the
# model alone on the same chunk texts. Loopback only; its own database.
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  cat <<'USAGE'
Usage: deploy/bench/large-course.sh [PAGES] [SEED]

Generates a course of PAGES pages (default 300: long pages, code blocks, tables, 5-40 KB of text each), serves it
on 127.0.0.1, and ingests it with ingest-service as a process: local model (no API key), default settings, the
container's JVM flags (ingest-service/src/main/docker/jvm.options). Prints status, pages/s, chunks, chunks/s and
ingest-service VmHWM; then embeds the very chunk texts with the local model alone in a loop (batches of 64, one
thread) and prints the ratio of the two rates (goal >= 0.8: the pipeline keeps the model busy).
Builds what is missing (REBUILD=1 forces it); starts or reuses deploy/local/postgres.sh's cluster.
USAGE
  exit 0
fi
for n in "$@"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "large-course.sh: PAGES and SEED are whole numbers (got '$n'); see --help" >&2; exit 2; }
done
exec "$(dirname "${BASH_SOURCE[0]}")/run-system-bench.sh" org.coursebot.system.faults.LargeCourseBenchmark "$@"
