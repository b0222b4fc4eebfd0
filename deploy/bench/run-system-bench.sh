#!/usr/bin/env bash
# Runs a main class of system-tests (soak.sh, large-course.sh, deploy/local/eval.sh): starts or reuses the
# project-local PostgreSQL (deploy/local/postgres.sh, unless COURSEBOT_TEST_DATABASE_URL is set), builds both
# services' jars and system-tests' test classes when missing (one reactor build, so a fresh clone needs nothing installed
# beforehand; REBUILD=1 forces it), then runs the class with the remaining arguments.
set -euo pipefail
if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  echo "Usage: deploy/bench/run-system-bench.sh MAIN_CLASS [ARGS...]   (called by soak.sh, large-course.sh and eval.sh)" >&2
  [[ $# -ge 1 ]] && exit 0 || exit 2
fi
main=$1
shift
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
COURSEBOT_TEST_DATABASE_URL=${COURSEBOT_TEST_DATABASE_URL:-$(env -u DATABASE_URL deploy/local/postgres.sh | tail -n 1)}
export COURSEBOT_TEST_DATABASE_URL
if [[ -n ${REBUILD:-} || ! -f ingest-service/target/quarkus-app/quarkus-run.jar
      || ! -f chat-service/target/quarkus-app/quarkus-run.jar || ! -f system-tests/target/bench.classpath \
      || ! -d system-tests/target/test-classes/org/coursebot/system/faults ]]; then
  echo "run-system-bench.sh: building (mvn package, tests skipped; under /tmp/coursebot-mvn.lock)" >&2
  deploy/bench/build.sh "both services and system-tests" -q -pl ingest-service,chat-service,system-tests -am \
    package -DskipTests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath \
    || exit 1
fi
exec java -Xmx512m -cp "system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)" "$main" "$@" \
  2> >(grep -v -E '^(SLF4J|Could not load Logmanager|.*JBossLoggerFinder getLogger|ERROR: The LogManager accessed)' >&2)
