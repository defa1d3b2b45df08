# Regression benchmarks (issues 3 and 8), side by side in one run. Not part of the package
# build. Run from the package root after `make install`: Rscript bench/bench-regression.R
# Prints a markdown table; copy it into bench/README.md with the date and machine.
suppressPackageStartupMessages({
  library(digimaturity)
})
has <- function(p) requireNamespace(p, quietly = TRUE)
threads <- 2L
options(digimaturity.threads = threads)
if (has("fixest")) fixest::setFixest_nthreads(threads)
reps <- as.integer(Sys.getenv("DM_BENCH_REPS", "5"))

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
add(case1, "dm_lm(vcov = 'HC1')", median_time(function() dm_lm(fml, d, vcov = "HC1"), reps))
if (has("fixest"))
  add(case1, "fixest::feols(vcov = 'hetero')",
      median_time(function() fixest::feols(fml, d, vcov = "hetero"), reps))
if (has("estimatr"))
  add(case1, "estimatr::lm_robust(se_type = 'HC1')",
      median_time(function() estimatr::lm_robust(fml, d, se_type = "HC1"), reps))

# --- 2. CR2 with Satterthwaite df at n = 1e6, G = 1000 --------------------------------
case2 <- "n=1e6, k=20, G=1000: CR2 + Satterthwaite df"
# the fit computes no df (they are lazy): ask for all of them, as summary() would
t_cr2 <- median_time(function() dm_coef_df(dm_lm(fml, d, cluster = ~g, vcov = "CR2")), reps)
peak <- peak_memory("fit <- dm_lm(fml, d, cluster = ~g, vcov = 'CR2'); df <- dm_coef_df(fit)", mem_setup)
add(case2, "dm_lm(vcov = 'CR2') + dm_coef_df()", t_cr2,
    sprintf("peak memory above baseline %.0f MB = %.2f x size of X (%.0f MB)",
            peak / 2^20, peak / x_bytes, x_bytes / 2^20))
if (has("fixest"))
  add(case2, "fixest::feols(cluster = ~g) (CR1, no CR2)",
      median_time(function() fixest::feols(fml, d, cluster = ~g), reps), "for scale only")
rm(d)

# --- 3. the study's size: n = 300, k = 14, CR2 with tidy output ------------------------
set.seed(2)
n <- 300; k <- 13
d <- as.data.frame(matrix(rnorm(n * k), n, k, dimnames = list(NULL, paste0("x", 1:k))))
d$g <- sample.int(183, n, TRUE)
d$y <- rowSums(d[1:k]) + rnorm(n)
fml <- as.formula(paste("y ~", paste0("x", 1:k, collapse = " + ")))
case3 <- "n=300, k=14, G=183: CR2 fit + tidy table"
small_reps <- 50L
per_call <- function(f) median_time(function() for (i in 1:20) f(), small_reps) / 20
add(case3, "generics::tidy(dm_lm(vcov = 'CR2'))",
    per_call(function() generics::tidy(dm_lm(fml, d, cluster = ~g))))
if (has("clubSandwich"))
  add(case3, "lm + clubSandwich::coef_test(Satterthwaite)",
      per_call(function() clubSandwich::coef_test(lm(fml, d), vcov = "CR2", cluster = d$g,
                                                  test = "Satterthwaite")))

# --- 4. one dummy per cluster: n = 3000, G = 150, 5 covariates, CR2 + tidy (issue 8) ----
set.seed(4)
n <- 3000; G <- 150
d <- data.frame(g = factor(sample.int(G, n, TRUE)), matrix(rnorm(n * 5), n, 5))
d$y <- d$X1 + rnorm(G)[d$g] + rnorm(n)
fml_fe <- y ~ X1 + X2 + X3 + X4 + X5 + g
case4 <- "n=3000, G=150, 5 covariates + one dummy per cluster: CR2 + tidy"
add(case4, "generics::tidy(dm_lm(vcov = 'CR2'))",
    median_time(function() suppressWarnings(generics::tidy(dm_lm(fml_fe, d, cluster = ~g))), reps),
    "the 150 intercept/dummy s.e. are NA (leverage-one clusters), with a warning")
if (has("clubSandwich"))
  add(case4, "lm + clubSandwich::coef_test(Satterthwaite)",
      median_time(function() clubSandwich::coef_test(lm(fml_fe, d), vcov = "CR2", cluster = d$g,
                                                     test = "Satterthwaite"), reps))

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

res <- do.call(rbind, rows)
ratio <- ave(res$median_s, res$case, FUN = function(s) s / s[1])
res$relative_to_dm <- sprintf("%.1fx", ratio)
cat(sprintf("R %s, %d threads, %s, %d cores; medians of %d runs (%d for case 3, 20 calls each)\n\n",
            getRversion(), threads, Sys.info()[["machine"]], parallel::detectCores(), reps, small_reps))
cat("| case | tool | median (s) | time / dm_lm | note |\n|---|---|---|---|---|\n")
cat(sprintf("| %s | %s | %.4g | %s | %s |\n", res$case, res$tool, res$median_s,
            res$relative_to_dm, res$note), sep = "")
