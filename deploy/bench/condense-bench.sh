#!/usr/bin/env bash
# What the condense call of issue 29 costs a follow-up: POST /api/chat with the sample course's conversations
# (deploy/demo-course/conversations.jsonl), the chat model (the fake OpenAI server) writing answers, in four
# scenarios; asserts that a condensed follow-up is searched as the model's standalone question and that a slow
# condense call is cut off at its timeout.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/bench/condense-bench.sh [--rounds N] [--latency MS] [--timeout MS] [--chunks N]

Builds a throw-away database of the local cluster (COURSEBOT_TEST_DATABASE_URL or
postgresql://coursebot:coursebot@127.0.0.1:5433/coursebot), migrated by ingest-service at 1536 dimensions, with
--chunks rows (default 2000) of the sample course's sentences and random vectors (deploy/bench/seed-chunks.sh).
chat-service runs with its image flags against the fake OpenAI server on 127.0.0.1: question embeddings, answers
written by the chat model (COURSEBOT_ANSWER_MODE=llm, the fake's answer at once), threshold 0 so every question is
answered. Each scenario starts a fresh chat-service and asks every conversation of the sample course --rounds times
(default 3), one request at a time, after an unmeasured warm-up round of their questions alone:
  alone      each conversation's last question without its history (the single-question baseline)
  joined     with its history, COURSEBOT_ANSWER_CONDENSE_ENABLED=false: a follow-up is searched joined with the
             earlier questions it leans on (the offline way)
  condensed  with its history, the condense model answering after --latency ms (default 300)
  timeout    with its history, the condense model answering after 5000 ms, past its timeout (set to --timeout ms
             here, default 1000, and the chat model's circuit breaker kept closed: every follow-up pays the timeout,
             the worst case)
One row per scenario: requests, follow-ups (followUp in the answer), p50 and p99 of all requests and of the
follow-ups (ms), condense calls the fake server received, and those it saw cancelled.

Exit status 1 when an invariant is broken: a request that did not answer 200; in condensed, a follow-up not
searched as the condense model's question; in timeout, a follow-up not searched joined, or slower than --timeout
plus 1 s, or a condense call not cancelled; in alone and joined, any condense call.
USAGE
}

rounds=3 latency=300 timeout=1000 chunks=2000
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --rounds) rounds=$2; shift ;;
    --latency) latency=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --chunks) chunks=$2; shift ;;
    *) echo "condense-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((rounds >= 1 && rounds <= 50 && latency >= 0 && latency <= 1500 && timeout >= 100 && timeout <= 4000
  && chunks >= 100 && chunks <= 100000)) \
  || { echo "condense-bench: --rounds 1..50, --latency 0..1500 (below the 2 s timeout), --timeout 100..4000 (below the slow" \
         "model's 5 s), --chunks 100..100000" >&2; exit 2; }

bench_name=condense-bench
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build

standalone="How do I send JSON back to the client from an Express route?"
java -Xmx64m -XX:+UseSerialGC -cp "$test_cp" org.coursebot.testing.FakeOpenAiServer 0 1536 \
  --model-reply "condense-fast=$latency:$standalone" --model-reply "condense-slow=5000:$standalone" \
  >"$work/fake.out" 2>"$work/fake.err" &
bench_pids+=($!)
for ((i = 0; i < 100; i++)); do [[ -s $work/fake.out ]] && break; sleep 0.2; done
fake_url=$(head -n 1 "$work/fake.out")
[[ $fake_url == http://127.0.0.1:* ]] || { say "fake OpenAI server did not start"; cat "$work/fake.err" >&2; exit 1; }
create_db
openai_env=(OPENAI_API_KEY=sk-bench COURSEBOT_EMBEDDING_BASE_URL="$fake_url")
start_service ingest-service "$(free_port)" "" DATABASE_URL="$db_url" "${openai_env[@]}"
stop_pid "$svc_pid"
"$repo/deploy/bench/seed-chunks.sh" "$db_url" "$chunks" 1536 3 4

chat_env=(CHAT_DATABASE_URL="$chat_db_url" "${openai_env[@]}" COURSEBOT_ANSWER_MODE=llm INSIGHTS_ENABLED=false
  COURSEBOT_RATE_LIMIT_ENABLED=false COURSEBOT_HTTP_MAX_REQUESTS_PER_CLIENT=100000)

printf '%-10s %8s %9s %8s %8s %9s %9s %9s %9s\n' scenario requests follow-ups p50 p99 fu-p50 fu-p99 condense cancelled
status=0
for scenario in alone joined condensed timeout; do
  case $scenario in
    alone|joined) extra=(COURSEBOT_ANSWER_CONDENSE_ENABLED=false) ;;
    condensed) extra=(COURSEBOT_ANSWER_CONDENSE_MODEL=condense-fast) ;;
    timeout) extra=(COURSEBOT_ANSWER_CONDENSE_MODEL=condense-slow COURSEBOT_ANSWER_CONDENSE_TIMEOUT="${timeout}ms"
                    COURSEBOT_ANSWER_LLM_CIRCUIT_FAILURE_THRESHOLD=100000) ;;
  esac
  port=$(free_port)
  start_service chat-service "$port" "" "${chat_env[@]}" "${extra[@]}"
  python3 - "$repo/deploy/demo-course/conversations.jsonl" "http://127.0.0.1:$port/api/chat" "$scenario" "$rounds" \
    "$standalone" "$work/$scenario.json" "${fake_url%/v1}/_fake/stats" "$timeout" <<'PY'
import json, sys, time, urllib.request
path, url, scenario, rounds, standalone, out, stats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
timeout_ms = int(sys.argv[8])
conversations = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
def ask(c, alone=False):
    body = {"question": c["question"], "threshold": 0, "k": 5}
    if scenario != "alone" and not alone:
        body["history"] = c["history"]
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
        status = response.status
    return (time.perf_counter() - start) * 1000, status, answer
for c in conversations:  # warm-up, not measured
    ask(c, alone=True)
before = json.load(urllib.request.urlopen(stats))
rows, broken = [], []
for _ in range(rounds):
    for c in conversations:
        try:
            ms, status, answer = ask(c)
        except Exception as e:  # an HTTP error or a timeout
            broken.append(f"{c['question'][:40]!r}: {e}")
            continue
        follow_up, searched = answer.get("followUp", False), answer.get("searchedFor", "")
        rows.append({"ms": ms, "followUp": follow_up})
        if scenario == "condensed" and follow_up and searched != standalone:
            broken.append(f"condensed follow-up searched as {searched!r}")
        if scenario == "timeout" and follow_up and ("\n" not in searched or ms > timeout_ms + 1000):
            broken.append(f"timeout follow-up: {ms:.0f} ms, searched as {searched!r}")
time.sleep(0.5)  # the last cancelled call's connection closes
after = json.load(urllib.request.urlopen(stats))
json.dump({"rows": rows, "broken": broken, "before": before, "after": after}, open(out, "w"))
PY
  stop_pid "$svc_pid"
  python3 - "$work/$scenario.json" "$scenario" <<'PY' || status=1
import json, sys
data, scenario = json.load(open(sys.argv[1])), sys.argv[2]
before, after = data["before"], data["after"]
def count(stats, *keys):
    for k in keys:
        stats = stats.get(k, {}) if isinstance(stats, dict) else {}
    return stats if isinstance(stats, int) else 0
model = {"condensed": "condense-fast", "timeout": "condense-slow"}.get(scenario, "")
calls = count(after, "chatRequests", model) - count(before, "chatRequests", model) if model else \
    sum(v for k, v in after.get("chatRequests", {}).items() if k.startswith("condense")) - \
    sum(v for k, v in before.get("chatRequests", {}).items() if k.startswith("condense"))
cancelled = count(after, "chatStreams", "cancelled") - count(before, "chatStreams", "cancelled")
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")
every = [r["ms"] for r in data["rows"]]
follow = [r["ms"] for r in data["rows"] if r["followUp"]]
print(f"{scenario:<10} {len(every):8d} {len(follow):9d} {pct(every, 50):8.1f} {pct(every, 99):8.1f} "
      f"{pct(follow, 50):9.1f} {pct(follow, 99):9.1f} {calls:9d} {cancelled:9d}")
broken = list(data["broken"])
if scenario in ("alone", "joined") and calls:
    broken.append(f"{calls} condense calls with condensing off")
if scenario == "timeout" and cancelled < calls:
    broken.append(f"{calls - cancelled} slow condense calls not cancelled")
for b in broken[:10]:
    print(f"  BROKEN: {b}", file=sys.stderr)
sys.exit(1 if broken else 0)
PY
done
exit $status
