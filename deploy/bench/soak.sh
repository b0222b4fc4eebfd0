#!/usr/bin/env bash
# Soak benchmark: N consecutive ingests of a large generated course under seeded random OpenAI faults, with
# random page edits, deletions and additions between runs; after each run the database must equal a clean
# ingest of the site as it is then. Loopback only; its own databases; prints a table.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/soak.sh [--runs N] [--pages N] [--seed N] [--fault-rate R]

  --runs N         consecutive ingest runs (default 10)
  --pages N        pages of the generated course (default 300; 5-40 KB of text each)
  --seed N         seed of the course, its mutations and the faults (default 1)
  --fault-rate R   share of embedding requests answered with a fault (default 0.2): 429 + Retry-After,
                   500, 502, 503, a connection reset mid-response, a malformed JSON body

Builds what is missing (Maven, from a fresh clone too), starts or reuses the project-local PostgreSQL
(deploy/local/postgres.sh), and runs ingest-service as a process with the container's JVM flags
(ingest-service/src/main/docker/jvm.options, MALLOC_ARENA_MAX=1) against a local site server and the fake
OpenAI server. Each run's row: faults injected (by kind), retries, pages changed, the run's status, rows
differing from a clean ingest (must be 0), wall time, ingest-service VmHWM. Exit status 1 if any row differs.
Takes about a minute per run at 300 pages (each run is followed by a clean reference ingest).
USAGE
}
args=()
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --runs|--pages|--seed) [[ ${2:-} =~ ^[0-9]+$ ]] || { echo "soak.sh: $1 needs a whole number" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    --fault-rate) [[ ${2:-} =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || { echo "soak.sh: --fault-rate needs a number in [0, 1]" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    *) echo "soak.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

exec "$(dirname "${BASH_SOURCE[0]}")/run-system-bench.sh" org.coursebot.system.faults.SoakBenchmark "${args[@]}"
