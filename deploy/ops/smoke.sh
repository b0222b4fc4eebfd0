#!/usr/bin/env bash
# Smoke test of a deployed Coursebot: both services ready and agreeing, one cited answer, the admin API closed.
set -euo pipefail
((BASH_VERSINFO[0] >= 4)) || { echo "smoke: needs bash 4 or newer (macOS: brew install bash)" >&2; exit 2; }

usage() {
  cat <<'USAGE'
Usage: deploy/ops/smoke.sh --chat URL --ingest URL [--admin-token T] [--question Q]

Checks a running system from the outside, as a user and an operator see it; prints one line per check,
"PASS <check>: <detail>" or "FAIL <check>: <why>", then a verdict line. Nothing is written anywhere.

  chat-service readiness    GET <chat>/q/health/ready answers 200 and UP (else: which checks are DOWN, and why)
  ingest-service readiness  the same for <ingest>
  schema and embedding space  both services report the same schema version (built for, and found in the
                            database), chat-service the embedding space it searches, and (with a token) it is the
                            database's active space as ingest-service's GET /admin/spaces lists it
  answer                    POST <chat>/api/chat {"question": Q} is covered, has a citation, and the first
                            citation's url resolves in the live page (the page answers 200 and has an element
                            with the url's #fragment as id, or an <a name>)
  admin API closed          POST <ingest>/admin/ingest without a token answers 401 (or 404: ADMIN_TOKEN unset)
  admin token               with a token: GET <ingest>/admin/ingest/runs?limit=1 with it answers 200

Options:
  --chat URL         chat-service's base URL, e.g. https://coursebot-chat.onrender.com
  --ingest URL       ingest-service's base URL
  --admin-token T    ingest-service's admin token (default: $ADMIN_TOKEN; neither: the token check is skipped)
  --question Q       the question to ask (default: one the sample course deploy/demo-course answers,
                     "How do I read a JSON body in Express?"; ask one your course answers)

Exit status: 0 when every check passed, 1 when one failed, 2 for a usage error.
Needs curl and python3. Each request gives up after 30 s (the answer after 60 s).
USAGE
}

die() { echo "smoke: $*" >&2; exit 2; }
chat='' ingest='' token=${ADMIN_TOKEN:-} question='How do I read a JSON body in Express?'
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --chat|--ingest|--admin-token|--question)
      [[ $# -ge 2 ]] || die "$1 needs a value (see --help)"
      case $1 in
        --chat) chat=${2%/} ;;
        --ingest) ingest=${2%/} ;;
        --admin-token) token=$2 ;;
        --question) question=$2 ;;
      esac
      shift 2 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[[ -n $chat && -n $ingest ]] || { usage >&2; exit 2; }
for url in "$chat" "$ingest"; do
  [[ $url =~ ^https?://[^/]+ ]] || die "$url is not an http(s) URL"
done
command -v curl >/dev/null || die "needs curl"
command -v python3 >/dev/null || die "needs python3"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Reads what the services answered; bash decides what passes. Fields are separated by \x1f (may be empty).
read -r -d '' helpers <<'PY' || true
import html.parser, json, sys, urllib.parse

def load(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None

def readiness(path):
    """status, the DOWN checks with their data, schema built for, schema found, embedding space."""
    report = load(path)
    if not isinstance(report, dict) or "status" not in report:
        return ["", "", "", "", ""]
    checks = {c.get("name"): c for c in report.get("checks", []) if isinstance(c, dict)}
    down = []
    for name, c in checks.items():
        if c.get("status") != "UP":
            data = ", ".join(f"{k} {v}" for k, v in (c.get("data") or {}).items())
            down.append(f"{name} ({data})" if data else str(name))
    schema = checks.get("schema", {}).get("data") or {}
    space = checks.get("embedding-space", {}).get("data") or {}
    searched = f"space {space['id']} ({space.get('model')}/{space.get('dimension')})" if "id" in space else ""
    return [report["status"], "; ".join(down), str(schema.get("expected", "")), str(schema.get("found", "")), searched]

def active_space(path):
    """the active space of GET /admin/spaces, as readiness names it; empty when the body is no list of spaces."""
    spaces = load(path)
    if not isinstance(spaces, list):
        return [""]
    active = [s for s in spaces if isinstance(s, dict) and s.get("status") == "active"]
    return [f"space {active[0]['id']} ({active[0].get('model')}/{active[0].get('dimension')})" if active else "none"]

def answer(path):
    """covered (true/false, empty when not an answer), the number of citations, the first citation's url."""
    a = load(path)
    if not isinstance(a, dict) or "covered" not in a:
        return ["", "", ""]
    citations = [c for c in a.get("citations") or [] if isinstance(c, dict)]
    return ["true" if a["covered"] else "false", str(len(citations)), citations[0].get("url", "") if citations else ""]

def problem(path):
    """type and detail of an application/problem+json body."""
    p = load(path)
    return [p.get("type", ""), p.get("detail", "")] if isinstance(p, dict) else ["", ""]

class Anchors(html.parser.HTMLParser):
    def __init__(self, fragment):
        super().__init__()
        self.fragment, self.found = fragment, False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.found |= a.get("id") == self.fragment or (tag == "a" and a.get("name") == self.fragment)

def anchor(path, fragment):
    """found when the page has an element with the (percent-decoded) fragment as id, or an <a name>."""
    parser = Anchors(urllib.parse.unquote(fragment))
    with open(path, encoding="utf-8", errors="replace") as f:
        parser.feed(f.read())
    return ["found" if parser.found else ""]

command, args = sys.argv[1], sys.argv[2:]
if command == "question":
    print(json.dumps({"question": args[0]}))
else:
    print("\x1f".join(globals()[command](*args)))
PY
py() { python3 -c "$helpers" "$@"; }
fields() { IFS=$'\x1f' read -r "$@" || true; }
join() { local out=$1; shift; for part in "$@"; do out+=", $part"; done; printf '%s' "$out"; }

max_time=30
failed=() checks=0
pass() { checks=$((checks + 1)); echo "PASS $1: $2"; }
fail() { checks=$((checks + 1)); failed+=("$1"); echo "FAIL $1: $2"; }

# request NAME METHOD URL [curl options...]: the status in $code, the body in $work/NAME; when no HTTP answer
# came, returns 1 with the reason in $why.
request() {
  local name=$1 method=$2 url=$3 rc=0
  shift 3
  code=$(curl -sS -X "$method" -o "$work/$name" -w '%{http_code}' --connect-timeout 10 --max-time "$max_time" \
    "$@" "$url" 2>"$work/$name.err") || rc=$?
  [[ $rc -eq 0 ]] && return 0
  case $rc in
    6) why="cannot resolve the host" ;;
    7) why="connection refused" ;;
    28) why="no answer in $max_time s" ;;
    35|51|58|60) why="TLS failed: $(tail -n 1 "$work/$name.err")" ;;
    *) why="curl exit $rc: $(tail -n 1 "$work/$name.err")" ;;
  esac
  return 1
}

# 1. Readiness. What each service reports is kept for check 2 in schema, found and space (by service), or why it
#    reported nothing in unreached.
declare -A schema=() found=() space=() unreached=()
readiness() {
  local service=$1 base=$2 status down
  if ! request "ready-$service" GET "$base/q/health/ready" -H 'Accept: application/json'; then
    unreached[$service]="$service unreachable at $base ($why)"
    fail "$service readiness" "${unreached[$service]}"
    return
  fi
  fields status down "schema[$service]" "found[$service]" "space[$service]" < <(py readiness "$work/ready-$service")
  if [[ -z $status ]]; then
    unreached[$service]="$service at $base answered no health report"
    fail "$service readiness" "HTTP $code from $base/q/health/ready is not a health report (is $base $service's base URL?)"
  elif [[ $code == 200 && $status == UP ]]; then
    pass "$service readiness" "UP (HTTP 200)"
  else
    fail "$service readiness" "$status (HTTP $code); DOWN: ${down:-no check named}"
  fi
}
readiness chat-service "$chat"
readiness ingest-service "$ingest"

# 2. Both services in the same schema (a mismatch means one of them was deployed alone), and chat-service searching
#    the database's active embedding space.
same_space() {
  local check="schema and embedding space" s missing=()
  for s in chat-service ingest-service; do
    if [[ -n ${unreached[$s]:-} ]]; then
      missing+=("${unreached[$s]}")
    elif [[ -z ${schema[$s]:-} ]]; then
      missing+=("$s reports no schema version in its readiness")
    fi
  done
  [[ -z ${unreached[chat-service]:-} && -n ${schema[chat-service]:-} && -z ${space[chat-service]:-} ]] \
    && missing+=("chat-service reports no embedding space in its readiness")
  if [[ ${#missing[@]} -gt 0 ]]; then
    fail "$check" "$(join "${missing[@]}")"
    return
  fi
  local c="schema ${schema[chat-service]} (database ${found[chat-service]:-?})"
  local i="schema ${schema[ingest-service]} (database ${found[ingest-service]:-?})"
  if [[ $c != "$i" ]]; then
    fail "$check" "the services differ: chat-service $c; ingest-service $i"
    return
  fi
  local active=""
  if [[ -n $token ]]; then
    (umask 077; printf 'Authorization: Bearer %s\n' "$token" >"$work/auth")
    if request spaces GET "$ingest/admin/spaces" -H "@$work/auth" && [[ $code == 200 ]]; then
      fields active < <(py active_space "$work/spaces")
    fi
    if [[ -n $active && $active != "${space[chat-service]}" ]]; then
      fail "$check" "chat-service searches ${space[chat-service]} but the database's active one is $active (chat-service follows an activation within 2 s: run the smoke again, then see its log)"
      return
    fi
  fi
  pass "$check" "$c on both services; chat-service searches ${space[chat-service]}${active:+, the active one}"
}
same_space

# 3. A question the course answers: covered, cited, and the first citation lands on its section in the live page.
check_answer() {
  local covered count url page fragment max_time=60  # an LLM's answer may take longer than a page
  if ! request answer POST "$chat/api/chat" -H 'Content-Type: application/json' \
      -H 'Accept: application/json' --data-binary "$(py question "$question")"; then
    fail answer "chat-service unreachable at $chat ($why)"
    return
  fi
  fields covered count url < <(py answer "$work/answer")
  if [[ $code != 200 || -z $covered ]]; then
    local type detail
    fields type detail < <(py problem "$work/answer")
    fail answer "POST /api/chat answered HTTP $code${detail:+: $detail}"
    return
  fi
  [[ $covered == true ]] || { fail answer "not covered: chat-service found no answer to \"$question\" (is the course ingested? is the question in it?)"; return; }
  [[ $count -gt 0 ]] || { fail answer "covered but with no citation (\"$question\")"; return; }
  page=${url%%#*}
  fragment=''
  [[ $url == *#* ]] && fragment=${url#*#}
  [[ $page =~ ^https?:// ]] || { fail answer "the first citation's url is not an http(s) URL: $url"; return; }
  if ! request page GET "$page" -L --max-redirs 5 -H 'Accept: text/html'; then
    fail answer "the first citation's page is unreachable: $page ($why)"
    return
  fi
  [[ $code == 200 ]] || { fail answer "the first citation's page answered HTTP $code: $page"; return; }
  if [[ -n $fragment && -z $(py anchor "$work/page" "$fragment") ]]; then
    fail answer "the first citation's #$fragment is not in the page (no element with that id or <a name>): $url"
    return
  fi
  pass answer "covered, $count citation(s); the first resolves in the live page: $url"
}
check_answer

# 4. The admin API is closed without a token. A source that does not exist, as a dry run: even an open API
#    starts nothing, and it answers the resource's unknown-source 404, not the guard's 401/404.
admin_closed() {
  local check="admin API closed" type detail
  if ! request admin-open POST "$ingest/admin/ingest" -H 'Content-Type: application/json' \
      --data-binary '{"source":"smoke-test-no-such-source","dryRun":true}'; then
    fail "$check" "ingest-service unreachable at $ingest ($why)"
    return
  fi
  fields type detail < <(py problem "$work/admin-open")
  case $code:${type##*/} in
    401:*) pass "$check" "POST /admin/ingest without a token: 401" ;;
    404:admin-disabled) pass "$check" "POST /admin/ingest: 404, the admin API is disabled (ADMIN_TOKEN unset on ingest-service)" ;;
    404:unknown-source) fail "$check" "the admin API is OPEN: POST /admin/ingest without a token reached the ingest API (404 unknown-source)" ;;
    404:*) pass "$check" "POST /admin/ingest without a token: 404" ;;
    2??:*|400:*|409:*) fail "$check" "the admin API is OPEN: POST /admin/ingest without a token answered HTTP $code${detail:+ ($detail)}" ;;
    *) fail "$check" "POST /admin/ingest without a token answered HTTP $code, not 401 or 404${detail:+ ($detail)}" ;;
  esac
}
admin_closed

# 5. The operator's token opens it. The header goes through a file: a token in curl's arguments shows in ps.
admin_token() {
  local check="admin token" type detail
  [[ -n $token ]] || return 0
  (umask 077; printf 'Authorization: Bearer %s\n' "$token" >"$work/auth")
  if ! request admin-token GET "$ingest/admin/ingest/runs?limit=1" -H "@$work/auth"; then
    fail "$check" "ingest-service unreachable at $ingest ($why)"
    return
  fi
  fields type detail < <(py problem "$work/admin-token")
  case $code:${type##*/} in
    200:*) pass "$check" "accepted (GET /admin/ingest/runs: 200)" ;;
    401:*) fail "$check" "the admin token was refused (401)" ;;
    404:admin-disabled) fail "$check" "the admin API is disabled on ingest-service (404): ADMIN_TOKEN is not set there" ;;
    *) fail "$check" "GET /admin/ingest/runs answered HTTP $code${detail:+: $detail}" ;;
  esac
}
admin_token

if [[ ${#failed[@]} -eq 0 ]]; then
  note=''
  [[ -n $token ]] || note=' (the admin token was not checked: no --admin-token)'
  echo "PASS smoke: all $checks checks passed$note"
else
  echo "FAIL smoke: ${#failed[@]} of $checks checks failed: $(join "${failed[@]}")"
  exit 1
fi
