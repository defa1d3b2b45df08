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

.PHONY: deps bench-deps site-deps build install test test-portable sanitize valgrind check replicate document data bench clean site render-check

# The logs of the quiet targets (replicate, test, site): a step prints one line with its
# time; its full output is in $(LOGDIR) and shown only when the step fails.
LOGDIR := .make
STEP   := bash tools/step.sh

deps:
	@$(STEP) "Installing dependencies (tools/install-deps.sh)" $(LOGDIR)/deps.log bash tools/install-deps.sh

bench-deps:
	bash tools/install-deps.sh --bench

# The full tarball, vignettes built (R CMD check needs them).
$(TARBALL): deps
	@$(STEP) "Building $(TARBALL) with its vignettes" $(LOGDIR)/build.log R CMD build .

build: $(TARBALL)

# Installs from a tarball built without vignettes, so the C++ is compiled once, then knits
# the vignettes against the installed package and installs them (tools/install-pkg.sh);
# only when DESCRIPTION, NAMESPACE, R/, src/, inst/, data/ or vignettes/ changed since the
# last install.
install: deps
	@bash tools/install-pkg.sh $(LOGDIR)

# The size rule of CONTRIBUTING.md (tools/function-length.R), then R CMD check --as-cran;
# its output goes to $(LOGDIR)/check.log, and tools/check-summary.R
# prints the problems it found and, last, "N passed, N failed, N skipped".
test: build
	@Rscript tools/function-length.R .
	@rm -rf $(CHECKDIR) && mkdir -p $(CHECKDIR)
	@echo "Checking $(TARBALL): R CMD check --as-cran (log: $(LOGDIR)/check.log) ..."
	@start=$$(date +%s); \
	  $(CHECK_ENV) R CMD check --as-cran --no-manual -o $(CHECKDIR) $(TARBALL) > $(LOGDIR)/check.log 2>&1; \
	  echo "R CMD check finished ($$(( $$(date +%s) - start )) s)"; \
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

# The test suite on a build instrumented with AddressSanitizer and UndefinedBehavior-
# Sanitizer (gcc); R itself is not instrumented, so the sanitizer runtimes are preloaded.
# Fails on any sanitizer report. Leak detection is off: R's own allocations are not
# tracked by an uninstrumented R.
SANDIR := sanitize-check
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
sanitize: build
	rm -rf $(SANDIR) && mkdir -p $(SANDIR)/lib
	tar -xzf $(TARBALL) -C $(SANDIR)
	printf 'PKG_CXXFLAGS += $(SAN_FLAGS)\nPKG_LIBS += $(SAN_FLAGS)\n' >> $(SANDIR)/$(PKG)/src/Makevars
	R CMD INSTALL --no-test-load -l $(SANDIR)/lib $(SANDIR)/$(PKG) > $(SANDIR)/install.log 2>&1 || \
	  { cat $(SANDIR)/install.log; exit 1; }
	LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  R_LIBS=$(CURDIR)/$(SANDIR)/lib:$$R_LIBS Rscript tools/run-tests.R tests/testthat \
	  2>&1 | tee $(SANDIR)/tests.log
	@! grep -E "runtime error:|ERROR: AddressSanitizer" $(SANDIR)/tests.log
	@grep -qE "^[0-9]+ passed, 0 failed, [0-9]+ skipped$$" $(SANDIR)/tests.log

# The tests of the compiled code under valgrind memcheck (a plain -O2 build; long double
# runs in double under valgrind, which the QR path detects and replaces by double-double).
# Fails on any memcheck error or definitely lost block. VALGRIND_TESTS selects the files.
VGDIR := valgrind-check
VALGRIND_TESTS ?= lm|vcov|threads|score|agree|aggregate|reliability
valgrind: build
	rm -rf $(VGDIR) && mkdir -p $(VGDIR)/lib
	R CMD INSTALL -l $(VGDIR)/lib $(TARBALL) > $(VGDIR)/install.log 2>&1 || \
	  { cat $(VGDIR)/install.log; exit 1; }
	R_LIBS=$(CURDIR)/$(VGDIR)/lib:$$R_LIBS R -d "valgrind --error-exitcode=0 --leak-check=full \
	  --errors-for-leak-kinds=definite --log-file=$(CURDIR)/$(VGDIR)/valgrind.log" --vanilla --slave \
	  -e 'testthat::test_dir("tests/testthat", package = "digimaturity", load_package = "installed", filter = Sys.getenv("VALGRIND_TESTS", "$(VALGRIND_TESTS)"), reporter = "summary", stop_on_failure = TRUE)'
	@grep -E "ERROR SUMMARY|definitely lost" $(VGDIR)/valgrind.log
	@grep -q "ERROR SUMMARY: 0 errors" $(VGDIR)/valgrind.log
	@! grep -E "definitely lost: [1-9]" $(VGDIR)/valgrind.log

replicate: install
	@Rscript tools/replicate.R

# The documentation site in docs/: pkgdown installed first if missing (tools/install-deps.sh
# --site), then built against the package `make install` installed (with its vignettes).
# Fails on a pkgdown warning, e.g. a topic missing from _pkgdown.yml.
site-deps:
	@$(STEP) "Installing pkgdown if missing (tools/install-deps.sh --site)" $(LOGDIR)/site-deps.log \
	  bash tools/install-deps.sh --site

site: install site-deps
	@$(STEP) "Building the site with pkgdown (docs/)" $(LOGDIR)/site.log \
	  Rscript -e 'options(pkgdown.internet = FALSE); pkgdown::build_site(install = FALSE, new_process = FALSE)'
	@! grep -n "^Warning\|^! " $(LOGDIR)/site.log
	@echo "Site written to docs/index.html"

# The tables of dm_table() rendered as their readers see them, in render-check/ for a
# person to look at: Word -> PDF through LibreOffice (pages, no broken word), LaTeX ->
# PDF through pdflatex (no overfull box), HTML pages (screenshots with Chromium), every
# PDF page as PNG. Installs the tools first (tools/install-render-tools.sh); a tool still
# missing is skipped with a message.
render-check: install
	@bash tools/install-render-tools.sh
	@Rscript tools/render-check.R render-check

# For developers: regenerate NAMESPACE/man and RcppExports, or the bundled data.
document:
	Rscript -e 'Rcpp::compileAttributes(); roxygen2::roxygenise()'

data:
	Rscript data-raw/published.R

# Every bench/bench-*.R side by side with its anchors (installed first); rewrites
# bench/README.md (one line per comparison) and keeps the full output in bench/last-run.log.
bench: bench-deps install
	bash -c 'set -o pipefail; Rscript bench/run.R 2>&1 | tee bench/last-run.log'

clean:
	rm -rf $(CHECKDIR) $(PORTDIR) $(SANDIR) $(VGDIR) $(LOGDIR) $(PKG)_*.tar.gz src/*.o src/*.so replication docs render-check
