# Runs the package's tests against an installed copy (the library in R_LIBS) and prints
# one line, "N passed, N failed"; exits non-zero on a failure or when no test ran.
# Used by `make test-portable`, which installs a plain-double build first.
# Usage: Rscript tools/run-tests.R [tests/testthat]
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args)) args[1] else "tests/testthat"
options(testthat.progress.max_fails = 10000L)
res <- as.data.frame(testthat::test_dir(dir, package = "digimaturity",
                                        load_package = "installed",
                                        reporter = "summary", stop_on_failure = FALSE))
failed <- sum(res$failed) + sum(res$error)
passed <- sum(res$passed)
info <- digimaturity:::dm_build_info()
cat(sprintf("build: plain double %s, __float128 %s, wide long double %s\n",
            info$plain_double, info$float128, info$long_double_wide))
cat(sprintf("%d passed, %d failed\n", passed, failed))
quit(status = if (failed > 0 || passed == 0) 1L else 0L)
