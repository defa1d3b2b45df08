#!/usr/bin/env bash
# Installs what building, checking and replicating digimaturity needs on a fresh machine.
# Debian's prebuilt r-cran-* packages when running as root with apt; CRAN otherwise.
# Usage: tools/install-deps.sh [--bench | --site]   (--bench adds the benchmark-only
#        anchors, --site pkgdown for `make site`)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=0
site=0
[ "${1:-}" = "--bench" ] && bench=1
[ "${1:-}" = "--site" ] && site=1

# R packages: Imports/LinkingTo and the Suggests used by tests and vignettes (haven,
# readxl and openxlsx: the readers of dm_read() and the files its tests write).
# ggplot2 and vdiffr: the autoplot() methods and their snapshot tests. lavaan, semTools
# and pbivnorm: dm_cfa(), dm_invariance(), dm_common_method() and their reference tests;
# mvtnorm: the bivariate normal reference of dm_polychoric(); survey and lme4: the
# references of dm_weights()/fpc and dm_benchmark(); yaml: test-docs.R reads _pkgdown.yml.
pkgs="Rcpp RcppEigen cli generics roxygen2 pkgbuild knitr rmarkdown testthat sandwich clubSandwich
      estimatr psych multilevel ggplot2 vdiffr haven readxl openxlsx gmp broom xml2
      lmtest car emmeans estimability survey lme4 lavaan semTools pbivnorm mvtnorm yaml"
# Not packaged by Debian: always from CRAN. BH too: Debian's r-cran-bh ships no headers of
# its own (it points at the system's Boost), which R CMD check notes. relaimpo: the
# reference of dm_importance()'s tests and benchmark.
# knitr and its helpers from CRAN too: CRAN's tinytable (a modelsummary dependency) registers
# methods for generics that Debian's knitr 1.42 lacks (record_print), which breaks its
# markdown, LaTeX and Word output. One source for the knitr stack avoids the skew.
# flextable, officer and gdtools: dm_table(format = "docx"); Debian's flextable 0.8.4 (with
# officer 0.6.0) writes invalid Word XML, and a current flextable needs dplyr >= 1.1.
# gdtools compiles against cairo, fontconfig and freetype (the -dev packages below).
cran_only="modelsummary pandoc knitr>=1.50 xfun>=0.52 highr>=0.11 evaluate>=0.15 BH relaimpo
           flextable>=0.9 officer>=0.6.7 gdtools dplyr>=1.1"
# fwildclusterboot and summclust (anchors of dm_wild() and dm_cluster_summary()) are archived
# from CRAN: install-cran.R reports them as not available and the benches say so.
bench_pkgs="bench fixest fwildclusterboot summclust"
# pkgdown: the documentation site (`make site`), from Debian's r-cran-pkgdown where there is one.
site_pkgs="pkgdown"

# Which of the named packages are not installed: one R session for all, looking for the
# installed files without loading anything (loading clubSandwich, for one, prints a
# "Registered S3 method overwritten" message that has nothing to do with this step).
not_installed() {
  Rscript -e 'p <- commandArgs(TRUE); cat(p[!vapply(p, function(x) nzchar(system.file(package = x)), TRUE)])' "$@"
}

# System tools: pandoc renders the vignettes, qpdf lets R CMD check --as-cran check PDFs,
# chromium renders dm_report() pages in the browser tests (and prints their PDFs).
tools=""
for t in pandoc qpdf chromium; do command -v "$t" >/dev/null 2>&1 || tools="$tools $t"; done
# The C libraries gdtools (flextable's text measurement) compiles against.
if command -v dpkg >/dev/null 2>&1; then
  for d in libcairo2-dev libfontconfig1-dev libfreetype6-dev; do
    dpkg -s "$d" >/dev/null 2>&1 || tools="$tools $d"
  done
fi

[ "$site" = 1 ] && pkgs="$pkgs $site_pkgs"
check="$pkgs"
[ "$bench" = 1 ] && check="$check bench"
missing=$(not_installed $check)

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
extra_missing=$(not_installed $extra)
still=$(not_installed $pkgs)
# (a name>=version is always passed on: install-cran.R compares the versions)
if [ -n "$still$extra_missing" ]; then
  Rscript "$here/install-cran.R" $still $extra_missing
fi

# BH must be CRAN's: where only Debian's r-cran-bh (no headers of its own) is installed,
# install CRAN's into the first library, which R searches before Debian's.
if ! Rscript -e 'quit(status = !nzchar(system.file("include", "boost", "version.hpp", package = "BH")))' >/dev/null 2>&1; then
  lib1=$(Rscript -e 'cat(.libPaths()[1])')
  R_LIBS_SITE="$lib1" R_LIBS_USER="$lib1" Rscript "$here/install-cran.R" BH
fi
