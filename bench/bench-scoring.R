# Benchmark of issue 4: dm_score() + dm_agree() + dm_reliability() against
# psych::scoreItems(impute = "none") + psych::alpha() (one call per dimension) on the same
# simulated responses: 24 items of dmm_items, 1-5 codes, 5% missing cells.
# Run from the package root after installing the package:
#   Rscript bench/bench-scoring.R            (sizes 1e5 and 1e6)
# Prints markdown tables for bench/README.md. Times are medians of `runs` runs
# (bench::mark); memory is what R allocated during one call (bench's mem_alloc) and the
# peak R heap above the baseline (gc() "max used" after gc(reset = TRUE)).
suppressPackageStartupMessages({
  library(digimaturity)
  library(bench)
  library(psych)
})
args <- commandArgs(trailingOnly = TRUE)
runs <- 5L
psych_runs_1e6 <- as.integer(if (length(args)) args[1] else 1L)

simulate <- function(n, p_missing = 0.05, seed = 1) {
  set.seed(seed)
  latent <- rnorm(n)
  d <- lapply(seq_len(nrow(dmm_items)), function(j) {
    x <- pmin(5, pmax(1, round(3 + latent + rnorm(n))))
    x[runif(n) < p_missing] <- NA
    x
  })
  names(d) <- dmm_items$item
  d <- as.data.frame(d)
  d$poor_past_it <- 6 - d$poor_past_it
  d
}

keys <- split(ifelse(dmm_items$keyed < 0, paste0("-", dmm_items$item), dmm_items$item),
              dmm_items$dimension)
dims <- unique(dmm_items$dimension)

run_dm <- function(d) {
  s <- dm_score(d, dmm_items, min_answered = 0.5)
  a <- dm_agree(d, dmm_items, threshold = 4)
  r <- dm_reliability(d, dmm_items)
  invisible(list(s, a, r))
}
run_psych <- function(d) {
  s <- psych::scoreItems(keys, d, impute = "none")
  a <- lapply(dims, function(dd) {
    rev <- dmm_items$item[dmm_items$dimension == dd & dmm_items$keyed < 0]
    suppressWarnings(psych::alpha(d[dmm_items$item[dmm_items$dimension == dd]],
                                  keys = if (length(rev)) rev else NULL, warnings = FALSE))
  })
  invisible(list(s, a))
}

peak_heap_mb <- function(f, d) {
  invisible(gc(reset = TRUE))
  base <- sum(gc()[, "used"] * c(56, 8)) / 2^20       # Ncells are 56 bytes, Vcells 8
  f(d)
  g <- gc()
  sum(g[, "max used"] * c(56, 8)) / 2^20 - base
}

results <- list()
for (n in c(1e5, 1e6)) {
  d <- simulate(n)
  input_mb <- as.numeric(object.size(d)) / 2^20
  psych_iter <- if (n >= 1e6) psych_runs_1e6 else runs
  cat(sprintf("n = %g: input %.0f MB; timing dm (%d runs) and psych (%d runs)...\n",
              n, input_mb, runs, psych_iter))
  m_dm <- bench::mark(dm = run_dm(d), iterations = runs, check = FALSE, filter_gc = FALSE)
  m_ps <- if (psych_iter > 0) {
    bench::mark(psych = run_psych(d), iterations = psych_iter, check = FALSE, filter_gc = FALSE)
  }
  for (m in list(m_dm, m_ps)) {
    if (is.null(m)) next
    who <- as.character(m$expression)
    f <- if (who == "dm") run_dm else run_psych
    results[[length(results) + 1]] <- data.frame(
      n = n, method = who, runs = length(m$time[[1]]),
      median_s = as.numeric(stats::median(m$time[[1]])),
      min_s = as.numeric(min(m$time[[1]])),
      mem_alloc_mb = as.numeric(m$mem_alloc) / 2^20,
      peak_heap_mb = peak_heap_mb(f, d),
      input_mb = input_mb
    )
  }
  rm(d)
  invisible(gc())
}
res <- do.call(rbind, results)
res$peak_over_input <- res$peak_heap_mb / res$input_mb

cat("\n| n | method | runs | median (s) | min (s) | mem_alloc (MB) | peak heap (MB) | input (MB) | peak / input |\n")
cat("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n")
with(res, cat(sprintf("| %s | %s | %d | %.3f | %.3f | %.0f | %.0f | %.0f | %.2f |\n",
                      format(n, scientific = TRUE), method, runs, median_s, min_s,
                      mem_alloc_mb, peak_heap_mb, input_mb, peak_over_input), sep = ""))
for (n in unique(res$n)) {
  r <- res[res$n == n, ]
  if (nrow(r) == 2) {
    cat(sprintf("\nn = %g: psych / dm median time = %.1fx\n", n,
                r$median_s[r$method == "psych"] / r$median_s[r$method == "dm"]))
  }
}
cat(sprintf("\nR %s, psych %s, digimaturity %s, %s\n", getRversion(), packageVersion("psych"),
            packageVersion("digimaturity"), Sys.info()[["machine"]]))
