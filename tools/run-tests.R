# Runs the package's tests against an installed copy (the library in R_LIBS) and prints
# one line, "N passed, N failed, N skipped"; exits non-zero on a failure, when no test ran
# or when the run created a snapshot (it was not committed: the run cannot have checked it).
# Used by `make test-portable`, which installs a plain-double build first.
# Usage: Rscript tools/run-tests.R [tests/testthat]
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args)) args[1] else "tests/testthat"
options(testthat.progress.max_fails = 10000L)
# As make test does: the snapshot tests run (vdiffr skips "on CRAN"). Without it the first
# doppelganger of a test skips the rest, and testthat deletes the snapshots it did not
# reach from the working tree, so that a later `make test` would miss them.
Sys.setenv(NOT_CRAN = "true")
snaps <- function() {
  d <- file.path(dir, "_snaps")
  f <- if (dir.exists(d)) list.files(d, recursive = TRUE) else character()
  f[!grepl("\\.new\\.[^.]+$", f)]
}
snaps_before <- snaps()
res <- as.data.frame(testthat::test_dir(dir, package = "digimaturity",
                                        load_package = "installed",
                                        reporter = "summary", stop_on_failure = FALSE))
failed <- sum(res$failed) + sum(res$error)
passed <- sum(res$passed)
skipped <- sum(res$skipped)
created <- setdiff(snaps(), snaps_before)
if (length(created)) {
  cat("Snapshots created by this run (not committed; commit them after looking at them):",
      file.path(dir, "_snaps", created), sep = "\n")
  failed <- failed + length(created)
}
info <- digimaturity:::dm_build_info()
cat(sprintf("build: plain double %s, __float128 %s, wide long double %s\n",
            info$plain_double, info$float128, info$long_double_wide))
cat(sprintf("%d passed, %d failed, %d skipped\n", passed, failed, skipped))
quit(status = if (failed > 0 || passed == 0) 1L else 0L)
