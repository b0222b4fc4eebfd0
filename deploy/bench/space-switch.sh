#!/usr/bin/env bash
# Changing the embedding model under load (issue 18): both services as processes, the sample course in space 1
# (text-embedding-3-small/1536 from the fake OpenAI server on 127.0.0.1), students searching and asking without pause
# while space 2 (the same model at 512 dimensions) is built, compared, activated and rolled back.
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  cat <<'USAGE'
Usage: deploy/bench/space-switch.sh [STUDENTS] [PHASE_SECONDS]

STUDENTS (default 16: half on /api/search, half on /api/chat, 10 ms between a student's requests) ask for 10 s of
warm-up (PHASE_SECONDS if shorter), then PHASE_SECONDS (default 20) on space 1, during the build of space 2 and the comparison, PHASE_SECONDS on
space 2, PHASE_SECONDS after the rollback to space 1. Prints requests, failures, p50/p99 and the spaces answers
reported per phase (also in system-tests/target/space-switch-table.md), the build's figures, the comparison, the
number of searches whose hits are not from the space they report (must be 0), and chat-service's VmHWM.
Builds what is missing (REBUILD=1 forces it); starts or reuses deploy/local/postgres.sh's cluster.
USAGE
  exit 0
fi
for n in "$@"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "space-switch.sh: STUDENTS and PHASE_SECONDS are whole numbers (got '$n'); see --help" >&2; exit 2; }
done
exec "$(dirname "${BASH_SOURCE[0]}")/run-system-bench.sh" org.coursebot.system.answers.SpaceSwitchBenchmark "$@"
