#!/usr/bin/env bash
# Every test: install what is missing, build, run the unit, end-to-end and REPL (pseudo-terminal) tests, then build
# the release binary the main job uses (the optimiser can fail where a debug build does not).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh --tests
swift build --build-tests
swift test --skip-build
# --static-swift-stdlib: the runtime and Foundation linked in, so start-up takes 11 ms instead of 18 (BENCHMARKS.md).
swift build -c release --static-swift-stdlib --product trustgap
echo "release build: ok"
