#!/usr/bin/env bash
# The main job: install what is missing, build, load the bundled AI4HI survey and print its overview, groups and
# the Table 1 view (chisq all). Writes the same as Markdown to out/survey-overview.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --product trustgap
bin="$(swift build -c release --show-bin-path)/trustgap"
mkdir -p out
"$bin" -e 'load survey data/ai4hi/responses.csv' -e groups -e 'chisq all'
"$bin" --format markdown -e 'load survey data/ai4hi/responses.csv' -e groups -e 'chisq all' > out/survey-overview.md
echo
echo "wrote out/survey-overview.md; start the REPL with: $bin"
