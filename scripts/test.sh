#!/usr/bin/env bash
# Every test: install what is missing, build, run the unit, end-to-end and REPL (pseudo-terminal) tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build --build-tests
swift test --skip-build
