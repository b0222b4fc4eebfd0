#!/usr/bin/env bash
# Writes the .env file docker-compose.yml reads: a random ADMIN_TOKEN, once.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/local/compose-env.sh [--file PATH]

Creates PATH (default: <repo>/.env, git-ignored) with ADMIN_TOKEN set to 32 random bytes in hex, readable
by you only. When the file already has an ADMIN_TOKEN it is left alone, so the token stays stable across
runs. Add OPENAI_API_KEY=... (and EMBEDDING_DIMENSION=1536) to the same file to use OpenAI.
USAGE
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
file=$repo/.env
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --file) [[ $# -ge 2 ]] || { echo "compose-env.sh: --file needs a value" >&2; exit 1; }; file=$2; shift 2 ;;
    *) echo "compose-env.sh: unknown argument '$1' (see --help)" >&2; exit 1 ;;
  esac
done

if [[ -f $file ]] && grep -q '^ADMIN_TOKEN=.' "$file"; then
  exit 0
fi
token=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
[[ ${#token} -eq 64 ]] || { echo "compose-env.sh: could not read 32 random bytes from /dev/urandom" >&2; exit 1; }
umask 077
touch "$file"
chmod 600 "$file"
echo "ADMIN_TOKEN=$token" >>"$file"
