#!/usr/bin/env bash
# Builds digimaturity's tarball (without vignettes, so the C++ is compiled once: by the
# install) and installs it, unless the installed copy was built from the same sources.
# The sources' hash (DESCRIPTION, NAMESPACE, R/, src/, inst/ but inst/report/, data/) is stored in the
# installed package as digimaturity-source.md5 and compared on the next run.
# Usage: tools/install-pkg.sh LOGDIR   (R_LIBS / R_LIBS_USER choose the library as usual)
set -euo pipefail
cd "$(dirname "$0")/.."
logdir=${1:-.make}
mkdir -p "$logdir"
pkg=digimaturity
version=$(sed -n 's/^Version: //p' DESCRIPTION)
# (inst/report/ is left out: tools/replicate.R renders the report from the source tree)
hash=$( { find DESCRIPTION NAMESPACE R src inst data -type f \
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
bash tools/step.sh "Compiling and installing digimaturity (log: $logdir/install.log)" "$logdir/install.log" \
  R CMD INSTALL "$tmp/${pkg}_$version.tar.gz"
installed=$(Rscript -e "cat(system.file(package = '$pkg'))")
echo "$hash" > "$installed/$pkg-source.md5"
