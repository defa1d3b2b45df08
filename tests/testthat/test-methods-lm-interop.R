# The lm ecosystem on a dm_lm fit: the same numbers as on the matching lm fit.

interop_data <- function() {
  d <- make_clustered(41, G = 14)
  d$x1[c(4, 10)] <- NA
  d
}
interop_fits <- function(weighted, vcov = "classical") {
  d <- interop_data()
  if (weighted) {
    list(d = d, m = lm(y ~ x1 + x2 + f, d, weights = w),
         fit = dm_lm(y ~ x1 + x2 + f, d, weights = w, vcov = vcov))
  } else {
    list(d = d, m = lm(y ~ x1 + x2 + f, d), fit = dm_lm(y ~ x1 + x2 + f, d, vcov = vcov))
  }
}

test_that("model.frame() has (weights), weights(), df.residual(), logLik(), AIC(), BIC(), deviance() as lm", {
  for (weighted in c(FALSE, TRUE)) {
    a <- interop_fits(weighted)
    expect_equal(model.frame(a$fit), model.frame(a$m), ignore_attr = TRUE)
    expect_identical(names(model.frame(a$fit)), names(model.frame(a$m)))
    expect_equal(weights(a$fit), weights(a$m))
    expect_equal(df.residual(a$fit), df.residual(a$m))
    expect_equal(logLik(a$fit), logLik(a$m))
    expect_equal(AIC(a$fit), AIC(a$m))
    expect_equal(BIC(a$fit), BIC(a$m))
    expect_equal(deviance(a$fit), deviance(a$m))
    expect_equal(nobs(logLik(a$fit)), nobs(logLik(a$m)))
  }
  expect_error(logLik(a$fit, REML = TRUE), "`REML` must be FALSE", class = "digimaturity_error_input")
})

test_that("sandwich's vcovHC and vcovCL give lm's numbers (estfun and bread)", {
  skip_if_not_installed("sandwich")
  for (weighted in c(FALSE, TRUE)) {
    a <- interop_fits(weighted)
    expect_equal(sandwich::estfun(a$fit), sandwich::estfun(a$m), ignore_attr = TRUE)
    expect_equal(sandwich::bread(a$fit), sandwich::bread(a$m), tolerance = 1e-10)
    for (ty in c("HC0", "HC1", "HC2", "HC3")) {
      expect_equal(sandwich::vcovHC(a$fit, type = ty), sandwich::vcovHC(a$m, type = ty),
                   tolerance = 1e-10, info = ty)
      # and the package's own HC variance
      expect_equal(vcov(a$fit, type = ty), sandwich::vcovHC(a$m, type = ty), tolerance = 1e-10,
                   info = ty)
    }
    used <- complete.cases(a$d[c("y", "x1", "x2", "f")])
    for (ty in c("HC0", "HC1")) {
      ref <- sandwich::vcovCL(a$m, cluster = ~g, type = ty)
      expect_equal(sandwich::vcovCL(a$fit, cluster = a$d$g[used], type = ty), ref, tolerance = 1e-10)
      expect_equal(sandwich::vcovCL(a$fit, cluster = ~g, type = ty), ref, tolerance = 1e-10)
    }
  }
})

test_that("lmtest::coeftest and car::linearHypothesis give lm's numbers", {
  skip_if_not_installed("sandwich")
  skip_if_not_installed("lmtest")
  for (weighted in c(FALSE, TRUE)) {
    a <- interop_fits(weighted)
    expect_equal(unclass(lmtest::coeftest(a$fit)), unclass(lmtest::coeftest(a$m)), ignore_attr = TRUE)
    expect_equal(unclass(lmtest::coeftest(a$fit, vcov = sandwich::vcovHC, type = "HC3")),
                 unclass(lmtest::coeftest(a$m, vcov = sandwich::vcovHC, type = "HC3")),
                 ignore_attr = TRUE)
    expect_equal(unclass(lmtest::coeftest(a$fit, vcov = vcov(a$fit, type = "HC1"))),
                 unclass(lmtest::coeftest(a$m, vcov = sandwich::vcovHC(a$m, type = "HC1"))),
                 ignore_attr = TRUE)
    skip_if_not_installed("car")
    for (h in list("x1 = x2", c("x1 + x2 = 1", "fb = fc"))) {
      r1 <- car::linearHypothesis(a$fit, h, test = "F")
      r2 <- car::linearHypothesis(a$m, h)
      expect_equal(r1$F[2], r2$F[2], tolerance = 1e-10)
      expect_equal(r1$`Pr(>F)`[2], r2$`Pr(>F)`[2], tolerance = 1e-10)
      r1 <- car::linearHypothesis(a$fit, h, vcov. = sandwich::vcovHC(a$fit, type = "HC1"), test = "F")
      r2 <- car::linearHypothesis(a$m, h, vcov. = sandwich::vcovHC(a$m, type = "HC1"))
      expect_equal(r1$F[2], r2$F[2], tolerance = 1e-10)
      # and dm_wald gives car's numbers with the same variance
      expect_equal(dm_wald(a$fit, h, vcov = "HC1")$statistic, r2$F[2], tolerance = 1e-10)
    }
  }
})

test_that("emmeans gives lm's numbers, and CR2 Satterthwaite df for a CR2 fit", {
  skip_if_not_installed("emmeans")
  for (weighted in c(FALSE, TRUE)) {
    a <- interop_fits(weighted)
    e1 <- as.data.frame(summary(emmeans::emmeans(a$fit, "f")))
    e2 <- as.data.frame(summary(emmeans::emmeans(a$m, "f")))
    expect_equal(e1, e2, tolerance = 1e-10, ignore_attr = TRUE)
    p1 <- as.data.frame(summary(emmeans::contrast(emmeans::emmeans(a$fit, "f"), "pairwise")))
    p2 <- as.data.frame(summary(emmeans::contrast(emmeans::emmeans(a$m, "f"), "pairwise")))
    expect_equal(p1, p2, tolerance = 1e-10, ignore_attr = TRUE)
  }
  skip_if_not_installed("clubSandwich")
  d <- interop_data()
  fit <- dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
  m <- lm(y ~ x1 + x2 + f, d)
  used <- complete.cases(d[c("y", "x1", "x2", "f")])
  e <- as.data.frame(summary(emmeans::emmeans(fit, "f")))
  X <- emmeans::emmeans(fit, "f")@linfct
  ref <- clubSandwich::linear_contrast(m, vcov = "CR2", cluster = d$g[used],
                                       contrasts = X, test = "Satterthwaite")
  expect_equal(e$emmean, ref$Est, tolerance = 1e-10)
  expect_equal(e$SE, ref$SE, tolerance = 1e-8)
  expect_equal(e$df, ref$df, tolerance = 1e-8)
})

test_that("parameters::model_parameters() gives lm's numbers for a classical fit, the fit's own otherwise", {
  skip_if_not_installed("parameters")
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars, vcov = "classical")
  m <- lm(mpg ~ wt + hp, data = mtcars)
  p1 <- as.data.frame(parameters::model_parameters(fit))
  p2 <- as.data.frame(parameters::model_parameters(m))
  for (col in c("Coefficient", "SE", "CI_low", "CI_high", "t", "df_error", "p")) {
    expect_equal(p1[[col]], p2[[col]], tolerance = 1e-10, info = col)
  }
  expect_identical(p1$Parameter, p2$Parameter)
  cr <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl))
  p3 <- as.data.frame(parameters::model_parameters(cr, ci = 0.9))
  td <- generics::tidy(cr, conf.level = 0.9)
  expect_equal(p3$SE, td$std.error)
  expect_equal(p3$df_error, td$df)
  expect_equal(p3$CI_low, td$conf.low)
})
