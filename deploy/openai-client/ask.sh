#!/usr/bin/env bash
# Asks Coursebot a question through chat-service's OpenAI-compatible API with OpenAI's official Node client (ask.mjs).
set -euo pipefail
usage() {
  cat <<'USAGE'
Usage: deploy/openai-client/ask.sh [--model coursebot|coursebot-<course>] "question"

Streams the answer of POST $COURSEBOT_URL/v1/chat/completions (stream: true) as OpenAI's Node client receives it,
then the citations of its final chunk. --model: coursebot (every course, the default) or coursebot-<course>
(GET /v1/models lists them). Installs the pinned client (package-lock.json) with npm ci when node_modules is
missing or older than the lock.

Environment:
  COURSEBOT_URL      chat-service's base URL (default http://localhost:8080)
  COURSEBOT_API_KEY  one of chat-service's coursebot.api.keys, when it has any

Exit 0 = answered; 1 = the service refused or could not be reached (the error is printed); 2 = bad usage.
USAGE
}
case ${1:-} in
  -h | --help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v node >/dev/null || { echo "ask.sh: node is not installed (apt-get install nodejs)" >&2; exit 1; }
if [[ ! -d $here/node_modules || $here/package-lock.json -nt $here/node_modules ]]; then
  (cd "$here" && npm ci --silent --no-audit --no-fund) || { echo "ask.sh: npm ci failed in $here" >&2; exit 1; }
  touch "$here/node_modules"
fi
exec node "$here/ask.mjs" "$@"
