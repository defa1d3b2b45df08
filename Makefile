# The two commands of the README: `make replicate` and `make test`.
# Both install what is missing through tools/ first.
PKG     := digimaturity
VERSION := $(shell sed -n 's/^Version: //p' DESCRIPTION)
TARBALL := $(PKG)_$(VERSION).tar.gz
CHECKDIR := check-output

# R CMD check --as-cran without the network: the incoming (CRAN, URL, DOI) checks
# and the time-server check of file timestamps need it, so they are switched off.
# _R_SHLIB_STRIP_ strips the installed library (R CMD INSTALL --strip), of debug
# symbols only: with R's default -g the Eigen code is 22 MB unstripped, 0.5 MB stripped.
CHECK_ENV := _R_CHECK_CRAN_INCOMING_=false _R_CHECK_CRAN_INCOMING_REMOTE_=false \
             _R_CHECK_FUTURE_FILE_TIMESTAMPS_=false _R_CHECK_FORCE_SUGGESTS_=false \
             _R_CHECK_SYSTEM_CLOCK_=false _R_SHLIB_STRIP_=true \
             R_STRIP_SHARED_LIB='strip --strip-debug' NOT_CRAN=true

.PHONY: deps bench-deps build install test test-portable check replicate document data bench clean

deps:
	bash tools/install-deps.sh

bench-deps:
	bash tools/install-deps.sh --bench

$(TARBALL): deps
	R CMD build .

build: $(TARBALL)

install: build
	R CMD INSTALL $(TARBALL)

test: build
	rm -rf $(CHECKDIR) && mkdir -p $(CHECKDIR)
	$(CHECK_ENV) R CMD check --as-cran --no-manual -o $(CHECKDIR) $(TARBALL); \
	  Rscript tools/check-summary.R $(CHECKDIR)/$(PKG).Rcheck

check: test

# The test suite on a build whose QR path is plain double (-DDIGIMATURITY_PLAIN_DOUBLE),
# as on a platform with neither __float128 nor a long double wider than double. The
# tests hold each path to the accuracy it can reach.
PORTDIR := portable-check
test-portable: build
	rm -rf $(PORTDIR) && mkdir -p $(PORTDIR)/lib
	tar -xzf $(TARBALL) -C $(PORTDIR)
	echo 'PKG_CPPFLAGS = -DDIGIMATURITY_PLAIN_DOUBLE' >> $(PORTDIR)/$(PKG)/src/Makevars
	R CMD INSTALL --no-test-load -l $(PORTDIR)/lib $(PORTDIR)/$(PKG) > $(PORTDIR)/install.log 2>&1 || \
	  { cat $(PORTDIR)/install.log; exit 1; }
	R_LIBS=$(CURDIR)/$(PORTDIR)/lib:$$R_LIBS Rscript tools/run-tests.R tests/testthat

replicate: install
	Rscript tools/replicate.R

# For developers: regenerate NAMESPACE/man and RcppExports, or the bundled data.
document:
	Rscript -e 'Rcpp::compileAttributes(); roxygen2::roxygenise()'

data:
	Rscript data-raw/published.R

bench: bench-deps install
	Rscript bench/run.R

clean:
	rm -rf $(CHECKDIR) $(PORTDIR) $(PKG)_*.tar.gz src/*.o src/*.so replication
