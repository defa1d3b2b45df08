# The t-test df of dm_lm fits: the n - k and G - 1 rules, and the CR2 Satterthwaite df
# computed on first use, only for the coefficients asked for, and cached in the fit.

# Count the calls of an internal function while evaluating `expr`.
count_calls <- function(fun, expr) {
  n <- 0
  ns <- asNamespace("digimaturity")
  suppressMessages(trace(fun, tracer = function() n <<- n + 1, where = ns, print = FALSE))
  on.exit(suppressMessages(untrace(fun, where = ns)))
  force(expr)
  n
}

test_that("the fit computes no Satterthwaite df; coef_df() computes the ones asked for, once", {
  d <- make_clustered(21, G = 12, max_size = 20)
  fit <- dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
  expect_null(fit$df_coef)
  expect_identical(ls(fit$cache), character())
  expect_equal(count_calls("cr2_contrast_df", df2 <- coef_df(fit, c("x2", "fb"))), 1)
  expect_identical(names(df2), c("x2", "fb"))
  expect_identical(sort(names(fit$cache$df_coef)), c("fb", "x2"))
  # the rest, in one more pass; what is cached is not recomputed
  expect_equal(count_calls("cr2_contrast_df", all <- coef_df(fit)), 1)
  expect_identical(names(all), names(coef(fit)))
  expect_identical(all[c("x2", "fb")], df2)
  expect_equal(count_calls("cr2_contrast_df", {
    coef_df(fit)
    tidy(fit)
    without_few_clusters(summary(fit))
    confint(fit)
  }), 0)
  # copies of the fit share the cache
  fit2 <- dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
  copy <- fit2
  coef_df(copy, "x1")
  expect_identical(names(fit2$cache$df_coef), "x1")
  skip_if_not_installed("clubSandwich")
  m <- lm(y ~ x1 + x2 + f, d)
  ct <- clubSandwich::coef_test(m, vcov = "CR2", cluster = d$g, test = "Satterthwaite")
  expect_lt(rel_diff(unname(all), ct$df_Satt), 1e-6)
})

test_that("tidy(), summary() compute every df; confint(parm) only those of parm", {
  d <- make_clustered(22)
  fit <- dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
  tidy(fit)
  expect_setequal(names(fit$cache$df_coef), names(coef(fit)))
  fit <- dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
  summary(fit)
  expect_setequal(names(fit$cache$df_coef), names(coef(fit)))
  fit <- dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
  ci <- confint(fit, parm = "x1")
  expect_identical(names(fit$cache$df_coef), "x1")
  expect_equal(ci, confint(fit)["x1", , drop = FALSE])
  expect_identical(confint(fit, parm = c("x1", "x1"))[2, ], ci[1, ])
})

test_that("aliased coefficients have NA df and cost nothing", {
  d <- make_clustered(23)
  d$x3 <- d$x1 - d$x2
  fit <- suppressMessages(dm_lm(y ~ x1 + x2 + x3, d, cluster = ~g))
  expect_equal(count_calls("cr2_contrast_df", df3 <- coef_df(fit, "x3")), 0)
  expect_identical(df3, c(x3 = NA_real_))
  expect_true(is.na(coef_df(fit)[["x3"]]))
  expect_false(anyNA(coef_df(fit)[c("(Intercept)", "x1", "x2")]))
})

test_that("the n - k and G - 1 rules need no computation", {
  d <- make_clustered(24)
  expect_equal(count_calls("cr2_contrast_df", {
    a <- coef_df(dm_lm(y ~ x1, d, vcov = "HC3"))
    b <- coef_df(without_few_clusters(dm_lm(y ~ x1, d, cluster = ~g, vcov = "CR3")))
  }), 0)
  expect_equal(unname(a), rep(nrow(d) - 2, 2))
  expect_equal(unname(b), rep(14, 2))
})

test_that("predict() and augment() compute per-row df only for an interval", {
  d <- make_clustered(25)
  fit <- dm_lm(y ~ x1 + x2, d, cluster = ~g)
  expect_equal(count_calls("cr2_contrast_df", {
    p <- predict(fit)
    ps <- predict(fit, se.fit = TRUE)
    a <- augment(fit, se_fit = TRUE)
    an <- augment(fit, newdata = d[1:3, ])
  }), 0)
  expect_true(all(is.na(ps$df)))
  expect_false(anyNA(ps$se.fit))
  expect_identical(ls(fit$cache), character())
  expect_equal(count_calls("cr2_contrast_df", pc <- predict(fit, d[1:5, ], interval = "confidence",
                                                            se.fit = TRUE)), 1)
  expect_false(anyNA(pc$df))
  expect_equal(count_calls("cr2_contrast_df", augment(fit, interval = "prediction")), 1)
  # the df of a unit contrast is the coefficient's df
  expect_equal(prediction_df(fit, diag(3)[2, , drop = FALSE] |> `colnames<-`(names(coef(fit)))),
               unname(coef_df(fit, "x1")), tolerance = 1e-10)
})

test_that("dm_wald() and the overall test do not compute coefficient df", {
  d <- make_clustered(26)
  fit <- dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
  expect_equal(count_calls("cr2_contrast_df", {
    dm_wald(fit, "f")
    glance(fit)
  }), 0)
  expect_equal(count_calls("cr2_htz_nu", glance(fit)), 1)
})

test_that("dm_coef_df() gives the df of coefficients or terms, computing only those", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + factor(gear), data = mtcars, cluster = ~carb))
  expect_equal(count_calls("cr2_contrast_df", g <- dm_coef_df(fit, "factor(gear)")), 1)
  expect_identical(names(g), c("factor(gear)4", "factor(gear)5"))
  expect_identical(sort(names(fit$cache$df_coef)), names(g))
  all <- dm_coef_df(fit)
  expect_identical(all, stats::setNames(tidy(fit)$df, names(coef(fit))))
  expect_identical(dm_coef_df(fit, "wt"), all["wt"])
  expect_equal(unname(dm_coef_df(without_few_clusters(update(fit, vcov = "CR1")))), rep(5, 5))
  expect_error(dm_coef_df(fit, "nope"), "'nope'", class = "digimaturity_error_input")
  expect_error(dm_coef_df(lm(mpg ~ wt, mtcars)), "dm_lm fit", class = "digimaturity_error_input")
})
