#!/usr/bin/env bash
# Installs what the browser test needs, only when missing: Debian's Chromium and playwright-core from npm.
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  cat <<'USAGE'
Usage: deploy/local/browser-tools.sh

Idempotent. Ensures /usr/bin/chromium (Debian package `chromium`, apt-get) and node/npm, then installs
deploy/local/package.json's dependencies (playwright-core) into deploy/local/node_modules when missing.
playwright-core never downloads a browser of its own; the test points it at /usr/bin/chromium.
Prints the chromium path on success.
USAGE
  exit 0
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "browser-tools: installing ${missing[*]} with apt-get" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v chromium >/dev/null 2>&1 || { echo "browser-tools: chromium still missing after apt-get" >&2; exit 1; }

if [[ ! -d $here/node_modules/playwright-core ]]; then
  echo "browser-tools: npm install (playwright-core) in $here" >&2
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
command -v chromium
