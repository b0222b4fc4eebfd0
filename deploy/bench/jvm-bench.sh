#!/usr/bin/env bash
# Java 17 against Java 25, its compact object headers and its AOT cache (issue 34): start time, memory and
# throughput of both services, each configuration started the way its image starts it. Prints numbers.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/jvm-bench.sh [--runs N] [--configs "17 25 25-coh 25-aot 25-all"] [--pages N] [--load SECONDS]
                                 [--search SECONDS] [--chat-limit MB]

Configurations (each with the service's own src/main/docker/jvm.options and MALLOC_ARENA_MAX=1, as the image):
  17      Java 17 (java on PATH, or JAVA17), fast-jar: today's image
  25      Java 25 (JAVA25, default the Temurin 25 under /usr/lib/jvm), fast-jar
  25-coh  Java 25 + -XX:+UseCompactObjectHeaders (JEP 519)
  25-aot  Java 25 + the AOT cache (JEP 483/514/515): aot-jar packaging, -XX:AOTCache=<file>, the cache made by a
          training run (deploy/docker/aot-train.sh: an ingest of the sample course, then 60 of its questions through
          every chat endpoint) on a database of its own
  25-all  Java 25 + compact object headers + the AOT cache (trained with compact headers on)
Both services use the OpenAI provider against the fake OpenAI server (test-support) on 127.0.0.1, as memory.sh
and search-bench.sh do, over throw-away databases of the local cluster. Each run measures every configuration in
turn (runs interleave, so a slow minute of the machine does not land on one configuration):
  ingest-service  time to first answered request (process start -> first 200 on GET /admin/ingest/runs, which
                  reads the database), RSS 1 s after it, then an ingest of a generated site of --pages pages
                  (default 200) into a fresh database: its duration and the process's VmHWM
  chat-service    over a database holding that site: time to first answered request (process start -> first 200
                  on GET /api/search), RSS 1 s after it, VmHWM after --load seconds (default 30) of memory.sh's
                  mixed load (GET /api/search, POST /api/chat with LLM answers, POST /v1/chat/completions) at 16
                  connections, then search throughput: --search seconds (default 15) of GET /api/search at 4
                  connections; from the first answer to the end, the peaks of its RSS's anonymous part (heap, metaspace,
                  JIT code, malloc: what a container cannot give back) and its file-backed part (jars, libjvm, the
                  AOT cache: clean pages the kernel can drop and read again)
--chat-limit MB runs chat-service in a memory cgroup of its own limited to MB (cgroup v1 or v2, as root, no
swap), as a container's limit would: anonymous memory and page cache together, the kernel dropping clean file
pages before it kills; the page cache is dropped before each start, so that what the JVM reads is charged to
it. A run whose chat-service is killed, or does not answer within 120 s, says so ("killed", "stalled" in its
columns); three more columns: the major page faults chat-service took (file pages read again from disk), the
cgroup's peak charge and the answers that were not 2xx (under a limit they are counted, not an error).
Prints every run, then the median of the runs per configuration (default --runs 5). Needs wrk
(deploy/local/tools.sh installs it). Builds what is missing under the shared Maven lock: both services as fast-jar
(target/quarkus-app) and as aot-jar (target/aot); REBUILD=1 rebuilds both.
USAGE
}

runs=5 configs="17 25 25-coh 25-aot 25-all" pages=200 load=30 search=15 chat_limit=""
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --runs) runs=$2; shift ;;
    --configs) configs=$2; shift ;;
    --pages) pages=$2; shift ;;
    --load) load=$2; shift ;;
    --search) search=$2; shift ;;
    --chat-limit) chat_limit=$2; shift ;;
    *) echo "jvm-bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((runs >= 1 && runs <= 20 && pages >= 1 && pages <= 2000 && load >= 1 && search >= 1)) \
  || { echo "jvm-bench.sh: --runs 1..20, --pages 1..2000, --load and --search >= 1" >&2; exit 2; }
[[ -z $chat_limit || $chat_limit =~ ^[1-9][0-9]*$ ]] || { echo "jvm-bench.sh: --chat-limit is a number of MB" >&2; exit 2; }

bench_name=jvm-bench.sh
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$repo/deploy/local/tools.sh"

# --chat-limit: each chat-service start gets a memory cgroup of its own (v2 where the memory controller is there,
# else v1), made just before and removed after, so that its peak is that process's alone.
cgroup_root=""
if [[ -n $chat_limit ]]; then
  if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then cgroup_root=/sys/fs/cgroup
  elif [[ -d /sys/fs/cgroup/memory ]]; then cgroup_root=/sys/fs/cgroup/memory; fi
  probe=$cgroup_root/coursebot-jvm-bench-$$
  [[ -n $cgroup_root ]] && mkdir "$probe" 2>/dev/null && rmdir "$probe" \
    || { say "--chat-limit needs a writable memory cgroup (root)"; exit 1; }
  say "chat-service runs in a memory cgroup limited to $chat_limit MB, after the page cache is dropped"
fi
cgroup=""
# new_cgroup: sets $cgroup to a fresh one limited to --chat-limit MB; drops the page cache, so that the files the
# JVM reads (libjvm, jars, the AOT cache) are read again and charged to it, as in a container that just started
new_cgroup() {
  cgroup=$cgroup_root/coursebot-jvm-bench-$$-$RANDOM
  mkdir "$cgroup"
  if [[ $cgroup_root == /sys/fs/cgroup ]]; then
    echo $((chat_limit * 1024 * 1024)) >"$cgroup/memory.max"
    echo 0 >"$cgroup/memory.swap.max" 2>/dev/null || true
  else
    echo $((chat_limit * 1024 * 1024)) >"$cgroup/memory.limit_in_bytes"
  fi
  sync
  echo 1 >/proc/sys/vm/drop_caches 2>/dev/null || say "could not drop the page cache: file pages already cached are not charged"
}
cgroup_peak_kb() { # the cgroup's peak charge (anonymous memory and page cache), kB
  if [[ -f $cgroup/memory.peak ]]; then echo $(($(cat "$cgroup/memory.peak") / 1024))
  else echo $(($(cat "$cgroup/memory.max_usage_in_bytes") / 1024)); fi
}
stop_within() { # PID SECONDS: SIGTERM, then SIGKILL if it has not exited by then (a JVM thrashing under a limit)
  kill "$1" 2>/dev/null || true
  local i
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
drop_cgroup() {
  if [[ -n $cgroup ]]; then rmdir "$cgroup" 2>/dev/null || true; fi
  cgroup=""
}
trap 'bench_cleanup; drop_cgroup' EXIT

java17=${JAVA17:-java}
java25=${JAVA25:-$(ls -d /usr/lib/jvm/temurin-25*/bin/java /usr/lib/jvm/*-25-*/bin/java 2>/dev/null | head -n 1 || true)}
for c in $configs; do
  case $c in
    17) ;;
    25|25-coh|25-aot|25-all) [[ -x $java25 ]] || { say "no Java 25 (set JAVA25): configuration $c cannot run"; exit 1; } ;;
    *) say "unknown configuration '$c' (17 25 25-coh 25-aot 25-all)"; exit 2 ;;
  esac
done
say "Java 17: $("$java17" -version 2>&1 | head -n 1)"
[[ -x $java25 ]] && say "Java 25: $("$java25" -version 2>&1 | head -n 1)"

bench_build
if [[ -n ${REBUILD:-} || ! -f $repo/ingest-service/target/aot/quarkus-run.jar || ! -f $repo/chat-service/target/aot/quarkus-run.jar ]]; then
  say "building the aot-jar packaging (target/aot; under /tmp/coursebot-mvn.lock)"
  "$repo/deploy/bench/build.sh" "both services as aot-jar" -q -pl ingest-service,chat-service -am package -DskipTests \
    -Dquarkus.package.jar.type=aot-jar -Dquarkus.package.output-directory=aot || exit 1
fi

start_fake 1536
openai_env=(OPENAI_API_KEY=sk-bench COURSEBOT_EMBEDDING_BASE_URL="$fake_url")
token=jvm-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
java -cp "$test_cp" org.coursebot.testing.SiteGenerator "$work/site" "$pages" 1 >/dev/null
site_env=(COURSEBOT_SOURCES_SITE_DIRECTORY="$work/site" COURSEBOT_SOURCES_SITE_BASE_URL=https://course.example.org/)

java_of() { [[ $1 == 17 ]] && echo "$java17" || echo "$java25"; }
app_of() { [[ $1 == *aot || $1 == *all ]] && echo "$repo/$2/target/aot" || echo "$repo/$2/target/quarkus-app"; }
flags_of() { # CONFIG SERVICE
  local f=""
  [[ $1 == 25-coh || $1 == 25-all ]] && f="-XX:+UseCompactObjectHeaders"
  # AOTMode=on: a cache the JVM cannot use stops the start instead of running without it unnoticed
  [[ $1 == 25-aot || $1 == 25-all ]] && f="$f -XX:AOTCache=$work/$2-$1.aot -XX:AOTMode=on"
  echo "$f"
}
now_ms() { date +%s%3N; }

# launch CONFIG SERVICE PORT ENV...: the service as its image starts it; sets $svc_pid and $t0 (ms).
launch() {
  local config=$1 service=$2 port=$3
  shift 3
  t0=$(now_ms)
  local enter=()
  # the shell joins the cgroup, then becomes the JVM
  [[ -n $cgroup && $service == chat-service ]] && enter=(sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cgroup")
  # shellcheck disable=SC2046 # the flags are words
  env -u DATABASE_URL -u OPENAI_API_KEY -u CHAT_DATABASE_URL MALLOC_ARENA_MAX=1 PORT="$port" "$@" \
    "${enter[@]}" "$(java_of "$config")" "@$repo/$service/src/main/docker/jvm.options" $(flags_of "$config" "$service") \
    -jar "$(app_of "$config" "$service")/quarkus-run.jar" >"$work/$service-$config-$port.log" 2>&1 &
  svc_pid=$!
  bench_pids+=("$svc_pid")
}
# first_answer URL [CURL ARGS...]: ms from $t0 to the first 200 of URL (polled every ~20 ms, 120 s at most)
first_answer() {
  local url=$1
  shift
  local deadline=$((SECONDS + 120))
  while ((SECONDS < deadline)); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" "$url" 2>/dev/null) == 200 ]]; then
      echo $(($(now_ms) - t0))
      return
    fi
    if ! kill -0 "$svc_pid" 2>/dev/null; then
      [[ -n $cgroup ]] && { echo killed; return; } # the memory limit, most likely: the row says so
      say "the service exited; its log:"; tail -n 30 "$work"/*-"$svc_port".log >&2; exit 1
    fi
    sleep 0.02
  done
  [[ -n $cgroup ]] && { echo stalled; return; } # alive but not answering under the memory limit
  say "no 200 from $url in 120 s"; exit 1
}
# sample_rss PID FILE: "RssAnon RssFile" (kB) twice a second while PID lives. VmRSS is their sum (and shared
# memory): the file-backed part (jars, libjvm, the AOT cache) is clean page cache a container under pressure can
# drop and read again, the anonymous part (heap, metaspace, JIT code, malloc) it cannot.
sample_rss() {
  local pid=$1 file=$2
  (
    while [[ -r /proc/$pid/status ]]; do
      awk '/^RssAnon/ {a=$2} /^RssFile/ {f=$2} END {if (a) print a, f}' "/proc/$pid/status" 2>/dev/null || true
      sleep 0.5
    done
  ) >"$file" &
  bench_pids+=($!)
}
peak_col() { awk -v c="$2" 'BEGIN {m = 0} $c > m {m = $c} END {print m}' "$1"; } # FILE COLUMN -> its largest value
succeeded() { # RUN_JSON: fails the benchmark unless the run succeeded
  [[ $(jq -r .status <<<"$1") == succeeded ]] || { say "a run did not succeed: $1"; exit 1; }
}

# --- the AOT caches: one training run per service and configuration, on a database of its own
for config in $configs; do
  [[ $config == 25-aot || $config == 25-all ]] || continue
  create_db
  coh=""; [[ $config == 25-all ]] && coh="-XX:+UseCompactObjectHeaders"
  # shellcheck disable=SC2086 # the flag is a word or nothing
  env DATABASE_URL="$db_url" "${openai_env[@]}" JAVA="$java25" "$repo/deploy/docker/aot-train.sh" ingest-service \
    "$repo/ingest-service/target/aot" "$repo/ingest-service/src/main/docker/jvm.options" "$work/ingest-service-$config.aot" $coh
  # shellcheck disable=SC2086
  env CHAT_DATABASE_URL="$chat_db_url" INSIGHTS_DATABASE_URL="$insights_db_url" "${openai_env[@]}" JAVA="$java25" \
    "$repo/deploy/docker/aot-train.sh" chat-service "$repo/chat-service/target/aot" \
    "$repo/chat-service/src/main/docker/jvm.options" "$work/chat-service-$config.aot" $coh
done

# --- the database chat-service searches: the generated site, ingested once (Java 17, fast-jar)
create_db
chat_db=$chat_db_url chat_insights=$insights_db_url
svc_port=$(free_port)
launch 17 ingest-service "$svc_port" DATABASE_URL="$db_url" ADMIN_TOKEN="$token" "${openai_env[@]}" "${site_env[@]}"
first_answer "http://127.0.0.1:$svc_port/admin/ingest/runs?limit=1" -H "Authorization: Bearer $token" >/dev/null
succeeded "$(await_run "http://127.0.0.1:$svc_port" "$(admin -X POST -d '{"source":"site","dryRun":false}' "http://127.0.0.1:$svc_port/admin/ingest" | jq -r .runId)")"
chunks=$(psql "$db_url" -X -qtA -c "SELECT count(*) FROM course_chunk")
stop_pid "$svc_pid"
say "chat-service's database: $pages pages, $chunks chunks"
make_wrk_script mixed "$work/mixed.lua"
make_wrk_script search "$work/search.lua"

results=$work/results.tsv
printf 'run\tconfig\tingest_first_ms\tingest_start_rss_mb\tingest_s\tingest_hwm_mb\tchat_first_ms\tchat_start_rss_mb\tchat_hwm_mb\tsearch_rps\tchat_peak_anon_mb\tchat_peak_file_mb\tchat_major_faults\tchat_cgroup_peak_mb\tchat_non_2xx\n' >"$results"
for run in $(seq "$runs"); do
  for config in $configs; do
    # ingest-service: first answer, RSS, one ingest into a fresh database
    create_db
    svc_port=$(free_port)
    base=http://127.0.0.1:$svc_port
    launch "$config" ingest-service "$svc_port" DATABASE_URL="$db_url" ADMIN_TOKEN="$token" "${openai_env[@]}" "${site_env[@]}"
    i_first=$(first_answer "$base/admin/ingest/runs?limit=1" -H "Authorization: Bearer $token")
    [[ $i_first =~ ^[0-9]+$ ]] || { say "ingest-service did not start: $i_first"; exit 1; }
    sleep 1
    i_rss=$(vm_kb "$svc_pid" VmRSS)
    started=$(now_ms)
    succeeded "$(await_run "$base" "$(admin -X POST -d '{"source":"site","dryRun":false}' "$base/admin/ingest" | jq -r .runId)")"
    i_secs=$(awk -v ms=$(($(now_ms) - started)) 'BEGIN {printf "%.1f", ms / 1000}')
    i_hwm=$(vm_kb "$svc_pid" VmHWM)
    stop_pid "$svc_pid"
    psql "$admin_db_url" -X -q -c "DROP DATABASE IF EXISTS ${db_url##*/} WITH (FORCE)" >/dev/null

    # chat-service: first answer, RSS, mixed load, search throughput
    svc_port=$(free_port)
    base=http://127.0.0.1:$svc_port
    [[ -n $cgroup_root ]] && new_cgroup
    launch "$config" chat-service "$svc_port" CHAT_DATABASE_URL="$chat_db" INSIGHTS_DATABASE_URL="$chat_insights" \
      "${openai_env[@]}" COURSEBOT_RATE_LIMIT_ENABLED=false COURSEBOT_HTTP_MAX_REQUESTS_PER_CLIENT=100000
    c_first=$(first_answer "$base/api/search?k=5&threshold=0&q=how%20do%20I%20start%20the%20server")
    c_rss=0 c_hwm=$c_first rps=$c_first majflt="" non2xx=-
    : >"$work/rss-split"
    if [[ $c_first =~ ^[0-9]+$ ]]; then
      sleep 1
      c_rss=$(vm_kb "$svc_pid" VmRSS 2>/dev/null || echo 0)
      sample_rss "$svc_pid" "$work/rss-split"
      wrk -t2 -c16 -d"${load}s" --timeout 30s -s "$work/mixed.lua" "$base" >"$work/mixed.out" 2>&1 \
        || { cat "$work/mixed.out" >&2; exit 1; }
      if kill -0 "$svc_pid" 2>/dev/null; then
        c_hwm=$(mb "$(vm_kb "$svc_pid" VmHWM)")
        wrk -t2 -c4 -d"${search}s" --timeout 30s -s "$work/search.lua" "$base" >"$work/search.out" 2>&1 \
          || { cat "$work/search.out" >&2; exit 1; }
        rps=$(awk '/^Requests\/sec/ {print $2}' "$work/search.out")
        non2xx=$(cat "$work/mixed.out" "$work/search.out" | awk '/Non-2xx/ {n += $NF} END {print n + 0}')
        # Under a memory limit, failures are what is measured (a thrashing JVM times requests out); else a bug
        ((non2xx == 0)) || [[ -n $cgroup_root ]] \
          || { say "non-2xx answers under load ($config):"; grep Non-2xx "$work"/*.out >&2; exit 1; }
        majflt=$(awk '{print $12}' "/proc/$svc_pid/stat" 2>/dev/null || true)
        kill -0 "$svc_pid" 2>/dev/null || { c_hwm=killed rps=killed; }
      fi
    fi
    stop_within "$svc_pid" 15
    c_peak=-
    [[ -n $cgroup ]] && { c_peak=$(mb "$(cgroup_peak_kb)"); drop_cgroup; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$config" "$i_first" "$(mb "$i_rss")" "$i_secs" \
      "$(mb "$i_hwm")" "$c_first" "$(mb "$c_rss")" "$c_hwm" "$rps" "$(mb "$(peak_col "$work/rss-split" 1)")" \
      "$(mb "$(peak_col "$work/rss-split" 2)")" "${majflt:--}" "$c_peak" "$non2xx" | tee -a "$results" >&2
  done
done

echo
echo "jvm-bench.sh: every run (ms, MB, s, requests/s); $pages pages ($chunks chunks), mixed load ${load}s at 16 connections, search ${search}s at 4"
column -t -s $'\t' "$results"
echo
echo "median of $runs run(s) per configuration:"
{
  printf 'config\tingest first answer ms\tingest RSS after start MB\tingest s\tingest VmHWM MB\tchat first answer ms\tchat RSS after start MB\tchat VmHWM MB\tsearch req/s at 4\tchat peak anon MB\tchat peak file MB\tchat major faults\tchat cgroup peak MB\tchat non-2xx\n'
  for config in $configs; do
    awk -F'\t' -v c="$config" 'NR > 1 && $2 == c' "$results" | python3 -c '
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in sys.stdin]
cols = list(zip(*rows))
def median(values):
    numbers = [float(v) for v in values if v.replace(".", "", 1).isdigit()]
    failed = [v for v in values if v not in ("-",) and not v.replace(".", "", 1).isdigit()]
    text = "%g" % statistics.median(numbers) if numbers else "-"
    return text + (" (%d %s)" % (len(failed), "/".join(sorted(set(failed)))) if failed else "")
print("\t".join([rows[0][1]] + [median(cols[i]) for i in range(2, 15)]))'
  done
} | column -t -s $'\t'
