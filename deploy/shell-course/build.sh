#!/usr/bin/env bash
# Builds The Carpentries' "The Unix Shell" lesson (swcarpentry/shell-novice, CC BY 4.0) into deploy/shell-course/site/,
# the third evaluation course: a real course nobody here wrote. Its text is not in this repository; it is built from a
# checkout of the lesson (a work tree or a bare git directory), given as the argument or in COURSEBOT_SHELL_NOVICE,
# else cloned into .local/shell-novice (needs access to github.com). Idempotent: the site is rebuilt each time.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
src=${1:-${COURSEBOT_SHELL_NOVICE:-$repo/.local/shell-novice}}
if [[ ! -e $src ]]; then
  echo "build.sh: no checkout of the lesson at $src; cloning https://github.com/swcarpentry/shell-novice" >&2
  git clone --quiet --depth 1 https://github.com/swcarpentry/shell-novice "$src" || {
    echo "build.sh: could not clone the lesson; give a checkout: deploy/shell-course/build.sh DIR" >&2; exit 1; }
fi
tree=$src
if [[ ! -f $src/config.yaml ]]; then   # a bare git directory (or a clone's .git): its HEAD, extracted
  tree=$(mktemp -d)
  trap 'rm -rf "$tree"' EXIT
  git --git-dir="$src" archive HEAD config.yaml index.md episodes learners | tar -x -C "$tree"
fi
commit=$(git -C "$src" rev-parse HEAD 2>/dev/null || git --git-dir="$src" rev-parse HEAD 2>/dev/null || echo unknown)
rm -rf "$here/site"
# LessonSite is a class of system-tests; run-system-bench.sh builds it when missing (no database needed for this one).
COURSEBOT_TEST_DATABASE_URL=${COURSEBOT_TEST_DATABASE_URL:-none} \
  "$repo/deploy/bench/run-system-bench.sh" org.coursebot.system.LessonSite "$tree" "$here/site"
echo "$commit" > "$here/site/SOURCE_COMMIT"
echo "lesson commit $commit"
