#!/usr/bin/env bash
# Builds the release binary and installs it as PREFIX/bin/trustgap (default PREFIX: /usr/local, or ~/.local when
# /usr/local/bin is not writable and sudo is not at hand). The binary carries its own files (explanation profiles
# and templates, stop words, the bundled questionnaires and TEHAI frame, hyphenation patterns), so it runs from any
# folder; nothing else is copied.
#   scripts/install.sh [--prefix DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix takes a folder}"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    *) echo "usage: scripts/install.sh [--prefix DIR]" >&2; exit 2 ;;
  esac
done
scripts/ensure-deps.sh
# --static-swift-stdlib: the runtime and Foundation linked in, so start-up takes 11 ms instead of 18 (BENCHMARKS.md)
# and the installed binary needs no Swift toolchain beside it.
swift build -c release --static-swift-stdlib --product trustgap
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/trustgap"
SUDO=""
if [ -z "$prefix" ]; then
  prefix=/usr/local
  if [ ! -w "$prefix/bin" ] && [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else prefix="$HOME/.local"; fi
  fi
fi
$SUDO mkdir -p "$prefix/bin"
$SUDO install -m 0755 "$bin" "$prefix/bin/trustgap"
echo "installed $prefix/bin/trustgap ($("$prefix/bin/trustgap" --version))"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on your PATH; add it, or run $prefix/bin/trustgap" ;;
esac
