#!/usr/bin/env bash
# Checks what a service's Dockerfile.jvm does, without a Docker engine: build stage, layout, entrypoint, health.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/local/image-check.sh SERVICE [DATABASE_URL]

Replays SERVICE's src/main/docker/Dockerfile.jvm on this machine, for when no Docker engine is at hand:
  1. a clean clone of HEAD with the paths .dockerignore drops removed (the image's build context),
  2. the Dockerfile's own `RUN mvn ...` line in it (under the shared Maven lock),
  3. the quarkus-app files copied the way the runtime stage lays them out, plus jvm.options,
  4. the Dockerfile's ENTRYPOINT command, run as an unprivileged user (uid 65534) on a free port,
  5. the Dockerfile's HEALTHCHECK command, retried until it passes (or 90 s), then RSS printed.
DATABASE_URL (or the second argument) is what the service connects to: for chat-service give a URL of the
read-only role (it is passed as CHAT_DATABASE_URL). Needs java, mvn, git, setpriv, curl.
Prints one line: "<service> healthy on port N, RSS M MB"; exits non-zero, loudly, on any failure.
USAGE
}
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }
[[ $# -ge 1 ]] || { usage >&2; exit 1; }

say() { echo "image-check.sh: $*" >&2; }
die() { say "$*"; exit 1; }

service=$1
url=${2:-${DATABASE_URL:-}}
[[ -n $url ]] || die "no database: pass DATABASE_URL as second argument or set it"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dockerfile=$repo/$service/src/main/docker/Dockerfile.jvm
[[ -f $dockerfile ]] || die "no $dockerfile"

work=$(mktemp -d)
pid=""
# shellcheck disable=SC2317  # called by the trap
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# 1. build context
git clone -q "$repo" "$work/src" || die "git clone of $repo failed"
(cd "$work/src" && shopt -s nullglob && grep -vE '^\s*(#|$)' .dockerignore | while read -r pattern; do
   pattern=${pattern%/}
   if [[ $pattern == '**/'* ]]; then
     find . -name "${pattern#\*\*/}" -prune -exec rm -rf {} +
   else
     # shellcheck disable=SC2086  # the pattern is a glob on purpose
     rm -rf -- $pattern
   fi
 done)

# 2. the Dockerfile's Maven line
build=$(sed -nE 's/^RUN (mvn .*)$/\1/p' "$dockerfile")
[[ -n $build ]] || die "no 'RUN mvn ...' line in $dockerfile"
# shellcheck disable=SC2086  # the command line is split into words as the Dockerfile's shell would
(cd "$work/src" && flock /tmp/coursebot-mvn.lock $build >"$work/build.log" 2>&1) \
  || { tail -n 30 "$work/build.log" >&2; die "the image's build command failed: $build"; }

# 3. runtime layout, as the COPY --from lines and the jvm.options COPY lay it out
app=$work/src/$service/target/quarkus-app
mkdir -p "$work/deployments"
cp -r "$app/lib" "$app/app" "$app/quarkus" "$app"/*.jar "$work/deployments/"
cp "$work/src/$service/src/main/docker/jvm.options" "$work/deployments/jvm.options"
chmod -R a+rX "$work"

# 4. the entrypoint, with /deployments pointing at the copy
entry=$(sed -nE 's/^ENTRYPOINT \["\/bin\/sh", "-c", "(.*)"\]$/\1/p' "$dockerfile")
[[ -n $entry ]] || die "ENTRYPOINT of $dockerfile is not the expected sh -c form"
entry=${entry//\/deployments/$work/deployments}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
var=DATABASE_URL; [[ $service == chat-service ]] && var=CHAT_DATABASE_URL
env -i PATH=/usr/local/bin:/usr/bin:/bin PORT="$port" QUARKUS_HTTP_HOST=0.0.0.0 JAVA_OPTS="" "$var=$url" \
  ADMIN_TOKEN=image-check EMBEDDING_DIMENSION="${EMBEDDING_DIMENSION:-384}" \
  setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c "$entry" >"$work/service.log" 2>&1 &
pid=$!

# 5. the health check, exactly as the Dockerfile says it
check=$(sed -nE 's/^  CMD \["\/bin\/bash", "-c", "(.*)"\]$/\1/p' "$dockerfile" | sed 's/\\\\/\\/g')
[[ -n $check ]] || die "HEALTHCHECK of $dockerfile is not the expected bash -c form"
for _ in $(seq 90); do
  kill -0 "$pid" 2>/dev/null || { tail -n 30 "$work/service.log" >&2; die "$service exited during start-up"; }
  if PORT=$port bash -c "$check" 2>/dev/null; then
    rss=$(ps -o rss= -p "$pid")
    echo "$service healthy on port $port, RSS $((rss / 1024)) MB"
    exit 0
  fi
  sleep 1
done
tail -n 30 "$work/service.log" >&2
die "$service did not pass its HEALTHCHECK within 90 s"
