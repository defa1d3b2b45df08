# Leverages of a dm_lm (hatvalues(), augment()'s .hat and .std.resid), taken from the
# fit's triangular factor in the C++ core (h_i = |z_i|^2, z_i = sqrt(w_i) R^-T x_i),
# against exact rational leverages (gmp, helper-references.R) on ill-conditioned
# designs and against lm on well-conditioned ones (issue 19, item 2).

exact_hat_cache <- new.env()
exact_hat <- function(name) {
  if (is.null(exact_hat_cache[[name]])) {
    D <- reference_designs()[[name]]
    X <- stats::model.matrix(D$formula, D$data)
    y <- stats::model.response(stats::model.frame(D$formula, D$data))
    exact_hat_cache[[name]] <- list(design = D, ref = exact_robust_se(X, y, seq_len(nrow(X))))
  }
  exact_hat_cache[[name]]
}

# Correct digits of the leverages as measured when this test was written:
#                    extended QR path   plain double (-DDIGIMATURITY_PLAIN_DOUBLE)
#   Longley              15.5                12.1
#   Filip-like           15.5                 6.7
# (the plain-double QR keeps about -log10(eps / rcond) digits: 6 on the Filip-like
# design, as the robust s.e. of test-vcov-accuracy.R).
# Before (R: rowSums(X %*% (X'X)^-1 * X)) the Filip-like leverages ranged from -14
# to 18 and summed to 42.
for (design in c("Longley", "Filip")) {
  test_that(sprintf("leverages on the %s design equal exact rational leverages and sum to the rank", design), {
    skip_if_not_installed("gmp")
    ex <- exact_hat(design)
    fit <- dm_lm(ex$design$formula, ex$design$data, vcov = "HC3")
    h <- hatvalues(fit)
    target <- if (qr_extended()) 12 else if (design == "Filip") 6 else 11
    expect_gte(digits_agree(h, ex$ref$hat), target)
    expect_true(all(h > 0 & h < 1))
    expect_equal(sum(h), fit$rank, tolerance = 10^-target)
    expect_identical(names(h), names(fit$residuals))
    # augment() reads the same leverages; .std.resid = e_i / (sigma sqrt(1 - h_i))
    skip_if_not_installed("broom")
    au <- generics::augment(fit)
    expect_equal(au$.hat, unname(h))
    expect_equal(au$.std.resid, unname(fit$residuals / (fit$sigma * sqrt(1 - ex$ref$hat))),
                 tolerance = 10^-(target - 1))
  })
}

test_that("weighted leverages and standardised residuals equal lm's", {
  d <- make_clustered(71, G = 12)
  fit <- dm_lm(y ~ x1 + x2 + f, d, weights = w, vcov = "HC2")
  m <- lm(y ~ x1 + x2 + f, d, weights = w)
  expect_equal(hatvalues(fit), hatvalues(m), tolerance = 1e-12)
  expect_equal(sum(hatvalues(fit)), 5, tolerance = 1e-12)
  skip_if_not_installed("broom")
  au <- generics::augment(fit)
  expect_equal(au$.std.resid, unname(rstandard(m)), tolerance = 1e-12)
})

test_that("leverages skip aliased columns and hold on the plain numeric-column path", {
  d <- make_clustered(72, G = 10)
  d$x3 <- 2 * d$x1                       # aliased
  fit <- dm_lm(y ~ x1 + x2 + x3, d, vcov = "HC1")
  m <- lm(y ~ x1 + x2, d)
  expect_equal(unname(hatvalues(fit)), unname(hatvalues(m)), tolerance = 1e-12)
})
