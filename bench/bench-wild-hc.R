# The wild bootstrap without clusters (heteroskedastic, HC1) at a large n (issue 18, item
# 5). Not part of the package build. Run from the package root with the package installed:
#   Rscript bench/bench-wild-hc.R
# DM_BENCH_REPS sets the runs (default 3), DM_BENCH_N the observations (default 80,000).
# Data: y = 1 + 0.5 x1 + e (1 + |x1|), x1, x2 standard normal; dm_lm(y ~ x1 + x2, vcov =
# "HC1"); dm_wild(fit, B = 9999): all 3 coefficients, restricted (WCR), p-values and
# confidence sets; also WCU, Webb weights, and the joint test of x1 and x2. Time: median
# elapsed and CPU (user + system, all threads) seconds.
# Memory: peak resident set size of a fresh R process during the call, above what it held
# just before (/proc/self/clear_refs + VmHWM), so it includes the C++ allocations.
# Prints a markdown table; copy it into bench/README.md with the date and machine.
suppressPackageStartupMessages(library(digimaturity))
threads <- 2L
options(digimaturity.threads = threads)
reps <- as.integer(Sys.getenv("DM_BENCH_REPS", "3"))
n <- as.integer(Sys.getenv("DM_BENCH_N", "80000"))

setup <- c(
  "suppressPackageStartupMessages(library(digimaturity))",
  sprintf("options(digimaturity.threads = %d)", threads),
  sprintf("set.seed(1); n <- %d", n),
  "d <- data.frame(x1 = rnorm(n), x2 = rnorm(n))",
  "d$y <- 1 + 0.5 * d$x1 + rnorm(n) * (1 + abs(d$x1))",
  "fit <- dm_lm(y ~ x1 + x2, data = d, vcov = 'HC1')")
eval(parse(text = setup))

median_time <- function(f) {
  t <- vapply(seq_len(reps), function(i) {
    gc(FALSE)
    s <- system.time(f())
    c(s[["elapsed"]], s[["user.self"]] + s[["sys.self"]])
  }, numeric(2))
  apply(t, 1, stats::median)
}

source(file.path("bench", "peak-memory.R"), local = TRUE)

cases <- list(
  list(label = "WCR, Rademacher", code = "w <- dm_wild(fit, B = 9999)"),
  list(label = "WCU, Rademacher", code = "w <- dm_wild(fit, B = 9999, impose_null = FALSE)"),
  list(label = "WCR, Webb", code = "w <- dm_wild(fit, B = 9999, auxiliary = 'webb')"),
  list(label = "joint = TRUE, x1 and x2", code = "w <- dm_wild(fit, c('x1', 'x2'), joint = TRUE, B = 9999)"))
if (nzchar(Sys.getenv("DM_BENCH_ONLY_FIRST"))) cases <- cases[1]

cat(sprintf("R %s, digimaturity %s, %d threads, %s, %d cores; medians of %d runs; n = %s, k = 3\n\n",
            getRversion(), utils::packageVersion("digimaturity"), threads, R.version$arch,
            parallel::detectCores(), reps, format(n, big.mark = ",")))
cat("| n | call | B | elapsed (s) | CPU (s) | peak memory above baseline (MB) |\n|---:|---|---:|---:|---:|---:|\n")
for (cs in cases) {
  set.seed(2)
  tm <- median_time(function() eval(parse(text = cs$code)))
  peak <- peak_memory(cs$code, setup)
  cat(sprintf("| %s | dm_wild(%s) | 9,999 | %.2f | %.2f | %.0f |\n",
              format(n, big.mark = ","), cs$label, tm[1], tm[2], peak / 2^20))
}
