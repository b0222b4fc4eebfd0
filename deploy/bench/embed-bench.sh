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
  services   packages both services and starts each with the openai provider against the fake server
             (ingest on a throw-away database of the local cluster, COURSEBOT_TEST_DATABASE_URL or
             postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot): prints readiness, whether the
             ONNX runtime is mapped into the process (it must not be), and VmRSS/VmHWM after start-up.
  all        batching and local (default).

Builds the embedding module's test classes first (under the shared Maven lock). Loopback only.
USAGE
}
mode=all chunks=5000 tokens=300 paragraphs=100
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    batching|local|services|all) mode=$1 ;;
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
deploy/bench/build.sh "the embedding module's tests" -q -pl embedding -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" || exit 1
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

if [[ $mode == services ]]; then
  admin=${COURSEBOT_TEST_DATABASE_URL:-postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot}
  db=cb_bench_embed_$$
  deploy/bench/build.sh "both services" -q -pl ingest-service,chat-service -am package -DskipTests || exit 1
  psql "$admin" -qc "CREATE DATABASE $db" >/dev/null
  pids=()
  cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
  }
  trap cleanup EXIT
  java -Xmx64m -cp "$cp" org.coursebot.testing.FakeOpenAiServer 0 > "$repo/embedding/target/fake-openai.out" &
  pids+=($!)
  for _ in $(seq 50); do [[ -s $repo/embedding/target/fake-openai.out ]] && break; sleep 0.2; done
  base=$(head -n 1 "$repo/embedding/target/fake-openai.out")
  dburl=${admin%/*}/$db
  probe() { # name port pid
    local ready=""
    for _ in $(seq 120); do
      ready=$(curl -s "http://127.0.0.1:$2/q/health/ready" || true)
      [[ $ready == *embedding-space* ]] && break
      sleep 0.5
    done
    local onnx=no
    grep -q onnxruntime "/proc/$3/maps" && onnx=yes
    printf '%-15s ready: %s\n' "$1" "$(tr -d ' \n' <<<"$ready" | grep -o '"status":"[A-Z]*"' | head -n 1)"
    printf '%-15s embedding-space check: %s\n' "$1" "$(tr -d '\n' <<<"$ready" | grep -o '{[^{}]*"embedding-space"[^{}]*{[^{}]*}[^{}]*}' || true)"
    printf '%-15s onnxruntime mapped: %s; %s\n' "$1" "$onnx" "$(grep -E 'VmRSS|VmHWM' "/proc/$3/status" | tr -s ' \t' ' ' | tr '\n' ' ')"
  }
  echo "== services with the openai provider (fake server $base)"
  env -u DATABASE_URL DATABASE_URL="$dburl" OPENAI_API_KEY=sk-bench COURSEBOT_EMBEDDING_BASE_URL="$base" PORT=18481 \
    java -Xmx128m -jar ingest-service/target/quarkus-app/quarkus-run.jar > "$repo/embedding/target/ingest-bench.log" 2>&1 &
  pids+=($!)
  probe ingest-service 18481 "${pids[-1]}"
  chaturl=${dburl/\/\/*@/\/\/coursebot_chat:coursebot_chat@}
  env -u DATABASE_URL CHAT_DATABASE_URL="$chaturl" OPENAI_API_KEY=sk-bench COURSEBOT_EMBEDDING_BASE_URL="$base" \
    PORT=18480 \
    java -Xmx64m -jar chat-service/target/quarkus-app/quarkus-run.jar > "$repo/embedding/target/chat-bench.log" 2>&1 &
  pids+=($!)
  probe chat-service 18480 "${pids[-1]}"
fi
