#!/usr/bin/env bash
# One Maven build for a benchmark script, from any state of the checkout (a fresh clone too: reactor builds,
# nothing assumed installed in ~/.m2): under the shared lock, quiet when it works; when it fails, what failed,
# Maven's errors and where the whole log is.
# Usage: deploy/bench/build.sh "WHAT IS BUILT" MVN_ARGS...
set -uo pipefail
if [[ $# -lt 2 || $1 == -h || $1 == --help ]]; then
  echo 'Usage: deploy/bench/build.sh "what is built" MVN_ARGS...   (called by the benchmark scripts)' >&2
  [[ ${1:-} == -h || ${1:-} == --help ]] && exit 0 || exit 2
fi
what=$1
shift
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
log=$(mktemp /tmp/coursebot-build.XXXXXX)
if (cd "$repo" && flock /tmp/coursebot-mvn.lock mvn -B -ntp "$@") >"$log" 2>&1; then
  rm -f "$log"
  exit 0
fi
echo "build failed: $what (mvn $*)" >&2
grep -E '^\[ERROR\]' "$log" | head -n 25 >&2 || tail -n 30 "$log" >&2
echo "the whole build log: $log" >&2
exit 1
