#!/usr/bin/env bash
# The shared rate limiter (issue 32): Bucket4j's PostgreSQL integration against coursebot_take_token, the one SQL
# function chat-service calls, through JDBC and through the reactive client. Prints numbers; asserts nothing but that
# no take was refused.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/bucket4j-bench.sh [--duration SECONDS] [--threads "1 4 16"] [--clients N] [--warmup SECONDS]
                                     [--rounds N]

Builds a throw-away database of the local cluster (COURSEBOT_TEST_DATABASE_URL or
postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot), migrated by ingest-service's Flyway scripts, plus
Bucket4j's table as its docs create it (bucket: id BIGINT PRIMARY KEY, state BYTEA, expires_at BIGINT) and the same
table UNLOGGED (bucket_unlogged, as rate_bucket is). Then takes one token per operation, for a key drawn at random
from --clients (default 1000; every bucket created beforehand), with limits no take reaches, four ways:

  bucket4j           Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource) (PostgreSQLSelectForUpdateBasedProxyManager,
                     expiry after write), tryConsume(1), over HikariCP (16 connections), the owner role
  bucket4j-unlogged  the same on bucket_unlogged
  jdbc               SELECT allowed, wait_seconds FROM coursebot_take_token(?, ?, ?) over HikariCP (16), coursebot_insights
  reactive           the same statement over the Vert.x PostgreSQL client as chat-service sends it (16 connections,
                     prepared statements cached), coursebot_insights; N takes in flight for N "threads"

For each thread count (default 1, 4 and 16), --rounds times (default 2; the ways in turns, the figures are the rounds'
means), each way runs in a JVM of its own with chat-service's image flags (chat-service/src/main/docker/jvm.options,
MALLOC_ARENA_MAX=1): --warmup seconds (default 3), then --duration seconds (default 20) timed. Prints operations/s,
p50 and p99 (ms), round trips per take (counted at the JDBC API; 1 query per take for reactive), transactions per take
(pg_stat_database of the bench database, read after each JVM's connections closed), WAL bytes per take (of the whole
cluster: run it on a quiet one), and each JVM's VmHWM, loaded classes and heap after a full GC; then the JVM alone,
and bucket4j beside an open reactive pool (chat-service's case: it has the reactive client anyway).

Stops everything it started on exit, Ctrl-C included.
USAGE
}

duration=20 thread_list="1 4 16" clients=1000 warmup=3 rounds=2
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --duration) duration=$2; shift ;;
    --threads) thread_list=$2; shift ;;
    --clients) clients=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    *) echo "bucket4j-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((duration >= 1 && duration <= 300 && clients >= 1 && clients <= 100000 && warmup >= 0 && warmup <= 60 \
  && rounds >= 1 && rounds <= 10)) \
  || { echo "bucket4j-bench: --duration 1..300, --clients 1..100000, --warmup 0..60, --rounds 1..10" >&2; exit 2; }
for t in $thread_list; do ((t >= 1 && t <= 64)) || { echo "bucket4j-bench: threads 1..64" >&2; exit 2; }; done

bench_name=bucket4j-bench
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# A classpath written before test-support needed Bucket4j's PostgreSQL module is rebuilt.
if [[ -f $repo/test-support/target/bench.classpath ]] \
    && ! grep -q bucket4j_jdk17-postgresql "$repo/test-support/target/bench.classpath"; then
  REBUILD=1
fi
bench_build
create_db
db=${db_url##*/}
cd "$repo" # the migrations are found from the working directory

java -cp "$test_cp" org.coursebot.testing.bench.TokenTakeBench migrate "$db_url" >"$work/migrate.log" 2>&1 \
  || { say "migrating failed"; tail -n 20 "$work/migrate.log" >&2; exit 1; }
psql "$db_url" -X -q -v ON_ERROR_STOP=1 \
  -c "CREATE TABLE bucket (id BIGINT PRIMARY KEY, state BYTEA, expires_at BIGINT)" \
  -c "CREATE UNLOGGED TABLE bucket_unlogged (id BIGINT PRIMARY KEY, state BYTEA, expires_at BIGINT)"

url_of() { # WAY -> the role it runs as
  case $1 in bucket4j*) echo "$db_url" ;; *) echo "$insights_db_url" ;; esac
}
db_sql() { psql "$admin_db_url" -X -qtA -c "$1"; }
xacts() { db_sql "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$db'"; }
wal_lsn() { db_sql "SELECT pg_current_wal_lsn()"; }
# The sessions' statistics reach pg_stat_database when they end: wait for the JVM's connections to be gone.
sessions_gone() {
  local i
  for ((i = 0; i < 100; i++)); do
    [[ $(db_sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db' AND backend_type = 'client backend'") == 0 ]] \
      && break
    sleep 0.1
  done
  sleep 0.5
}
field() { # LINE NAME -> value of NAME=value
  tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'
}
# run_jvm WAY THREADS [ARGS...]: one JVM with chat-service's flags; prints its line plus xacts_per_op and wal_per_op.
run_jvm() {
  local way=$1 threads=$2
  shift 2
  local x0 w0 line x1 w1 ops
  x0=$(xacts) w0=$(wal_lsn)
  line=$(MALLOC_ARENA_MAX=1 java "@$repo/chat-service/src/main/docker/jvm.options" -cp "$test_cp" \
    org.coursebot.testing.bench.TokenTakeBench --way "$way" --threads "$threads" --clients "$clients" \
    --duration "$duration" --warmup "$warmup" "$@" 2>"$work/jvm.err" | tail -n 1) \
    || { say "$way, $threads thread(s) failed:"; tail -n 20 "$work/jvm.err" >&2; exit 1; }
  [[ $line == way=* ]] || { say "$way, $threads thread(s) printed no result:"; tail -n 20 "$work/jvm.err" >&2; exit 1; }
  sessions_gone
  x1=$(xacts) w1=$(wal_lsn)
  ops=$(field "$line" all_ops)
  printf '%s xacts_per_op=%s wal_per_op=%s\n' "$line" \
    "$(awk -v d=$((x1 - x0)) -v n="$ops" 'BEGIN {printf "%.2f", n ? d / n : 0}')" \
    "$(db_sql "SELECT round(pg_wal_lsn_diff('$w1', '$w0') / greatest($ops, 1))")"
}

ways="bucket4j bucket4j-unlogged jdbc reactive"
say "creating $clients buckets for each way"
for way in bucket4j bucket4j-unlogged jdbc; do # reactive takes from jdbc's rows (rate_bucket)
  run_jvm "$way" 16 --url "$(url_of "$way")" --prime >>"$work/prime"
done

: >"$work/runs"
for t in $thread_list; do
  for ((r = 1; r <= rounds; r++)); do
    say "$t thread(s), round $r of $rounds: $ways, $warmup + $duration s each"
    for way in $ways; do
      line=$(run_jvm "$way" "$t" --url "$(url_of "$way")")
      ((r == 1)) && [[ $way == bucket4j ]] && say "  $line"
      echo "$line" >>"$work/runs"
    done
  done
done
say "memory: the JVM alone, bucket4j beside an open reactive pool"
alone=$(run_jvm none 1)
beside=$(run_jvm bucket4j 16 --url "$db_url" --beside-reactive "$insights_db_url")

refused=$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /^refused=/) {split($i, a, "="); n += a[2]}} END {print n + 0}' \
  "$work/runs" "$work/prime")
echo
echo "bucket4j-bench: one token per take, $clients keys at random, ${duration} s per run after ${warmup} s of warm-up,"
echo "means of $rounds rounds; each run its own JVM with chat-service's flags (-Xmx20m, C1, serial GC); latencies in ms;"
echo "rt/op = round trips per take, xact/op = transactions per take, wal/op = WAL bytes per take (whole cluster)"
printf '%-18s %7s %9s %7s %7s %6s %7s %7s %8s %7s %8s\n' way threads ops/s p50 p99 rt/op xact/op wal/op hwm_MB classes heap_MB
awk '
  function f(k,   i, a) { for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] } }
  { key = f("way") SUBSEP f("threads"); if (!(key in n)) order[++rows] = key
    n[key]++; rps[key] += f("ops_per_s"); p50[key] += f("p50_ms"); p99[key] += f("p99_ms"); rt[key] += f("round_trips_per_op")
    xa[key] += f("xacts_per_op"); wal[key] += f("wal_per_op")
    if (f("vmhwm_kb") > hwm[key]) hwm[key] = f("vmhwm_kb"); cls[key] = f("classes"); heap[key] = f("heap_after_gc_kb") }
  END { for (r = 1; r <= rows; r++) { k = order[r]; split(k, w, SUBSEP); c = n[k]
    printf "%-18s %7s %9.0f %7.2f %7.2f %6.2f %7.2f %7.0f %8.1f %7s %8.1f\n", w[1], w[2], rps[k] / c, p50[k] / c, p99[k] / c,
      rt[k] / c, xa[k] / c, wal[k] / c, hwm[k] / 1024, cls[k], heap[k] / 1024 } }' "$work/runs"
echo "a new bucket: bucket4j $(field "$(grep 'way=bucket4j-prime' "$work/prime")" round_trips_per_op) round trips," \
  "coursebot_take_token $(field "$(grep 'way=jdbc-prime' "$work/prime")" round_trips_per_op)"
echo "the JVM alone: VmHWM $(mb "$(field "$alone" vmhwm_kb)") MB, $(field "$alone" classes) classes;" \
  "bucket4j (16 threads) beside an open reactive pool: VmHWM $(mb "$(field "$beside" vmhwm_kb)") MB," \
  "$(field "$beside" classes) classes, $(field "$beside" ops_per_s) takes/s"
echo "refused takes: $refused (must be 0)"
