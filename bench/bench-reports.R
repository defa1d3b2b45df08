# Benchmark of issue 24: dm_benchmark() on flanders_dm (183 municipalities, 4 dimensions,
# 4000 posterior draws) against lme4::lmer() + ranef(condVar = TRUE) for the EB part, the
# rank simulation on 1 and 2 threads, and dm_reports(): 183 HTML reports plus an index
# (target: under 60 s on 2 cores), written once serially and once by two processes at the
# same time into one folder (the bytes must be the same).
# Run from the package root after installing the package:  Rscript bench/bench-reports.R
suppressPackageStartupMessages({
  library(digimaturity)
  library(bench)
  library(lme4)
})
runs <- 3L
d <- flanders_dm
s <- dm_score(d)
dims <- c("efficiency", "innovation", "balance", "legacy")
run_lme4 <- function() {
  for (dd in dims) {
    d0 <- data.frame(y = s[[dd]], g = factor(d$municipality))
    f <- lme4::lmer(y ~ 1 + (1 | g), d0[!is.na(d0$y), ], REML = TRUE)
    lme4::ranef(f, condVar = TRUE)
  }
}
time_of <- function(expr_fun, n = runs) {
  m <- bench::mark(expr_fun(), iterations = n, check = FALSE, filter_gc = FALSE)
  as.numeric(stats::median(m$time[[1]]))
}
set.seed(1)
t_dm1 <- { old <- dm_threads(1); on.exit(dm_threads(old)); time_of(function() dm_benchmark(d, peers = ~population_class)) }
dm_threads(2)
t_dm2 <- time_of(function() dm_benchmark(d, peers = ~population_class))
t_ranks_only <- time_of(function() dm_benchmark(d, peers = ~population_class, draws = 100))
t_lme4 <- time_of(run_lme4)
set.seed(1)
b <- dm_benchmark(d, peers = ~population_class)
dir1 <- file.path(tempdir(), "reports-serial")
dir2 <- file.path(tempdir(), "reports-parallel")
t_reports <- system.time(f1 <- dm_reports(b, dir = dir1, lang = "nl"))[["elapsed"]]
ids <- unique(b$units$unit)
dir.create(dir2, showWarnings = FALSE)
t_par <- system.time({
  jobs <- lapply(split(ids, rep(1:2, length.out = length(ids))), function(u)
    parallel::mcparallel(dm_reports(b, dir = dir2, lang = "nl", units = u)))
  parallel::mccollect(jobs)
})[["elapsed"]]
files <- basename(f1)[-1]
same <- identical(unname(tools::md5sum(file.path(dir1, files))), unname(tools::md5sum(file.path(dir2, files))))
cat("\n| step | time (s) |\n|---|---:|\n")
cat(sprintf("| dm_benchmark(), 4 dimensions, 4000 draws, 1 thread | %.2f |\n", t_dm1))
cat(sprintf("| dm_benchmark(), 4 dimensions, 4000 draws, 2 threads | %.2f |\n", t_dm2))
cat(sprintf("| dm_benchmark(), 100 draws (scoring, REML, items) | %.2f |\n", t_ranks_only))
cat(sprintf("| lme4::lmer() + ranef(condVar) for the 4 dimensions (EB part only) | %.2f |\n", t_lme4))
cat(sprintf("| dm_reports(): %d reports + index, serial | %.2f |\n", length(files), t_reports))
cat(sprintf("| dm_reports(): the same in 2 processes into one folder | %.2f |\n", t_par))
cat(sprintf("\nParallel output byte-identical to serial: %s; total size %.1f MB.\n", same,
            sum(file.size(f1)) / 2^20))
cat(sprintf("\nR %s, lme4 %s, digimaturity %s, %s, %d cores\n", getRversion(), packageVersion("lme4"),
            packageVersion("digimaturity"), Sys.info()[["machine"]], parallel::detectCores()))
