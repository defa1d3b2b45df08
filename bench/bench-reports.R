# Benchmark of issue 24: dm_benchmark() on flanders_dm (183 municipalities, 4 dimensions,
# 4000 posterior draws) against lme4::lmer() + ranef(condVar = TRUE) for the EB part, the
# rank simulation on 1 and 2 threads, and dm_reports(): 183 HTML reports plus an index
# (target: under 60 s on 2 cores), written once serially and once by two processes at the
# same time into one folder (the bytes must be the same).
# Run from the package root after installing the package:  Rscript bench/bench-reports.R
# DM_BENCH_QUICK=1: 1 run each, 20 reports (a check that the script works, in seconds).
# Prints a markdown table; `make bench` (bench/run.R) writes its comparisons into
# bench/README.md: the EB part against lme4, and the reports, which have no anchor
# package (anchor time n/a; the note gives the time per report and the target).
suppressPackageStartupMessages({
  library(digimaturity)
  library(bench)
})
source(file.path("bench", "common.R"), local = TRUE)
quick <- nzchar(Sys.getenv("DM_BENCH_QUICK"))
runs <- if (quick) 1L else 3L
d <- flanders_dm
s <- dm_score(d)
dims <- c("efficiency", "innovation", "balance", "legacy")
has_lme4 <- has_pkg("lme4")
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
old_threads <- dm_threads(1)
t_dm1 <- time_of(function() dm_benchmark(d, peers = ~population_class))
dm_threads(2)
t_dm2 <- time_of(function() dm_benchmark(d, peers = ~population_class))
t_ranks_only <- time_of(function() dm_benchmark(d, peers = ~population_class, draws = 100))
t_lme4 <- if (has_lme4) time_of(run_lme4) else NA_real_
set.seed(1)
b <- dm_benchmark(d, peers = ~population_class)
dir1 <- file.path(tempdir(), "reports-serial")
dir2 <- file.path(tempdir(), "reports-parallel")
unlink(c(dir1, dir2), recursive = TRUE)
ids <- unique(b$units$unit)
if (quick) ids <- ids[1:20]
t_reports <- system.time(f1 <- dm_reports(b, dir = dir1, lang = "nl", units = ids))[["elapsed"]]
dir.create(dir2, showWarnings = FALSE)
t_par <- system.time({
  jobs <- lapply(split(ids, rep(1:2, length.out = length(ids))), function(u)
    parallel::mcparallel(dm_reports(b, dir = dir2, lang = "nl", units = u)))
  parallel::mccollect(jobs)
})[["elapsed"]]
dm_threads(old_threads)
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
cat(sprintf("\nR %s, lme4 %s, digimaturity %s, %s, %d cores\n", getRversion(),
            if (has_lme4) as.character(packageVersion("lme4")) else "not installed",
            packageVersion("digimaturity"), Sys.info()[["machine"]], parallel::detectCores()))

# bench/README.md: the EB part against lme4 (dm_benchmark() with 100 draws also scores
# the responses and computes the items' shares: more work than the anchor), and the
# reports, which no other package writes (no anchor: ratio n/a)
record_comparison("empirical-Bayes estimates of the 4 dimensions, flanders_dm (183 municipalities)",
                  "lme4::lmer(REML) + ranef(condVar = TRUE)", t_lme4,
                  "dm_benchmark(draws = 100)", t_ranks_only, runs = sprintf("%d / %d", runs, runs),
                  note = if (has_lme4) "dm also scores the responses and the items' shares" else "lme4 not installed")
nrep <- length(files)
record_comparison(sprintf("%d HTML reports + index, serial (target for 183: under 60 s on 2 cores)", nrep),
                  sprintf("none (%d reports)", nrep), NA_real_, "dm_reports()", t_reports, runs = "- / 1",
                  note = sprintf("%.0f ms per report", 1000 * t_reports / nrep))
record_comparison(sprintf("%d HTML reports + index, 2 processes into one folder", nrep),
                  sprintf("none (%d reports)", nrep), NA_real_, "dm_reports() in 2 mcparallel() jobs",
                  t_par, runs = "- / 1",
                  note = sprintf("byte-identical to the serial files: %s", same))
if (!exists("bench_run_all")) writeLines(c("", comparison_table()))
