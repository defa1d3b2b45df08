# print() and summary() of dm_lm fits.

cars_na <- function() {
  d <- mtcars
  d$wt[c(2, 5)] <- NA
  d
}

test_that("print() shows the call, coefficients, inference, clusters and dropped rows", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = cars_na(), cluster = ~cyl))
  expect_output(print(fit), "Call:\ndm_lm\\(formula = mpg ~ wt \\+ hp")
  expect_output(print(fit), "Coefficients:\n.*\\(Intercept\\) +wt +hp")
  expect_output(print(fit), "Standard errors: CR2 \\(default with a cluster\\); t-test df: Satterthwaite")
  expect_output(print(fit), "Clusters: 3 \\(cyl\\)")
  expect_output(print(fit), "Observations: 30; 2 rows dropped for missing values \\(missing in wt: 2\\)")
  capture.output(shown <- withVisible(print(fit)))
  expect_false(shown$visible)
  expect_identical(shown$value, fit)
  fit_hc <- dm_lm(mpg ~ wt + hp, data = mtcars)
  expect_output(print(fit_hc), "HC2 \\(default without a cluster\\); t-test df: n - k")
  expect_output(print(without_few_clusters(dm_lm(mpg ~ wt, data = mtcars, cluster = ~cyl, vcov = "CR1"))),
                "Standard errors: CR1; t-test df: G - 1")
})

test_that("print() counts rows dropped for a zero weight", {
  w <- rep(1, nrow(mtcars))
  w[c(1, 4)] <- 0
  fit <- dm_lm(mpg ~ wt + hp, data = cars_na(), weights = w)
  expect_output(print(fit), "Observations: 28; 4 rows dropped.*missing in wt: 2.*zero weight: 2")
})

test_that("summary() holds the coefficient table of summary.lm for a classical fit", {
  d <- cars_na()
  d$wt2 <- 2 * d$wt
  fit <- suppressMessages(dm_lm(mpg ~ wt + hp + wt2, data = d, vcov = "classical"))  # wt2 is aliased
  ref <- summary(lm(mpg ~ wt + hp + wt2, data = d))
  s <- summary(fit)
  expect_s3_class(s, "summary.dm_lm")
  # lm's four columns in lm's order: column 4 is the p-value, as code reading lm expects
  expect_identical(colnames(coef(s)), colnames(coef(ref)))
  expect_equal(coef(s)[c(1, 2, 3), ], ref$coefficients)
  expect_equal(coef(s)[, 4][1:3], coef(ref)[, 4])
  expect_true(all(is.na(coef(s)["wt2", ])))
  expect_equal(s$df_coef[1:3], rep(27, 3), ignore_attr = TRUE)
  expect_named(s$df_coef, rownames(coef(s)))
  expect_true(is.na(s$df_coef[["wt2"]]))
  expect_identical(s$df, ref$df)
  expect_equal(s$sigma, ref$sigma)
  expect_equal(s$r.squared, ref$r.squared)
  expect_equal(s$adj.r.squared, ref$adj.r.squared)
  # lm's named vector, the test and its p-value as attributes
  expect_equal(s$fstatistic, ref$fstatistic, ignore_attr = c("test", "p.value"))
  expect_identical(names(s$fstatistic), c("value", "numdf", "dendf"))
  expect_identical(attr(s$fstatistic, "test"), "F (classical)")
  expect_equal(attr(s$fstatistic, "p.value"),
               pf(ref$fstatistic[1], ref$fstatistic[2], ref$fstatistic[3], lower.tail = FALSE),
               ignore_attr = TRUE)
  expect_equal(s$n_dropped, 2L)
})

test_that("print(summary()) shows the table, stars legend, F test and inference choices", {
  fit <- dm_lm(mpg ~ wt + hp, data = cars_na(), vcov = "classical")
  s <- summary(fit)
  expect_output(print(s), "Estimate +Std. Error +t value +df +Pr\\(>\\|t\\|\\)")
  expect_output(print(s), "Signif. codes: \\+ p<.10, \\* p<.05, \\*\\* p<.01, \\*\\*\\* p<.001",
                fixed = FALSE)
  expect_output(print(s), "Residual standard error: [0-9.]+ on 27 degrees of freedom")
  expect_output(print(s), "Multiple R-squared: 0.8[0-9]+,\tAdjusted R-squared: 0.8")
  expect_output(print(s), "F-statistic: [0-9.]+ on 2 and 27 DF, p-value: [0-9.e-]+ \\(test: F \\(classical\\)\\)")
  expect_output(print(s), "Standard errors: classical; t-test df: n - k")
  expect_output(print(s), "2 rows dropped for missing values \\(missing in wt: 2\\)")
  expect_output(print(s), "Variables not standardised")
  expect_output(print(s), "wt .*\\*\\*\\*")

  s_cl <- without_few_clusters(summary(without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb))))
  expect_output(print(s_cl), "CR2 \\(default with a cluster\\); t-test df: Satterthwaite")
  expect_output(print(s_cl), "Clusters: 6 \\(carb\\)")
  expect_output(print(s_cl), sprintf("\\(test: %s\\)", attr(s_cl$fstatistic, "test")))
  s_z <- summary(dm_lm(mpg ~ wt + hp, data = mtcars, standardize = TRUE))
  expect_output(print(s_z), "Standardised \\(z-scored\\) variables: .*wt")
  expect_output(print(s_z), "HC2 \\(default without a cluster\\)")
  expect_output(print(dm_lm(mpg ~ wt + hp, data = mtcars, standardize = TRUE)),
                "Standardised \\(z-scored\\) variables")
  capture.output(shown <- withVisible(print(s)))
  expect_false(shown$visible)
})

test_that("the stars follow the study: + .10, * .05, ** .01, *** .001", {
  p <- c(0.5, 0.10, 0.099, 0.05, 0.049, 0.01, 0.0099, 0.001, 0.00099, NA)
  expect_identical(signif_stars(p), c("", "", "+", "+", "*", "*", "**", "**", "***", ""))
})

test_that("a model with only an intercept has no overall F test", {
  fit <- dm_lm(mpg ~ 1, data = mtcars, vcov = "classical")
  expect_true(is.na(summary(fit)$fstatistic[["value"]]))
  expect_identical(attr(summary(fit)$fstatistic, "test"), "none")
  expect_output(print(summary(fit)), "Overall F test: none")
  expect_true(is.na(glance(fit)$statistic))
})

test_that("an overall test that is not defined is reported as such", {
  # HTZ with 3 clusters for 4 coefficients: no positive denominator df
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + factor(gear), data = mtcars, cluster = ~cyl))
  s <- without_few_clusters(summary(fit))
  expect_true(is.na(s$fstatistic[["value"]]))
  expect_output(print(s), "F-statistic: not defined on 4 and .* DF \\(test: HTZ")
})

test_that("print() and summary() of degenerate fits show no confident number", {
  d <- data.frame(x = c(1, 4, 2, 8, 5, 7, 3, 6), g = rep(1:4, 2), y = 3)
  fit <- suppressWarnings(dm_lm(y ~ x, d, vcov = "classical"))
  expect_output(print(fit), "Essentially perfect fit")
  s <- summary(fit)
  expect_true(s$perfect_fit)
  out <- capture.output(print(s))
  expect_false(any(grepl("Inf|< ?2e-16|\\*\\*\\*$", out)))
  expect_match(out, "^x .* NA +[0-9.]+ +NA", all = FALSE)
  expect_match(out, "t test not defined \\(essentially perfect fit\\) for: \\(Intercept\\), x",
               all = FALSE)
  expect_match(out, "Multiple R-squared: +NA", all = FALSE)
  expect_match(out, "F-statistic: not defined on 1 and 6 DF \\(test: F \\(classical\\)", all = FALSE)
  # an NA variance for one coefficient
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb))
  fit$vcov["wt", ] <- fit$vcov[, "wt"] <- NA
  out <- capture.output(print(without_few_clusters(summary(fit))))
  expect_match(out, "t test not defined .* for: wt$", all = FALSE)
  expect_match(out, "F-statistic: not defined", all = FALSE)
  expect_false(any(grepl("Essentially perfect", out)))
})
