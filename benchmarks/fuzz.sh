#!/bin/sh
# Runs every fuzz target with 10,000 inputs (FuzzTests and StructureFuzzTests; CI runs 400) on the debug build and
# prints each target's counts, the wall time and the test process's peak memory: the numbers SECURITY.md records.
# Usage: benchmarks/fuzz.sh [ITERATIONS]   (after swift build --build-tests)
set -e
cd "$(dirname "$0")/.."
export TRUSTGAP_FUZZ_ITERATIONS="${1:-10000}"
/usr/bin/time -f "wall %e s, peak %M KB" swift test --skip-build --filter "fuzz" 2>&1 \
    | grep -E "inputs,|✘|✔ Test fuzz|Test run with|wall .* peak|Fatal error"
