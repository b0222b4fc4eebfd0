#!/usr/bin/env bash
# Builds what the system-tests benchmarks (soak.sh, large-course.sh) run: ingest-service's jar and system-tests'
# test classes with their classpath in system-tests/target/bench.classpath. One reactor build, so a fresh clone
# needs nothing installed beforehand. Quiet and quick when everything is there; REBUILD=1 forces it.
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,4p' "$0" | sed 's/^# //'
  exit 0
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
if [[ -n ${REBUILD:-} || ! -f ingest-service/target/quarkus-app/quarkus-run.jar || ! -f system-tests/target/bench.classpath \
      || ! -d system-tests/target/test-classes/org/coursebot/system/faults ]]; then
  echo "build-system-tests.sh: building (mvn package, tests skipped; under /tmp/coursebot-mvn.lock)" >&2
  flock /tmp/coursebot-mvn.lock mvn -B -q -ntp -pl ingest-service,system-tests -am package -DskipTests \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
fi
