# Several outcomes at once: dm_lm(cbind(y1, y2, y3) ~ ...) as a dm_mlm.

mlm_data <- function(seed = 51) {
  d <- make_clustered(seed, G = 16)
  d$y2 <- 0.5 * d$y + d$x2 + rnorm(nrow(d))
  d$y3 <- d$x1 - d$y2 + rnorm(nrow(d))
  d$y2[3] <- NA
  d$x1[7] <- NA
  d
}

# The stacked lm: one block of the design per response, rows in the same order.
stacked_lm <- function(d, weighted) {
  used <- complete.cases(d[c("y", "y2", "y3", "x1", "x2", "f")])
  d <- d[used, ]
  long <- do.call(rbind, lapply(c("y", "y2", "y3"), function(r) {
    data.frame(resp = r, yy = d[[r]], x1 = d$x1, x2 = d$x2, f = d$f, g = d$g, w = d$w)
  }))
  long$resp <- factor(long$resp, levels = c("y", "y2", "y3"))
  m <- if (weighted) lm(yy ~ 0 + resp / (x1 + x2 + f), long, weights = w) else
    lm(yy ~ 0 + resp / (x1 + x2 + f), long)
  list(m = m, long = long, d = d)
}

test_that("a dm_mlm holds one fit per response on the same rows, as separate dm_lm fits", {
  d <- mlm_data()
  fits <- dm_lm(cbind(y, y2, y3) ~ x1 + x2 + f, d, weights = w, cluster = ~g)
  expect_s3_class(fits, "dm_mlm")
  expect_named(fits$fits, c("y", "y2", "y3"))
  d_used <- d[complete.cases(d[c("y", "y2", "y3", "x1", "x2", "f")]), ]
  for (r in c("y", "y2", "y3")) {
    one <- dm_lm(reformulate(c("x1", "x2", "f"), r), d_used, weights = w, cluster = ~g)
    expect_equal(fits$fits[[r]]$coefficients, one$coefficients)
    expect_equal(fits$fits[[r]]$vcov, one$vcov)
    expect_equal(tidy(fits$fits[[r]]), tidy(one))
  }
  expect_equal(nobs(fits), nrow(d_used))
  cf <- coef(fits)
  expect_identical(dim(cf), c(5L, 3L))
  expect_identical(colnames(cf), c("y", "y2", "y3"))
  td <- tidy(fits)
  expect_identical(names(td)[1:2], c("response", "term"))
  expect_identical(unique(td$response), c("y", "y2", "y3"))
  gl <- glance(fits)
  expect_identical(gl$response, c("y", "y2", "y3"))
  expect_equal(gl$r.squared[2], glance(fits$fits$y2)$r.squared)
  expect_output(print(fits), "3 responses")
  expect_output(print(summary(fits)), "Response y2:")
  # the same coefficients as lm's mlm
  m <- lm(cbind(y, y2, y3) ~ x1 + x2 + f, d_used, weights = w)
  expect_equal(coef(fits), coef(m), tolerance = 1e-10)
  # a later cluster and other types reach every fit
  expect_equal(tidy(fits, vcov = "CR1")$std.error[6:10], tidy(fits$fits$y2, vcov = "CR1")$std.error)
})

test_that("the stacked vcov equals sandwich::vcovCL of the stacked lm, classical its mlm vcov", {
  skip_if_not_installed("sandwich")
  d <- mlm_data(52)
  for (weighted in c(FALSE, TRUE)) {
    fits <- if (weighted) dm_lm(cbind(y, y2, y3) ~ x1 + x2 + f, d, weights = w, cluster = ~g) else
      dm_lm(cbind(y, y2, y3) ~ x1 + x2 + f, d, cluster = ~g)
    s <- stacked_lm(d, weighted)
    # the stacked lm's coefficients in the order response:term
    ord <- c(t(matrix(seq_len(15), 3)))
    V0 <- sandwich::vcovCL(s$m, cluster = s$long$g, type = "HC0", cadjust = FALSE)[ord, ord]
    V1 <- sandwich::vcovCL(s$m, cluster = s$long$g, type = "HC0", cadjust = TRUE)[ord, ord]
    expect_equal(vcov(fits, type = "CR0"), V0, tolerance = 1e-9, ignore_attr = TRUE)
    expect_equal(vcov(fits, type = "CR1"), V1, tolerance = 1e-9, ignore_attr = TRUE)
    # the diagonal blocks are the single fits' variances
    V <- vcov(fits, type = "CR1")
    expect_equal(V[6:10, 6:10], vcov(fits$fits$y2, type = "CR1"), ignore_attr = TRUE, tolerance = 1e-10)
    # rows as clusters: HC0 / HC1 of each equation on the diagonal
    Vh <- vcov(fits, type = "HC1")
    expect_equal(Vh[11:15, 11:15], vcov(fits$fits$y3, type = "HC1"), ignore_attr = TRUE, tolerance = 1e-10)
    # classical: lm's mlm
    d_used <- s$d
    if (weighted) {
      # stats' vcov.mlm does not take weights: Sigma (x) (X'WX)^-1 by hand
      m <- lm(cbind(y, y2, y3) ~ x1 + x2 + f, d_used, weights = w)
      E <- residuals(m) * sqrt(d_used$w)
      Xw <- model.matrix(m) * sqrt(d_used$w)
      ref <- kronecker(crossprod(E) / m$df.residual, solve(crossprod(Xw)))
      expect_equal(vcov(fits, type = "classical"), ref, tolerance = 1e-10, ignore_attr = TRUE)
    } else {
      m <- lm(cbind(y, y2, y3) ~ x1 + x2 + f, d_used)
      expect_equal(vcov(fits, type = "classical"), vcov(m), tolerance = 1e-10)
      expect_identical(rownames(vcov(fits, type = "CR1")), rownames(vcov(m)))
    }
  }
  # the fits' own type (CR2) is supported across equations too
  expect_equal(vcov(fits)[6:10, 6:10], vcov(fits$fits$y2), ignore_attr = TRUE, tolerance = 1e-10)
})

test_that("cross-equation dm_wald equals a Wald test on the stacked lm with an independent cluster-robust vcov", {
  d <- mlm_data(53)
  fits <- dm_lm(cbind(y, y2, y3) ~ x1 + x2 + f, d, weights = w, cluster = ~g)
  s <- stacked_lm(d, TRUE)
  # CR1 of the stacked lm computed here from its pieces
  X <- model.matrix(s$m)
  e <- residuals(s$m)
  wl <- s$long$w
  B <- solve(crossprod(X * sqrt(wl)))
  U <- rowsum(X * (wl * e), s$long$g)
  G <- nrow(U)
  V <- G / (G - 1) * B %*% crossprod(U) %*% B
  b <- coef(s$m)
  C <- matrix(0, 2, length(b), dimnames = list(NULL, names(b)))
  C[1, "respy:x1"] <- 1; C[1, "respy2:x1"] <- -1
  C[2, "respy3:x2"] <- 1
  r <- c(0, 0.5)
  z <- C %*% b - r
  Fref <- drop(t(z) %*% solve(C %*% V %*% t(C), z)) / 2
  w <- without_few_clusters(dm_wald(fits, c("y:x1 = y2:x1", "y3:x2 = 0.5"), vcov = "CR1"))
  expect_equal(w$statistic, Fref, tolerance = 1e-9)
  expect_equal(w$df2, G - 1)
  expect_equal(w$p.value, pf(Fref, 2, G - 1, lower.tail = FALSE), tolerance = 1e-9)
  expect_output(print(w), "y:x1 - y2:x1 = 0")
  # names alone: zero
  expect_equal(without_few_clusters(dm_wald(fits, c("y:x1", "y2:x1"), vcov = "CR1"))$df1, 2)
  expect_error(dm_wald(fits, "x1", vcov = "CR1"), "response:term", class = "digimaturity_error_hypothesis")
})

test_that("bad multi-response formulas are classed errors", {
  d <- mlm_data()
  expect_error(dm_lm(cbind(y) ~ x1, d), "two or more", class = "digimaturity_error_input")
  expect_error(dm_lm(cbind(y, y) ~ x1, d), "repeats", class = "digimaturity_error_input")
  expect_error(dm_lm(cbind(y, f) ~ x1, d), "numeric", class = "digimaturity_error_input")
})

test_that("modelsummary tabulates the fits of a dm_mlm, one column per response", {
  skip_if_not_installed("modelsummary")
  skip_if_not_installed("broom")
  fits <- without_few_clusters(dm_lm(cbind(mpg, qsec) ~ wt + hp, data = mtcars, cluster = ~carb))
  tab <- modelsummary::modelsummary(fits$fits, output = "data.frame")
  expect_true(all(c("mpg", "qsec") %in% names(tab)))
  expect_identical(tab$qsec[tab$term == "Std.Errors"], "CR2")
})

# ---- issue 19, item 1: the stacked variance from the C++ core ----------------------

# The coefficients of an mlm stacked as response:term (the order of vcov.mlm).
coef_CS_order <- function(m) {
  cf <- coef(m)
  stats::setNames(as.vector(cf), paste(rep(colnames(cf), each = nrow(cf)), rownames(cf), sep = ":"))
}

# The Filip-like design of helper-references.R (degree 10, 82 rows) with a second
# outcome, clusters of 4 consecutive rows.
filip_two <- function() {
  D <- reference_designs()$Filip
  set.seed(19)
  D$data$y2 <- round(D$data$y + stats::rnorm(nrow(D$data), sd = 0.002), 6)
  D$data$cl <- (seq_len(nrow(D$data)) - 1L) %/% 4L
  D
}

test_that("each equation's block of the stacked vcov equals its single fit to 12 digits on the Filip-like design, for every type", {
  D <- filip_two()
  rhs <- D$formula[[3L]]
  mm <- without_few_clusters(dm_lm(as.formula(call("~", quote(cbind(y, y2)), rhs)), D$data,
                                   cluster = ~cl, vcov = "CR1"))
  one <- list(y = D$formula, y2 = as.formula(call("~", quote(y2), rhs)))
  types <- c("classical", "HC0", "HC1", "HC2", "HC3", "CR0", "CR1", "CR1S", "CR2", "CR3")
  for (ty in types) {
    V <- without_few_clusters(vcov(mm, type = ty))
    expect_identical(dim(V), c(22L, 22L))
    expect_true(all(diag(V) > 0), label = sprintf("%s: all stacked variances positive", ty))
    for (j in 1:2) {
      # an independent single fit of the outcome (not the dm_mlm's own fit)
      single <- if (startsWith(ty, "CR")) {
        without_few_clusters(dm_lm(one[[j]], D$data, cluster = ~cl, vcov = ty))
      } else {
        dm_lm(one[[j]], D$data, vcov = ty)
      }
      idx <- (j - 1) * 11 + 1:11
      expect_lt(rel_diff(V[idx, idx], vcov(single)), 1e-12,
                label = sprintf("%s, equation %d: relative difference to the single fit", ty, j))
    }
    # the cross-equation block is a covariance: |corr| <= 1
    s <- sqrt(diag(V))
    expect_true(all(abs(V / outer(s, s)) <= 1 + 1e-12), label = sprintf("%s: correlations in [-1, 1]", ty))
  }
})

test_that("stacked CR2 vcov and the HTZ test equal clubSandwich on mlm fits, unweighted and weighted", {
  skip_if_not_installed("clubSandwich")
  d <- mlm_data(54)
  d_used <- d[complete.cases(d[c("y", "y2", "y3", "x1", "x2", "f")]), ]
  hyp <- c("y:x1 = y2:x1", "y3:x2 = 0.5")
  # unweighted: clubSandwich's own mlm method (coefficients named response:term, the
  # order of vcov.mlm and of dm_mlm)
  fits <- dm_lm(cbind(y, y2, y3) ~ x1 + x2 + f, d, cluster = ~g, vcov = "CR2")
  m <- lm(cbind(y, y2, y3) ~ x1 + x2 + f, d_used)
  Vc <- suppressMessages(clubSandwich::vcovCR(m, cluster = d_used$g, type = "CR2"))
  V <- vcov(fits)
  expect_identical(rownames(V), rownames(as.matrix(Vc)))
  expect_lt(rel_diff(V, as.matrix(Vc)), 1e-8)
  C <- matrix(0, 2, 15, dimnames = list(NULL, rownames(V)))
  C[1, "y:x1"] <- 1; C[1, "y2:x1"] <- -1; C[2, "y3:x2"] <- 1
  ref <- clubSandwich::Wald_test(m, constraints = C, vcov = Vc, test = "HTZ")
  # clubSandwich's constraints are C b = 0
  w <- without_few_clusters(dm_wald(fits, c("y:x1 = y2:x1", "y3:x2 = 0")))
  expect_identical(w$test, "HTZ")
  expect_equal(w$statistic, ref$Fstat, tolerance = 1e-8)
  expect_equal(w$df2, ref$df_denom, tolerance = 1e-8)
  expect_equal(w$p.value, ref$p_val, tolerance = 1e-8)
  # weighted: clubSandwich's mlm with weights (working model Theta = I, as for a
  # weighted lm), and the stacked lm (one block of the design per response, clustered
  # by g), whose CR2 adjustment matrices are I_3 (x) those of one equation
  fw <- dm_lm(cbind(y, y2, y3) ~ x1 + x2 + f, d, weights = w, cluster = ~g, vcov = "CR2")
  mw <- lm(cbind(y, y2, y3) ~ x1 + x2 + f, d_used, weights = w)
  Vw <- suppressMessages(clubSandwich::vcovCR(mw, cluster = d_used$g, type = "CR2"))
  expect_lt(rel_diff(vcov(fw), as.matrix(Vw)), 1e-8)
  rw <- clubSandwich::Wald_test(mw, constraints = C, vcov = Vw, test = "HTZ")
  ww <- without_few_clusters(dm_wald(fw, c("y:x1 = y2:x1", "y3:x2 = 0")))
  expect_equal(ww$statistic, rw$Fstat, tolerance = 1e-8)
  expect_equal(ww$df2, rw$df_denom, tolerance = 1e-8)
  s <- stacked_lm(d, TRUE)
  ord <- c(t(matrix(seq_len(15), 3)))
  Vl <- suppressMessages(clubSandwich::vcovCR(s$m, cluster = s$long$g, type = "CR2"))
  expect_lt(rel_diff(vcov(fw), as.matrix(Vl)[ord, ord]), 1e-8)
  # a right-hand side moves Q only, not the HTZ df
  w5 <- without_few_clusters(dm_wald(fits, hyp))
  expect_equal(w5$df2, w$df2, tolerance = 1e-12)
  # F = (nu - q + 1) / (nu q) Q with Q from clubSandwich's vcov and the shifted C b - r
  z <- drop(C %*% coef_CS_order(m)) - c(0, 0.5)
  Q <- drop(z %*% solve(C %*% as.matrix(Vc) %*% t(C), z))
  nu <- w$df2 + 1
  expect_equal(w5$statistic, w$df2 / (nu * 2) * Q, tolerance = 1e-8)
  # a variance matrix cannot stand for the stacked variance
  expect_error(vcov(fits, type = diag(2)), "2 x 2 matrix", class = "digimaturity_error_input")
  # every other type across equations: no error
  for (ty in c("HC2", "HC3", "CR3")) {
    expect_true(all(diag(without_few_clusters(vcov(fits, type = ty))) > 0))
  }
})

test_that("the stacked CR1 variance is positive and equals sandwich::vcovCL of the mlm", {
  skip_if_not_installed("sandwich")
  d <- mlm_data(55)
  d_used <- d[complete.cases(d[c("y", "y2", "y3", "x1", "x2", "f")]), ]
  fits <- without_few_clusters(dm_lm(cbind(y, y2, y3) ~ x1 + x2 + f, d, cluster = ~g, vcov = "CR1"))
  m <- lm(cbind(y, y2, y3) ~ x1 + x2 + f, d_used)
  # vcovCL(type = "HC0", cadjust = TRUE): G / (G - 1), the CR1 factor
  ref <- sandwich::vcovCL(m, cluster = d_used$g, type = "HC0", cadjust = TRUE)
  V <- vcov(fits)
  expect_true(all(diag(V) > 0))
  expect_identical(rownames(V), rownames(ref))
  expect_lt(rel_diff(V, ref), 1e-8)
})
