# Wild cluster bootstrap and LMG importance (issue 12), side by side in one run. Not part
# of the package build. Run from the package root with the package installed:
#   Rscript bench/bench-importance-wild.R
# The study's model: the 13 predictors of the published regression of efficiency on
# the bundled flanders_dm (respondents in municipalities), CR2 by municipality.
# Prints a markdown table; `make bench` (bench/run.R) writes its comparisons (anchor
# against digimaturity, one line each) into bench/README.md. fwildclusterboot and
# summclust are archived from CRAN: without them the plain-R bootstrap is the anchor.
suppressPackageStartupMessages(library(digimaturity))
source(file.path("bench", "common.R"), local = TRUE)
has <- function(p) requireNamespace(p, quietly = TRUE)
threads <- 2L
options(digimaturity.threads = threads)
reps <- as.integer(Sys.getenv("DM_BENCH_REPS", "3"))

# median elapsed and CPU (user + system, all threads) seconds of `reps` runs: on a machine
# shared with other jobs the CPU time shows what the work costs
median_time <- function(f, reps) {
  t <- vapply(seq_len(reps), function(i) {
    gc(FALSE)
    s <- system.time(f())
    c(s[["elapsed"]], s[["user.self"]] + s[["sys.self"]])
  }, numeric(2))
  cpu_last <<- stats::median(t[2, ])
  stats::median(t[1, ])
}
cpu_last <- NA_real_

# the study's model
pub <- digimaturity:::bundled_data("ugent_published")
predictors <- setdiff(unique(pub$regression$term), "(Intercept)")
blocks_of <- unique(pub$regression[pub$regression$term != "(Intercept)", c("term", "block")])
sc <- dm_score(flanders_dm, dmm_items, min_answered = 0.5)
d <- flanders_dm
d$dm_efficiency <- as.numeric(scale(sc$efficiency))
fit <- dm_lm(stats::reformulate(predictors, "dm_efficiency"), d, cluster = ~municipality)
X <- stats::model.matrix(fit)
y <- fit$fitted.values + fit$residuals
cl <- as.integer(fit$cluster)
G <- fit$n_clusters
k <- ncol(X)

# A faithful plain-R restricted wild cluster bootstrap (WCR, Rademacher, CR1 t): every
# draw is refitted (through the projection (X'X)^-1 X', in chunks of draws).
r_wild <- function(j, B, chunk = 2000L) {
  XtXi <- solve(crossprod(X))
  A <- XtXi %*% t(X)                         # k x n
  se_of <- function(E) {                      # CR1 s.e. of coefficient j, per column of E
    S <- rowsum(A[j, ] * E, cl)
    sqrt(G / (G - 1) * colSums(S^2))
  }
  e <- drop(y - X %*% (A %*% y))
  t0 <- drop(A[j, ] %*% y) / se_of(matrix(e))
  fr <- lm.fit(X[, -j, drop = FALSE], y)
  yh <- fr$fitted.values
  u <- fr$residuals
  hits <- 0
  done <- 0
  while (done < B) {
    b <- min(chunk, B - done)
    V <- matrix(sample(c(-1, 1), G * b, replace = TRUE), G, b)
    Ys <- yh + u * V[cl, , drop = FALSE]
    Bs <- A %*% Ys
    Es <- Ys - X %*% Bs
    ts <- Bs[j, ] / se_of(Es)
    hits <- hits + sum(abs(ts) >= abs(t0))
    done <- done + b
  }
  hits / B
}

rows <- list()
add <- function(task, method, B, seconds, note = "", cpu = cpu_last) {
  rows[[length(rows) + 1L]] <<- data.frame(task = task, method = method, B = B,
                                          seconds = seconds, cpu = cpu, note = note)
  cpu_last <<- NA_real_
}

# 1. wild cluster bootstrap of all coefficients, B = 99,999
B_wild <- 99999L
set.seed(1)
t_dm <- median_time(function() dm_wild(fit, B = B_wild), reps)
set.seed(1)
w <- dm_wild(fit, B = B_wild)
add("wild: all 14 coefficients, p-values + CIs", "dm_wild (C++, 2 threads)", B_wild, t_dm)
t_dm_p <- median_time(function() dm_wild(fit, B = B_wild, impose_null = FALSE), reps)
add("wild: all 14 coefficients, p-values + CIs", "dm_wild WCU (C++, 2 threads)", B_wild, t_dm_p)
B_r <- 9999L
set.seed(2)
st <- system.time(p_r <- vapply(seq_len(k), r_wild, numeric(1), B = B_r))
t_r <- st[["elapsed"]]
cpu_last <- st[["user.self"]] + st[["sys.self"]]
add("wild: all 14 coefficients, p-values only", "plain R (vectorised refits)", B_r, t_r,
    sprintf("x %.0f for B = 99,999: about %.0f s", B_wild / B_r, t_r * B_wild / B_r))
record_comparison("wild cluster bootstrap (WCR), all 14 coefficients, the study's model (n = 298, G = 183)",
                  "plain R, vectorised refits, p-values only (time of B = 9,999 x 10)",
                  t_r * B_wild / B_r, "dm_wild(fit, B = 99999): p-values + confidence sets",
                  t_dm, runs = sprintf("1 / %d", reps))
# one coefficient with its interval, as boottest() computes it
term1 <- predictors[1]
set.seed(4)
t_dm1 <- median_time(function() dm_wild(fit, term1, B = B_wild), reps)
add("wild: one coefficient, p-value + CI", "dm_wild (C++, 2 threads)", B_wild, t_dm1)
# The two anchors are archived from CRAN (no build for R 4.2): tools/ cannot install
# them, and a run that has them installed them by hand (from their GitHub sources) into a
# library on R_LIBS. The note says so, with the version measured.
anchor_source <- function(p) {
  sprintf("%s %s, installed by hand from its GitHub source (archived from CRAN)", p,
          as.character(utils::packageVersion(p)))
}
t_fw <- NA_real_
if (has("fwildclusterboot")) {
  lfit_w <- stats::lm(stats::reformulate(predictors, "dm_efficiency"), data = d)
  set.seed(4)
  t_fw <- median_time(function() fwildclusterboot::boottest(
    lfit_w, param = term1, clustid = "municipality", B = B_wild, type = "rademacher",
    impose_null = TRUE, nthreads = threads), reps)
  add("wild: one coefficient, p-value + CI", "fwildclusterboot::boottest", B_wild, t_fw)
}
record_comparison(sprintf("wild cluster bootstrap (WCR), one coefficient (%s) with its interval, B = 99,999, the study's model", term1),
                  "fwildclusterboot::boottest()", t_fw, sprintf("dm_wild(fit, \"%s\", B = 99999)", term1),
                  t_dm1, runs = sprintf("%d / %d", reps, reps),
                  note = if (has("fwildclusterboot")) anchor_source("fwildclusterboot") else
                    "fwildclusterboot not installable (archived from CRAN): no anchor time")
max_diff_p <- max(abs(w$p.value - p_r))

# 2. LMG over the 13 predictors with B = 1000 cluster-bootstrap draws
B_lmg <- 1000L
set.seed(3)
t_lmg <- median_time(function() dm_importance(fit, B = B_lmg), reps)
add("LMG: 13 predictors (8192 subsets), cluster-bootstrap CIs", "dm_importance (C++, 2 threads)",
    B_lmg, t_lmg)
t_lmg0 <- median_time(function() dm_importance(fit), reps)
add("LMG: 13 predictors (8192 subsets), point estimate", "dm_importance", 0, t_lmg0)
imp <- dm_importance(fit)
blk <- split(blocks_of$term, blocks_of$block)
t_blk <- median_time(function() dm_importance(fit, blocks = blk, B = B_lmg), reps)
add("LMG: 2 blocks (pressure, capacity), cluster-bootstrap CIs", "dm_importance (C++, 2 threads)",
    B_lmg, t_blk)
max_diff_lmg <- NA
if (has("relaimpo")) {
  lfit <- stats::lm(stats::reformulate(predictors, "dm_efficiency"), data = fit$model)
  t_ri <- median_time(function() relaimpo::calc.relimp(lfit, type = "lmg", rela = FALSE), reps)
  add("LMG: 13 predictors (8192 subsets), point estimate", "relaimpo::calc.relimp", 0, t_ri,
      sprintf("x 1001 fits for B = 1000: about %.0f s", t_ri * (B_lmg + 1)))
  ri <- relaimpo::calc.relimp(lfit, type = "lmg", rela = FALSE)
  max_diff_lmg <- max(abs(imp$lmg - ri@lmg[imp$term]))
}
t_ri <- if (has("relaimpo")) t_ri else NA_real_
record_comparison("LMG shares of 13 predictors (8192 subsets), point estimate, the study's model",
                  "relaimpo::calc.relimp(type = \"lmg\")", t_ri, "dm_importance(fit)", t_lmg0,
                  runs = sprintf("%d / %d", reps, reps))
record_comparison("LMG shares of 13 predictors with cluster-bootstrap intervals, B = 1000",
                  "relaimpo::calc.relimp() x 1001 (time of one fit x 1001)", t_ri * (B_lmg + 1),
                  "dm_importance(fit, B = 1000)", t_lmg, runs = sprintf("%d / %d", reps, reps))

# 3. cluster leverage and influence (CR1 summary of every coefficient)
t_cs <- median_time(function() dm_cluster_summary(fit), reps)
t_sc <- NA_real_
if (has("summclust")) {
  # the data in the call itself: summclust evaluates the call's `data`, and this script
  # runs in a local environment (bench/run.R) where its own lookup does not reach `d`
  lfit_s <- do.call(stats::lm, list(stats::reformulate(predictors, "dm_efficiency"), data = d))
  t_sc <- median_time(function() summclust::summclust(lfit_s, params = predictors,
                                                      cluster = ~municipality), reps)
}
record_comparison("cluster leverage, partial leverage and influence (CV3), 13 coefficients, the study's model",
                  "summclust::summclust()", t_sc, "dm_cluster_summary(fit)", t_cs,
                  runs = sprintf("%d / %d", reps, reps),
                  note = if (has("summclust")) anchor_source("summclust") else
                    "summclust not installable (archived from CRAN): no anchor time")

info <- sprintf("R %s, %d threads, %s, %d cores; medians of %d runs; n = %d, G = %d, k = %d",
                getRversion(), threads, R.version$arch, parallel::detectCores(), reps,
                fit$nobs, G, k)
cat(info, "\n\n")
tab <- do.call(rbind, rows)
cat("| task | method | B | elapsed (s) | CPU (s) | note |\n|---|---|---:|---:|---:|---|\n")
for (i in seq_len(nrow(tab))) {
  cat(sprintf("| %s | %s | %s | %s | %s | %s |\n", tab$task[i], tab$method[i],
              format(tab$B[i], big.mark = ","), format(round(tab$seconds[i], 3), nsmall = 3),
              if (is.na(tab$cpu[i])) "" else format(round(tab$cpu[i], 3), nsmall = 3),
              tab$note[i]))
}
cat(sprintf("\nLargest |p(dm_wild, B = 99,999) - p(plain R, B = 9,999)| over the coefficients: %.4f (Monte Carlo error of the R run: about %.4f at p = 0.5)\n",
            max_diff_p, sqrt(0.25 / B_r)))
cat(sprintf("Largest |lmg(dm_importance) - lmg(relaimpo)|: %s\n", format(max_diff_lmg, digits = 3)))
cat(sprintf("Effective clusters (CR1 summary): %s\n",
            paste(format(range(dm_cluster_summary(fit)$coefficients$effective_clusters), digits = 3), collapse = " to ")))
if (!exists("bench_run_all")) writeLines(c("", comparison_table()))
