#!/usr/bin/env bash
# Answer-quality report of a running chat-service on a question set.
set -euo pipefail
usage() {
  cat <<'USAGE'
Usage: deploy/local/eval.sh [questions.jsonl]

Asks every question of the set (default deploy/demo-course/questions.jsonl) to the running chat-service and
prints hit@1, hit@5 and MRR at page and section level, citation validity (cited urls whose #fragment resolves
in the live page) and "not covered" accuracy. Start the system first (deploy/local/run.sh).
Mind the rate limit: start chat-service with COURSEBOT_RATE_LIMIT_ENABLED=false for sets over ~5 questions.

Environment: CHAT_URL (default http://localhost:8080), COURSE_BASE_URL (default $CHAT_URL/course/)
USAGE
}
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
questions=$(realpath "${1:-$repo/deploy/demo-course/questions.jsonl}")
chat=${CHAT_URL:-http://localhost:8080}
cd "$repo"
cp=.local/eval.classpath
if [[ ! -f system-tests/target/test-classes/org/coursebot/system/QualityEvaluation.class || ! -f $cp ]]; then
  mkdir -p .local
  mvn -B -q -ntp -pl system-tests -am test-compile dependency:build-classpath -Dmdep.outputFile="$repo/$cp" -Dmdep.includeScope=test >/dev/null
fi
exec java -cp "system-tests/target/test-classes:$(cat "$cp")" org.coursebot.system.QualityEvaluation \
  "$chat" "$questions" "${COURSE_BASE_URL:-$chat/course/}"
