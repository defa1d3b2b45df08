#!/usr/bin/env bash
# Installs what building, checking and replicating digimaturity needs on a fresh machine.
# Debian's prebuilt r-cran-* packages when running as root with apt; CRAN otherwise.
# Usage: tools/install-deps.sh [--bench]   (--bench adds the benchmark-only anchors)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=0
[ "${1:-}" = "--bench" ] && bench=1

# R packages: Imports/LinkingTo and the Suggests used by tests and vignettes (haven,
# readxl and openxlsx: the readers of dm_read() and the files its tests write).
pkgs="Rcpp RcppEigen generics roxygen2 pkgbuild knitr rmarkdown testthat sandwich clubSandwich
      estimatr psych multilevel ggplot2 haven readxl openxlsx gmp broom officer xml2
      lmtest car emmeans estimability"
# Not packaged by Debian: always from CRAN. BH too: Debian's r-cran-bh ships no headers of
# its own (it points at the system's Boost), which R CMD check notes. relaimpo: the
# reference of dm_importance()'s tests and benchmark.
cran_only="modelsummary BH relaimpo"
bench_pkgs="bench fixest"

have() { Rscript -e "quit(status = !requireNamespace('$1', quietly = TRUE))" >/dev/null 2>&1; }

# System tools: pandoc renders the vignettes, qpdf lets R CMD check --as-cran check PDFs.
tools=""
for t in pandoc qpdf; do command -v "$t" >/dev/null 2>&1 || tools="$tools $t"; done

missing=""
for p in $pkgs; do have "$p" || missing="$missing $p"; done
if [ "$bench" = 1 ]; then for p in bench; do have "$p" || missing="$missing $p"; done; fi

if [ -n "$missing$tools" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  debs=""
  for p in $missing; do
    d="r-cran-$(echo "$p" | tr 'A-Z' 'a-z')"
    # only what Debian packages; the rest comes from CRAN below
    apt-cache show "$d" >/dev/null 2>&1 && debs="$debs $d"
  done
  if [ -n "$debs$tools" ]; then
    echo "tools/install-deps.sh: apt-get install$debs$tools"
    apt-get install -y -qq --no-install-recommends $debs $tools >/dev/null
  fi
fi

# Whatever is still missing (no apt, not root, or not packaged by Debian) comes from CRAN.
extra="$cran_only"
[ "$bench" = 1 ] && extra="$extra $bench_pkgs"
Rscript "$here/install-cran.R" $pkgs $extra

# BH must be CRAN's: where only Debian's r-cran-bh (no headers of its own) is installed,
# install CRAN's into the first library, which R searches before Debian's.
if ! Rscript -e 'quit(status = !nzchar(system.file("include", "boost", "version.hpp", package = "BH")))' >/dev/null 2>&1; then
  lib1=$(Rscript -e 'cat(.libPaths()[1])')
  R_LIBS_SITE="$lib1" R_LIBS_USER="$lib1" Rscript "$here/install-cran.R" BH
fi
