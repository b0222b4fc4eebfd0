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
  nginx            (apt package nginx, in /usr/sbin) the load balancer in front of two chat-services
                   (test-support's LoadBalancer starts its own, on a free port); the package's own
                   service is kept from starting (no nginx is left on port 80) and, under systemd, from
                   starting at boot
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
declare -A wanted=([docker-compose]=docker-compose [wrk]=wrk [jq]=jq [chromium]=chromium [node]=nodejs [npm]=npm
                   [nginx]=nginx)

# Debian installs nginx in /usr/sbin, which is not on a normal user's PATH.
have() { command -v "$1" >/dev/null || [[ -x /usr/sbin/$1 ]]; }

apt_install() {
  command -v apt-get >/dev/null || { say "missing $* and no apt-get: install them yourself"; exit 1; }
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { say "missing $*: run as root or install them"; exit 1; }
    sudo=sudo
  fi
  local log
  log=$(mktemp)
  # Debian's nginx package starts a server on port 80 when it is installed; no package we install may start a
  # service. invoke-rc.d (and deb-systemd-invoke) start none while /usr/sbin/policy-rc.d exits 101; one that is
  # already there (Docker images have it) is the machine's own and stays as it is.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# written by deploy/local/tools.sh while it installs packages\nexit 101\n' \
      | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod 755 /usr/sbin/policy-rc.d
    trap "$sudo rm -f /usr/sbin/policy-rc.d" EXIT
  fi
  say "installing with apt-get: $*"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1 \
    || { $sudo apt-get update -qq >>"$log" 2>&1 \
         && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$log" 2>&1; } \
    || { cat "$log" >&2; rm -f "$log"; say "apt-get could not install $*"; exit 1; }
  rm -f "$log"
  [[ " $* " == *" nginx "* ]] && quiet_nginx_service "$sudo"
  return 0
}

# A policy-rc.d of the machine's own may let the package start nginx, and under systemd the package enables it
# at boot: both would leave a server on port 80 that nobody asked for.
quiet_nginx_service() {
  local sudo=$1
  if [[ -d /run/systemd/system ]]; then
    $sudo systemctl disable --now --quiet nginx.service 2>/dev/null || true
  fi
  if [[ -s /run/nginx.pid ]]; then
    $sudo start-stop-daemon --stop --quiet --pidfile /run/nginx.pid --exec /usr/sbin/nginx --retry QUIT/5/TERM/5/KILL/5 \
      || true
  fi
}

missing=()
for cmd in "${!wanted[@]}"; do
  have "$cmd" || missing+=("${wanted[$cmd]}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  apt_install "${missing[@]}"
  for cmd in "${!wanted[@]}"; do
    have "$cmd" || { say "$cmd still missing after installing ${wanted[$cmd]}"; exit 1; }
  done
fi

# npm ci writes node_modules/.package-lock.json; when it is there and not older than the lock file, the
# installed packages are the locked ones and there is nothing to do.
if [[ ! -f $here/node_modules/.package-lock.json || $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
  say "npm ci in $here (playwright-core)"
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || { say "npm ci failed in $here"; exit 1; }
fi
