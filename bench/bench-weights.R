# Benchmark of issue 23: dm_weights() (raking by IPF in C++) against survey::rake() and
# survey::calibrate(calfun = "raking") on 100,000 respondents and 3 categorical margins
# (5 x 5 x 2 categories), response depending on all three. Equal convergence targets:
# every method runs to a largest margin error of 1e-8 relative (survey::rake: epsilon in
# counts = 1e-8 x the smallest target; calibrate: epsilon = 1e-8), and the weights are
# compared afterwards.
# Run from the package root after installing the package:
#   Rscript bench/bench-weights.R
# DM_BENCH_QUICK=1: 10,000 respondents and 2 runs (a check that the script works, in a
# few seconds; its lines are not those of the #23 target).
# Prints a markdown table; `make bench` (bench/run.R) writes its comparisons (each survey
# way against dm_weights(), one line each) into bench/README.md, and the #23 target
# (100,000 respondents x 3 margins: under 0.1 s and at least 10x survey::rake()) into its
# Targets. Times are medians of `runs` runs (bench::mark); memory is what R allocated
# during one call (bench's mem_alloc).
suppressPackageStartupMessages({
  library(digimaturity)
  library(bench)
})
source(file.path("bench", "common.R"), local = TRUE)
if (!has_pkg("survey")) {
  record_comparison("raking weights, 100,000 respondents x 3 margins (5 x 5 x 2 categories)",
                    "survey::rake()", NA_real_, "dm_weights()", NA_real_, note = "survey not installed")
  stop("bench-weights.R needs the survey package (tools/install-deps.sh --bench)")
}
suppressPackageStartupMessages(library(survey))
quick <- nzchar(Sys.getenv("DM_BENCH_QUICK"))
runs <- if (quick) 2L else 5L

simulate <- function(n, seed = 1) {
  set.seed(seed)
  d <- data.frame(size = sample(paste0("s", 1:5), n, TRUE, prob = c(.3, .25, .2, .15, .1)),
                  province = sample(paste0("p", 1:5), n, TRUE),
                  role = sample(c("director", "staff"), n, TRUE, prob = c(.35, .65)),
                  stringsAsFactors = FALSE)
  d
}
N <- 1e6
targets <- list(size = c(s1 = .2, s2 = .2, s3 = .2, s4 = .2, s5 = .2) * N,
                province = c(p1 = .15, p2 = .25, p3 = .2, p4 = .2, p5 = .2) * N,
                role = c(director = .5, staff = .5) * N)
pop_df <- lapply(names(targets), function(m) {
  t <- data.frame(names(targets[[m]]), Freq = unname(targets[[m]]))
  names(t)[1] <- m
  t
})

n <- if (quick) 1e4 else 1e5
d <- simulate(n)
d$w0 <- N / n
des <- svydesign(ids = ~1, weights = ~w0, data = d)
tol <- 1e-8
run_dm <- function() dm_weights(d, targets, unit = NULL, base_weights = "w0", tol = tol)
run_rake <- function() rake(des, list(~size, ~province, ~role), pop_df,
                            control = list(maxit = 100, epsilon = 1e-3 * tol * min(unlist(targets))))
run_rake_default <- function() rake(des, list(~size, ~province, ~role), pop_df)
totals <- c(`(Intercept)` = N, stats::setNames(targets$size[-1], paste0("size", names(targets$size)[-1])),
            stats::setNames(targets$province[-1], paste0("province", names(targets$province)[-1])),
            stats::setNames(targets$role[-1], paste0("role", names(targets$role)[-1])))
run_cal <- function() calibrate(des, ~size + province + role,
                                totals,
                                calfun = "raking", epsilon = tol)

w_dm <- as.numeric(run_dm())
diff_rake <- max(abs(w_dm - weights(run_rake())) / w_dm)
diff_cal <- max(abs(w_dm - suppressWarnings(weights(run_cal()))) / w_dm)

m <- bench::mark(dm = run_dm(), survey_rake = run_rake(),
                 survey_rake_default = run_rake_default(),
                 survey_calibrate = suppressWarnings(run_cal()),
                 iterations = runs, check = FALSE, memory = TRUE, filter_gc = FALSE)
med <- as.numeric(m$median)
# CPU time per run (user + system), less sensitive than wall time to other jobs on a
# shared machine
cpu <- vapply(list(run_dm, run_rake, run_rake_default, function() suppressWarnings(run_cal())),
              function(f) {
                t <- system.time(for (i in seq_len(runs)) f(), gcFirst = TRUE)
                (t[["user.self"]] + t[["sys.self"]]) / runs
              }, numeric(1))
res <- data.frame(method = c("dm_weights (IPF, C++)", "survey::rake (epsilon 1e-11 rel.)",
                             "survey::rake (defaults: 10 sweeps, epsilon 1)",
                             "survey::calibrate(raking)"),
                  runs = runs, median_s = round(med, 4), min_s = round(as.numeric(m$min), 4),
                  mem_alloc_MB = round(as.numeric(m$mem_alloc) / 2^20, 1),
                  ratio = round(med / med[1], 1), cpu_s = cpu, cpu_ratio = cpu / cpu[1])
cat(sprintf("n = %d respondents, 3 margins (5 x 5 x 2 categories), R %s, survey %s\n\n",
            n, getRversion(), packageVersion("survey")))
cat("| method | runs | median (s) | min (s) | CPU per run (s) | mem_alloc (MB) | time / dm | CPU / dm |\n")
cat("|---|---:|---:|---:|---:|---:|---:|---:|\n")
for (i in seq_len(nrow(res))) {
  cat(sprintf("| %s | %d | %.4f | %.4f | %.4f | %.1f | %.1f | %.1f |\n", res$method[i], res$runs[i],
              res$median_s[i], res$min_s[i], res$cpu_s[i], res$mem_alloc_MB[i], res$ratio[i],
              res$cpu_ratio[i]))
}
cat(sprintf("\nLargest relative difference of the weights: dm vs rake %.2g, dm vs calibrate %.2g\n",
            diff_rake, diff_cal))

# one line per anchor in bench/README.md (the time is bench::mark's median; the first
# line is the one of the #23 target)
work <- sprintf("raking weights, %s respondents x 3 margins (5 x 5 x 2 categories)",
                format(n, big.mark = ",", scientific = FALSE))
same <- sprintf("same weights: largest relative difference %.1g", diff_rake)
record_comparison(work, "survey::rake() (converged: epsilon 1e-11 relative)", med[2],
                  "dm_weights() (IPF in C++, tol 1e-8)", med[1], note = same,
                  runs = sprintf("%d / %d", runs, runs))
record_comparison(work, "survey::rake() (defaults: 10 sweeps, epsilon 1)", med[3],
                  "dm_weights() (IPF in C++, tol 1e-8)", med[1],
                  note = "looser anchor: at most 10 sweeps, margins within 1 count",
                  runs = sprintf("%d / %d", runs, runs))
record_comparison(work, "survey::calibrate(calfun = \"raking\", epsilon = 1e-8)", med[4],
                  "dm_weights() (IPF in C++, tol 1e-8)", med[1],
                  note = sprintf("same weights: largest relative difference %.1g", diff_cal),
                  runs = sprintf("%d / %d", runs, runs))
if (!exists("bench_run_all")) writeLines(c("", comparison_table()))
