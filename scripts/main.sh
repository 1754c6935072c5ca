#!/usr/bin/env bash
# The main job: install what is missing, build, load the bundled AI4HI survey and validation records, print the
# overview and Table 1, and write the reports, the four explanations of one case, and the training notebooks
# rendered to HTML, all under out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
# --static-swift-stdlib: the runtime and Foundation linked in, so start-up takes 11 ms instead of 18 (BENCHMARKS.md).
swift build -c release --static-swift-stdlib --product trustgap
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/trustgap"
mkdir -p out
"$bin" -e 'load survey data/ai4hi/responses.csv' -e groups -e 'chisq all'
"$bin" -e 'load survey data/ai4hi/responses.csv' -e 'codebook load questionnaires/tehai-frame.yaml' \
       -e 'import codings data/ai4hi/codings.csv' -e 'load records data/validation' \
       -e 'report survey --out out/survey-report.html' -e 'report gap --out out/gap-report.html' \
       -e 'report cspca-bpmri-v2 --out out/cspca-bpmri-v2-report.html' \
       -e 'explain cspca-bpmri-v2 --case P-017 --for all --out out/explanations-P-017.html' \
       -e 'explain cspca-bpmri-v2 --case P-017 --for all --out out/explanations-P-017.md'
for nb in notebooks/*.md; do
  "$bin" notebook render "$nb" --out "out/notebooks/$(basename "$nb" .md).html" --allow-paths .
  # The same notebook for Jupyter's trustgap kernel; the files it reads are copied beside it.
  "$bin" notebook render "$nb" --out "out/notebooks/$(basename "$nb" .md).ipynb" --allow-paths .
done
echo
echo "wrote out/survey-report.html, out/gap-report.html, out/cspca-bpmri-v2-report.html, out/explanations-P-017.html and out/notebooks/*.html and *.ipynb (a folder to hand out, for the trustgap Jupyter kernel)"
echo "start the REPL with: $bin"
