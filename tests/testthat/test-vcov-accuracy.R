# Accuracy of the robust variances against independent references (issue 8):
#  1. exact rational (gmp) robust standard errors on ill-conditioned designs;
#  2. a dense n x n CR2 / Satterthwaite / HTZ reference on weighted designs whose
#     weights span orders of magnitude;
#  3. invariance of every vcov type, df and Wald test to rescaling a column or the
#     weights;
#  4. degenerate fits (perfect fit, leverage one, two clusters, cluster-level
#     covariates).
# The references live in helper-references.R.

vcov_all <- c("classical", "HC0", "HC1", "HC2", "HC3", "CR0", "CR1", "CR1S", "CR2", "CR3")

# Largest error of a covariance matrix on the scale of its standard errors:
# |V_ij - R_ij| / sqrt(R_ii R_jj). (Elementwise relative error is meaningless for
# covariances that are small by cancellation.)
cov_diff <- function(V, R) {
  V <- unname(as.matrix(V))
  R <- unname(as.matrix(R))
  s <- sqrt(diag(R))
  max(abs(V - R) / outer(s, s))
}

# ---- 1. exact rational references for HC0, HC3, CR0 ---------------------------------

# The exact references are computed once per file run (about 2 s in all).
exact_cache <- new.env()
exact_reference <- function(name) {
  if (is.null(exact_cache[[name]])) {
    D <- reference_designs()[[name]]
    X <- stats::model.matrix(D$formula, D$data)
    y <- stats::model.response(stats::model.frame(D$formula, D$data))
    cl <- (seq_len(nrow(X)) - 1L) %/% D$size       # consecutive clusters of D$size rows
    exact_cache[[name]] <- list(design = D, cluster = cl, ref = exact_robust_se(X, y, cl))
  }
  exact_cache[[name]]
}

# Digits of the robust s.e. against the exact reference on the same doubles, as
# measured when these tests were written (engine of commit 32696ed; sandwich 3.0.2 on
# lm(..., tol = 1e-13) for comparison, vcovCL(type = "HC0", cadjust = FALSE) for CR0):
#                   dm_lm HC0  HC3   CR0     sandwich HC0  HC3   CR0
#   Longley              7.93  7.93  7.64             7.46  8.30  7.65
#   Wampler3-like        9.90  9.91 10.65            10.09 10.55 10.53
#   Wampler4-like       10.04 10.04 10.08            10.15 10.09  9.84
#   Wampler5-like       10.59  9.92 10.55            10.36  9.78 10.11
#   Filip-like          -1.44 -1.28  NaN              NaN  -1.15  NaN
# (Filip-like: the HC0/HC3 s.e. are about 25 times too large and the CR0 variances
# of several coefficients are negative; lm + sandwich give negative HC0/CR0
# variances too.) Targets of the issue: >= 9 digits on Longley and Wampler, >= 6 on
# the Filip-like design, never a negative or NaN variance.
for (design in c("Longley", "Wampler3", "Wampler4", "Wampler5", "Filip")) {
  target <- if (design == "Filip") 6 else 9
  test_that(sprintf("robust s.e. on the %s design have >= %d correct digits (exact gmp reference)",
                    design, target), {
    skip_if_not_installed("gmp")
    ex <- exact_reference(design)
    D <- ex$design
    for (ty in c("HC0", "HC3", "CR0")) {
      fit <- if (ty == "CR0") without_few_clusters(dm_lm(D$formula, D$data, cluster = ex$cluster, vcov = ty)) else
        dm_lm(D$formula, D$data, vcov = ty)
      v <- diag(stats::vcov(fit))
      expect_false(anyNA(v), label = sprintf("%s %s: any NaN or NA variance", design, ty))
      expect_true(all(v >= 0), label = sprintf("%s %s: no negative variance", design, ty))
      digits <- digits_agree(sqrt(pmax(v, 0)), ex$ref[[ty]])
      expect_gte(digits, target, label = sprintf("%s %s: correct digits of the s.e.", design, ty))
    }
    # the coefficients themselves are already accurate (test-lm.R); a sanity check
    # that the reference is the fit's problem
    expect_gt(digits_agree(stats::coef(dm_lm(D$formula, D$data, vcov = "classical")), ex$ref$coef),
              if (design == "Filip") 6 else 9)
  })
}

test_that("the exact reference reproduces lm + sandwich on a well-conditioned design", {
  skip_if_not_installed("gmp")
  skip_if_not_installed("sandwich")
  d <- make_clustered(1)
  m <- lm(y ~ x1 + x2, d)
  X <- stats::model.matrix(m)
  ref <- exact_robust_se(X, d$y, d$g)
  expect_gt(digits_agree(sqrt(diag(sandwich::vcovHC(m, "HC0"))), ref$HC0), 13)
  expect_gt(digits_agree(sqrt(diag(sandwich::vcovHC(m, "HC3"))), ref$HC3), 13)
  expect_gt(digits_agree(sqrt(diag(sandwich::vcovCL(m, cluster = d$g, type = "HC0", cadjust = FALSE))),
                         ref$CR0), 13)
  expect_gt(digits_agree(stats::hatvalues(m), ref$hat), 13)
})

# ---- 2. dense CR2 reference with weights --------------------------------------------

test_that("the dense CR2 reference equals clubSandwich (unweighted and moderately weighted)", {
  skip_if_not_installed("clubSandwich")
  for (weighted in c(FALSE, TRUE)) {
    d <- make_clustered(2, G = 14, max_size = 15)
    m <- if (weighted) lm(y ~ x1 + x2 + f, d, weights = w) else lm(y ~ x1 + x2 + f, d)
    X <- stats::model.matrix(m)
    ref <- dense_cr2(X, d$y, if (weighted) d$w, d$g)
    V <- as.matrix(clubSandwich::vcovCR(m, cluster = d$g, type = "CR2"))
    ct <- clubSandwich::coef_test(m, vcov = "CR2", cluster = d$g, test = "Satterthwaite")
    wt <- clubSandwich::Wald_test(m, constraints = clubSandwich::constrain_zero(c("x2", "fb", "fc")),
                                  vcov = "CR2", cluster = d$g, test = "HTZ")
    h <- ref$htz(select_rows(c("x2", "fb", "fc"), colnames(X)))
    expect_lt(rel_diff(ref$coef, stats::coef(m)), 1e-12)
    expect_lt(cov_diff(ref$vcov, V), 1e-11)
    expect_lt(rel_diff(ref$df, ct$df_Satt), 1e-10)
    expect_lt(rel_diff(h$statistic, wt$Fstat), 1e-10)
    expect_lt(rel_diff(h$df2, wt$df_denom), 1e-10)
  }
})

# The reference cases with wide weights. dropoutPrevention: the meta-regression of
# clubSandwich's vignette "meta-analysis-with-CRVE" (an lm with inverse-variance
# weights 1/varLOR, 0.046 to 3000, 152 studies); simulated: weights 10^U(-2, 2.5),
# 40 clusters of 1 to 30 rows, a calendar-year covariate (2000 to 2020, nearly
# collinear with the intercept, as dropoutPrevention's duration and age columns
# make that design ill-conditioned) and a cluster-level covariate z.
wide_weight_cases <- function() {
  utils::data("dropoutPrevention", package = "clubSandwich", envir = environment())
  dp <- dropoutPrevention
  dp$wt <- 1 / dp$varLOR
  fml <- LOR1 ~ study_design + attrition + group_equivalence + adjusted + outcome +
    evaluator_independence + male_pct + white_pct + average_age + implementation_quality +
    program_site + duration + service_hrs
  dp <- dp[stats::complete.cases(dp[all.vars(fml)]), ]
  set.seed(2018)
  sizes <- sample(1:30, 40, replace = TRUE)
  n <- sum(sizes)
  sim <- data.frame(g = rep(seq_along(sizes), sizes), x1 = rnorm(n), x2 = 2000 + runif(n, 0, 20),
                    f = factor(sample(letters[1:4], n, TRUE)), wt = 10^runif(n, -2, 2.5))
  sim$z <- rnorm(40)[sim$g]
  sim$y <- 1 + sim$x1 + 0.05 * (sim$x2 - 2000) + rnorm(40)[sim$g] + rnorm(n) / sqrt(sim$wt)
  list(
    dropoutPrevention = list(data = dp, formula = fml, cluster = "studyID",
                             wald = c("evaluator_independenceIndirect, influential",
                                      "evaluator_independencePlanning",
                                      "evaluator_independenceDelivery")),
    simulated = list(data = sim, formula = y ~ x1 + x2 + f + z, cluster = "g",
                     wald = c("x2", "fb", "z"))
  )
}

# Relative differences from the dense reference when these tests were written
# (engine of commit 32696ed; clubSandwich 0.5.8 for context, not asserted):
#                       s.e.     vcov*    df       HTZ F    HTZ df2
#   dropoutPrevention
#     dm_lm             2.9e-11  5.7e-11  7.8e-7   4.0e-8   1.5e-7
#     clubSandwich      2.1e-11  4.3e-11  4.1e-8   1.4e-9   5.6e-9
#   simulated
#     dm_lm             7.0e-11  1.7e-10  2.9e-11  2.1e-10  1.3e-11
#     clubSandwich      1.1e-10  2.1e-10  6.6e-8   3.3e-9   2.5e-8
#   (* on the s.e. scale, cov_diff.) The reference itself, recomputed with the rows
#   permuted and the weights x 1e5 (a different rounding path), moves by at most
#   4e-12 (vcov), 5e-13 (df) and 1e-12 (HTZ) on these designs.
test_that("weighted CR2 vcov, Satterthwaite df and HTZ test agree with the dense reference (wide weights)", {
  skip_if_not_installed("clubSandwich")
  cases <- wide_weight_cases()
  for (nm in names(cases)) {
    case <- cases[[nm]]
    d <- case$data
    m <- lm(case$formula, d, weights = wt)
    X <- stats::model.matrix(m)
    expect_gt(max(d$wt) / min(d$wt), 1e4)
    ref <- dense_cr2(X, d[[all.vars(case$formula)[1]]], d$wt, d[[case$cluster]])
    fit <- dm_lm(case$formula, d, weights = wt, cluster = d[[case$cluster]], vcov = "CR2")
    expect_lt(rel_diff(fit$coefficients, ref$coef), 1e-10, label = paste(nm, "coefficients"))
    expect_lt(cov_diff(fit$vcov, ref$vcov), 1e-9, label = paste(nm, "CR2 vcov"))
    expect_lt(rel_diff(sqrt(diag(fit$vcov)), sqrt(diag(ref$vcov))), 1e-9, label = paste(nm, "CR2 s.e."))
    expect_lt(rel_diff(fit_df(fit), ref$df), 1e-9, label = paste(nm, "Satterthwaite df"))
    w <- dm_wald(fit, case$wald)
    h <- ref$htz(select_rows(case$wald, colnames(X)))
    expect_equal(w$df1, length(case$wald))
    expect_lt(rel_diff(w$statistic, h$statistic), 1e-9, label = paste(nm, "HTZ F"))
    expect_lt(rel_diff(w$df2, h$df2), 1e-9, label = paste(nm, "HTZ df2"))
  }
})

# ---- 3. invariance to rescaling a column or the weights -----------------------------

# Everything a user reads from a fit, for the comparisons below.
fit_summary <- function(fit, wald_terms) {
  td <- generics::tidy(fit)
  w <- without_few_clusters(dm_wald(fit, wald_terms))
  list(coef = unname(fit$coefficients), vcov = unname(fit$vcov), se = td$std.error,
       t = td$statistic, df = td$df, p = td$p.value,
       wald = c(w$statistic, w$df2, w$p.value))
}

invariance_data <- function() {
  d <- make_clustered(3, G = 16, max_size = 14)
  d$x1 <- d$x1 * 0.3   # moderate t statistics, so p-values are not in the far tail
  d
}

# One test per vcov type, so that an error of one type does not hide the others.
# Column x 1e6: that coefficient and its s.e. scale by 1e-6, its covariances
# accordingly; t, df, p-values and dm_wald (statistic, df2, p) are unchanged.
# Weights x 1e5: nothing changes. (clubSandwich::Wald_test is itself NOT invariant
# to the column scaling: its Omega^-1/2 cuts eigenvalues below 1e-12 absolutely;
# see dense_cr2().)
for (ty in vcov_all) {
  test_that(sprintf("%s: vcov, df and dm_wald are invariant to a column x 1e6 and to weights x 1e5", ty), {
    d <- invariance_data()
    cl <- if (ty %in% c("CR0", "CR1", "CR1S", "CR2", "CR3")) ~g
    for (weighted in c(FALSE, TRUE)) {
      fit_one <- function(fml, wts) {
        without_few_clusters(if (weighted) dm_lm(fml, d, weights = wts, cluster = cl, vcov = ty) else
          dm_lm(fml, d, cluster = cl, vcov = ty))
      }
      lab <- sprintf("%s, %s", ty, if (weighted) "weighted" else "unweighted")
      a <- fit_summary(fit_one(y ~ x1 + x2 + f, d$w), c("x1", "x2"))
      b <- fit_summary(fit_one(y ~ I(x1 * 1e6) + x2 + f, d$w), c("I(x1 * 1e+06)", "x2"))
      s <- c(1, 1e-6, 1, 1, 1)
      expect_lt(rel_diff(b$coef, a$coef * s), 1e-10, label = paste(lab, "coef, column x 1e6"))
      expect_lt(rel_diff(b$se, a$se * s), 1e-10, label = paste(lab, "s.e., column x 1e6"))
      expect_lt(cov_diff(b$vcov, a$vcov * outer(s, s)), 1e-10, label = paste(lab, "vcov, column x 1e6"))
      expect_lt(rel_diff(b$t, a$t), 1e-10, label = paste(lab, "t, column x 1e6"))
      expect_lt(rel_diff(b$df, a$df), 1e-10, label = paste(lab, "df, column x 1e6"))
      expect_lt(rel_diff(b$p, a$p), 1e-10, label = paste(lab, "p, column x 1e6"))
      expect_lt(rel_diff(b$wald, a$wald), 1e-10, label = paste(lab, "dm_wald, column x 1e6"))
      if (weighted) {
        cc <- fit_summary(fit_one(y ~ x1 + x2 + f, d$w * 1e5), c("x1", "x2"))
        for (el in names(a)) {
          cmp <- if (el == "vcov") cov_diff(cc[[el]], a[[el]]) else rel_diff(cc[[el]], a[[el]])
          expect_lt(cmp, 1e-10, label = paste(lab, el, "weights x 1e5"))
        }
      }
    }
  })
}

test_that("the dense CR2 reference is itself invariant to a column x 1e6 and weights x 1e5", {
  d <- invariance_data()
  X <- stats::model.matrix(y ~ x1 + x2 + f, d)
  Xs <- X
  Xs[, "x1"] <- Xs[, "x1"] * 1e6
  C <- select_rows(c("x1", "x2"), colnames(X))
  a <- dense_cr2(X, d$y, d$w, d$g)
  b <- dense_cr2(Xs, d$y, d$w, d$g)
  cc <- dense_cr2(X, d$y, d$w * 1e5, d$g)
  s <- c(1, 1e-6, 1, 1, 1)
  expect_lt(cov_diff(b$vcov, a$vcov * outer(s, s)), 1e-12)
  expect_lt(cov_diff(cc$vcov, a$vcov), 1e-12)
  expect_lt(rel_diff(b$df, a$df), 1e-12)
  expect_lt(rel_diff(cc$df, a$df), 1e-12)
  ha <- unlist(a$htz(C)[c("statistic", "df2")])
  expect_lt(rel_diff(unlist(b$htz(C)[c("statistic", "df2")]), ha), 1e-12)
  expect_lt(rel_diff(unlist(cc$htz(C)[c("statistic", "df2")]), ha), 1e-12)
})

test_that("CR3 with a badly scaled column equals clubSandwich (the issue's example)", {
  skip_if_not_installed("clubSandwich")
  set.seed(1)
  d <- data.frame(g = rep(1:10, each = 8), x = rnorm(80), inc = rnorm(80, 5e5, 1e5))
  d$y <- 1 + d$x + rnorm(80)
  fit <- without_few_clusters(dm_lm(y ~ x + inc, d, cluster = ~g, vcov = "CR3"))
  ref <- as.matrix(clubSandwich::vcovCR(lm(y ~ x + inc, d), cluster = d$g, type = "CR3"))
  expect_lt(rel_diff(fit$vcov, ref), 1e-8)
  # and the same fit with inc in thousands, rescaled back
  fit_k <- without_few_clusters(dm_lm(y ~ x + I(inc / 1000), d, cluster = ~g, vcov = "CR3"))
  s <- c(1, 1, 1e-3)
  expect_lt(rel_diff(fit$vcov, fit_k$vcov * outer(s, s)), 1e-10)
})

# ---- 4. degenerate fits -------------------------------------------------------------

test_that("a constant response warns (classed) and gives NA statistics, not Inf and 0", {
  d <- data.frame(x = c(1, 4, 2, 8, 5, 7, 3, 6, 9, 10), y = 3)
  for (ty in c("classical", "HC1", "HC2")) {
    expect_warning(fit <- dm_lm(y ~ x, d, vcov = ty), class = "digimaturity_warning")
    td <- generics::tidy(fit)
    expect_true(all(is.na(td$statistic)), label = paste(ty, "tidy statistic NA"))
    expect_true(all(is.na(td$p.value)), label = paste(ty, "tidy p.value NA"))
    expect_false(any(is.infinite(td$statistic)))
    w <- dm_wald(fit, "x")
    expect_true(is.na(w$statistic) && is.na(w$p.value))
  }
})

test_that("a leverage-one row under HC2/HC3 warns naming the row; its dummy's s.e. is NA, the rest as without it", {
  d <- make_clustered(17)
  lone <- 23L
  d$lone <- as.numeric(seq_len(nrow(d)) == lone)
  for (ty in c("HC2", "HC3")) {
    expect_warning(fit <- dm_lm(y ~ x1 + x2 + lone, d, vcov = ty),
                   regexp = "\\b23\\b", class = "digimaturity_warning")
    se <- sqrt(diag(fit$vcov))
    expect_true(is.na(se[["lone"]]), label = paste(ty, "s.e. of the leverage-one dummy is NA"))
    others <- c("(Intercept)", "x1", "x2")
    expect_true(all(is.finite(se[others])))
    # under HC2/HC3 the other coefficients do not involve that row at all
    ref <- dm_lm(y ~ x1 + x2, d[-lone, ], vcov = ty)
    expect_lt(rel_diff(fit$coefficients[others], ref$coefficients[others]), 1e-10)
    expect_lt(rel_diff(se[others], sqrt(diag(ref$vcov))), 1e-10)
    expect_false(any(is.nan(generics::tidy(fit)$std.error)))
  }
})

test_that("two clusters with CR2 give a fit, finite or NA df, never an error", {
  set.seed(19)
  d <- data.frame(g = rep(1:2, c(7, 12)), x1 = rnorm(19), x2 = rnorm(19))
  d$y <- 1 + d$x1 + rnorm(19)
  for (fml in list(y ~ x1, y ~ x1 + x2)) {
    fit <- NULL
    expect_no_error(fit <- suppressWarnings(dm_lm(fml, d, cluster = ~g, vcov = "CR2")))
    df <- fit_df(fit)
    expect_true(all(is.na(df) | (is.finite(df) & df > 0)))
    v <- diag(fit$vcov)
    expect_true(all(is.na(v) | (is.finite(v) & v >= 0)))
    expect_no_error(suppressWarnings(dm_wald(fit, "x1")))
    expect_no_error(suppressWarnings(generics::tidy(fit)))
  }
})

test_that("a covariate constant within clusters (municipality level) under CR2 equals clubSandwich", {
  skip_if_not_installed("clubSandwich")
  d <- make_clustered(20, G = 25, max_size = 15)
  d$muni <- round(rnorm(25, 50, 10))[d$g]          # a municipality characteristic
  d$share <- runif(25)[d$g]
  for (weighted in c(FALSE, TRUE)) {
    m <- if (weighted) lm(y ~ x1 + muni + share, d, weights = w) else lm(y ~ x1 + muni + share, d)
    fit <- if (weighted) dm_lm(y ~ x1 + muni + share, d, weights = w, cluster = ~g, vcov = "CR2") else
      dm_lm(y ~ x1 + muni + share, d, cluster = ~g, vcov = "CR2")
    V <- as.matrix(clubSandwich::vcovCR(m, cluster = d$g, type = "CR2"))
    ct <- clubSandwich::coef_test(m, vcov = "CR2", cluster = d$g, test = "Satterthwaite")
    expect_lt(rel_diff(fit$vcov, V), 1e-9)
    expect_lt(rel_diff(fit_df(fit), ct$df_Satt), 1e-9)
    wt <- clubSandwich::Wald_test(m, constraints = clubSandwich::constrain_zero(c("muni", "share")),
                                  vcov = "CR2", cluster = d$g, test = "HTZ")
    w <- dm_wald(fit, c("muni", "share"))
    expect_lt(rel_diff(w$statistic, wt$Fstat), 1e-9)
    expect_lt(rel_diff(w$df2, wt$df_denom), 1e-9)
  }
})

# ---- 5. ill-conditioning, the precision paths and aliased columns with CR2 ------------

test_that("a design too ill-conditioned for the solver's precision warns (classed)", {
  set.seed(3)
  x <- seq(1, 3, length.out = 60)
  d <- data.frame(x = x, y = sin(x) + rnorm(60, sd = 0.01))
  # raw degree-12 polynomial: reciprocal condition about 3e-12, about 4 digits in double
  expect_warning(with_qr_precision("double", dm_lm(y ~ poly(x, 12, raw = TRUE), d, vcov = "HC1")),
                 "too ill-conditioned for double", class = "digimaturity_warning_ill_conditioned")
  if (qr_extended()) {
    expect_no_warning <- function(expr) expect_warning(expr, NA)
    expect_no_warning(f <- dm_lm(y ~ poly(x, 12, raw = TRUE), d, vcov = "HC1"))
    expect_lt(f$rcond, 1e-11)
  }
  # well-conditioned designs are quiet
  expect_warning(dm_lm(mpg ~ wt + hp, mtcars), NA)
})

test_that("robust df and HTZ agree across the QR precisions (whitening in double-double)", {
  set.seed(8)
  n <- 120
  d <- data.frame(x = seq(-9, -3, length.out = n), g = rep(1:24, each = 5))
  d$y <- 0.8 + 0.01 * sin(d$x) + rnorm(n, sd = 0.003)
  d$w <- 10^runif(n, -1, 1)
  fml <- y ~ poly(x, 8, raw = TRUE)
  paths <- c("double-double", if (digimaturity:::dm_build_info()$float128) "quad",
             if (digimaturity:::dm_build_info()$long_double_wide) "long-double")
  fits <- lapply(paths, function(p) with_qr_precision(p, dm_lm(fml, d, weights = w, cluster = ~g)))
  cn <- names(fits[[1]]$coefficients)
  for (f in fits[-1]) {
    expect_lt(max(abs(f$vcov - fits[[1]]$vcov) / abs(fits[[1]]$vcov)), 1e-10)
    expect_lt(max(abs(dm_coef_df(f) - dm_coef_df(fits[[1]])) / dm_coef_df(fits[[1]])), 1e-9)
    w1 <- dm_wald(fits[[1]], cn[2:4])
    w2 <- dm_wald(f, cn[2:4])
    expect_lt(abs(w2$df2 - w1$df2) / w1$df2, 1e-9)
  }
})

test_that("aliased columns with CR2: vcov, df, dm_wald and predict() match the fit without them", {
  set.seed(21)
  d <- data.frame(g = rep(1:15, times = c(rep(3, 5), rep(6, 5), rep(9, 5))))
  n <- nrow(d)
  d$x1 <- rnorm(n)
  d$x2 <- rnorm(n)
  d$x3 <- d$x1 - 2 * d$x2  # exactly collinear: aliased
  d$y <- 1 + d$x1 + rnorm(15)[d$g] + rnorm(n)
  expect_message(fa <- dm_lm(y ~ x1 + x2 + x3, d, cluster = ~g), "x3")
  f0 <- dm_lm(y ~ x1 + x2, d, cluster = ~g)
  keep <- c("(Intercept)", "x1", "x2")
  expect_equal(fa$vcov[keep, keep], f0$vcov, tolerance = 1e-12)
  expect_true(all(is.na(fa$vcov["x3", ])))
  expect_equal(dm_coef_df(fa)[keep], dm_coef_df(f0), tolerance = 1e-10)
  expect_true(is.na(dm_coef_df(fa)[["x3"]]))
  expect_equal(dm_wald(fa, c("x1", "x2", "x3"))$statistic, dm_wald(f0, c("x1", "x2"))$statistic,
               tolerance = 1e-10)
  nd <- d[1:7, ]
  pa <- predict(fa, nd, interval = "confidence")
  p0 <- predict(f0, nd, interval = "confidence")
  expect_equal(unname(pa), unname(p0), tolerance = 1e-10)
  skip_if_not_installed("clubSandwich")
  m <- lm(y ~ x1 + x2, d)
  cs <- clubSandwich::coef_test(m, vcov = "CR2", cluster = d$g, test = "Satterthwaite")
  expect_equal(unname(dm_coef_df(fa)[keep]), cs$df_Satt, tolerance = 1e-9)
})

test_that("one dummy per cluster under CR2/CR3: dummies NA with a warning, covariates as clubSandwich", {
  set.seed(31)
  G <- 12
  d <- data.frame(g = factor(rep(seq_len(G), times = 3 + seq_len(G) %% 4)))
  n <- nrow(d)
  d$x1 <- rnorm(n)
  d$x2 <- rnorm(n) + as.numeric(d$g) / 4
  d$y <- d$x1 + rnorm(G)[d$g] + rnorm(n)
  for (type in c("CR3", "CR2")) {
    expect_warning(f <- without_few_clusters(dm_lm(y ~ x1 + x2 + g, d, cluster = ~g, vcov = type)),
                   "one dummy per cluster", class = "digimaturity_warning_leverage")
    fe <- c("(Intercept)", grep("^g", names(f$coefficients), value = TRUE))
    expect_true(all(is.na(diag(f$vcov)[fe])))
    expect_true(all(is.finite(diag(f$vcov)[c("x1", "x2")])))
    td <- generics::tidy(f)
    expect_true(all(is.na(td$p.value[td$term %in% fe])))
    if (type == "CR3") {
      # CR3 is the jackknife sum of (b_-g - b)(b_-g - b)' over refits without each
      # cluster (its dummy then drops out); clubSandwich's CR3 fails on this design
      # (its I - H_gg is singular)
      b <- coef(lm(y ~ x1 + x2 + g, d))[c("x1", "x2")]
      J <- sapply(levels(d$g), function(h) {
        dd <- droplevels(d[d$g != h, ])
        coef(lm(y ~ x1 + x2 + g, dd))[c("x1", "x2")] - b
      })
      expect_equal(f$vcov[c("x1", "x2"), c("x1", "x2")], J %*% t(J), tolerance = 1e-8,
                   ignore_attr = TRUE)
      next
    }
    skip_if_not_installed("clubSandwich")
    m <- lm(y ~ x1 + x2 + g, d)
    V <- clubSandwich::vcovCR(m, cluster = d$g, type = type)
    expect_equal(f$vcov[c("x1", "x2"), c("x1", "x2")], unclass(V)[c("x1", "x2"), c("x1", "x2")],
                 tolerance = 1e-8, ignore_attr = TRUE)
    if (type == "CR2") {
      cs <- clubSandwich::coef_test(m, vcov = "CR2", cluster = d$g, test = "Satterthwaite")
      expect_equal(unname(dm_coef_df(f)[c("x1", "x2")]), cs$df_Satt[2:3], tolerance = 1e-8)
    }
  }
})
