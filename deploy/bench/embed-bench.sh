#!/usr/bin/env bash
# Embedding benchmarks: request counts of the batcher against a fake OpenAI server, and the local model's
# throughput and memory. Prints numbers; asserts nothing.
set -euo pipefail
usage() {
  cat <<'USAGE'
Usage: deploy/bench/embed-bench.sh [batching|local|all] [--chunks N] [--tokens N] [--paragraphs N]

  batching   N chunks (default 5000) of ~T tokens (default 300) embedded through the real OpenAI client
             against a fake OpenAI-compatible server on 127.0.0.1: requests with the old fixed batch of 20
             vs the token-bounded batcher (2,048 inputs / 250,000 tokens per request). Also shows that this
             openai-configured JVM never loaded the local model or the ONNX runtime, and its RSS.
  local      the in-process all-MiniLM-L6-v2 (quantized) model: embeddings/second for a batch of
             --paragraphs (default 100) real paragraphs from ../shared/corpus (COURSEBOT_CORPUS overrides),
             on one worker thread, and the RSS added by loading the model (JVM -Xmx256m).
  all        both (default).

Builds the embedding module's test classes first (under the shared Maven lock). Loopback only.
USAGE
}
mode=all chunks=5000 tokens=300 paragraphs=100
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    batching|local|all) mode=$1 ;;
    --chunks) chunks=$2; shift ;;
    --tokens) tokens=$2; shift ;;
    --paragraphs) paragraphs=$2; shift ;;
    *) echo "embed-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
cpfile=$repo/embedding/target/bench.classpath
flock /tmp/coursebot-mvn.lock mvn -B -q -pl embedding -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null
cp=embedding/target/test-classes:embedding/target/classes:$(cat "$cpfile")
main=org.coursebot.embedding.bench.EmbedBench
if [[ $mode == batching || $mode == all ]]; then
  echo "== batching: $chunks chunks of ~$tokens tokens against the fake OpenAI server"
  java -Xmx512m -cp "$cp" "$main" batching "$chunks" "$tokens" 2>&1 | grep -v -E '^(SLF4J|Could not load Logmanager|java.lang.ClassNotFound)'
fi
if [[ $mode == local || $mode == all ]]; then
  corpus=${COURSEBOT_CORPUS:-$repo/../shared/corpus/readability}
  echo "== local model: $paragraphs paragraphs"
  java -Xmx256m -cp "$cp" "$main" local "$corpus" "$paragraphs" 2>&1 | grep -v -E '^(SLF4J|Could not load Logmanager|java.lang.ClassNotFound)'
fi
