#!/usr/bin/env bash
# Extraction benchmark over the Readability corpus: throughput, citation correctness, content kept, boilerplate.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/extract-bench.sh [--corpus DIR]

Runs ReadabilityCorpusTests (ingest-service, package org.coursebot.ingest.extract) through Maven under the
shared build lock (/tmp/coursebot-mvn.lock), then prints what it measured over every DIR/*/source.html:

  pages, pages/s (cold JVM, then a second warm pass; parse + extract + chunk),
  fragments emitted and the share that resolve in the page (first element with that id, else a[name]),
  content kept   = share of expected.html words the sections keep (bag of words, case-folded),
  boilerplate    = share of the sections' words that are not in expected.html.

The test also fails if a page throws, takes 1 s or more, or cites a fragment that lands nowhere.
Per-page numbers: ingest-service/target/extract-bench/pages.tsv.

  --corpus DIR   the corpus folder (default: shared/corpus/readability found beside the repository)
USAGE
}

corpus=""
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --corpus) [[ $# -ge 2 ]] || { echo "extract-bench: --corpus needs a folder" >&2; exit 2; }
              corpus=$(cd "$2" && pwd); shift 2 ;;
    *) echo "extract-bench: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
summary=ingest-service/target/extract-bench/summary.txt
rm -f "$summary"

args=(-B -q -pl ingest-service -am test -Dtest=ReadabilityCorpusTests -Dsurefire.failIfNoSpecifiedTests=false)
[[ -n $corpus ]] && args+=("-Dcoursebot.corpus.dir=$corpus")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! flock /tmp/coursebot-mvn.lock mvn "${args[@]}" >"$log" 2>&1; then
  grep -E 'Tests run|FAIL|Expecting|ERROR\] +[A-Za-z]' "$log" >&2 || tail -n 40 "$log" >&2
  echo "extract-bench: the corpus test failed (full log above)" >&2
  exit 1
fi
if [[ ! -s $summary ]]; then
  grep -E 'skipped|not found' "$log" >&2 || true
  echo "extract-bench: no numbers written; was the corpus found? (try --corpus DIR)" >&2
  exit 1
fi
cat "$summary"
