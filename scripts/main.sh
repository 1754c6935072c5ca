#!/usr/bin/env bash
# The main job: install what is missing (only what trustgap needs: the test clients are the test command's), build
# and install `trustgap` on the PATH (scripts/install.sh: /usr/local/bin, or ~/.local/bin), load the bundled AI4HI
# survey and validation records, print the overview and Table 1, and write the reports, the four explanations of
# one case, and the training notebooks rendered to HTML, all under out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
bin="$(command -v trustgap || echo "$HOME/.local/bin/trustgap")"
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
echo "start the REPL with: trustgap   (installed as $bin; it runs from any folder)"
