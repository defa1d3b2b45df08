types <- c("classical", "HC0", "HC1", "HC2", "HC3", "CR0", "CR1", "CR1S", "CR2", "CR3")

test_that("coefficients equal lm() and every vcov type equals sandwich/clubSandwich", {
  skip_if_not_installed("sandwich")
  skip_if_not_installed("clubSandwich")
  for (seed in 1:3) {
    d <- make_clustered(seed)
    for (weighted in c(FALSE, TRUE)) {
      m <- if (weighted) lm(y ~ x1 + x2 + f, d, weights = w) else lm(y ~ x1 + x2 + f, d)
      for (ty in types) {
        clus <- if (startsWith(ty, "CR")) ~g else NULL  # a cluster with HC types is a warning
        fit <- if (weighted) without_few_clusters(dm_lm(y ~ x1 + x2 + f, d, weights = w, cluster = clus, vcov = ty)) else
          without_few_clusters(dm_lm(y ~ x1 + x2 + f, d, cluster = clus, vcov = ty))
        ref <- switch(substr(ty, 1, 2),
                      cl = stats::vcov(m),
                      HC = sandwich::vcovHC(m, type = ty),
                      CR = as.matrix(clubSandwich::vcovCR(m, cluster = d$g, type = ty)))
        expect_lt(rel_diff(fit$coefficients, coef(m)), 1e-10)
        expect_lt(rel_diff(fit$vcov, unname(ref)), 1e-8)
        expect_identical(dimnames(fit$vcov), dimnames(stats::vcov(m)))
      }
    }
  }
})

test_that("CR2 Satterthwaite df equal clubSandwich::coef_test, other df rules hold", {
  skip_if_not_installed("clubSandwich")
  for (seed in 4:6) {
    d <- make_clustered(seed, G = 12, max_size = 25, singletons = 3)
    for (weighted in c(FALSE, TRUE)) {
      m <- if (weighted) lm(y ~ x1 + x2 + f, d, weights = w) else lm(y ~ x1 + x2 + f, d)
      fit <- if (weighted) dm_lm(y ~ x1 + x2 + f, d, weights = w, cluster = ~g) else
        dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
      expect_identical(fit$vcov_type, "CR2")
      ct <- clubSandwich::coef_test(m, vcov = "CR2", cluster = d$g, test = "Satterthwaite")
      expect_lt(rel_diff(unname(coef_df(fit)), ct$df_Satt), 1e-6)
      expect_identical(fit$df_rule, "Satterthwaite")
    }
  }
  d <- make_clustered(7)
  expect_equal(unname(coef_df(without_few_clusters(dm_lm(y ~ x1, d, cluster = ~g, vcov = "CR1")))), rep(14, 2))
  expect_warning(hc <- dm_lm(y ~ x1, d, cluster = ~g, vcov = "HC1"),
                 class = "digimaturity_warning_cluster")
  expect_equal(unname(coef_df(hc)), rep(nrow(d) - 2, 2))
  expect_identical(dm_lm(y ~ x1, d)$vcov_type, "HC2")
})

test_that("CR2 equals estimatr::lm_robust, HC1 too", {
  skip_if_not_installed("estimatr")
  d <- make_clustered(8, G = 20, max_size = 30)
  e <- estimatr::lm_robust(y ~ x1 + x2 + f, d, clusters = g, se_type = "CR2")
  fit <- dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
  expect_lt(rel_diff(fit$vcov, unname(e$vcov)), 1e-8)
  expect_lt(rel_diff(unname(coef_df(fit)), unname(e$df)), 1e-6)
  e1 <- estimatr::lm_robust(y ~ x1 + x2 + f, d, se_type = "HC1")
  expect_lt(rel_diff(dm_lm(y ~ x1 + x2 + f, d, vcov = "HC1")$vcov, unname(e1$vcov)), 1e-8)
})

test_that("large clusters (low-rank CR2 path) match clubSandwich", {
  skip_if_not_installed("clubSandwich")
  set.seed(11)
  n <- 600
  d <- data.frame(g = sample(1:6, n, TRUE), x1 = rnorm(n), x2 = rnorm(n), w = runif(n, 1, 2))
  d$y <- d$x1 + rnorm(6)[d$g] + rnorm(n)
  for (weighted in c(FALSE, TRUE)) {
    m <- if (weighted) lm(y ~ x1 + x2, d, weights = w) else lm(y ~ x1 + x2, d)
    fit <- if (weighted) without_few_clusters(dm_lm(y ~ x1 + x2, d, weights = w, cluster = ~g)) else without_few_clusters(dm_lm(y ~ x1 + x2, d, cluster = ~g))
    expect_lt(rel_diff(fit$vcov, as.matrix(clubSandwich::vcovCR(m, d$g, "CR2"))), 1e-8)
    ct <- clubSandwich::coef_test(m, vcov = "CR2", cluster = d$g, test = "Satterthwaite")
    expect_lt(rel_diff(unname(coef_df(fit)), ct$df_Satt), 1e-6)
  }
})

test_that("aliased coefficients are NA where lm puts them, with a message", {
  d <- make_clustered(9)
  d$x3 <- d$x1 + 2 * d$x2
  m <- lm(y ~ x1 + x2 + x3 + f, d)
  expect_message(fit <- dm_lm(y ~ x1 + x2 + x3 + f, d, cluster = ~g), "x3")
  expect_identical(is.na(fit$coefficients), is.na(coef(m)))
  expect_lt(rel_diff(na.omit(fit$coefficients), na.omit(coef(m))), 1e-10)
  expect_true(all(is.na(fit$vcov["x3", ])))
  expect_equal(fit$rank, m$rank)
  # an interaction with an empty cell
  d$h <- factor(ifelse(d$f == "a", "p", sample(c("p", "q"), nrow(d), TRUE)))
  m2 <- lm(y ~ f * h, d)
  expect_message(fit2 <- dm_lm(y ~ f * h, d, vcov = "HC1"))
  expect_identical(is.na(fit2$coefficients), is.na(coef(m2)))
  skip_if_not_installed("sandwich")
  expect_lt(rel_diff(fit2$vcov[!fit2$aliased, !fit2$aliased], sandwich::vcovHC(m2, "HC1")),
            if (qr_extended()) 1e-8 else 1e-7)
  # nothing estimable
  d$zero <- 0
  expect_error(dm_lm(y ~ 0 + zero, d), "no coefficient is estimable", class = "digimaturity_error")
})

exact_ls <- function(X, y) {
  `%*%` <- gmp::`%*%`
  Xq <- gmp::as.bigq(X)
  yq <- gmp::as.bigq(y)
  XtX <- t(Xq) %*% Xq
  b <- solve(XtX, t(Xq) %*% yq)
  r <- yq - Xq %*% b
  inv <- solve(XtX)
  s2 <- as.double(sum(r * r) / (nrow(X) - ncol(X)))
  list(coef = as.double(b),
       se = sqrt(s2 * vapply(seq_len(ncol(X)), function(i) as.double(inv[i, i]), 1)))
}
correct_digits <- function(a, b) min(-log10(abs(a - b) / abs(b)))

test_that("ill-conditioned polynomial and collinear designs keep >= 9 digits (exact rational reference)", {
  skip_if_not_installed("gmp")
  # The reference is the exact least-squares solution of the double data, computed in
  # rational arithmetic from the normal equations.
  set.seed(3)
  x <- round(seq(-8.78, -3.13, length.out = 82), 4)  # degree 10 on [-9, -3] (Filip-like)
  y <- round(0.8 + 0.01 * sin(x) + rnorm(82, sd = 0.003), 6)
  fml <- y ~ I(x^1) + I(x^2) + I(x^3) + I(x^4) + I(x^5) + I(x^6) + I(x^7) + I(x^8) + I(x^9) + I(x^10)
  fit <- dm_lm(fml, data.frame(x, y), vcov = "classical")
  ref <- exact_ls(outer(x, 0:10, `^`), y)
  # a plain-double QR (make test-portable) keeps about 6.3 and 7.5 digits here
  expect_gt(correct_digits(fit$coefficients, ref$coef), if (qr_extended()) 9 else 5.5)
  expect_gt(correct_digits(sqrt(diag(fit$vcov)), ref$se), if (qr_extended()) 9 else 6.5)
  # each extended path reaches the 9 digits, and plain double does not: this test would
  # catch a build that silently lost its extended precision
  for (p in c("double-double", if (digimaturity:::dm_build_info()$long_double_wide) "long-double",
              if (digimaturity:::dm_build_info()$float128) "quad")) {
    f_p <- with_qr_precision(p,
                               dm_lm(fml, data.frame(x, y), vcov = "classical"))
    expect_identical(f_p$solver, c("double-double" = "qr-double-double", "long-double" = "qr-extended",
                                   quad = "qr-quad")[[p]])
    expect_gt(correct_digits(f_p$coefficients, ref$coef), 9)
    expect_gt(correct_digits(sqrt(diag(f_p$vcov)), ref$se), 9)
  }
  f_d <- with_qr_precision("double",
                             dm_lm(fml, data.frame(x, y), vcov = "classical"))
  expect_identical(f_d$solver, "qr-double")
  expect_lt(correct_digits(f_d$coefficients, ref$coef), 9)
  # degree 5 on x = 0..20 with huge residuals (Wampler-like)
  x <- 0:20
  y <- 1 + x + x^2 + x^3 + x^4 + x^5 + 1e7 * (-1)^x * (1:21)
  fit <- dm_lm(y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5), data.frame(x, y), vcov = "classical")
  ref <- exact_ls(outer(x, 0:5, `^`), y)
  expect_gt(correct_digits(fit$coefficients, ref$coef), 9)
  expect_gt(correct_digits(sqrt(diag(fit$vcov)), ref$se), 9)
  # Longley's macro data
  fit <- dm_lm(Employed ~ ., datasets::longley, vcov = "classical")
  ref <- exact_ls(cbind(1, as.matrix(datasets::longley[, 1:6])), datasets::longley$Employed)
  expect_gt(correct_digits(fit$coefficients, ref$coef), 9)
  expect_gt(correct_digits(sqrt(diag(fit$vcov)), ref$se), 9)
  # badly scaled columns with an exact solution: y = X b with integer b
  set.seed(5)
  X <- cbind(1, round(rnorm(50) * 1e6), round(rnorm(50) * 1e-3, 9), round(runif(50) * 100))
  b <- c(3, -2, 7, 5)
  d <- data.frame(y = drop(X %*% b), a = X[, 2], s = X[, 3], u = X[, 4])
  # (an exact solution is an essentially perfect fit, and says so)
  expect_warning(fit <- dm_lm(y ~ a + s + u, d, vcov = "classical"),
                 class = "digimaturity_warning_perfect_fit")
  ref <- exact_ls(X, d$y)
  expect_gt(correct_digits(fit$coefficients, ref$coef), 9)
})

test_that("a large ill-conditioned design (extended-precision QR) stays accurate", {
  set.seed(1)
  n <- 2e5
  x <- runif(n, 10, 11)
  b <- c(2, -1, 0.5, 0.25, -0.125, 0.0625)
  X <- outer(x, 0:5, `^`)
  y <- drop(X %*% b)
  expect_warning(fit <- dm_lm(y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5), data.frame(x, y),
                              vcov = "HC1"),
                 "essentially perfect fit", class = "digimaturity_warning_perfect_fit")
  expect_identical(fit$solver, large_qr_solver())
  # lm() loses most digits here: the columns are nearly collinear on [10, 11]
  expect_lt(max(abs(fit$coefficients - b) / abs(b)), 1e-6)
})

test_that("weights, subset and missing rows behave as lm, and dropped rows are counted", {
  d <- make_clustered(10)
  d$x1[c(3, 7)] <- NA
  d$f[c(7, 9)] <- NA
  m <- lm(y ~ x1 + f, d, weights = w, subset = x2 < 2)
  fit <- dm_lm(y ~ x1 + f, d, weights = w, subset = x2 < 2, vcov = "classical")
  expect_lt(rel_diff(fit$coefficients, coef(m)), 1e-10)
  expect_lt(rel_diff(fit$vcov, vcov(m)), 1e-8)
  expect_equal(fit$nobs, nobs(m))
  expect_equal(fit$df.residual, m$df.residual)
  expect_equal(fit$r.squared, summary(m)$r.squared, tolerance = 1e-10)
  expect_equal(fit$adj.r.squared, summary(m)$adj.r.squared, tolerance = 1e-10)
  expect_equal(fit$sigma, summary(m)$sigma, tolerance = 1e-10)
  expect_equal(unname(fit$residuals), unname(residuals(m)), tolerance = 1e-10)
  expect_identical(names(fit$residuals), names(residuals(m)))
  full <- dm_lm(y ~ x1 + f, d)
  expect_equal(attr(full$na.action, "by_variable"), c(x1 = 2, f = 2))
  expect_length(full$na.action, 3L)
  # weights given as a string or a vector give the same fit
  f2 <- dm_lm(y ~ x1 + f, d, weights = "w", vcov = "classical")
  f3 <- dm_lm(y ~ x1 + f, d, weights = d$w, vcov = "classical")
  expect_equal(f2$coefficients, f3$coefficients)
  # zero weights are excluded and counted
  d$w[1] <- 0
  f4 <- dm_lm(y ~ x2, d, weights = w, vcov = "classical")
  expect_equal(f4$nobs, nrow(d) - 1)
  expect_equal(attr(f4$na.action, "zero_weight"), 1L)
  expect_lt(rel_diff(f4$coefficients, coef(lm(y ~ x2, d, weights = w))), 1e-10)
})

test_that("the cluster can be a formula, a column name or a vector", {
  d <- make_clustered(12)
  a <- dm_lm(y ~ x1, d, cluster = ~g)
  b <- dm_lm(y ~ x1, d, cluster = "g")
  cc <- dm_lm(y ~ x1, d, cluster = paste0("m", d$g))
  expect_equal(a$vcov, b$vcov)
  expect_equal(a$vcov, cc$vcov)
  expect_equal(a$n_clusters, 15L)
})

test_that("standardize = TRUE equals lm on z-scored variables", {
  d <- make_clustered(13)
  z <- function(v) (v - mean(v)) / sd(v)
  m <- lm(z(y) ~ z(x1) + z(x2) + f, d)
  fit <- dm_lm(y ~ x1 + x2 + f, d, standardize = TRUE, vcov = "classical")
  expect_lt(rel_diff(unname(fit$coefficients), unname(coef(m))), 1e-10)
  expect_equal(fit$standardize$means[["y"]], mean(d$y))
  expect_equal(fit$standardize$sds[["x1"]], sd(d$x1))
})

test_that("results do not depend on the number of threads", {
  set.seed(14)
  n <- 20000
  d <- data.frame(g = sample(1:300, n, TRUE), matrix(rnorm(n * 10), n, 10))
  d$y <- d$X1 + rnorm(n)
  fml <- y ~ X1 + X2 + X3 + X4 + X5 + X6 + X7 + X8 + X9 + X10  # n k^2 above the 1-thread cut
  old <- options(digimaturity.threads = 1)
  on.exit(options(old))
  f1 <- dm_lm(fml, d, cluster = ~g)
  df1 <- coef_df(f1)  # the CR2 df are computed on demand: here, on one thread
  h1 <- dm_lm(fml, d, vcov = "HC3")
  options(digimaturity.threads = 2)
  f2 <- dm_lm(fml, d, cluster = ~g)
  h2 <- dm_lm(fml, d, vcov = "HC3")
  expect_identical(f1$coefficients, f2$coefficients)
  expect_identical(f1$vcov, f2$vcov)
  expect_identical(df1, coef_df(f2))
  # computed in another order (a subset first, then the rest) they are the same too
  f3 <- dm_lm(fml, d, cluster = ~g)
  expect_identical(coef_df(f3, c("X7", "X2"))[c("X2", "X7")], df1[c("X2", "X7")])
  expect_identical(coef_df(f3), df1)
  expect_identical(h1$vcov, h2$vcov)
  options(digimaturity.threads = "two")
  expect_error(dm_lm(y ~ X1, d), "digimaturity.threads", class = "digimaturity_error")
})

test_that("bad input is a classed error naming the argument and the value", {
  d <- make_clustered(15)
  expect_error(dm_lm("y ~ x1", d), "`formula` must be a model formula", class = "digimaturity_error_input")
  expect_error(dm_lm(~ x1, d), "must have a response", class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1, as.list(d)), "`data` must be a data frame", class = "digimaturity_error")
  expect_error(dm_lm(y ~ x1, d[0, ]), "`data` has no rows", class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1 + nothere, d), "'nothere'", class = "digimaturity_error_missing_column")
  d$ychar <- as.character(d$y)
  expect_error(dm_lm(ychar ~ x1, d), "response `ychar` must be a numeric vector; it is of class 'character'",
               class = "digimaturity_error_input")
  d$yna <- NA_real_
  expect_error(dm_lm(yna ~ x1, d), "`yna` has no non-missing value", class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1 + x2 + f, d[1:4, ]), "no residual degrees of freedom: 4 rows for 4",
               class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1, d, cluster = rep(1, nrow(d))), "single cluster \\('1'\\)",
               class = "digimaturity_error_cluster")
  wbad <- d$w
  wbad[c(2, 5)] <- c(NA, -1)
  expect_error(dm_lm(y ~ x1, d, weights = wbad), "rows 2, 5 of `data` have NA, -1",
               class = "digimaturity_error_weights")
  wbad <- d$w
  wbad[3] <- Inf
  expect_error(dm_lm(y ~ x1, d, weights = wbad), "row 3 of `data` has Inf", class = "digimaturity_error_weights")
  expect_error(dm_lm(y ~ x1, d, weights = d$w[-1]), "one value per row", class = "digimaturity_error_weights")
  gbad <- d$g
  gbad[4] <- NA
  expect_error(dm_lm(y ~ x1, d, cluster = gbad), "`cluster` is missing \\(NA, empty or blank\\) in row 4",
               class = "digimaturity_error_cluster")
  d$x3 <- d$x1
  d$x3[c(6, 8)] <- c(Inf, NaN)
  expect_error(dm_lm(y ~ x3, d), "`x3` has non-finite values \\(Inf, NaN\\) in rows 6, 8",
               class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1, d, vcov = "HC5"), "`vcov` must be one of .* you passed 'HC5'",
               class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1, d, vcov = "CR2"), "needs `cluster`", class = "digimaturity_error_cluster")
  expect_error(dm_lm(y ~ x1, d, cluster = ~nothere), "'nothere'", class = "digimaturity_error_missing_column")
  expect_error(dm_lm(y ~ x1, d, subset = 1:1000), "outside 1..", class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1, d, standardize = NA), "`standardize` must be TRUE or FALSE",
               class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1 + offset(x2), d), "offset\\(\\), which dm_lm\\(\\) does not support",
               class = "digimaturity_error_input")
  # CR3 when a cluster alone identifies a coefficient: that coefficient's variance is
  # undefined (NA, with a warning naming the cluster); the others are unaffected
  d$own <- as.numeric(d$g == 3)
  expect_warning(f3 <- without_few_clusters(dm_lm(y ~ x1 + own, d, cluster = ~g, vcov = "CR3")), "cluster '3'",
                 class = "digimaturity_warning_leverage")
  expect_true(is.na(f3$vcov["own", "own"]))
  expect_true(all(is.finite(diag(f3$vcov)[c("(Intercept)", "x1")])))
})

test_that("the fast path for plain numeric columns equals the model-matrix path", {
  d <- make_clustered(16)
  d$xi <- as.integer(round(d$x2 * 10))
  fast <- dm_lm(y ~ x1 + xi, d, weights = w, cluster = ~g)
  general <- dm_lm(y ~ x1 + I(xi), d, weights = w, cluster = ~g)  # I() forces the model frame
  expect_equal(unname(fast$coefficients), unname(general$coefficients), tolerance = 1e-12)
  expect_equal(unname(fast$vcov), unname(general$vcov), tolerance = 1e-12)
  expect_equal(unname(coef_df(fast)), unname(coef_df(general)), tolerance = 1e-12)
  expect_identical(names(fast$residuals), names(general$residuals))
  expect_identical(names(fast$coefficients), c("(Intercept)", "x1", "xi"))
  # an Inf sends the fit down the general path, which names the rows
  d$x1[5] <- Inf
  expect_error(dm_lm(y ~ x1 + xi, d), "`x1` has non-finite values \\(Inf\\) in row 5",
               class = "digimaturity_error_input")
})

# ---- degenerate fits ---------------------------------------------------------------

constant_response <- function() {
  set.seed(31)
  d <- data.frame(x = rnorm(24), g = rep(1:6, 4), w = runif(24, 1, 2))
  d$y <- 3
  d
}

test_that("a constant response warns of a perfect fit for every vcov type, R2 NA", {
  d <- constant_response()
  for (ty in types) {
    expect_warning(fit <- without_few_clusters(dm_lm(y ~ x, d, cluster = if (startsWith(ty, "CR")) ~g, vcov = ty)), "essentially perfect fit",
                   class = "digimaturity_warning_perfect_fit")
    expect_true(fit$perfect_fit)
    expect_true(is.na(fit$r.squared))
    expect_true(is.na(fit$adj.r.squared))
    # s.e. 0 (or NA): no statistic, p-value or interval
    tab <- lm_coef_table(fit)
    expect_true(all(tab$std.error == 0 | is.na(tab$std.error)))
    expect_true(all(is.na(tab[c("statistic", "p.value", "conf.low", "conf.high")])))
  }
  expect_warning(dm_lm(y ~ x, d, weights = w, vcov = "classical"),
                 class = "digimaturity_warning_perfect_fit")
})

test_that("an exact linear response warns, an ordinary fit does not", {
  d <- constant_response()
  d$y <- 1 + 2 * d$x
  expect_warning(fit <- dm_lm(y ~ x, d, vcov = "classical"),
                 class = "digimaturity_warning_perfect_fit")
  expect_equal(fit$r.squared, 1)
  # the classical F of an R2 of 1 is not a number to print
  expect_true(is.na(glance(fit)$statistic))
  d$y <- d$y + rnorm(24) * 1e-6
  expect_no_warning(fit <- dm_lm(y ~ x, d, vcov = "classical"))
  expect_false(fit$perfect_fit)
  expect_lt(fit$r.squared, 1)
  # a response of zeros
  d$y <- 0
  expect_warning(dm_lm(y ~ 0 + x, d, vcov = "HC1"), class = "digimaturity_warning_perfect_fit")
})

test_that("a cluster with a non-cluster vcov is a classed warning and is dropped", {
  d <- make_clustered(3)
  expect_warning(fit <- dm_lm(y ~ x1, d, cluster = ~g, vcov = "HC1"),
                 "`cluster` is ignored: `vcov = 'HC1'` is not cluster-robust",
                 class = "digimaturity_warning_cluster")
  expect_null(fit$cluster)
  expect_true(is.na(fit$n_clusters))
  expect_equal(fit$vcov, dm_lm(y ~ x1, d, vcov = "HC1")$vcov)
  out <- capture.output(print(fit))
  expect_false(any(grepl("Clusters:", out)))
  expect_no_warning(without_few_clusters(dm_lm(y ~ x1, d, cluster = ~g, vcov = "CR1")))
})

test_that("an empty or blank cluster id is missing, not a cluster of its own", {
  d <- make_clustered(5)
  d$gc <- as.character(d$g)
  d$gc[c(3, 9)] <- c("", "  ")
  expect_error(
    expect_message(dm_lm(y ~ x1, d, cluster = ~gc), "2 empty values", class = "digimaturity_message_blank"),
    "missing \\(NA, empty or blank\\) in rows 3, 9", class = "digimaturity_error_cluster")
  keep <- !(seq_len(nrow(d)) %in% c(3, 9))
  fit <- suppressMessages(dm_lm(y ~ x1, d, cluster = ~gc, subset = keep))
  expect_equal(fit$n_clusters, length(unique(d$gc[keep])))
})

test_that("a haven_labelled predictor warns, naming it and how to make it a factor", {
  skip_if_not_installed("haven")
  d <- make_clustered(12)
  d$role <- haven::labelled(rep(c(1, 2, 3, 4), length.out = nrow(d)),
                            c(Director = 1, Manager = 2, Officer = 3, Other = 4))
  w <- tryCatch(dm_lm(y ~ x1 + role, d), digimaturity_warning_labelled = function(w) w)
  expect_s3_class(w, "digimaturity_warning")
  expect_match(conditionMessage(w), "`role` is a haven_labelled column (value labels 1 = 'Director', 2 = 'Manager', 3 = 'Officer', 4 = 'Other')",
               fixed = TRUE)
  expect_match(conditionMessage(w), "haven::as_factor(data$role)", fixed = TRUE)
  expect_match(conditionMessage(w), "dm_read(labelled = \"factor\")", fixed = TRUE)
  # in an interaction, through `.` and with a cluster, too; once per variable
  n <- 0L
  withCallingHandlers(dm_lm(y ~ x1 * role, d, cluster = ~g),
                      digimaturity_warning_labelled = function(w) {
                        n <<- n + 1L
                        invokeRestart("muffleWarning")
                      })
  expect_identical(n, 1L)
  expect_warning(dm_lm(y ~ ., d[c("y", "x1", "role")]), "`role`", class = "digimaturity_warning_labelled")
  # made a factor in the formula, or as a factor column: no warning
  expect_no_warning(dm_lm(y ~ x1 + haven::as_factor(role), d), class = "digimaturity_warning_labelled")
  expect_no_warning(dm_lm(y ~ x1 + factor(role), d), class = "digimaturity_warning_labelled")
  d$role <- haven::as_factor(d$role)
  expect_no_warning(dm_lm(y ~ x1 + role, d), class = "digimaturity_warning_labelled")
  # a labelled response is a score, not a category
  d$y2 <- haven::labelled(round(d$y), c(low = 0))
  expect_no_warning(dm_lm(y2 ~ x1, d), class = "digimaturity_warning_labelled")
})

test_that("the formula's columns are checked before `cluster`, so the first error names the real problem", {
  d <- make_clustered(12)
  expect_error(dm_lm(y ~ nosuch, d, cluster = ~nosuch2), "`formula` refers to 'nosuch'",
               class = "digimaturity_error_missing_column")
  expect_error(dm_lm(y ~ nosuch, d, cluster = "nosuch2"), "`formula` refers to 'nosuch'",
               class = "digimaturity_error_missing_column")
  expect_error(dm_lm(y ~ nosuch, d, weights = nosuch3), "`formula` refers to 'nosuch'",
               class = "digimaturity_error_missing_column")
  # with the formula right, the cluster's own error
  expect_error(dm_lm(y ~ x1, d, cluster = ~nosuch2), "`cluster`.*'nosuch2'|'nosuch2'.*`cluster`",
               class = "digimaturity_error_missing_column")
})

test_that("several responses warn once about a labelled predictor", {
  skip_if_not_installed("haven")
  d <- make_clustered(12)
  d$role <- haven::labelled(rep(1:3, length.out = nrow(d)), c(A = 1L, B = 2L, C = 3L))
  n <- 0L
  withCallingHandlers(dm_lm(cbind(y, x2) ~ x1 + role, d),
                      digimaturity_warning_labelled = function(w) {
                        n <<- n + 1L
                        invokeRestart("muffleWarning")
                      })
  expect_identical(n, 1L)
})
