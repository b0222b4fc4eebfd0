#!/usr/bin/env bash
# Cost preview: a dry-run ingest (crawl + chunk, no embedding, no writes) and what the real one would cost.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/ops/cost-preview.sh [SOURCE]

Starts a dry run of SOURCE (optional when ingest-service has one source) through the admin API, waits for it,
and prints pages, chunks that would be (re-)embedded, tokens, embedding requests and the estimated cost for
the configured model and, for reference, the other known models. Nothing is embedded or written but the
ingest_run row (marked dry run).

Environment: INGEST_URL (default http://localhost:8081), ADMIN_TOKEN (required).
USAGE
}
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }
: "${ADMIN_TOKEN:?set ADMIN_TOKEN to the ingest-service admin token}"
base=${INGEST_URL:-http://localhost:8081}/admin/ingest
auth=(-H "Authorization: Bearer $ADMIN_TOKEN")
body='{"dryRun":true}'
[[ -n ${1:-} ]] && body="{\"source\":\"$1\",\"dryRun\":true}"

field() { sed -nE "s/.*\"$1\":\"?([^,\"}]*)\"?.*/\1/p" <<<"$2"; }

started=$(curl -sS -X POST "${auth[@]}" -H 'Content-Type: application/json' -d "$body" -w '\n%{http_code}' "$base")
code=${started##*$'\n'}; started=${started%$'\n'*}
[[ $code == 202 ]] || { echo "cost-preview: the dry run did not start (HTTP $code): $started" >&2; exit 1; }
run_id=$(field runId "$started")
while :; do
  run=$(curl -fsS "${auth[@]}" "$base/runs/$run_id")
  [[ $(field status "$run") == running ]] || break
  echo "cost-preview: run $run_id: $(field pagesSeen "$run") pages so far" >&2
  sleep 2
done
[[ $(field status "$run") == succeeded ]] || { echo "cost-preview: run $run_id $(field status "$run"): $run" >&2; exit 1; }

tokens=$(field tokens "$run")
printf '%-34s %s\n' "source" "$(field source "$run")" \
  "dry run" "$run_id" \
  "pages" "$(field pagesSeen "$run")" \
  "chunks to embed" "$(field chunksEmbedded "$run")" \
  "tokens" "$tokens" \
  "embedding requests" "$(field embeddingRequests "$run")" \
  "estimated cost, configured model" "\$$(field estimatedCostUsd "$run")"
# Prices per 1M tokens (USD) of OpenAI's embedding models; tokens are the same for all (cl100k_base).
for model_price in text-embedding-3-small:0.02 text-embedding-ada-002:0.10 text-embedding-3-large:0.13; do
  model=${model_price%%:*}; price=${model_price#*:}
  printf '%-34s $%s\n' "  at $model" "$(awk -v t="$tokens" -v p="$price" 'BEGIN { printf "%.6f", t * p / 1000000 }')"
done
