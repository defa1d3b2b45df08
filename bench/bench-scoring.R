# Benchmark of issues 4 and 21: dm_score() + dm_agree() + dm_reliability() against
# psych::scoreItems(impute = "none") + psych::alpha() (one call per dimension) on the same
# simulated responses (1-5 codes, 5% missing cells, one latent trait), side by side in one
# R session:
#   * 200,000 x 10 items (issue 21's case): the 5 items of `efficiency` listed first and
#     the 5 of `legacy` (with the reverse-keyed poor_past_it), 2 dimensions;
#   * 100,000 x 24 items (issue 4's case): all of dmm_items, 4 dimensions;
#   * 1,000,000 x 24 items only with DM_BENCH_SCORING_1E6=1 (psych takes about 100 s).
# Run from the package root after installing the package: Rscript bench/bench-scoring.R
# DM_BENCH_REPS sets the runs of digimaturity (default 5; psych: at most 3).
# Times are medians; memory is the peak R heap above the baseline during one call
# (gc() "max used" after gc(reset = TRUE)).
suppressPackageStartupMessages(library(digimaturity))
source(file.path("bench", "common.R"), local = TRUE)
reps <- as.integer(Sys.getenv("DM_BENCH_REPS", "5"))

simulate <- function(n, items, p_missing = 0.05, seed = 1) {
  set.seed(seed)
  latent <- rnorm(n)
  d <- lapply(seq_len(nrow(items)), function(j) {
    x <- pmin(5, pmax(1, round(3 + latent + rnorm(n))))
    x[runif(n) < p_missing] <- NA
    x
  })
  names(d) <- items$item
  d <- as.data.frame(d)
  rev <- items$item[items$keyed < 0]
  d[rev] <- lapply(d[rev], function(x) 6 - x)
  d
}

run_dm <- function(d, items) {
  s <- dm_score(d, items, min_answered = 0.5)
  a <- dm_agree(d, items, threshold = 4)
  r <- dm_reliability(d, items)
  invisible(list(s, a, r))
}
run_psych <- function(d, items) {
  keys <- split(ifelse(items$keyed < 0, paste0("-", items$item), items$item), items$dimension)
  s <- psych::scoreItems(keys, d, impute = "none")
  a <- lapply(unique(items$dimension), function(dd) {
    rev <- items$item[items$dimension == dd & items$keyed < 0]
    suppressWarnings(psych::alpha(d[items$item[items$dimension == dd]],
                                  keys = if (length(rev)) rev else NULL, warnings = FALSE))
  })
  invisible(list(s, a))
}

peak_heap_mb <- function(f) {
  invisible(gc(reset = TRUE))
  base <- sum(gc()[, "used"] * c(56, 8)) / 2^20       # Ncells are 56 bytes, Vcells 8
  f()
  g <- gc()
  sum(g[, "max used"] * c(56, 8)) / 2^20 - base
}

cases <- list(
  list(n = 2e5, items = dmm_items[dmm_items$dimension %in% c("efficiency", "legacy"), ],
       label = "200,000 x 10 items"),
  list(n = 1e5, items = dmm_items, label = "100,000 x 24 items"))
# the first 5 efficiency items: 10 items in all
cases[[1]]$items <- cases[[1]]$items[c(1:5, which(cases[[1]]$items$dimension == "legacy")), ]
if (nzchar(Sys.getenv("DM_BENCH_SCORING_1E6")))
  cases[[3]] <- list(n = 1e6, items = dmm_items, label = "1,000,000 x 24 items")

cat("| case | method | runs | median (s) | peak heap (MB) | input (MB) |\n|---|---|---:|---:|---:|---:|\n")
for (cs in cases) {
  d <- simulate(cs$n, cs$items)
  input_mb <- as.numeric(object.size(d)) / 2^20
  f_dm <- function() run_dm(d, cs$items)
  f_ps <- function() run_psych(d, cs$items)
  f_dm()  # warm-up (lazy loading)
  t_dm <- bench_time(f_dm, reps)
  runs_ps <- if (cs$n >= 1e6) 1L else min(reps, 3L)
  t_ps <- if (has_pkg("psych")) bench_time(f_ps, runs_ps) else NA_real_
  cat(sprintf("| %s | dm_score + dm_agree + dm_reliability | %d | %.3f | %.0f | %.0f |\n",
              cs$label, reps, t_dm, peak_heap_mb(f_dm), input_mb))
  if (!is.na(t_ps))
    cat(sprintf("| %s | psych::scoreItems + psych::alpha | %d | %.3f | %.0f | %.0f |\n",
                cs$label, runs_ps, t_ps, peak_heap_mb(f_ps), input_mb))
  record_comparison(
    sprintf("scores + %% favourable + reliability, %s", cs$label),
    "psych::scoreItems() + psych::alpha()", t_ps,
    "dm_score() + dm_agree() + dm_reliability()", t_dm,
    note = if (is.na(t_ps)) "psych not installed" else "",
    runs = sprintf("%d / %d", runs_ps, reps))
  rm(d)
  invisible(gc())
}
if (!exists("bench_run_all")) writeLines(c("", comparison_table()))
