#!/usr/bin/env bash
# Answer-quality report on a sample course: ranking, citations and the coverage decision, per part of the set.
set -euo pipefail
usage() {
  cat <<'USAGE'
Usage: deploy/local/eval.sh [--ablate] [--variant NAME:VAR=VALUE,...]... [--only COURSE]... [--set NAME=VALUE]...
                            [--details DIR]
       deploy/local/eval.sh --course DIR [--questions FILE] [--chat URL] [--details FILE] [--latency-rounds N]
                            [--set NAME=VALUE]...

Without --course: every course of deploy/ with a questions.jsonl side by side (demo-course, git-course, and
shell-course once deploy/shell-course/build.sh has built it), one table per course with tuning and held-out
apart, under the defaults and each variant:
  --ablate          the ablation: each ranking and coverage signal switched off alone (QualityComparison.ABLATION)
  --variant SPEC    a setting to compare, NAME:VAR=VALUE[,VAR=VALUE] (repeatable); one that sets only
                    COURSEBOT_SEARCH_* restarts chat-service alone, any other ingests the course again
  --only COURSE     just this course (repeatable)
  --details DIR     per-question outcomes, one file per course and variant (default target/eval)
It ends with each variant's held-out page MRR change per course: a setting is kept only if no course loses more
than 0.01.

With --course, one course in detail:

  --course DIR      the course folder (deploy/demo-course, deploy/git-course, or a built site folder)
  --questions FILE  the question set (default DIR/questions.jsonl)
  --chat URL        evaluate this running chat-service instead (its course served at URL/course/, rate limit
                    off: COURSEBOT_RATE_LIMIT_ENABLED=false)
  --details FILE    per-question outcomes and coverage signals (default target/eval/<course>.jsonl)
  --latency-rounds N  also time GET /api/search over every question N times, one at a time: p50/p99; and
                    POST /api/chat over the conversations (conversations.jsonl) with and without their history
  --set NAME=VALUE  an environment variable for both services, to compare settings (repeatable), e.g.
                    --set COURSEBOT_EMBEDDING_LOCAL_MODEL=bge-small-en-v1.5-q

Without --chat it starts the whole system on the offline default over the course, on a database of its own in
the project-local PostgreSQL and on free ports, ingests the course, asks every question, and stops. It prints,
for the tuning part and the held-out part of the set separately (nothing is fitted on the held-out part) and
for both: page and section hit@1, hit@5 and MRR, out-of-scope questions refused and answerable ones refused
(covered: false), and citation validity (cited urls whose #fragment resolves in the live page).
Builds what is missing first (REBUILD=1 forces it).
USAGE
}
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }
args=()
mode=QualityComparison
while (($#)); do
  case $1 in
    --ablate) args+=("$1"); shift ;;
    --variant|--only) [[ -n ${2:-} ]] || { echo "eval.sh: $1 needs a value" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    --course|--chat) mode=QualityEvaluation ;;&
    --course|--questions|--details) [[ -e ${2:-} || $1 == --details ]] || { echo "eval.sh: $1 needs an existing path" >&2; exit 2; }
      args+=("$1" "$(realpath -m "$2")"); shift 2 ;;
    --latency-rounds) [[ ${2:-} =~ ^[0-9]+$ ]] || { echo "eval.sh: $1 needs a whole number" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    --set) [[ ${2:-} == *=* ]] || { echo "eval.sh: --set needs NAME=VALUE" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    --chat) [[ ${2:-} =~ ^https?:// ]] || { echo "eval.sh: --chat needs a URL" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    *) echo "eval.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec "$repo/deploy/bench/run-system-bench.sh" "org.coursebot.system.$mode" "${args[@]}"
