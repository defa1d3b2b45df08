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
  fitc <- dm_lm(y ~ x1 + x2 + f, d, vcov = "CR1", cluster = ~g)
  expect_equal(dm_wald(fitc, "x2")$df2, 14)
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
  fit <- dm_lm(mpg ~ wt + hp + factor(gear), mtcars, cluster = ~carb)
  w <- dm_wald(fit, c("wt", "hp", "factor(gear)"))
  expect_lt(w$df2, 0)
  expect_true(is.na(w$statistic))
  expect_true(is.na(w$p.value))
  expect_output(print(summary(fit)), "F-statistic: not defined")
})

test_that("dm_wald() is NA when C V C' has an NA or is singular, and not otherwise", {
  fit <- dm_lm(mpg ~ wt + hp + qsec, mtcars, cluster = ~carb)
  ok <- dm_wald(fit, c("hp", "qsec"))
  expect_false(is.na(ok$statistic))
  bad <- fit
  bad$vcov["hp", ] <- bad$vcov[, "hp"] <- NA
  for (f in list(bad, `[[<-`(fit, "vcov_type", "CR1"))) {
    if (identical(f$vcov_type, "CR1")) f$vcov["hp", ] <- f$vcov[, "hp"] <- NA
    w <- dm_wald(f, c("hp", "qsec"))
    expect_true(is.na(w$statistic))
    expect_true(is.na(w$p.value))
    expect_false(is.na(dm_wald(f, "qsec")$statistic))
  }
  # a zero variance, and an exactly singular C V C'
  zero <- fit
  zero$vcov["hp", ] <- zero$vcov[, "hp"] <- 0
  expect_true(is.na(dm_wald(zero, "hp")$statistic))
  sing <- fit
  sing$vcov["qsec", ] <- sing$vcov["hp", ] * 2
  sing$vcov[, "qsec"] <- sing$vcov[, "hp"] * 2
  expect_true(is.na(dm_wald(sing, c("hp", "qsec"))$p.value))
  # a constant response: no test for any variance estimator
  d <- data.frame(x = c(1, 4, 2, 8, 5, 7, 3, 6), z = c(2, 1, 1, 3, 5, 4, 2, 2), g = rep(1:4, 2), y = 3)
  for (ty in c("classical", "HC1", "CR1", "CR2")) {
    fit0 <- suppressWarnings(dm_lm(y ~ x + z, d, cluster = ~g, vcov = ty))
    w <- dm_wald(fit0, c("x", "z"))
    expect_true(is.na(w$statistic))
    expect_true(is.na(w$p.value))
  }
  # badly scaled coefficients are not singular: equal to the rescaled fit
  m2 <- transform(mtcars, hp = hp * 1e6)
  w_big <- dm_wald(dm_lm(mpg ~ wt + hp + qsec, m2, vcov = "HC1"), c("hp", "qsec"))
  w_ref <- dm_wald(dm_lm(mpg ~ wt + hp + qsec, mtcars, vcov = "HC1"), c("hp", "qsec"))
  expect_equal(w_big$statistic, w_ref$statistic, tolerance = 1e-8)
})
