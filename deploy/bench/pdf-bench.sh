#!/usr/bin/env bash
# PDF benchmark (issue 33): a long handout's ingest throughput and memory, and what each hostile PDF does, through
# the packaged ingest-service started with the container JVM flags. Prints numbers and the table; asserts only
# that every hostile file ends as it must (PASS/FAIL) and that VmHWM stays in the 256 MB budget.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/pdf-bench.sh [--pages N] [--bomb-mb N] [--timeout SECONDS]

Writes the PDFs with test-support's PdfFiles (nothing is downloaded): a handout of N pages (default 100, ~300
words a page), and the hostile set: encrypted (a user password), no-extract (the author forbids text
extraction), corrupt (a header and random bytes), truncated (half of a 20-page file), scan (images, no text
layer), bomb (one content stream inflating to --bomb-mb MB, default 512, from ~0.5 MB), pages-500, a PDF
served as application/octet-stream (no extension), a PDF named .html (served as text/html), an HTML page named
.pdf (served as application/pdf), big (30 MB, past pdf.max-bytes). Each is linked from a one-page site of its
own (python3 -m http.server on 127.0.0.1), a source of ingest-service (OpenAI provider against the fake server,
throw-away database of the local cluster: COURSEBOT_TEST_DATABASE_URL or
postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot).

For each site, one ingest run; VmHWM is reset to the current VmRSS before it (/proc/PID/clear_refs) and read after
it, so the figure is that run's peak. Prints: the handout's wall time, pages/s, chunks; then per file the outcome,
the reason, the run's wall time, VmRSS before the run and VmHWM during it.
Builds what is missing under the shared Maven lock (REBUILD=1 forces it). Stops everything it started on exit.
USAGE
}

pages=100 bomb_mb=512 timeout=600
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --pages) pages=$2; shift ;;
    --bomb-mb) bomb_mb=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    *) echo "pdf-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((pages >= 1 && pages <= 300 && bomb_mb >= 32)) || { echo "pdf-bench: --pages 1..300, --bomb-mb at least 32" >&2; exit 2; }

bench_name=pdf-bench
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
token=bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
java -cp "$test_cp" org.coursebot.testing.PdfFiles "$work/files" "$pages" "$bomb_mb" >"$work/files.txt"

# case: source name, file, what it is (the first is the throughput run)
cases=(
  "handout|handout-$pages.pdf|a $pages-page handout"
  "slides|slides.pdf|a 2-slide deck"
  "encrypted|encrypted.pdf|encrypted, user password"
  "noextract|no-extract.pdf|owner password, extraction forbidden"
  "corrupt|corrupt.pdf|header + 64 KB of random bytes"
  "truncated|truncated.pdf|first half of a 20-page PDF"
  "scan|scan.pdf|3 pages of images, no text"
  "bomb|bomb.pdf|content stream inflating to $bomb_mb MB"
  "pages500|pages-500.pdf|500 pages"
  "octet|handout|PDF served as application/octet-stream"
  "wrongext|notes.html|PDF named .html (text/html)"
  "fakepdf|login.pdf|HTML named .pdf (application/pdf)"
  "big|big.pdf|30 MB, past pdf.max-bytes"
)
source_env=()
for c in "${cases[@]}"; do
  IFS='|' read -r name file _ <<<"$c"
  mkdir -p "$work/site/$name"
  cp "$work/files/$file" "$work/site/$name/$file"
  printf '<!DOCTYPE html><html><head><title>%s</title></head><body><main><h1>Course material: %s</h1>\n<p>The lecture material of this week is in the file linked below.</p>\n<p><a href="%s">%s</a></p></main></body></html>\n' \
    "$name" "$name" "$file" "$file" >"$work/site/$name/index.html"
done
site_port=$(free_port)
python3 -m http.server "$site_port" --bind 127.0.0.1 --directory "$work/site" >"$work/http.log" 2>&1 &
bench_pids+=($!)
for c in "${cases[@]}"; do
  IFS='|' read -r name _ _ <<<"$c"
  upper=${name^^}
  source_env+=("COURSEBOT_SOURCES_${upper}_BASE_URL=http://127.0.0.1:$site_port/$name/"
               "COURSEBOT_SOURCES_${upper}_ALLOW_PRIVATE_NETWORK=true" "COURSEBOT_SOURCES_${upper}_DELAY=0ms")
done
for ((i = 0; i < 50; i++)); do curl -fsS "http://127.0.0.1:$site_port/handout/" >/dev/null 2>&1 && break; sleep 0.1; done

start_fake 1536
create_db
port=$(free_port)
start_service ingest-service "$port" "" DATABASE_URL="$db_url" OPENAI_API_KEY=sk-bench \
  COURSEBOT_EMBEDDING_BASE_URL="$fake_url" ADMIN_TOKEN="$token" "${source_env[@]}"
pid=$svc_pid
start_hwm=$(vm_kb "$pid" VmHWM)

# run_ingest SOURCE: starts a run and waits for it; sets $run (JSON) and $wall (seconds).
run_ingest() {
  local code id status i started
  for ((i = 0; i < 50; i++)); do # the previous run's lock goes a moment after its row says finished
    started=$(date +%s.%N)
    code=$(curl -sS -o "$work/start.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"source\":\"$1\"}" "http://127.0.0.1:$port/admin/ingest")
    [[ $code == 409 ]] || break
    sleep 0.2
  done
  [[ $code == 202 ]] || { say "POST /admin/ingest ($1) -> $code: $(cat "$work/start.json")"; exit 1; }
  id=$(jq -r .runId "$work/start.json")
  local deadline=$((SECONDS + timeout))
  while :; do
    run=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/admin/ingest/runs/$id")
    status=$(jq -r .status <<<"$run")
    [[ $status != running ]] && break
    ((SECONDS < deadline)) || { say "run $id ($1) still running after $timeout s"; exit 1; }
    sleep 0.1
  done
  wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
}

failures=0
rows=()
for c in "${cases[@]}"; do
  IFS='|' read -r name file what <<<"$c"
  rss=$(vm_kb "$pid" VmRSS)
  echo 5 >"/proc/$pid/clear_refs" # VmHWM back to the current RSS: what follows is this run's peak
  run_ingest "$name"
  hwm=$(vm_kb "$pid" VmHWM)
  status=$(jq -r .status <<<"$run")
  chunks=$(jq -r .counts.chunksEmbedded <<<"$run")
  reason=$(jq -r --arg f "$file" '[.errors[] | select(.url | endswith("/" + $f)) | .reason][0] // ""' <<<"$run")
  new=$(jq -r .counts.pagesNew <<<"$run")
  if [[ -n $reason ]]; then
    outcome="page error ($new other page written, run $status)"
  else
    outcome="ingested ($((new - 1)) PDF + 1 page, $chunks chunks, run $status)"
  fi
  # must: the run succeeds (the site's page is written); the valid PDFs are read, the others each a page error
  case $name in
    handout|slides|octet|wrongext) expected=ingested ;;
    *) expected=error ;;
  esac
  ok=1
  [[ $status == succeeded ]] || ok=0
  [[ $expected == ingested && -n $reason ]] && ok=0
  [[ $expected == error && -z $reason ]] && ok=0
  ((hwm <= 256 * 1024)) || ok=0
  ((ok)) || failures=$((failures + 1))
  rows+=("$(printf '%s|%s|%s|%s|%s|%s|%s|%s' "$file" "$what" "$outcome" "${reason:--}" "$wall" "$(mb "$rss")" "$(mb "$hwm")" \
    "$([[ $ok == 1 ]] && echo PASS || echo FAIL)")")
  if [[ $name == handout ]]; then
    handout_wall=$wall handout_chunks=$chunks handout_hwm=$hwm
    handout_rate=$(awk -v p="$pages" -v t="$wall" 'BEGIN {printf "%.1f", p / t}')
  fi
done
final_hwm=$(vm_kb "$pid" VmHWM)
leftovers=$(find "${TMPDIR:-/tmp}" -maxdepth 2 -path '*coursebot-pdf-*' -type f -newer "$work/files.txt" 2>/dev/null | wc -l)
stop_pid "$pid"

echo
echo "pdf-bench: ingest-service with $(grep -v '^#' "$repo/ingest-service/src/main/docker/jvm.options" | tr '\n' ' ')"
echo "OpenAI provider (fake server on loopback); VmHWM at start $(mb "$start_hwm") MB"
echo
echo "throughput: a $pages-page handout ($(awk -v f="handout-$pages.pdf" '$1 == f {printf "%.1f", $2 / 1048576}' "$work/files.txt") MB) crawled, read, chunked, embedded and written in $handout_wall s" \
  "= $handout_rate pages/s, $handout_chunks chunks; VmHWM during the run $(mb "$handout_hwm") MB"
echo
printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' file "what it is" outcome reason "run s" "VmRSS before MB" \
  "VmHWM during MB" must
printf '|---|---|---|---|---|---|---|---|\n'
for row in "${rows[@]}"; do
  IFS='|' read -r f w o r t b h v <<<"$row"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$f" "$w" "$o" "$r" "$t" "$b" "$h" "$v"
done
echo
echo "spooled PDF files left in the temporary folder after the runs: $leftovers"
echo "final VmHWM $(mb "$final_hwm") MB (the peak of the last run; each row's is its own run's)"
((failures == 0)) || { echo "pdf-bench: $failures rows FAILED" >&2; exit 1; }
