test_that("dm_wald with CR2 equals clubSandwich's HTZ test", {
  skip_if_not_installed("clubSandwich")
  for (seed in 1:3) {
    d <- make_clustered(seed, G = 14, max_size = 15)
    for (weighted in c(FALSE, TRUE)) {
      m <- if (weighted) lm(y ~ x1 + x2 + f, d, weights = w) else lm(y ~ x1 + x2 + f, d)
      fit <- if (weighted) dm_lm(y ~ x1 + x2 + f, d, weights = w, cluster = ~g) else
        dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
      ref <- clubSandwich::Wald_test(m, constraints = clubSandwich::constrain_zero(c("x2", "fb", "fc")),
                                     vcov = "CR2", cluster = d$g, test = "HTZ")
      w <- dm_wald(fit, c("x2", "f"))
      expect_s3_class(w, "dm_wald")
      expect_equal(w$statistic, ref$Fstat, tolerance = 1e-8)
      expect_equal(w$df2, ref$df_denom, tolerance = 1e-8)
      expect_equal(w$p.value, ref$p_val, tolerance = 1e-8)
      expect_equal(w$df1, 3L)
      expect_identical(w$test, "HTZ")
    }
  }
})

test_that("dm_wald with classical and HC variances is the F test of lm / sandwich", {
  d <- make_clustered(4)
  fit <- dm_lm(y ~ x1 + x2 + f, d, vcov = "classical")
  a <- anova(lm(y ~ x1, d), lm(y ~ x1 + x2 + f, d))
  w <- dm_wald(fit, c("x2", "f"))
  expect_equal(w$statistic, a$F[2], tolerance = 1e-10)
  expect_equal(w$df2, a$Res.Df[2])
  expect_equal(w$p.value, a$`Pr(>F)`[2], tolerance = 1e-8)
  skip_if_not_installed("sandwich")
  m <- lm(y ~ x1 + x2 + f, d)
  V <- sandwich::vcovHC(m, "HC1")[3:5, 3:5]
  b <- coef(m)[3:5]
  fit1 <- dm_lm(y ~ x1 + x2 + f, d, vcov = "HC1")
  expect_equal(dm_wald(fit1, c("x2", "fb", "fc"))$statistic, drop(b %*% solve(V, b)) / 3, tolerance = 1e-8)
  fitc <- without_few_clusters(dm_lm(y ~ x1 + x2 + f, d, vcov = "CR1", cluster = ~g))
  expect_equal(without_few_clusters(dm_wald(fitc, "x2"))$df2, 14)
  expect_output(print(w), "Wald test \\(F \\(classical\\), vcov classical\\)")
})

test_that("dm_wald rejects unknown terms and non-fits", {
  d <- make_clustered(5)
  fit <- dm_lm(y ~ x1 + x2, d)
  expect_error(dm_wald(fit, "x9"), "'x9', which is neither", class = "digimaturity_error_input")
  expect_error(dm_wald(lm(y ~ x1, d), "x1"), "must be a dm_lm fit", class = "digimaturity_error_input")
  expect_error(dm_wald(fit, 1), "character vector", class = "digimaturity_error_input")
})

test_that("an HTZ test with too few clusters for its constraints is NA, not a negative F", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + factor(gear), mtcars, cluster = ~carb))
  w <- without_few_clusters(dm_wald(fit, c("wt", "hp", "factor(gear)")))
  expect_lt(w$df2, 0)
  expect_true(is.na(w$statistic))
  expect_true(is.na(w$p.value))
  expect_output(print(without_few_clusters(summary(fit))), "F-statistic: not defined")
})

test_that("dm_wald() is NA when C V C' has an NA or is singular, and not otherwise", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, mtcars, cluster = ~carb))
  ok <- without_few_clusters(dm_wald(fit, c("hp", "qsec")))
  expect_false(is.na(ok$statistic))
  bad <- fit
  bad$vcov["hp", ] <- bad$vcov[, "hp"] <- NA
  for (f in list(bad, `[[<-`(fit, "vcov_type", "CR1"))) {
    if (identical(f$vcov_type, "CR1")) f$vcov["hp", ] <- f$vcov[, "hp"] <- NA
    w <- without_few_clusters(dm_wald(f, c("hp", "qsec")))
    expect_true(is.na(w$statistic))
    expect_true(is.na(w$p.value))
    expect_false(is.na(without_few_clusters(dm_wald(f, "qsec"))$statistic))
  }
  # a zero variance, and an exactly singular C V C'
  zero <- fit
  zero$vcov["hp", ] <- zero$vcov[, "hp"] <- 0
  expect_true(is.na(without_few_clusters(dm_wald(zero, "hp"))$statistic))
  sing <- fit
  sing$vcov["qsec", ] <- sing$vcov["hp", ] * 2
  sing$vcov[, "qsec"] <- sing$vcov[, "hp"] * 2
  expect_true(is.na(without_few_clusters(dm_wald(sing, c("hp", "qsec")))$p.value))
  # a constant response: no test for any variance estimator
  d <- data.frame(x = c(1, 4, 2, 8, 5, 7, 3, 6), z = c(2, 1, 1, 3, 5, 4, 2, 2), g = rep(1:4, 2), y = 3)
  for (ty in c("classical", "HC1", "CR1", "CR2")) {
    fit0 <- suppressWarnings(dm_lm(y ~ x + z, d, cluster = ~g, vcov = ty))
    w <- without_few_clusters(dm_wald(fit0, c("x", "z")))
    expect_true(is.na(w$statistic))
    expect_true(is.na(w$p.value))
  }
  # badly scaled coefficients are not singular: equal to the rescaled fit
  m2 <- transform(mtcars, hp = hp * 1e6)
  w_big <- dm_wald(dm_lm(mpg ~ wt + hp + qsec, m2, vcov = "HC1"), c("hp", "qsec"))
  w_ref <- dm_wald(dm_lm(mpg ~ wt + hp + qsec, mtcars, vcov = "HC1"), c("hp", "qsec"))
  expect_equal(w_big$statistic, w_ref$statistic, tolerance = 1e-8)
})

# ---- general linear hypotheses ---------------------------------------------------

test_that("restrictions in words become C b = r", {
  fit <- dm_lm(mpg ~ wt + hp + qsec + factor(gear), mtcars, vcov = "classical")
  h <- digimaturity:::wald_hypothesis(fit, c("2*wt - hp = 1", "qsec + wt/2 = hp", "-(hp - 3*qsec)"), NULL)
  cn <- names(coef(fit))
  expect_equal(unname(h$C[1, ]), c(0, 2, -1, 0, 0, 0))
  expect_equal(unname(h$C[2, ]), c(0, 0.5, -1, 1, 0, 0))
  expect_equal(unname(h$C[3, ]), c(0, 0, -1, 3, 0, 0))
  expect_equal(h$r, c(1, 0, 0))
  expect_identical(h$words, c("2*wt - hp = 1", "0.5*wt - hp + qsec = 0", "-hp + 3*qsec = 0"))
  # non-syntactic names as they are or in backticks
  a <- digimaturity:::wald_hypothesis(fit, "(Intercept) + factor(gear)4 = 20", NULL)
  b <- digimaturity:::wald_hypothesis(fit, "`(Intercept)` + `factor(gear)4` = 20", NULL)
  expect_equal(a$C, b$C, ignore_attr = TRUE)
  expect_equal(unname(a$C[1, ]), c(1, 0, 0, 0, 1, 0))
  expect_equal(a$r, 20)
})

test_that("restrictions that are not linear, unknown or dependent are classed errors", {
  fit <- dm_lm(mpg ~ wt + hp + qsec, mtcars)
  expect_error(dm_wald(fit, "wt * hp = 0"), "'wt \\* hp = 0', which is not linear",
               class = "digimaturity_error_hypothesis")
  expect_error(dm_wald(fit, "log(wt) = 0"), "not linear", class = "digimaturity_error_hypothesis")
  expect_error(dm_wald(fit, "1/wt = 0"), "not linear", class = "digimaturity_error_hypothesis")
  expect_error(dm_wald(fit, "wt = cyl"), "names 'cyl', not a coefficient",
               class = "digimaturity_error_hypothesis")
  expect_error(dm_wald(fit, "wt == hp"), "not a linear restriction",
               class = "digimaturity_error_hypothesis")
  expect_error(dm_wald(fit, c("wt = hp", "2*wt = 2*hp")), "linearly dependent",
               class = "digimaturity_error_hypothesis")
  expect_error(dm_wald(fit, "2 = 2"), "without coefficients", class = "digimaturity_error_hypothesis")
  expect_error(dm_wald(fit, matrix(1, 1, 3)), "one column per coefficient",
               class = "digimaturity_error_hypothesis")
  expect_error(dm_wald(fit, rbind(c(0, 1, -1, 0)), rhs = 1:2), "`rhs` must be",
               class = "digimaturity_error_hypothesis")
  expect_error(dm_wald(fit, "wt = hp", rhs = 1), "`rhs` goes with a matrix",
               class = "digimaturity_error_input")
  d <- mtcars
  d$wt2 <- 2 * d$wt
  fa <- suppressMessages(dm_lm(mpg ~ wt + wt2 + hp, d))
  expect_error(dm_wald(fa, "wt2 = hp"), "aliased", class = "digimaturity_error_hypothesis")
})

test_that("contrasts under classical, HC and CR1 equal car::linearHypothesis with the same vcov", {
  skip_if_not_installed("car")
  skip_if_not_installed("sandwich")
  d <- make_clustered(21)
  for (weighted in c(FALSE, TRUE)) {
    m <- if (weighted) lm(y ~ x1 + x2 + f, d, weights = w) else lm(y ~ x1 + x2 + f, d)
    fit <- if (weighted) dm_lm(y ~ x1 + x2 + f, d, weights = w, vcov = "classical") else
      dm_lm(y ~ x1 + x2 + f, d, vcov = "classical")
    hyp <- c("x1 = x2", "fb + fc = 1")
    ref <- car::linearHypothesis(m, hyp)
    w <- dm_wald(fit, hyp)
    expect_equal(w$statistic, ref$F[2], tolerance = 1e-9)
    expect_equal(w$p.value, ref$`Pr(>F)`[2], tolerance = 1e-9)
    expect_equal(w$df2, ref$Res.Df[2])
    for (ty in c("HC1", "HC3")) {
      ref <- car::linearHypothesis(m, hyp, vcov. = sandwich::vcovHC(m, type = ty))
      w <- dm_wald(fit, hyp, vcov = ty)
      expect_equal(w$statistic, ref$F[2], tolerance = 1e-8, info = ty)
      expect_equal(w$p.value, ref$`Pr(>F)`[2], tolerance = 1e-8, info = ty)
    }
    # a matrix with rhs gives the same test as the words
    C <- rbind(c(0, 1, -1, 0, 0), c(0, 0, 0, 1, 1))
    expect_equal(dm_wald(fit, C, rhs = c(0, 1), vcov = "HC1")$statistic,
                 dm_wald(fit, hyp, vcov = "HC1")$statistic)
    skip_if_not_installed("clubSandwich")
    V <- as.matrix(clubSandwich::vcovCR(m, cluster = d$g, type = "CR1"))
    ref <- car::linearHypothesis(m, hyp, vcov. = V, test = "Chisq")
    w <- without_few_clusters(dm_wald(fit, hyp, vcov = "CR1", cluster = ~g))
    expect_equal(w$statistic, ref$Chisq[2] / 2, tolerance = 1e-8)
    expect_equal(w$df2, 14)
  }
})

test_that("contrasts under CR2 equal clubSandwich::Wald_test(HTZ), with weights and a rhs", {
  skip_if_not_installed("clubSandwich")
  skip_if_not_installed("car")
  for (seed in 1:2) {
    d <- make_clustered(seed + 30, G = 16, max_size = 14)
    for (weighted in c(FALSE, TRUE)) {
      m <- if (weighted) lm(y ~ x1 + x2 + f, d, weights = w) else lm(y ~ x1 + x2 + f, d)
      fit <- if (weighted) dm_lm(y ~ x1 + x2 + f, d, weights = w, cluster = ~g) else
        dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
      C <- rbind(c(0, 1, -1, 0, 0), c(0, 0, 0, 1, -1))
      ref <- clubSandwich::Wald_test(m, constraints = C, vcov = "CR2", cluster = d$g, test = "HTZ")
      w <- dm_wald(fit, c("x1 = x2", "fb = fc"))
      expect_equal(w$statistic, ref$Fstat, tolerance = 1e-8)
      expect_equal(w$df2, ref$df_denom, tolerance = 1e-8)
      expect_equal(w$p.value, ref$p_val, tolerance = 1e-8)
      expect_equal(dm_wald(fit, C)$statistic, ref$Fstat, tolerance = 1e-8)
      # one contrast: the HTZ test is the squared Satterthwaite t test
      ref1 <- clubSandwich::Wald_test(m, constraints = clubSandwich::constrain_equal(c("x1", "x2")),
                                      vcov = "CR2", cluster = d$g, test = "HTZ")
      w1 <- dm_wald(fit, "x1 = x2")
      expect_equal(w1$statistic, ref1$Fstat, tolerance = 1e-8)
      expect_equal(w1$df2, ref1$df_denom, tolerance = 1e-8)
      # a non-zero rhs shifts Q only: nu is that of C
      V <- as.matrix(clubSandwich::vcovCR(m, cluster = d$g, type = "CR2"))
      Q <- car::linearHypothesis(m, c("x1 - x2 = 0.5", "fb = fc"), vcov. = V, test = "Chisq")$Chisq[2]
      w2 <- dm_wald(fit, c("x1 - x2 = 0.5", "fb = fc"))
      expect_equal(w2$df2, ref$df_denom, tolerance = 1e-8)
      nu <- ref$df_denom + 1
      expect_equal(w2$statistic, (nu - 1) / (nu * 2) * Q, tolerance = 1e-8)
      expect_equal(dm_wald(fit, C, rhs = c(0.5, 0))$statistic, w2$statistic, tolerance = 1e-12)
    }
  }
})

test_that("the restriction is printed back in words", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, mtcars, cluster = ~carb))
  w <- without_few_clusters(dm_wald(fit, c("hp = qsec", "2*wt + hp = -1")))
  expect_identical(w$hypothesis, "hp - qsec = 0; 2*wt + hp = -1")
  expect_identical(w$terms, "wt, hp, qsec")
  expect_output(print(w), "Wald test \\(HTZ, vcov CR2\\) of the hypothesis:\n  hp - qsec = 0\n  2\\*wt \\+ hp = -1")
  expect_output(print(without_few_clusters(dm_wald(fit, c("hp", "qsec")))), "that these coefficients are zero:\n  hp, qsec")
  expect_output(print(without_few_clusters(dm_wald(fit, rbind(c(0, 1, 0, -1)), rhs = 1))), "wt - qsec = 1")
  # the old argument name still works
  expect_equal(without_few_clusters(dm_wald(fit, terms = c("hp", "qsec"))), without_few_clusters(dm_wald(fit, c("hp", "qsec"))))
})

test_that("dm_wald() rejects misspelled arguments instead of ignoring them", {
  d <- make_clustered(24)
  fit <- without_few_clusters(dm_lm(y ~ x1 + x2, d, cluster = ~g))
  # `clster` used to be ignored: the test ran with the fit's clustering
  expect_error(dm_wald(fit, "x1", clster = ~x2), "did you mean `cluster`",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_wald(fit, "x1", vcov_type = "HC1"), "did you mean `vcov`",
               class = "digimaturity_error_argument_spelling")
})
