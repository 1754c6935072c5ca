#!/usr/bin/env bash
# The benchmark command: installs what the peers need (R from Debian; pandas, SciPy and PyYAML from PyPI), builds
# trustgap in release mode, runs every benchmark beside its peer and rewrites the figures in BENCHMARKS.md.
# Takes about 15 minutes, most of it pandas reading the million-respondent file three times.
# Pass --quick for a one-minute smoke run that leaves BENCHMARKS.md alone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
if ! command -v Rscript >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq r-base-core
fi
python3 -c "import pandas, scipy, yaml" 2>/dev/null || python3 -m pip install --quiet pandas scipy pyyaml
# --static-swift-stdlib: the runtime and Foundation linked in, so start-up takes 11 ms instead of 18 (BENCHMARKS.md).
swift build -c release --static-swift-stdlib --product trustgap
if [ "${1:-}" = "--quick" ]; then
  exec python3 benchmarks/run.py --quick
fi
exec python3 benchmarks/run.py --write "$@"
