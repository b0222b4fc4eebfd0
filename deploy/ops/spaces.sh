#!/usr/bin/env bash
# Changing the embedding model with no downtime (docs/embedding-spaces.md): list, create, build, compare, activate,
# roll back and retire embedding spaces through the admin APIs, or the whole sequence at once (change).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/ops/spaces.sh COMMAND [ARGS]

  list                                   every space: status, model, dimension, coverage, size on disk
  create MODEL [--dimensions N] [--provider openai|local]
                                         a new, empty space (status building)
  build ID [--dry-run]                   embeds every current chunk into space ID, printing progress until the run
                                         ends (--dry-run: the requests, tokens and cost, calling nothing)
  compare BASELINE CANDIDATE QUESTIONS.jsonl [-k K] [--min-hit5 X] [--min-mrr X]
                                         chat-service searches both spaces with each question: hit@1, hit@5, MRR,
                                         and the overlap of cited pages (Jaccard); gates on the candidate's figures
  activate ID                            chat-service searches space ID from its next poll (2 s); refused (exit 3)
                                         unless the space is ready and chat-service can embed with its model.
                                         Rolling back = activating the previous space.
  retire ID                              drops the vectors and index of a space that is not active
  change MODEL [--dimensions N] [--provider P] --questions QUESTIONS.jsonl [--min-hit5 X] [--min-mrr X] [--yes]
                                         the whole sequence: create (or reuse) the space, dry run and its cost
                                         (asks to go on unless --yes), build, compare with the active space (the
                                         gates), activate; prints the rollback command

QUESTIONS.jsonl: one {"question": "...", "expectedUrl": "..."} per line (as deploy/ops/compare.sh).
Environment: ADMIN_TOKEN (required), INGEST_URL (default http://localhost:8081), CHAT_URL (default
http://localhost:8080). Exit status: 0 ok, 1 error, 2 usage, 3 refused or below a gate. Needs curl and python3.
USAGE
}

die() { echo "spaces: $1" >&2; exit "${2:-1}"; }
me=deploy/ops/spaces.sh
ingest=${INGEST_URL:-http://localhost:8081}
chat=${CHAT_URL:-http://localhost:8080}

[[ $# -ge 1 ]] || { usage >&2; exit 2; }
[[ $1 == -h || $1 == --help ]] && { usage; exit 0; }
command -v python3 >/dev/null || die "needs python3 (to read the answers)"
: "${ADMIN_TOKEN:?set ADMIN_TOKEN to the admin token of both services}"
tmp=$(mktemp -d) # readable by its owner only
trap 'rm -rf "$tmp"' EXIT
printf 'Authorization: Bearer %s\n' "$ADMIN_TOKEN" >"$tmp/auth" # a header file: the token stays out of the process list

# call METHOD URL [BODY]: the response body in $tmp/out, the HTTP status printed
call() {
  local args=(-sS -X "$1" -H "@$tmp/auth" -o "$tmp/out" -w '%{http_code}' --max-time 3600)
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  curl "${args[@]}" "$2" || die "cannot reach $2 (are INGEST_URL and CHAT_URL right?)"
}
# expect METHOD URL STATUS [BODY]: fails with the problem's detail unless the answer has STATUS (a 409: exit 3)
expect() {
  local code
  code=$(call "$1" "$2" "${@:4}")
  [[ $code == "$3" ]] && return
  local detail
  detail=$(python3 -c 'import json,sys
try: print(json.load(open(sys.argv[1])).get("detail") or "")
except Exception: print(open(sys.argv[1]).read()[:500])' "$tmp/out")
  die "$1 $2 -> HTTP $code: $detail" "$([[ $code == 409 ]] && echo 3 || echo 1)"
}
json() { python3 -c "import json,sys; d=json.load(open('$tmp/out')); print($1)"; }

fraction() {
  [[ $# -ge 2 && $2 =~ ^(0|1|0?\.[0-9]+|1\.0*)$ ]] || die "$1 needs a fraction between 0 and 1 (got '${2:-}')" 2
}

list() {
  expect GET "$ingest/admin/spaces" 200
  python3 - "$tmp/out" <<'PY'
import json, sys
spaces = json.load(open(sys.argv[1]))
print(f"{'id':>3} {'status':<9} {'provider':<8} {'model':<28} {'dim':>5} {'coverage':>17} {'table MB':>9} {'index MB':>9}")
for s in spaces:
    cover = "-" if s.get("chunks") is None else f"{s['covered']}/{s['chunks']} ({s['coverage'] * 100:.1f}%)"
    mb = lambda b: "-" if b is None else f"{b / 1048576:.1f}"
    print(f"{s['id']:>3} {s['status']:<9} {s['provider']:<8} {s['model']:<28} {s['dimension']:>5} {cover:>17}"
          f" {mb(s.get('tableBytes')):>9} {mb(s.get('indexBytes')):>9}")
PY
}

# create MODEL DIMENSIONS PROVIDER: prints the new space's id
create() {
  local body
  body=$(python3 -c 'import json,sys
d = {"model": sys.argv[1]}
if sys.argv[2]: d["dimensions"] = int(sys.argv[2])
if sys.argv[3]: d["provider"] = sys.argv[3]
print(json.dumps(d))' "$1" "$2" "$3")
  expect POST "$ingest/admin/spaces" 201 "$body"
  json 'd["id"]'
}

# build ID DRY(true|false): waits for the run, printing progress; returns 0 when it succeeded
build() {
  expect POST "$ingest/admin/spaces/$1/build" 202 "{\"dryRun\":$2}"
  local run status
  run=$(json 'd["runId"]')
  echo "spaces: build run $run of space $1$([[ $2 == true ]] && echo ' (dry run)') started" >&2
  while :; do
    sleep 2
    expect GET "$ingest/admin/ingest/runs/$run" 200
    status=$(json 'd["status"]')
    json '"spaces: run %d %s: %d chunks, %d requests, %d tokens, $%.4f, %d failed" % (d["id"], d["status"],
        d["counts"]["chunksEmbedded"], d["counts"]["embeddingRequests"], d["counts"]["tokens"],
        d["estimatedCostUsd"], d["counts"]["pagesFailed"])' >&2
    [[ $status == running ]] || break
  done
  [[ $status == succeeded ]] || { json '"spaces: " + (d.get("reason") or "")' >&2; return 1; }
}

# compare BASELINE CANDIDATE QUESTIONS K MIN_HIT5 MIN_MRR: prints the comparison; exit 3 below a gate
compare() {
  [[ -r $3 ]] || die "cannot read $3"
  local lines
  lines=$(tr -d '\r' <"$3" | grep -v '^[[:space:]]*$' | paste -sd, - || true)
  [[ -n $lines ]] || die "$3 has no questions"
  printf '{"questions":[%s],"k":%s,"spaces":{"baseline":%s,"candidate":%s}}' "$lines" "$4" "$1" "$2" >"$tmp/body"
  echo "spaces: comparing space $1 (baseline) with space $2 on $(grep -cv '^[[:space:]]*$' "$3") questions" >&2
  expect POST "$chat/admin/migration/compare" 200 "@$tmp/body"
  MIN_HIT5=$5 MIN_MRR=$6 python3 - "$tmp/out" <<'PY'
import json, os, sys
report = json.load(open(sys.argv[1]))
t = report["totals"]
b, c = t["baseline"], t["candidate"]
name = lambda s: f"{s['space']['id']}: {s['space']['model']}/{s['space']['dimension']}"
print(f"{t['questions']} questions ({t['withExpectedUrl']} with an expected url), top {t['k']}\n")
print(f"{'':<10} {name(b):>34} {name(c):>34}")
for key, label in (("hit1", "hit@1"), ("hit5", "hit@5")):
    print(f"{label:<10} {b[key] * 100:33.1f}% {c[key] * 100:33.1f}%")
print(f"{'MRR':<10} {b['mrr']:34.3f} {c['mrr']:34.3f}")
print(f"{'Jaccard@' + str(t['k']):<10} {t['jaccardAtK']:69.3f}  (cited pages both spaces share)")
missed = []
for key, label, env in (("hit5", "hit@5", "MIN_HIT5"), ("mrr", "MRR", "MIN_MRR")):
    if os.environ[env] and c[key] < float(os.environ[env]):
        missed.append(f"{label} {c[key]:.3f} < {os.environ[env]}")
for m in missed:
    print(f"spaces: below threshold: {m}", file=sys.stderr)
sys.exit(3 if missed else 0)
PY
}

activate() {
  expect POST "$ingest/admin/spaces/$1/activate" 200
  json '"spaces: space %d (%s %s/%d) is active; chat-service follows within its poll interval" % (d["id"],
      d["provider"], d["model"], d["dimension"])' >&2
}

command=$1
shift
case $command in
  list) [[ $# -eq 0 ]] || die "list takes no argument" 2; list ;;
  create|change)
    model="" dims="" provider="" questions="" k=5 min_hit5="" min_mrr="" yes=false
    while [[ $# -gt 0 ]]; do
      case $1 in
        --dimensions) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--dimensions needs a number" 2; dims=$2; shift 2 ;;
        --provider) [[ ${2:-} =~ ^(openai|local)$ ]] || die "--provider is openai or local" 2; provider=$2; shift 2 ;;
        --questions) questions=${2:-}; shift 2 ;;
        -k) [[ ${2:-} =~ ^[0-9]+$ ]] || die "-k needs a number" 2; k=$2; shift 2 ;;
        --min-hit5) fraction "$@"; min_hit5=$2; shift 2 ;;
        --min-mrr) fraction "$@"; min_mrr=$2; shift 2 ;;
        --yes) yes=true; shift ;;
        -*) die "unknown option $1 (see --help)" 2 ;;
        *) [[ -z $model ]] || die "one model at a time" 2; model=$1; shift ;;
      esac
    done
    [[ -n $model ]] || die "which model? (see --help)" 2
    if [[ $command == create ]]; then
      id=$(create "$model" "$dims" "$provider"); echo "spaces: created space $id (building)" >&2; echo "$id"; exit 0
    fi
    [[ -n $questions ]] || die "change needs --questions QUESTIONS.jsonl (the comparison before the switch)" 2
    [[ -r $questions ]] || die "cannot read $questions"
    expect GET "$ingest/admin/spaces" 200
    active=$(json 'next(s["id"] for s in d if s["status"] == "active")')
    id=$(MODEL=$model DIMS=$dims json 'next((str(s["id"]) for s in d if s["model"] == __import__("os").environ["MODEL"]
        and s["status"] in ("building", "ready") and (not __import__("os").environ["DIMS"]
        or s["dimension"] == int(__import__("os").environ["DIMS"]))), "")')
    if [[ -z $id ]]; then
      id=$(create "$model" "$dims" "$provider"); echo "spaces: created space $id (building)" >&2
    else
      echo "spaces: reusing space $id" >&2
    fi
    [[ $id != "$active" ]] || die "space $id is already the active one"
    build "$id" true || die "the dry run failed"
    if [[ $yes != true ]]; then
      [[ -t 0 ]] || die "no terminal to confirm on: pass --yes to build without asking" 2
      read -r -p "Embed every chunk into space $id at the cost above? [y/N] " answer
      [[ $answer == [yY]* ]] || die "not confirmed: space $id stays as it is (retire it with: $me retire $id)"
    fi
    build "$id" false || die "the build failed; run '$me build $id' again: it resumes where it stopped"
    compare "$active" "$id" "$questions" "$k" "$min_hit5" "$min_mrr" \
      || die "space $id stays ready and inactive: $active is still searched" 3
    activate "$id"
    echo "spaces: roll back with: $me activate $active   (instant; space $active stays up to date until retired)" >&2
    echo "spaces: once sure, free its disk with: $me retire $active   (refused for 30 s after the switch)" >&2
    ;;
  build)
    [[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || die "build needs a space id" 2
    dry=false; [[ ${2:-} == --dry-run ]] && dry=true
    build "$1" "$dry" || exit 1 ;;
  compare)
    [[ $# -ge 3 && $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]] || die "compare needs BASELINE CANDIDATE QUESTIONS.jsonl" 2
    base=$1 cand=$2 questions=$3 k=5 min_hit5="" min_mrr=""
    shift 3
    while [[ $# -gt 0 ]]; do
      case $1 in
        -k) [[ ${2:-} =~ ^[0-9]+$ ]] || die "-k needs a number" 2; k=$2; shift 2 ;;
        --min-hit5) fraction "$@"; min_hit5=$2; shift 2 ;;
        --min-mrr) fraction "$@"; min_mrr=$2; shift 2 ;;
        *) die "unknown option $1 (see --help)" 2 ;;
      esac
    done
    compare "$base" "$cand" "$questions" "$k" "$min_hit5" "$min_mrr" ;;
  activate|retire)
    [[ $# -eq 1 && $1 =~ ^[0-9]+$ ]] || die "$command needs a space id" 2
    if [[ $command == activate ]]; then activate "$1"; else
      expect POST "$ingest/admin/spaces/$1/retire" 200
      echo "spaces: space $1 is retired: its vectors and index are dropped" >&2
    fi ;;
  *) die "unknown command '$command' (see --help)" 2 ;;
esac
