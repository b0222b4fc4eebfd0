#!/usr/bin/env bash
# Runs every test: ensures PostgreSQL + pgvector (deploy/local/postgres.sh), then mvn verify.
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  cat <<'USAGE'
Usage: deploy/local/test.sh [extra mvn arguments]

Starts (or reuses) the project-local PostgreSQL cluster and runs `mvn verify` over all modules, then (without
extra arguments) every benchmark once with tiny sizes (deploy/bench/smoke.sh), so that none of them rots.
Each test class creates and drops a database of its own, so a running Coursebot is never touched.
A DATABASE_URL in your environment is ignored here on purpose (tests must not run against a real
deployment); set COURSEBOT_TEST_DATABASE_URL to a role that may CREATE DATABASE to use another cluster.
USAGE
  exit 0
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
if [[ -z ${COURSEBOT_TEST_DATABASE_URL:-} ]]; then
  COURSEBOT_TEST_DATABASE_URL=$(env -u DATABASE_URL deploy/local/postgres.sh | tail -n 1)
fi
export COURSEBOT_TEST_DATABASE_URL
deploy/local/tools.sh
unset DATABASE_URL CHAT_DATABASE_URL OPENAI_API_KEY
if [[ $# -eq 0 ]]; then
  # Also writes the class path the benchmarks' bench_build (deploy/bench/lib.sh) looks for, beside the jars this
  # verify packages anyway: the bench smoke then does not package both services a second time.
  mvn -B -ntp verify dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
  deploy/bench/smoke.sh
else
  mvn -B -ntp verify "$@"
fi
