#!/usr/bin/env bash
# What students asked and what the course lacks (docs/insights.md): chat-service's GET /admin/insights as text.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/ops/insights.sh [--since 7d] [--source COURSE] [--limit N] [--json] [--chat URL] [--admin-token T]

Prints chat-service's question log report for a terminal: the period and its figures (questions, share covered,
share of answers with feedback found helpful, p50/p95 latency), questions per day (UTC) as a bar chart, the gaps
(groups of similar uncovered or not-helpful questions, largest first: their size, up to 3 example questions and
the closest sections of the course), the most cited sections and the sections never cited. Nothing is written.

  --since 7d         the period: the last N days (Nd) or hours (Nh), 1h to 365d (default 7d)
  --source COURSE    one course of the deployment: the questions asked of it and its sections (default: all)
  --limit N          gap groups shown (default 10)
  --json             print the report's JSON as chat-service sent it, instead of the text
  --chat URL         chat-service's base URL (default: $CHAT_URL, else http://localhost:8080)
  --admin-token T    chat-service's admin token (default: $ADMIN_TOKEN)

Exit status: 0 ok, 1 error (unreachable, HTTP error, an answer that is no report), 2 usage (bad option, no
token, a period chat-service refuses). Needs curl and python3. The request gives up after 60 s.
USAGE
}

die() { echo "insights: $1" >&2; exit "${2:-1}"; }

since=7d limit=10 raw=false source=''
chat=${CHAT_URL:-http://localhost:8080} token=${ADMIN_TOKEN:-}
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --json) raw=true; shift ;;
    --since|--source|--limit|--chat|--admin-token)
      [[ $# -ge 2 ]] || die "$1 needs a value (see --help)" 2
      case $1 in
        --since) since=$2 ;;
        --source) source=$2 ;;
        --limit) limit=$2 ;;
        --chat) chat=$2 ;;
        --admin-token) token=$2 ;;
      esac
      shift 2 ;;
    *) die "unknown argument $1 (see --help)" 2 ;;
  esac
done
# The shape only; the range (1h..365d) is chat-service's to check, and its 400 says so.
[[ $since =~ ^[0-9]{1,4}[dh]$ ]] || die "--since needs a number of days or hours, e.g. 7d or 12h (got '$since')" 2
[[ -z $source || $source =~ ^[A-Za-z0-9._-]{1,100}$ ]] || die "--source needs a course name (letters, digits, . _ -)" 2
[[ $limit =~ ^[0-9]{1,4}$ ]] || die "--limit needs a number (got '$limit')" 2
chat=${chat%/}
[[ $chat =~ ^https?://[^/]+ ]] || die "$chat is not an http(s) URL (--chat or CHAT_URL)" 2
[[ -n $token ]] || die "no admin token: set ADMIN_TOKEN or pass --admin-token (chat-service's admin token)" 2
command -v curl >/dev/null || die "needs curl"
command -v python3 >/dev/null || die "needs python3 (to read the report)"

tmp=$(mktemp -d) # readable by its owner only
trap 'rm -rf "$tmp"' EXIT
printf 'Authorization: Bearer %s\n' "$token" >"$tmp/auth" # a header file: the token stays out of the process list

url="$chat/admin/insights?since=$since${source:+&source=$source}"
max_time=60
rc=0
code=$(curl -sS -H "@$tmp/auth" -H 'Accept: application/json' -o "$tmp/out" -w '%{http_code}' \
  --connect-timeout 10 --max-time "$max_time" "$url" 2>"$tmp/err") || rc=$?
if [[ $rc -ne 0 ]]; then
  case $rc in
    6) why="cannot resolve the host" ;;
    7) why="connection refused" ;;
    28) why="no answer in $max_time s" ;;
    35|51|58|60) why="TLS failed: $(tail -n 1 "$tmp/err")" ;;
    *) why="curl exit $rc: $(tail -n 1 "$tmp/err")" ;;
  esac
  die "cannot reach $chat ($why; is CHAT_URL right?)"
fi

if [[ $code != 200 ]]; then
  # The problem's detail (else the start of whatever came) and its type, on one line with no control characters.
  detail=$(python3 -c 'import json, re, sys
body = open(sys.argv[1], encoding="utf-8", errors="replace").read()
try:
    p = json.loads(body)
    detail, kind = p.get("detail") or p.get("title") or "", (p.get("type") or "").rsplit("/", 1)[-1]
except (ValueError, AttributeError):
    detail, kind = body[:500], ""
print(re.sub(r"[\x00-\x1f\x7f-\x9f]+", " ", str(detail)).strip(), re.sub(r"[^\w-]", "", str(kind)), sep="\x1f")' "$tmp/out")
  kind=${detail#*$'\x1f'} detail=${detail%%$'\x1f'*}
  case $code:$kind in
    401:*) hint=" (is ADMIN_TOKEN chat-service's admin token?)" ;;
    404:admin-disabled) hint="" ;;
    404:*) hint=" (is $chat chat-service, and a version with the question log?)" ;;
    *) hint="" ;;
  esac
  # A 400 is about the one thing sent, the period: a usage error.
  die "GET $url -> HTTP $code${detail:+: $detail}$hint" "$([[ $code == 400 ]] && echo 2 || echo 1)"
fi

if [[ $raw == true ]]; then
  python3 -c 'import json, sys; assert isinstance(json.load(open(sys.argv[1], encoding="utf-8")), dict)' "$tmp/out" \
    2>/dev/null || die "chat-service answered 200 but not with an insights report (not a JSON object)"
  cat "$tmp/out"
  [[ -z $(tail -c 1 "$tmp/out") ]] || echo
  exit 0
fi

LIMIT=$limit SINCE=$since python3 - "$tmp/out" <<'PY'
import datetime, json, os, re, signal, sys

signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `insights.sh | head` ends quietly, as other commands do
WIDTH = 100   # the widest line, but for a url longer than that
BAR = 50      # the longest bar, the busiest day's
NEVER = 5     # never-cited sections listed

sys.stdout.reconfigure(errors="replace")
try:
    r = json.load(open(sys.argv[1], encoding="utf-8"))
    if not isinstance(r, dict) or not isinstance(r.get("questions"), int) or not isinstance(r.get("days"), list):
        raise ValueError("no questions or days")
except (ValueError, OSError) as e:
    print(f"insights: chat-service answered 200 but not with an insights report ({e})", file=sys.stderr)
    sys.exit(1)

def clean(value):
    """Text from the log on one line: no control characters (no escape sequences reach the terminal)."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]", " ", str(value or ""))
    return re.sub(r" {2,}", " ", text).strip()

def fit(text, width):
    return text if len(text) <= width else text[:max(width - 1, 0)].rstrip() + "…"

def pct(share):
    return "-" if share is None else f"{share * 100:.1f}%"

def when(iso):
    try:
        t = datetime.datetime.fromisoformat(str(iso).replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
        return t.strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return clean(iso)

def sections(entries, lead, indent):
    """Each entry's lead (a count, a label), then 'title — url' when every entry of the list fits on its line, else
    the url alone on the next line, under the title (a url is never cut: it is for opening)."""
    named = [(clean(s.get("title")) or "(untitled)", clean(s.get("url"))) for s in entries]
    one_line = all(indent + len(t) + len(" — ") + len(u) <= WIDTH for t, u in named)
    for s, (title, url) in zip(entries, named):
        if one_line:
            print(f"{lead(s):<{indent}}{title} — {url}")
        else:
            print(f"{lead(s):<{indent}}{fit(title, WIDTH - indent)}")
            print(f"{'':<{indent}}{url}")

def plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"

q = r["questions"]
covered = r.get("covered") or 0
feedback = r.get("feedback") or {}
latency = r.get("latencyMs") or {}
print(f"Coursebot insights, last {os.environ['SINCE']}: {when(r.get('since'))} to {when(r.get('until'))} UTC")
if r.get("enabled") is False:
    print("(this chat-service records no questions: coursebot.insights.enabled is false or INSIGHTS_DATABASE_URL "
          "is unset)")
print()
print(f"{'questions':<10} {q:>7}")
print(f"{'covered':<10} {covered:>7}  {pct(r.get('coveredShare'))}" + (" of questions" if q else ""))
answers = feedback.get("answers") or 0
if answers:
    print(f"{'helpful':<10} {feedback.get('helpful') or 0:>7}  {pct(feedback.get('helpfulShare'))} of "
          f"{plural(answers, 'answer')} with feedback ({feedback.get('notHelpful') or 0} not helpful)")
else:
    print(f"{'helpful':<10} {0:>7}  - (no feedback)")
ms = lambda v: "-" if v is None else f"{v:.0f} ms"
print(f"{'latency':<10} {'':>7}  p50 {ms(latency.get('p50'))}, p95 {ms(latency.get('p95'))}")

days = [d for d in r["days"] if isinstance(d, dict)]
print("\nQuestions per day (UTC)")
print(f"{'day':<10} {'questions':>9} {'covered':>7}")
busiest = max((d.get("questions") or 0 for d in days), default=0)
for d in days:
    n = d.get("questions") or 0
    bar = "#" * (max(1, round(n * BAR / busiest)) if n else 0)
    print(f"{clean(d.get('day')):<10} {n:>9} {pct(d.get('coveredShare')):>7} {bar}".rstrip())

gaps = [g for g in r.get("gaps") or [] if isinstance(g, dict)]
limit = int(os.environ["LIMIT"])
ungrouped = r.get("ungrouped") or 0
print(f"\nGaps: {plural(len(gaps), 'group')} of similar uncovered or not-helpful questions"
      + (f" ({plural(ungrouped, 'question')} not grouped)" if ungrouped else ""))
for i, g in enumerate(gaps[:limit], 1):
    print(f"{i:>3}. {plural(g.get('size') or 0, 'question')}: {g.get('uncovered') or 0} uncovered, "
          f"{g.get('notHelpful') or 0} not helpful")
    for example in (g.get("examples") or [])[:3]:
        print(f"     \"{fit(clean(example), WIDTH - 7)}\"")
    closest = [s for s in g.get("closestSections") or [] if isinstance(s, dict)][:3]
    if closest:
        print("     closest sections (similarity):")
    sections(closest, lambda s: "     " + ("-" if s.get("similarity") is None else f"{s['similarity']:.2f}"), 10)
if len(gaps) > limit:
    print(f"     … and {len(gaps) - limit} more (--limit {len(gaps)} shows them)")

cited = [s for s in r.get("mostCited") or [] if isinstance(s, dict)]
print("\nMost cited sections" + ("" if cited else ": none"))
sections(cited, lambda s: f"{s.get('citations') or 0:>7}  ", 9)

never = [s for s in r.get("neverCited") or [] if isinstance(s, dict)]
count = r.get("neverCitedCount")
count = len(never) if count is None else count
shown = min(NEVER, len(never))
print(f"\nNever cited: {plural(count, 'section')} of the course" + (f", the first {shown}:" if shown else ""))
sections(never[:shown], lambda s: "", 9)
if shown and count > shown:
    print(f"         … and {count - shown} more" + (f" (--json has the first {len(never)})" if len(never) > shown else ""))
PY
