#!/usr/bin/env bash
# Installs the tools the tests need beyond Java, Maven and PostgreSQL (deploy/local/postgres.sh does those).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/local/tools.sh

Makes sure these exist, installing only what is missing (Debian 12):
  docker-compose   (apt package docker-compose) validates docker-compose.yml without a Docker engine
  wrk              (apt package wrk) HTTP load for deploy/local/memory.sh and deploy/bench/search-bench.sh
  jq               (apt package jq) reads JSON in the benchmark scripts
  chromium         (apt package chromium) the browser the browser test drives headless
  node, npm        (apt packages nodejs, npm) run the browser test
  playwright-core  (npm ci in deploy/local, from package-lock.json) drives chromium; it never downloads
                   a browser of its own
Idempotent and quiet; returns in well under a second when everything is there.
USAGE
}
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }

say() { echo "tools.sh: $*" >&2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# command -> Debian package
declare -A wanted=([docker-compose]=docker-compose [wrk]=wrk [jq]=jq [chromium]=chromium [node]=nodejs [npm]=npm)

apt_install() {
  command -v apt-get >/dev/null || { say "missing $* and no apt-get: install them yourself"; exit 1; }
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { say "missing $*: run as root or install them"; exit 1; }
    sudo=sudo
  fi
  local log
  log=$(mktemp)
  say "installing with apt-get: $*"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1 \
    || { $sudo apt-get update -qq >>"$log" 2>&1 \
         && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$log" 2>&1; } \
    || { cat "$log" >&2; rm -f "$log"; say "apt-get could not install $*"; exit 1; }
  rm -f "$log"
}

missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null || missing+=("${wanted[$cmd]}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  apt_install "${missing[@]}"
  for cmd in "${!wanted[@]}"; do
    command -v "$cmd" >/dev/null || { say "$cmd still missing after installing ${wanted[$cmd]}"; exit 1; }
  done
fi

# npm ci writes node_modules/.package-lock.json; when it is there and not older than the lock file, the
# installed packages are the locked ones and there is nothing to do.
if [[ ! -f $here/node_modules/.package-lock.json || $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
  say "npm ci in $here (playwright-core)"
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || { say "npm ci failed in $here"; exit 1; }
fi
