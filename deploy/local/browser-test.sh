#!/usr/bin/env bash
# Runs the browser test (deploy/local/browser-test.mjs) against a running chat-service.
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  cat <<'USAGE'
Usage: deploy/local/browser-test.sh [CHAT_URL]

Installs Chromium and playwright-core when missing (deploy/local/tools.sh), then asks the chat page at
CHAT_URL (default $CHAT_URL, else http://127.0.0.1:8080/) a question in headless Chromium, waits for the
streamed answer and citations, checks that each cited #fragment exists in the live cited page, and prints
the screenshot path. Other settings (QUESTION, EXPECT_FRAGMENT, SCREENSHOT, TIMEOUT_MS) are environment
variables documented at the top of browser-test.mjs. Exit 0 = passed. CI runs the same test from
system-tests (SampleCourseSystemTests) against the packaged services.
USAGE
  exit 0
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$here/tools.sh"
export CHAT_URL=${1:-${CHAT_URL:-http://127.0.0.1:8080/}}
exec node "$here/browser-test.mjs"
