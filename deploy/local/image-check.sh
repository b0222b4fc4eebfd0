#!/usr/bin/env bash
# Checks what a service's Dockerfile.jvm (or .aot) does, without a Docker engine: build stage, layout, entrypoint, health.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/local/image-check.sh [--image jvm|aot] SERVICE [DATABASE_URL]

Replays SERVICE's src/main/docker/Dockerfile.<image> (default jvm) on this machine, for when no Docker engine is
at hand, instruction by instruction:
  1. the build context: a clean clone of HEAD with the paths .dockerignore drops removed,
  2. `RUN mvn ...` in it (under the shared Maven lock), with the JDK of the Maven image's major version
     (ARG MAVEN_IMAGE=...temurin-NN: /usr/lib/jvm's JDK NN, or the default java when it is NN),
  3. every COPY into a folder that stands for the image's file system (COPY --from=runtime, the JVM itself, is
     this machine's JDK of the runtime image's major version); a `RUN /...` script (Dockerfile.aot's training
     run, deploy/docker/train-in-image.sh) with its absolute paths moved into that folder; other RUN lines (apt-get,
     useradd) need the image's own system and are listed as skipped,
  4. the final stage's ENTRYPOINT command, run as an unprivileged user (uid 65534) on a free port, with
     -XX:AOTMode=on when it names an -XX:AOTCache (a cache the JVM cannot use fails the check),
  5. the HEALTHCHECK command, retried until it passes (or 90 s), then RSS printed.
DATABASE_URL (or the second argument) is what the service connects to: for chat-service give a URL of the
read-only role (it is passed as CHAT_DATABASE_URL). Needs java (and Java 25 for --image aot), mvn, git, setpriv,
curl; the aot training run needs PostgreSQL with pgvector (deploy/local/postgres.sh installs both).
Prints one line: "<service> healthy on port N, RSS M MB"; exits non-zero, loudly, on any failure.
USAGE
}
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }
image=jvm
if [[ ${1:-} == --image ]]; then image=${2:-}; shift 2 || true; fi
[[ $image == jvm || $image == aot ]] || { usage >&2; exit 2; }
[[ $# -ge 1 ]] || { usage >&2; exit 1; }

say() { echo "image-check.sh: $*" >&2; }
die() { say "$*"; exit 1; }

service=$1
url=${2:-${DATABASE_URL:-}}
[[ -n $url ]] || die "no database: pass DATABASE_URL as second argument or set it"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dockerfile=$repo/$service/src/main/docker/Dockerfile.$image
[[ -f $dockerfile ]] || die "no $dockerfile"

work=$(mktemp -d)
pid=""
# shellcheck disable=SC2317  # called by the trap
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# java_home MAJOR: a JDK of that major version on this machine
java_home() {
  local d
  if [[ $(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}') == "$1" ]]; then
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"; return
  fi
  for d in /usr/lib/jvm/*; do
    [[ -x $d/bin/java && $("$d/bin/java" -XshowSettings:properties -version 2>&1 \
       | awk -F' = ' '/java.specification.version/ {print $2}') == "$1" ]] && { echo "$d"; return; }
  done
  die "no Java $1 on this machine (under /usr/lib/jvm)"
}
major_of() { sed -nE "s/^ARG $1=.*[^0-9]([0-9]+)(-jre|-jdk)?\$/\1/p" "$dockerfile" | head -n 1; }
maven_java=$(java_home "$(major_of MAVEN_IMAGE)")
runtime_java=$(java_home "$(major_of RUNTIME_IMAGE)")

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

# 2 and 3. the instructions, in order (continuation lines joined); the build stage's /src is the clone, every
# other path is under $root
root=$work/root
mkdir -p "$root"
stage="" workdir=/
entry="" check=""
copy() { # SOURCE_PATH DEST_PATH (both on this machine), as COPY does: a folder's contents, a file as a file
  local src=$1 dest=$2
  if [[ -d $src ]]; then mkdir -p "$dest" && cp -a "$src/." "$dest/"
  elif [[ $dest == */ ]]; then mkdir -p "$dest" && cp -a "$src" "$dest"
  else mkdir -p "$(dirname "$dest")" && cp -a "$src" "$dest"; fi
}
while IFS= read -r line; do
  keyword=${line%% *} args=${line#* }
  case $keyword in
    FROM) stage=$(sed -nE 's/.* AS ([a-z0-9_-]+)$/\1/Ip' <<<"$args"); workdir=/ ;;
    WORKDIR) workdir=$args ;;
    COPY)
      from=""
      [[ $args == --from=* ]] && { from=${args%% *}; from=${from#--from=}; args=${args#* }; }
      [[ $from == runtime ]] && { say "COPY --from=runtime (the JVM): this machine's $runtime_java"; continue; }
      read -r -a parts <<<"$args"
      dest=${parts[-1]}
      [[ $dest == /* ]] || dest=$workdir/$dest
      [[ $stage == build ]] && { say "COPY in the build stage: the clone is /src"; continue; }
      for src in "${parts[@]:0:${#parts[@]}-1}"; do
        if [[ $from == build ]]; then src_path=$work/src${src#/src}
        elif [[ -n $from ]]; then src_path=$root$src
        else src_path=$work/src/$src; fi
        [[ $src_path == "$root$dest" || $src_path/ == "$root$dest" ]] && continue # the same folder in this replay
        # shellcheck disable=SC2206  # a glob in the source (*.jar) expands here
        matches=($src_path)
        for m in "${matches[@]}"; do
          [[ -e $m ]] || die "COPY source $src not found ($m)"
          copy "$m" "$root$dest"
        done
      done ;;
    RUN)
      if [[ $args == mvn\ * ]]; then
        # shellcheck disable=SC2086  # the command line is split into words as the Dockerfile's shell would
        (cd "$work/src" && JAVA_HOME=$maven_java flock /tmp/coursebot-mvn.lock $args >"$work/build.log" 2>&1) \
          || { tail -n 30 "$work/build.log" >&2; die "the image's build command failed: $args"; }
        say "built: $args (Java $(major_of MAVEN_IMAGE))"
      elif [[ $args == /* ]]; then
        cmd=$(sed -E "s#(^| )/#\1$root/#g" <<<"$args")
        say "running: $args"
        # shellcheck disable=SC2086
        JAVA=$runtime_java/bin/java PATH=$runtime_java/bin:$PATH $cmd || die "the image's step failed: $args"
      else
        say "skipped (needs the image's own system): RUN ${args:0:80}..."
      fi ;;
    ENTRYPOINT) entry=$(sed -nE 's/^\["\/bin\/sh", "-c", "(.*)"\]$/\1/p' <<<"$args")
                [[ -n $entry ]] || die "ENTRYPOINT of $dockerfile is not the expected sh -c form" ;;
    HEALTHCHECK) check=$(sed -nE 's/.*CMD \["\/bin\/bash", "-c", "(.*)"\]$/\1/p' <<<"$args" | sed 's/\\\\/\\/g')
                 [[ -n $check ]] || die "HEALTHCHECK of $dockerfile is not the expected bash -c form" ;;
  esac
done < <(sed -E '/^\s*#/d' "$dockerfile" | awk '{ if (sub(/\\$/, "")) { buf = buf $0 " " } else { print buf $0; buf = "" } }' \
         | sed -E 's/^\s+//; s/\s+/ /g' | grep -v '^$')
[[ -n $entry && -n $check ]] || die "no ENTRYPOINT or HEALTHCHECK in $dockerfile"
[[ -f $root/deployments/quarkus-run.jar ]] || die "no /deployments/quarkus-run.jar after the COPY lines"
chmod -R a+rX "$work"

# 4. the entrypoint, with /deployments pointing at the copy and the runtime image's Java first on PATH
aot_opts=""
[[ $entry == *-XX:AOTCache=* ]] && aot_opts="-XX:AOTMode=on"
entry=${entry//\/deployments/$root/deployments}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
var=DATABASE_URL; [[ $service == chat-service ]] && var=CHAT_DATABASE_URL
env -i PATH="$runtime_java/bin:/usr/local/bin:/usr/bin:/bin" PORT="$port" QUARKUS_HTTP_HOST=0.0.0.0 JAVA_OPTS="$aot_opts" \
  "$var=$url" ADMIN_TOKEN=image-check EMBEDDING_DIMENSION="${EMBEDDING_DIMENSION:-384}" \
  setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c "$entry" >"$work/service.log" 2>&1 &
pid=$!

# 5. the health check, exactly as the Dockerfile says it
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
