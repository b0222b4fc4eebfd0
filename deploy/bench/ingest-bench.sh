#!/usr/bin/env bash
# Ingest benchmark (issue 5): a generated course site through the packaged ingest-service, started with the
# container JVM flags. Prints numbers; asserts only what the issue makes a must (0 requests on an unchanged
# site, VmHWM under the budget with the OpenAI provider) as PASS/FAIL lines.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/ingest-bench.sh [--pages N] [--edits N] [--site DIR] [--no-local] [--timeout SECONDS]

Generates a course site of N pages (default 500; test-support's SiteGenerator) in a temporary directory and
ingests it as a directory source through the admin API of ingest-service, started exactly as the image starts
it (java @ingest-service/src/main/docker/jvm.options -jar ...), on a throw-away database of the local cluster
(COURSEBOT_TEST_DATABASE_URL or postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot), dropped at exit.

OpenAI provider, against the fake OpenAI server (test-support) on 127.0.0.1:
  dry run      predicted embedding requests / tokens / cost (nothing written)
  first run    wall time, pages/s, chunks, embedding requests, tokens (next to the dry run's prediction)
  second run   the unchanged site: wall time, embedding requests (must be 0)
  edit run     --edits pages (default 5) get one paragraph changed: requests, chunks re-embedded
  memory       ingest-service VmRSS sampled every second and the final VmHWM (budget 256 MB)
Local provider (no key, in-process all-MiniLM-L6-v2; the jvm.options plus -Xmx256m, since the model needs
more heap than the OpenAI build's 128m): first run pages/s and VmHWM. --no-local skips it.
--site DIR ingests a copy of that folder instead of a generated site (e.g. deploy/demo-course), without edits.

Each run is bounded by --timeout (default 900 s). Builds what is missing under the shared Maven lock.
Stops everything it started on exit, Ctrl-C included.
USAGE
}

pages=500 edits=5 local_run=1 timeout=900 site_dir=
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --pages) pages=$2; shift ;;
    --site) site_dir=$(realpath "$2"); shift ;;
    --edits) edits=$2; shift ;;
    --no-local) local_run="" ;;
    --timeout) timeout=$2; shift ;;
    *) echo "ingest-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((pages >= 1 && pages <= 5000 && edits >= 0 && edits <= pages)) || { echo "ingest-bench: bad --pages/--edits" >&2; exit 2; }

bench_name=ingest-bench
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
token=bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
site=$work/site
seed=1
if [[ -n $site_dir ]]; then
  cp -r "$site_dir" "$site"
  pages=$(find "$site" -name '*.html' | wc -l) edits=0
  say "copied $site_dir ($pages pages) to $site"
else
  java -cp "$test_cp" org.coursebot.testing.SiteGenerator "$site" "$pages" "$seed" >/dev/null
  say "generated $pages pages in $site"
fi

# run_ingest PORT DRYRUN: starts a run, waits for it; sets $run (JSON) and $wall (seconds).
run_ingest() {
  local port=$1 dry=$2 started id status
  local code i
  # The run's row says finished a moment before its advisory lock is released: a start right after the
  # previous run can get 409 for that moment, so retry 409 briefly.
  for ((i = 0; i < 50; i++)); do
    started=$(date +%s.%N)
    code=$(curl -sS -o "$work/start.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"source\":\"site\",\"dryRun\":$dry}" "http://127.0.0.1:$port/admin/ingest")
    [[ $code == 409 ]] || break
    sleep 0.2
  done
  [[ $code == 202 ]] || { say "POST /admin/ingest -> $code: $(cat "$work/start.json")"; exit 1; }
  id=$(jq -r .runId "$work/start.json")
  local deadline=$((SECONDS + timeout))
  while :; do
    run=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/admin/ingest/runs/$id")
    status=$(jq -r .status <<<"$run")
    [[ $status != running ]] && break
    ((SECONDS < deadline)) || { say "run $id still running after $timeout s"; exit 1; }
    sleep 0.2
  done
  wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
  [[ $status == succeeded ]] || { say "run $id $status: $run"; exit 1; }
}
count() { jq -r ".counts.$1" <<<"$run"; }

ingest_env=(ADMIN_TOKEN="$token" COURSEBOT_SOURCES_SITE_DIRECTORY="$site"
            COURSEBOT_SOURCES_SITE_BASE_URL=https://course.example.org/)

# --- OpenAI provider against the fake server
start_fake 1536
create_db
port=$(free_port)
start_service ingest-service "$port" "" DATABASE_URL="$db_url" OPENAI_API_KEY=sk-bench \
  COURSEBOT_EMBEDDING_BASE_URL="$fake_url" "${ingest_env[@]}"
pid=$svc_pid
start_sampler "$pid" "$work/rss-openai"
start_kb=$(vm_kb "$pid" VmHWM)

run_ingest "$port" true
dry_requests=$(count embeddingRequests) dry_tokens=$(count tokens) dry_chunks=$(count chunksEmbedded)
dry_cost=$(jq -r .estimatedCostUsd <<<"$run") dry_wall=$wall

run_ingest "$port" false
first_wall=$wall first_seen=$(count pagesSeen) first_chunks=$(count chunksEmbedded)
first_requests=$(count embeddingRequests) first_tokens=$(count tokens) first_cost=$(jq -r .estimatedCostUsd <<<"$run")
first_rate=$(awk -v p="$first_seen" -v t="$first_wall" 'BEGIN {printf "%.1f", p / t}')
stored=$(psql "$db_url" -X -qtA -c "SELECT count(*) FROM course_content")

run_ingest "$port" false
second_wall=$wall second_requests=$(count embeddingRequests) second_unchanged=$(count pagesUnchanged)
second_chunks=$(count chunksEmbedded)

cat >"$work/EditPages.java" <<'JAVA'
public class EditPages {
    public static void main(String[] a) {
        int pages = Integer.parseInt(a[1]), edits = Integer.parseInt(a[3]);
        for (int e = 0; e < edits; e++) {
            int i = (int) ((long) e * pages / edits);  // spread over the site
            org.coursebot.testing.SiteGenerator.edit(java.nio.file.Path.of(a[0]), pages, Long.parseLong(a[2]), i,
                    "Edited for the benchmark: the event loop must never block on " + e + ".");
        }
    }
}
JAVA
java -cp "$test_cp" "$work/EditPages.java" "$site" "$pages" "$seed" "$edits"
run_ingest "$port" false
edit_wall=$wall edit_requests=$(count embeddingRequests) edit_chunks=$(count chunksEmbedded)
edit_changed=$(count pagesChanged) edit_tokens=$(count tokens)

final_hwm=$(vm_kb "$pid" VmHWM)
peak_rss=$(max_rss_kb "$work/rss-openai")
stop_pid "$pid"

# --- local provider
if [[ -n $local_run ]]; then
  create_db
  port=$(free_port)
  start_service ingest-service "$port" "-Xmx256m" DATABASE_URL="$db_url" "${ingest_env[@]}"
  pid=$svc_pid
  start_sampler "$pid" "$work/rss-local"
  run_ingest "$port" false
  local_wall=$wall local_seen=$(count pagesSeen) local_chunks=$(count chunksEmbedded)
  local_rate=$(awk -v p="$local_seen" -v t="$local_wall" 'BEGIN {printf "%.1f", p / t}')
  local_hwm=$(vm_kb "$pid" VmHWM)
  local_peak=$(max_rss_kb "$work/rss-local")
  stop_pid "$pid"
fi

verdict() { [[ $1 == 1 ]] && echo PASS || echo FAIL; }
echo
echo "ingest-bench: $pages pages (${site_dir:-generated}), ingest-service with $(grep -v '^#' "$repo/ingest-service/src/main/docker/jvm.options" | tr '\n' ' ')"
echo
echo "OpenAI provider (fake server on loopback, 1536 dimensions)"
printf '%-34s %10s %9s %9s %10s %10s %12s\n' run wall_s pages/s chunks requests tokens cost_usd
printf '%-34s %10s %9s %9s %10s %10s %12s\n' "dry run (prediction)" "$dry_wall" - "$dry_chunks" "$dry_requests" "$dry_tokens" "$dry_cost"
printf '%-34s %10s %9s %9s %10s %10s %12s\n' "first run ($first_seen pages)" "$first_wall" "$first_rate" "$first_chunks" "$first_requests" "$first_tokens" "$first_cost"
printf '%-34s %10s %9s %9s %10s %10s %12s\n' "second run, unchanged ($second_unchanged unch.)" "$second_wall" - "$second_chunks" "$second_requests" - -
printf '%-34s %10s %9s %9s %10s %10s %12s\n' "after editing $edits pages ($edit_changed chg.)" "$edit_wall" - "$edit_chunks" "$edit_requests" "$edit_tokens" -
echo "chunks stored after the first run: $stored"
echo "dry run vs real first run: requests $dry_requests vs $first_requests, tokens $dry_tokens vs $first_tokens:" \
  "$(verdict "$([[ $dry_requests == "$first_requests" && $dry_tokens == "$first_tokens" ]] && echo 1)")"
echo "second run makes 0 embedding requests: $(verdict "$([[ $second_requests == 0 ]] && echo 1)")"
echo "ingest-service memory: VmHWM at start $(mb "$start_kb") MB, peak VmRSS sampled $(mb "$peak_rss") MB," \
  "final VmHWM $(mb "$final_hwm") MB (budget 256 MB): $(verdict "$(((final_hwm > peak_rss ? final_hwm : peak_rss) <= 256 * 1024))")"
if [[ -n $local_run ]]; then
  echo
  echo "Local provider (all-MiniLM-L6-v2 in process, jvm.options + -Xmx256m)"
  echo "first run: $local_seen pages in $local_wall s = $local_rate pages/s, $local_chunks chunks;" \
    "peak VmRSS sampled $(mb "$local_peak") MB, final VmHWM $(mb "$local_hwm") MB"
fi
