#!/usr/bin/env bash
# Which feature package of a service depends on which (issue 30), from the compiled classes with jdeps, and the cycles.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/local/package-deps.sh [--build] [SERVICE...]

For each service (default: chat-service ingest-service) prints its feature packages (the packages right under
org.coursebot.<chat|ingest>) and which others each one depends on, as jdeps finds them in target/classes (every
reference, not just imports), then the cycles between them ("cycles: none" when there are none).
  --build   compile first (mvn -o compile, under the shared Maven lock); otherwise target/classes must exist
USAGE
}

build=false
services=()
for arg in "$@"; do
  case "$arg" in
    --build) build=true ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "unknown option: $arg" >&2; usage >&2; exit 2 ;;
    *) services+=("$arg") ;;
  esac
done
[ ${#services[@]} -gt 0 ] || services=(chat-service ingest-service)
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
if $build; then
  modules=$(IFS=,; echo "${services[*]}")
  flock /tmp/coursebot-mvn.lock mvn -B -ntp -q -o -pl "$modules" -am compile
fi
for service in "${services[@]}"; do
  classes="$service/target/classes"
  [ -d "$classes" ] || { echo "$classes is missing: run with --build" >&2; exit 1; }
  root="org.coursebot.${service%-service}"
  jdeps -verbose:package -filter:none -e "${root//./\\.}\\..*" "$classes" 2>/dev/null | python3 -c '
import re, sys
root, service = sys.argv[1], sys.argv[2]
deps = {}
for line in sys.stdin:
    m = re.match(r"\s+(\S+)\s+->\s+(\S+)", line)
    if not m:
        continue
    a, b = (p[len(root) + 1:].split(".")[0] if p.startswith(root + ".") else None for p in m.groups())
    if a:
        deps.setdefault(a, set())
        if b and b != a:
            deps[a].add(b)
print(service + " (" + root + ")")
for a in sorted(deps):
    print("  %-10s -> %s" % (a, ", ".join(sorted(deps[a])) or "(none)"))
# Cycles: strongly connected components with more than one package.
index, low, stack, on, comps, n = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
    for w in deps.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            comps.append(sorted(comp))
for v in sorted(deps):
    if v not in index:
        visit(v)
print("  cycles: " + ("; ".join(" <-> ".join(c) for c in comps) if comps else "none"))
' "$root" "$service"
done
