#!/usr/bin/env bash
# Writes each slide deck of the sample course, deploy/demo-course/slides/<name>.pdf, from its text source <name>.txt
# (test-support's DemoSlides, PDFBox): run it after editing a source. The output is byte for byte the same on every
# run, so the committed PDF is checked against its source by DemoSlidesTests (test-support).
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  cat <<'USAGE'
Usage: deploy/demo-course/slides/build.sh

Builds test-support (under /tmp/coursebot-mvn.lock) and writes every slides/*.txt of the sample course as
slides/*.pdf. Source format: a "title:" line (the PDF's title) and an optional "subject:" line, then "# Title"
starting each slide and its lines, "- " a bullet point.
USAGE
  exit 0
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$repo"
deploy/bench/build.sh "test-support" -q -pl test-support -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/slides.classpath
classpath="test-support/target/classes:$(cat test-support/target/slides.classpath)"
for source in deploy/demo-course/slides/*.txt; do
  java -cp "$classpath" org.coursebot.testing.DemoSlides "$source" "${source%.txt}.pdf"
  echo "wrote ${source%.txt}.pdf"
done
