# Regression benchmarks (issues 3 and 8), side by side in one run. Not part of the package
# build. Run from the package root after `make install`: Rscript bench/bench-regression.R
# Prints a markdown table; `make bench` (bench/run.R) writes its comparisons (anchor
# against digimaturity, one line each) into bench/README.md.
# DM_BENCH_ONLY_HC1=1 runs case 1 only (HC1 at n = 1e6 against fixest and estimatr).
suppressPackageStartupMessages({
  library(digimaturity)
})
source(file.path("bench", "common.R"), local = TRUE)
has <- function(p) requireNamespace(p, quietly = TRUE)
threads <- 2L
options(digimaturity.threads = threads)
if (has("fixest")) fixest::setFixest_nthreads(threads)
reps <- as.integer(Sys.getenv("DM_BENCH_REPS", "5"))
small_reps <- 50L  # case 3: runs of 20 calls each

median_time <- function(expr_fun, reps) {
  t <- vapply(seq_len(reps), function(i) {
    gc(FALSE)
    system.time(expr_fun())[["elapsed"]]
  }, numeric(1))
  stats::median(t)
}

# The data of the memory measurement, made in the fresh process before the call.
mem_setup <- c(
  "suppressPackageStartupMessages(library(digimaturity))",
  sprintf("options(digimaturity.threads = %d)", threads),
  "set.seed(1); n <- 1e6; k <- 20; G <- 1000",
  "X <- matrix(rnorm(n * k), n, k); colnames(X) <- paste0('x', 1:k)",
  "d <- as.data.frame(X); rm(X); d$g <- sample.int(G, n, TRUE)",
  "d$y <- rowSums(as.matrix(d[1:k])) + rnorm(G)[d$g] + rnorm(n)",
  "fml <- as.formula(paste('y ~', paste0('x', 1:k, collapse = ' + ')))"
)
source(file.path("bench", "peak-memory.R"), local = TRUE)

rows <- list()
add <- function(case, tool, seconds, note = "") {
  rows[[length(rows) + 1L]] <<- data.frame(case = case, tool = tool, median_s = seconds,
                                            note = note, stringsAsFactors = FALSE)
}

# --- 1. n = 1e6, k = 20, HC1 through the formula interface ---------------------------
set.seed(1)
n <- 1e6; k <- 20; G <- 1000
X <- matrix(rnorm(n * k), n, k, dimnames = list(NULL, paste0("x", 1:k)))
d <- as.data.frame(X)
d$g <- sample.int(G, n, TRUE)
d$y <- drop(X %*% rnorm(k)) + rnorm(G)[d$g] + rnorm(n)
x_bytes <- as.numeric(utils::object.size(X))
rm(X)
fml <- as.formula(paste("y ~", paste0("x", 1:k, collapse = " + ")))
case1 <- "n=1e6, k=20: HC1"
t_hc1 <- median_time(function() dm_lm(fml, d, vcov = "HC1"), reps)
add(case1, "dm_lm(vcov = 'HC1')", t_hc1)
t_feols <- if (has("fixest")) median_time(function() fixest::feols(fml, d, vcov = "hetero"), reps) else NA
if (has("fixest")) add(case1, "fixest::feols(vcov = 'hetero')", t_feols)
record_comparison("OLS with HC1 s.e., n = 1e6, k = 20, 2 threads", "fixest::feols(vcov = \"hetero\")",
                  t_feols, "dm_lm(vcov = \"HC1\")", t_hc1, runs = sprintf("%d / %d", reps, reps),
                  note = if (has("fixest")) "" else "fixest not installed")
t_lmr <- if (has("estimatr")) median_time(function() estimatr::lm_robust(fml, d, se_type = "HC1"), reps) else NA
if (has("estimatr")) add(case1, "estimatr::lm_robust(se_type = 'HC1')", t_lmr)
record_comparison("OLS with HC1 s.e., n = 1e6, k = 20", "estimatr::lm_robust(se_type = \"HC1\")",
                  t_lmr, "dm_lm(vcov = \"HC1\")", t_hc1, runs = sprintf("%d / %d", reps, reps),
                  note = if (has("estimatr")) "" else "estimatr not installed")
only_hc1 <- nzchar(Sys.getenv("DM_BENCH_ONLY_HC1"))
if (!only_hc1) {

# --- 2. CR2 with Satterthwaite df at n = 1e6, G = 1000 --------------------------------
case2 <- "n=1e6, k=20, G=1000: CR2 + Satterthwaite df"
# the fit computes no df (they are lazy): ask for all of them, as summary() would
t_cr2 <- median_time(function() dm_coef_df(dm_lm(fml, d, cluster = ~g, vcov = "CR2")), reps)
peak <- peak_memory("fit <- dm_lm(fml, d, cluster = ~g, vcov = 'CR2'); df <- dm_coef_df(fit)", mem_setup)
add(case2, "dm_lm(vcov = 'CR2') + dm_coef_df()", t_cr2,
    sprintf("peak memory above baseline %.0f MB = %.2f x size of X (%.0f MB)",
            peak / 2^20, peak / x_bytes, x_bytes / 2^20))
t_feols_cr1 <- if (has("fixest")) median_time(function() fixest::feols(fml, d, cluster = ~g), reps) else NA
if (has("fixest"))
  add(case2, "fixest::feols(cluster = ~g) (CR1, no CR2)", t_feols_cr1, "for scale only")
record_comparison("CR2 s.e. + Satterthwaite df of every coefficient, n = 1e6, k = 20, G = 1000, 2 threads",
                  "fixest::feols(cluster = ~g) (CR1 without df: the nearest anchor)", t_feols_cr1,
                  "dm_lm(vcov = \"CR2\") + dm_coef_df()", t_cr2, runs = sprintf("%d / %d", reps, reps),
                  note = sprintf("peak memory of dm: %.2f x size of X", peak / x_bytes))
rm(d)

# --- 3. the study's size: n = 300, k = 14, CR2 with tidy output ------------------------
set.seed(2)
n <- 300; k <- 13
d <- as.data.frame(matrix(rnorm(n * k), n, k, dimnames = list(NULL, paste0("x", 1:k))))
d$g <- sample.int(183, n, TRUE)
d$y <- rowSums(d[1:k]) + rnorm(n)
fml <- as.formula(paste("y ~", paste0("x", 1:k, collapse = " + ")))
case3 <- "n=300, k=14, G=183: CR2 fit + tidy table"
per_call <- function(f) median_time(function() for (i in 1:20) f(), small_reps) / 20
t_small <- per_call(function() generics::tidy(dm_lm(fml, d, cluster = ~g)))
add(case3, "generics::tidy(dm_lm(vcov = 'CR2'))", t_small)
t_cs <- if (has("clubSandwich"))
  per_call(function() clubSandwich::coef_test(lm(fml, d), vcov = "CR2", cluster = d$g,
                                              test = "Satterthwaite")) else NA
if (has("clubSandwich")) add(case3, "lm + clubSandwich::coef_test(Satterthwaite)", t_cs)
record_comparison("CR2 fit + table with Satterthwaite df, the study's size (n = 300, k = 14, G = 183)",
                  "lm() + clubSandwich::coef_test()", t_cs, "tidy(dm_lm(vcov = \"CR2\"))", t_small,
                  runs = sprintf("%d x 20 / %d x 20", small_reps, small_reps))

# --- 4. one dummy per cluster: n = 3000, G = 150, 5 covariates, CR2 + tidy (issue 8) ----
set.seed(4)
n <- 3000; G <- 150
d <- data.frame(g = factor(sample.int(G, n, TRUE)), matrix(rnorm(n * 5), n, 5))
d$y <- d$X1 + rnorm(G)[d$g] + rnorm(n)
fml_fe <- y ~ X1 + X2 + X3 + X4 + X5 + g
case4 <- "n=3000, G=150, 5 covariates + one dummy per cluster: CR2 + tidy"
t_fe <- median_time(function() suppressWarnings(generics::tidy(dm_lm(fml_fe, d, cluster = ~g))), reps)
add(case4, "generics::tidy(dm_lm(vcov = 'CR2'))", t_fe,
    "the 150 intercept/dummy s.e. are NA (leverage-one clusters), with a warning")
t_fe_cs <- if (has("clubSandwich"))
  median_time(function() clubSandwich::coef_test(lm(fml_fe, d), vcov = "CR2", cluster = d$g,
                                                 test = "Satterthwaite"), reps) else NA
if (has("clubSandwich")) add(case4, "lm + clubSandwich::coef_test(Satterthwaite)", t_fe_cs)
record_comparison("CR2 + Satterthwaite df with one dummy per cluster (n = 3000, G = 150)",
                  "lm() + clubSandwich::coef_test()", t_fe_cs, "tidy(dm_lm(vcov = \"CR2\"))", t_fe,
                  runs = sprintf("%d / %d", reps, reps))

# --- 5. predict() without an interval at n = 2e4 against the fit (issue 8) --------------
set.seed(5)
n <- 2e4; k <- 20
d <- as.data.frame(matrix(rnorm(n * k), n, k, dimnames = list(NULL, paste0("x", 1:k))))
d$g <- sample.int(500, n, TRUE)
d$y <- rowSums(d[1:k]) + rnorm(n)
fml <- as.formula(paste("y ~", paste0("x", 1:k, collapse = " + ")))
fit5 <- dm_lm(fml, d, cluster = ~g)
case5 <- "n=2e4, k=21, G=500: CR2 fit vs predict() on all rows"
add(case5, "dm_lm(vcov = 'CR2') (the fit)", median_time(function() dm_lm(fml, d, cluster = ~g), reps))
add(case5, "predict(fit) (no interval)", median_time(function() predict(fit5, d), reps))
add(case5, "predict(fit, interval = 'confidence') (per-row Satterthwaite df)",
    median_time(function() predict(fit5, d[1:2000, ], interval = "confidence"), 1L),
    "2000 rows, one run")

}  # !only_hc1

res <- do.call(rbind, rows)
ratio <- ave(res$median_s, res$case, FUN = function(s) s / s[1])
res$relative_to_dm <- sprintf("%.1fx", ratio)
cat(sprintf("R %s, %d threads, %s, %d cores; medians of %d runs (%d for case 3, 20 calls each)\n\n",
            getRversion(), threads, Sys.info()[["machine"]], parallel::detectCores(), reps, small_reps))
cat("| case | tool | median (s) | time / dm_lm | note |\n|---|---|---|---|---|\n")
cat(sprintf("| %s | %s | %.4g | %s | %s |\n", res$case, res$tool, res$median_s,
            res$relative_to_dm, res$note), sep = "")
if (!exists("bench_run_all")) writeLines(c("", comparison_table()))
