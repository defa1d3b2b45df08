#!/usr/bin/env bash
# The tools `make render-check` renders with (not needed by make test, whose render tests
# skip without them): LibreOffice (docx -> PDF), pdflatex with booktabs, tabularx,
# threeparttable and rotating, poppler's pdfinfo/pdftotext/pdftoppm, Chromium for the
# HTML screenshots. Debian/Ubuntu as root; elsewhere it says what is missing.
set -euo pipefail
need=""
command -v soffice >/dev/null 2>&1 || need="$need libreoffice-writer-nogui"
command -v pdflatex >/dev/null 2>&1 || need="$need texlive-latex-base texlive-latex-recommended texlive-latex-extra"
command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need="$need chromium"
if [ -z "$need" ]; then
  echo "tools/install-render-tools.sh: LibreOffice, pdflatex, poppler-utils and Chromium are installed"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  echo "tools/install-render-tools.sh: apt-get install$need"
  apt-get install -y -qq --no-install-recommends $need >/dev/null
else
  echo "tools/install-render-tools.sh: please install:$need (render-check skips what is missing)" >&2
fi
