# Benchmark of issue 22: dm_polychoric() against lavaan::lavCor(ordered =) and
# psych::polychoric() on the same simulated responses: 24 items of dmm_items, 1-5 codes from
# four correlated factors cut at item-specific thresholds, complete or with 5% of cells
# missing (then lavCor(missing = "pairwise"), the same work as dm_polychoric()'s default).
# Run from the package root after installing the package:
#   Rscript bench/bench-polychoric.R
# DM_BENCH_REPS sets the runs at n = 300 (default 20); at n = 1e5 dm runs 5 times and
# lavaan and psych DM_BENCH_BIG_REPS times (default 1: they take many seconds).
# DM_BENCH_QUICK=1: n = 300 and 3,000, dm 3 runs, lavaan and psych 1 (a check that the
# script works, in about half a minute: psych takes seconds even at n = 300).
# Prints a markdown table: medians, and the ratios to dm (1 thread and 2 threads), all
# side by side in one R session; `make bench` (bench/run.R) writes one line per anchor
# and case (lavCor and psych against dm_polychoric() on 2 threads) into bench/README.md.
suppressPackageStartupMessages({
  library(digimaturity)
  library(bench)
})
source(file.path("bench", "common.R"), local = TRUE)
has_lavaan <- has_pkg("lavaan")
has_psych <- has_pkg("psych")
quick <- nzchar(Sys.getenv("DM_BENCH_QUICK"))
reps <- as.integer(Sys.getenv("DM_BENCH_REPS", if (quick) "3" else "20"))
big_reps <- as.integer(Sys.getenv("DM_BENCH_BIG_REPS", "1"))
sizes <- if (quick) c(300, 3000) else c(300, 1e5)

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
for (n in sizes) {
  for (miss in c(0, 0.05)) {
    d <- simulate(n, miss)
    use <- if (miss > 0) "pairwise" else "listwise"
    runs_dm <- if (n > 1e4) 5L else reps
    runs_other <- if (n > 1e4 || quick) big_reps else reps
    runs_lavaan <- if (has_lavaan) runs_other else 0L
    runs_psych <- if (has_psych) runs_other else 0L
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
      lavCor = if (runs_lavaan > 0) time_it(function() lavaan::lavCor(d, ordered = names(d), missing = use), runs_lavaan) else NA,
      psych = if (runs_psych > 0) time_it(function() suppressWarnings(psych::polychoric(d)), runs_psych) else NA
    )
    # the same answer (lavCor's tolerance is about 1e-7)
    pc <- as.matrix(dm_polychoric(d, std_errors = FALSE, keyed = FALSE))
    pc_l <- if (miss > 0) pc else as.matrix(dm_polychoric(d, std_errors = FALSE, keyed = FALSE,
                                                          missing = "listwise"))
    diff_lav <- if (has_lavaan) {
      lv <- unclass(lavaan::lavCor(d, ordered = names(d), missing = use))
      max(abs(pc_l - lv[names(d), names(d)]))
    } else NA_real_
    diff_psych <- if (has_psych) {
      ps <- suppressWarnings(psych::polychoric(d))$rho
      max(abs(pc - ps[names(d), names(d)]))
    } else NA_real_
    rows[[length(rows) + 1]] <- data.frame(
      n = n, missing = miss, method = names(t), runs = ifelse(grepl("^dm", names(t)), runs_dm, runs_other),
      median_s = unname(t), ratio_to_dm_2_threads = unname(t / t[["dm_2_threads"]]),
      max_abs_diff_lavCor = diff_lav)
    # one line per anchor in bench/README.md, against dm on 2 threads without s.e.
    work <- sprintf("polychoric correlations, 24 items, n = %s, %s",
                    format(n, big.mark = ",", scientific = FALSE),
                    if (miss > 0) sprintf("%g%% of cells missing (pairwise)", 100 * miss) else "complete")
    dm_name <- "dm_polychoric(std_errors = FALSE), 2 threads"
    record_comparison(work, sprintf("lavaan::lavCor(ordered =, missing = \"%s\")", use), t[["lavCor"]],
                      dm_name, t[["dm_2_threads"]], runs = sprintf("%d / %d", runs_lavaan, runs_dm),
                      note = if (has_lavaan) sprintf("largest absolute difference from lavCor %.1e", diff_lav)
                             else "lavaan not installed")
    record_comparison(work, "psych::polychoric()", t[["psych"]],
                      dm_name, t[["dm_2_threads"]], runs = sprintf("%d / %d", runs_psych, runs_dm),
                      note = if (has_psych) sprintf("largest absolute difference from psych %.1e (its own optimiser)", diff_psych)
                             else "psych not installed")
  }
}
res <- do.call(rbind, rows)
version_of <- function(p) if (has_pkg(p)) as.character(packageVersion(p)) else "not installed"
cat(sprintf("\n%s, %s; lavaan %s, psych %s; %d cores\n\n", R.version.string, Sys.info()[["machine"]],
            version_of("lavaan"), version_of("psych"), parallel::detectCores()))
cat("| n | missing | method | runs | median (s) | x dm (2 threads) | max |dm - lavCor| |\n")
cat("|---:|---:|---|---:|---:|---:|---:|\n")
for (i in seq_len(nrow(res))) {
  r <- res[i, ]
  cat(sprintf("| %g | %g | %s | %d | %.4f | %.1f | %.1e |\n", r$n, r$missing, r$method, r$runs,
              r$median_s, r$ratio_to_dm_2_threads, r$max_abs_diff_lavCor))
}
if (!exists("bench_run_all")) writeLines(c("", comparison_table()))
