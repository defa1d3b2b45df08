# Benchmark of issue 22: dm_polychoric() against lavaan::lavCor(ordered =) and
# psych::polychoric() on the same simulated responses: 24 items of dmm_items, 1-5 codes from
# four correlated factors cut at item-specific thresholds, complete or with 5% of cells
# missing (then lavCor(missing = "pairwise"), the same work as dm_polychoric()'s default).
# Run from the package root after installing the package:
#   Rscript bench/bench-polychoric.R
# DM_BENCH_REPS sets the runs at n = 300 (default 20); at n = 1e5 dm runs 5 times and
# lavaan and psych DM_BENCH_BIG_REPS times (default 1: they take many seconds).
# Prints a markdown table for bench/README.md: medians, and the ratios to dm (1 thread and
# 2 threads), all side by side in one R session.
suppressPackageStartupMessages({
  library(digimaturity)
  library(bench)
  library(lavaan)
  library(psych)
})
reps <- as.integer(Sys.getenv("DM_BENCH_REPS", "20"))
big_reps <- as.integer(Sys.getenv("DM_BENCH_BIG_REPS", "1"))

simulate <- function(n, p_missing = 0, seed = 1) {
  set.seed(seed)
  dims <- match(dmm_items$dimension, unique(dmm_items$dimension))
  L <- chol(matrix(0.5, 4, 4) + diag(0.5, 4))
  f <- matrix(rnorm(n * 4), n) %*% L
  d <- lapply(seq_len(nrow(dmm_items)), function(j) {
    x <- 0.7 * f[, dims[j]] + sqrt(0.51) * rnorm(n)
    y <- as.integer(cut(x, c(-Inf, sort(rnorm(4, sd = 0.7)), Inf)))
    y[runif(n) < p_missing] <- NA
    y
  })
  names(d) <- dmm_items$item
  as.data.frame(d)
}

# f: a function of no arguments (a promise would be evaluated once and then reused)
time_it <- function(f, runs) {
  m <- bench::mark(f(), iterations = runs, check = FALSE, filter_gc = FALSE, memory = FALSE)
  as.numeric(stats::median(m$time[[1]]))
}

rows <- list()
for (n in c(300, 1e5)) {
  for (miss in c(0, 0.05)) {
    d <- simulate(n, miss)
    use <- if (miss > 0) "pairwise" else "listwise"
    runs_dm <- if (n > 1e4) 5L else reps
    runs_other <- if (n > 1e4) big_reps else reps
    cat(sprintf("n = %g, missing = %g: dm %d runs, lavaan and psych %d runs ...\n", n, miss,
                runs_dm, runs_other))
    t <- c(
      dm_1_thread = {
        old <- dm_threads(1)
        x <- time_it(function() dm_polychoric(d, std_errors = FALSE, keyed = FALSE), runs_dm)
        dm_threads(old)
        x
      },
      dm_2_threads = {
        old <- dm_threads(2)
        x <- time_it(function() dm_polychoric(d, std_errors = FALSE, keyed = FALSE), runs_dm)
        dm_threads(old)
        x
      },
      dm_2_threads_se = {
        old <- dm_threads(2)
        x <- time_it(function() dm_polychoric(d, keyed = FALSE), runs_dm)
        dm_threads(old)
        x
      },
      lavCor = if (runs_other > 0) time_it(function() lavCor(d, ordered = names(d), missing = use), runs_other) else NA,
      psych = if (runs_other > 0) time_it(function() suppressWarnings(psych::polychoric(d)), runs_other) else NA
    )
    # the same answer (lavCor's tolerance is about 1e-7)
    pc <- as.matrix(dm_polychoric(d, std_errors = FALSE, keyed = FALSE))
    lv <- unclass(lavCor(d, ordered = names(d), missing = use))
    pc_l <- if (miss > 0) pc else as.matrix(dm_polychoric(d, std_errors = FALSE, keyed = FALSE,
                                                          missing = "listwise"))
    rows[[length(rows) + 1]] <- data.frame(
      n = n, missing = miss, method = names(t), runs = ifelse(grepl("^dm", names(t)), runs_dm, runs_other),
      median_s = unname(t), ratio_to_dm_2_threads = unname(t / t[["dm_2_threads"]]),
      max_abs_diff_lavCor = max(abs(pc_l - lv[names(d), names(d)])))
  }
}
res <- do.call(rbind, rows)
cat(sprintf("\n%s, %s; lavaan %s, psych %s; %d cores\n\n", R.version.string, Sys.info()[["machine"]],
            packageVersion("lavaan"), packageVersion("psych"), parallel::detectCores()))
cat("| n | missing | method | runs | median (s) | x dm (2 threads) | max |dm - lavCor| |\n")
cat("|---:|---:|---|---:|---:|---:|---:|\n")
for (i in seq_len(nrow(res))) {
  r <- res[i, ]
  cat(sprintf("| %g | %g | %s | %d | %.4f | %.1f | %.1e |\n", r$n, r$missing, r$method, r$runs,
              r$median_s, r$ratio_to_dm_2_threads, r$max_abs_diff_lavCor))
}
