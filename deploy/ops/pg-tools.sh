# Helpers shared by snapshot.sh and restore.sh (sourced, not run).

# The URL with its password replaced, for messages.
redact() { sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$1"; }

# The server's major version (e.g. 17); fails with psql's message on stderr.
server_major() {
  local v
  v=$(psql -X -Atq -d "$1" -c 'SHOW server_version_num' 2>&1) || { echo "$v" >&2; return 1; }
  echo $((v / 10000))
}

# A folder with pg_dump/pg_restore/psql able to handle a server of major version $1: $PG_BIN, else the
# newest /usr/lib/postgresql/<N>/bin with N >= $1, else the pg_dump on PATH if new enough.
client_bin() {
  local need=$1 dir major
  if [[ -n ${PG_BIN:-} ]]; then
    [[ -x $PG_BIN/pg_dump ]] || return 1
    echo "$PG_BIN"; return
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    major=$(basename "$(dirname "$dir")")
    if [[ -x $dir/pg_dump && $major -ge $need ]]; then echo "$dir"; return; fi
  done
  if command -v pg_dump >/dev/null; then
    major=$(pg_dump --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
    if [[ $major -ge $need ]]; then dirname "$(command -v pg_dump)"; return; fi
  fi
  return 1
}
