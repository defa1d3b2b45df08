#!/usr/bin/env bash
# Builds digimaturity's tarball and installs it WITH its vignettes (so that
# vignette("getting-started", package = "digimaturity") opens after `make install` and
# `make replicate`), unless the installed copy was built from the same sources.
# The C++ is compiled once: `R CMD build` with vignettes would install the package into a
# temporary library to knit them (a second compilation, the slowest step by far), so the
# tarball is built without them, unpacked and installed from that directory; the
# vignettes are then knitted against the installed package into the directory's inst/doc
# (as R CMD build puts them), and the directory is installed again: its objects are up to
# date, so the second install only copies R code, help and the vignettes.
# The sources' hash (DESCRIPTION, NAMESPACE, R/, src/, inst/ but inst/report/, data/,
# vignettes/) is stored in the installed package as digimaturity-source.md5 and compared
# on the next run.
# Usage: tools/install-pkg.sh LOGDIR   (R_LIBS / R_LIBS_USER choose the library as usual;
#        DM_NO_VIGNETTES=1 skips the vignettes)
set -euo pipefail
cd "$(dirname "$0")/.."
logdir=${1:-.make}
mkdir -p "$logdir"
logdir=$(cd "$logdir" && pwd)
pkg=digimaturity
version=$(sed -n 's/^Version: //p' DESCRIPTION)
# (inst/report/ is left out: tools/replicate.R renders the report from the source tree)
hash=$( { find DESCRIPTION NAMESPACE R src inst data vignettes -type f \
            ! -name '*.o' ! -name '*.so' ! -name '*.dll' ! -path 'inst/report/*' 2>/dev/null |
          LC_ALL=C sort | xargs md5sum; } | md5sum | cut -d' ' -f1)
installed=$(Rscript -e "cat(system.file(package = '$pkg'))" 2>/dev/null || true)
if [ -n "$installed" ] && [ -f "$installed/$pkg-source.md5" ] && \
   [ "$(cat "$installed/$pkg-source.md5")" = "$hash" ]; then
  echo "Building and installing digimaturity ... up to date (installed from the same sources)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(pwd)
bash tools/step.sh "Building digimaturity $version (source tarball)" "$logdir/build.log" \
  sh -c "cd '$tmp' && R CMD build --no-build-vignettes --no-manual '$here'"
tar -xzf "$tmp/${pkg}_$version.tar.gz" -C "$tmp"
src="$tmp/$pkg"
bash tools/step.sh "Compiling and installing digimaturity (log: $logdir/install.log)" "$logdir/install.log" \
  R CMD INSTALL --no-multiarch "$src"
if [ "${DM_NO_VIGNETTES:-0}" != 1 ] && [ -d "$src/vignettes" ]; then
  if Rscript -e 'quit(status = !(requireNamespace("knitr", quietly = TRUE) && requireNamespace("rmarkdown", quietly = TRUE) && rmarkdown::pandoc_available()))' >/dev/null 2>&1; then
    bash tools/step.sh "Knitting the vignettes (log: $logdir/vignettes.log)" "$logdir/vignettes.log" \
      Rscript tools/build-vignettes.R "$src"
    bash tools/step.sh "Installing the vignettes (log: $logdir/install-vignettes.log)" "$logdir/install-vignettes.log" \
      R CMD INSTALL --no-multiarch "$src"
  else
    echo "Vignettes not installed: knitr, rmarkdown and pandoc are needed (bash tools/install-deps.sh installs them)"
  fi
fi
installed=$(Rscript -e "cat(system.file(package = '$pkg'))")
echo "$hash" > "$installed/$pkg-source.md5"
