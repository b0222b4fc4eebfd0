#!/usr/bin/env bash
# Old vs new search: runs a question set through the old system's search and Coursebot's, prints the report.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/ops/compare.sh [-k K] QUESTIONS.jsonl

QUESTIONS.jsonl: one {"question": "...", "expectedUrl": "..."} per line (expectedUrl optional: the page, or
section, that answers it; a path such as /part1/a/ matches that page on any host). At most 1000 questions.

Calls chat-service's POST /admin/migration/compare, which embeds each question as the old API did and asks the
old database (LEGACY_DATABASE_URL on coursebot-chat, read-only) for its top K (default 5), asks Coursebot's
search for its top K, and prints: hit@1, hit@5 and MRR for both (where expectedUrl is given), citation
validity for both (cited #fragments that resolve in the page as fetched now), the overlap of cited pages
(Jaccard@K) and the 10 questions where the two disagree most. Nothing is written anywhere.

Environment: CHAT_URL (default http://localhost:8080), ADMIN_TOKEN (required; chat-service's admin token).
USAGE
}

k=5
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    -k) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { echo "compare: -k needs a number" >&2; exit 2; }; k=$2; shift 2 ;;
    -*) echo "compare: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ $# -eq 1 ]] || { usage >&2; exit 2; }
questions=$1
[[ -r $questions ]] || { echo "compare: cannot read $questions" >&2; exit 1; }
: "${ADMIN_TOKEN:?set ADMIN_TOKEN to the admin token of chat-service}"
url=${CHAT_URL:-http://localhost:8080}/admin/migration/compare

# JSONL → {"questions": [line,line,...], "k": K}: blank lines and CRs dropped; each line is already JSON.
lines=$(tr -d '\r' <"$questions" | grep -v '^[[:space:]]*$' | paste -sd, - || true)
[[ -n $lines ]] || { echo "compare: $questions has no questions" >&2; exit 1; }
body=$(mktemp); out=$(mktemp)
trap 'rm -f "$body" "$out"' EXIT
printf '{"questions":[%s],"k":%s}' "$lines" "$k" >"$body"

count=$(tr -d '\r' <"$questions" | grep -cv '^[[:space:]]*$' || true)
echo "compare: $count questions against $url (this takes a while; progress is in chat-service's log)" >&2
code=$(curl -sS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -H 'Accept: text/plain' --data-binary "@$body" -o "$out" -w '%{http_code}' --max-time 3600 "$url") \
  || { echo "compare: cannot reach $url (is CHAT_URL right?)" >&2; exit 1; }
if [[ $code != 200 ]]; then
  echo "compare: HTTP $code from $url:" >&2
  cat "$out" >&2; echo >&2
  [[ $code == 404 ]] && echo "compare: is LEGACY_DATABASE_URL set on chat-service (and ADMIN_TOKEN)?" >&2
  exit 1
fi
cat "$out"
