#!/usr/bin/env bash
# The shared rate limiter's cost (issue 32): GET /api/search through chat-service with the buckets in PostgreSQL
# against the same service counting in its own memory. Prints numbers; asserts nothing but the RSS budget.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/limits-bench.sh [--chunks N] [--duration SECONDS] [--connections "1 4 16"] [--clients N]
                                   [--rounds N]

Builds a throw-away database of the local cluster (COURSEBOT_TEST_DATABASE_URL or
postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot), migrated by ingest-service at 1536 dimensions, with
--chunks rows (default 20000, deploy/bench/seed-chunks.sh). Starts two chat-services on it, the same but for
coursebot.rate-limit.shared: "local" counts in its own memory (Bucket4j, as before issue 32), "shared" takes every
request from a row of the database (coursebot_take_token, one round trip over the limits' pool). Both with limits
no request reaches (so every request pays the check and none is refused), the question log's role as the limits'
(INSIGHTS_DATABASE_URL), the fake OpenAI server for question embeddings.

After a warm-up of each (5 s of wrk, or --duration if shorter), for each connection count (default 1, 4 and 16),
--rounds times (default 2), wrk runs GET
/api/search?q=<question>&k=5&threshold=0 for --duration seconds (default 20) against local, then shared (in turns,
so that a drift of the machine reaches both alike; the figures are the rounds' means), rotating the sample course's
first 100 questions; each request comes from one of --clients addresses (X-Forwarded-For, default 1000; 1 = one client,
whose bucket row every request then waits for). Prints requests/s, p50 and p99 of each, shared minus local p50,
shared/local throughput, the buckets the database holds after, and each service's VmHWM (budget 128 MB).
Goal (issue 32): p50 +1 ms at most, throughput 0.9x or better.

Needs wrk (deploy/local/tools.sh). Stops everything it started on exit, Ctrl-C included.
USAGE
}

chunks=20000 duration=20 conn_list="1 4 16" clients=1000 rounds=2
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --chunks) chunks=$2; shift ;;
    --duration) duration=$2; shift ;;
    --connections) conn_list=$2; shift ;;
    --clients) clients=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    *) echo "limits-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((chunks >= 100 && chunks <= 200000 && duration >= 1 && duration <= 300 && clients >= 1 && clients <= 60000 \
  && rounds >= 1 && rounds <= 10)) \
  || { echo "limits-bench: --chunks 100..200000, --duration 1..300, --clients 1..60000, --rounds 1..10" >&2; exit 2; }
for c in $conn_list; do ((c >= 1 && c <= 64)) || { echo "limits-bench: connections 1..64" >&2; exit 2; }; done

bench_name=limits-bench
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$repo/deploy/local/tools.sh"
bench_build
start_fake 1536
create_db
openai_env=(OPENAI_API_KEY=sk-bench COURSEBOT_EMBEDDING_BASE_URL="$fake_url")

start_service ingest-service "$(free_port)" "" DATABASE_URL="$db_url" "${openai_env[@]}"
stop_pid "$svc_pid"
"$repo/deploy/bench/seed-chunks.sh" "$db_url" "$chunks" 1536 3 4

common_env=(CHAT_DATABASE_URL="$chat_db_url" INSIGHTS_DATABASE_URL="$insights_db_url" "${openai_env[@]}"
  INSIGHTS_CLIENT_KEY_SECRET=limits-bench COURSEBOT_RATE_LIMIT_ENABLED=true
  COURSEBOT_RATE_LIMIT_BURST=1000000000 COURSEBOT_RATE_LIMIT_REQUESTS_PER_MINUTE=1000000000
  COURSEBOT_HTTP_MAX_REQUESTS_PER_CLIENT=100000)
declare -A port pid
for store in local shared; do
  port[$store]=$(free_port)
  start_service chat-service "${port[$store]}" "" "${common_env[@]}" \
    COURSEBOT_RATE_LIMIT_SHARED="$([[ $store == shared ]] && echo true || echo false)"
  pid[$store]=$svc_pid
done
for store in local shared; do
  for _ in $(seq 60); do curl -fsS "http://127.0.0.1:${port[$store]}/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
done
grep -q "rate limits: per process" "$work/chat-service-${port[local]}.log" \
  || { say "the local service does not say it counts per process"; exit 1; }

# The search script, with a client address per request out of $clients (a GET without headers of its own sends
# wrk.headers; LuaJIT has no integer division operator).
make_wrk_script search "$work/search.lua" 100
cat >>"$work/search.lua" <<LUA
local search_request = request
local clients = $clients
local k = 0
request = function()
  k = k + 1
  local c = k % clients
  wrk.headers["X-Forwarded-For"] = "10." .. math.floor(c / 65536) .. "." .. (math.floor(c / 256) % 256) .. "." .. (c % 256)
  return search_request()
end
LUA
for store in local shared; do
  wrk -t1 -c4 -d"$((duration < 5 ? duration : 5))s" -s "$work/search.lua" "http://127.0.0.1:${port[$store]}" >/dev/null # warm-up
done

run_wrk() { # STORE CONNECTIONS -> "rps p50 p99 non2xx"
  local out=$work/wrk-$1-$2.out
  wrk -t"$(($2 < 2 ? $2 : 2))" -c"$2" -d"${duration}s" --timeout 10s --latency -s "$work/search.lua" \
    "http://127.0.0.1:${port[$1]}" >"$out" 2>&1
  printf '%s %s %s %s\n' "$(awk '/^Requests\/sec/ {print $2}' "$out")" "$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")" \
    "$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")" "$(awk '/Non-2xx/ {n = $NF} END {print n ? n : 0}' "$out")"
}

rows=()
for c in $conn_list; do
  : >"$work/runs-$c"
  for ((r = 1; r <= rounds; r++)); do
    say "$c connection(s), round $r of $rounds: local, then shared, $duration s each"
    for store in local shared; do
      echo "$store $(run_wrk "$store" "$c")" >>"$work/runs-$c"
    done
  done
  rows+=("$(awk -v c="$c" '{ n[$1]++; rps[$1] += $2; p50[$1] += $3; p99[$1] += $4; err += $5 }
    END {
      lr = rps["local"] / n["local"]; sr = rps["shared"] / n["shared"]
      lp50 = p50["local"] / n["local"]; sp50 = p50["shared"] / n["shared"]
      printf "%5s %10.1f %8.2f %8.2f %10.1f %8.2f %8.2f %9.2f %8.2f %7s", c, lr, lp50, p99["local"] / n["local"], sr, sp50,
        p99["shared"] / n["shared"], sp50 - lp50, sr / lr, err }' "$work/runs-$c")")
done
buckets=$(psql "$db_url" -X -qtA -c "SELECT count(*) FROM rate_bucket")
refused=$(psql "$db_url" -X -qtA -c "SELECT coalesce(sum(refused_requests), 0) FROM limit_day")
fallbacks=$(curl -fsS "http://127.0.0.1:${port[shared]}/q/metrics" | awk '/^coursebot_rate_limit_fallback_total/ {print $NF}')
local_hwm=$(vm_kb "${pid[local]}" VmHWM)
shared_hwm=$(vm_kb "${pid[shared]}" VmHWM)

echo
echo "limits-bench: GET /api/search, $chunks chunks x 1536 dimensions, $clients client addresses, ${duration} s per run,"
echo "means of $rounds rounds;"
echo "latencies in ms; local = buckets in the process's memory, shared = a row per client in PostgreSQL"
printf '%5s %10s %8s %8s %10s %8s %8s %9s %8s %7s\n' conns local_rps l_p50 l_p99 shared_rps s_p50 s_p99 dp50 s/l_rps non2xx
printf '%s\n' "${rows[@]}"
echo "goal: dp50 <= 1 ms, s/l_rps >= 0.90. The database holds $buckets buckets; $refused requests refused;" \
  "${fallbacks:-0} counted locally by the shared service"
echo "chat-service VmHWM: local $(mb "$local_hwm") MB, shared $(mb "$shared_hwm") MB (budget 128 MB):" \
  "$( ((local_hwm <= 128 * 1024 && shared_hwm <= 128 * 1024)) && echo PASS || echo FAIL)"
