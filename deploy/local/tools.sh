#!/usr/bin/env bash
# Installs the tools the tests need beyond Java, Maven and PostgreSQL (deploy/local/postgres.sh does those).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/local/tools.sh

Makes sure these commands exist, installing the Debian packages with apt-get when one is missing:
  docker-compose   (package docker-compose) validates docker-compose.yml without a Docker engine
  wrk              (package wrk) HTTP load for deploy/local/memory.sh and deploy/bench/search-bench.sh
Idempotent and quiet; returns at once when everything is there.
USAGE
}
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }

say() { echo "tools.sh: $*" >&2; }

# command -> Debian package
declare -A wanted=([docker-compose]=docker-compose [wrk]=wrk)

missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null || missing+=("${wanted[$cmd]}")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

command -v apt-get >/dev/null || { say "missing ${missing[*]} and no apt-get: install them yourself"; exit 1; }
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { say "missing ${missing[*]}: run as root or install them"; exit 1; }
  sudo=sudo
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
say "installing with apt-get: ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$log" 2>&1 \
  || { $sudo apt-get update -qq >>"$log" 2>&1 \
       && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$log" 2>&1; } \
  || { cat "$log" >&2; say "apt-get could not install ${missing[*]}"; exit 1; }
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null || { say "$cmd still missing after installing ${wanted[$cmd]}"; exit 1; }
done
