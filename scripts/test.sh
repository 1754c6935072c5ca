#!/usr/bin/env bash
# Every test: install what is missing, build, run the unit, end-to-end and REPL (pseudo-terminal) tests, then build
# the release binary the main job uses (the optimiser can fail where a debug build does not).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build --build-tests
swift test --skip-build
swift build -c release --product trustgap
echo "release build: ok"
