# Accessors of dm_lm fits against lm(), sandwich and clubSandwich.

cars_na <- function() {
  d <- mtcars
  d$wt[c(2, 5)] <- NA
  d$hp[5] <- NA
  d$wt2 <- 2 * d$wt  # collinear with wt: aliased
  d
}
w_cars <- 1 + (seq_len(nrow(mtcars)) %% 3)

test_that("coef, vcov, residuals, fitted, nobs and sigma equal lm() for a classical fit", {
  d <- cars_na()
  # wt2 is aliased (dm_lm() says so in a message)
  fit <- suppressMessages(dm_lm(mpg ~ wt + hp + wt2 + factor(gear), data = d,
                                vcov = "classical"))
  ref <- lm(mpg ~ wt + hp + wt2 + factor(gear), data = d)
  expect_equal(coef(fit), coef(ref))
  expect_equal(coef(fit, complete = FALSE), coef(ref, complete = FALSE))
  expect_equal(vcov(fit, complete = FALSE), vcov(ref, complete = FALSE))
  expect_true(all(is.na(vcov(fit)["wt2", ])))
  expect_equal(dim(vcov(fit)), c(6L, 6L))
  expect_equal(residuals(fit), residuals(ref))
  expect_equal(resid(fit), residuals(ref))
  expect_equal(fitted(fit), fitted(ref))
  expect_equal(nobs(fit), nobs(ref))
  expect_equal(sigma(fit), sigma(ref))
  expect_equal(df.residual(fit), df.residual(ref))
})

test_that("weighted residuals of each type equal lm()", {
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars, weights = w_cars, vcov = "classical")
  ref <- lm(mpg ~ wt + hp, data = mtcars, weights = w_cars)
  for (type in c("working", "response", "pearson", "deviance")) {
    expect_equal(residuals(fit, type = type), residuals(ref, type = type))
  }
  expect_equal(residuals(fit), residuals(ref))
})

test_that("model.matrix, model.frame, formula and terms rebuild what lm() has", {
  d <- cars_na()
  d$gear_f <- factor(d$gear)
  f <- mpg ~ wt + log(hp) + gear_f
  fit <- dm_lm(f, data = d, vcov = "classical")
  ref <- lm(f, data = d)
  expect_equal(model.matrix(fit), model.matrix(ref))
  expect_equal(nrow(model.frame(fit)), 30L)
  expect_equal(model.frame(fit)$mpg, model.frame(ref)$mpg)
  expect_equal(formula(fit), formula(ref), ignore_attr = TRUE)
  expect_identical(attr(terms(fit), "term.labels"), attr(terms(ref), "term.labels"))
  # the contrasts in force at fit time are the ones used afterwards
  op <- options(contrasts = c("contr.sum", "contr.poly"))
  fit_sum <- dm_lm(mpg ~ wt + gear_f, data = d, vcov = "classical")
  ref_sum <- lm(mpg ~ wt + gear_f, data = d)
  options(op)
  expect_equal(model.matrix(fit_sum), model.matrix(ref_sum))
  expect_equal(colnames(model.matrix(fit_sum)), c("(Intercept)", "wt", "gear_f1", "gear_f2"))
})

test_that("hatvalues are the leverages of lm(), weighted and with dropped rows", {
  d <- cars_na()
  fit <- dm_lm(mpg ~ wt + hp + factor(gear), data = d, vcov = "classical")
  expect_equal(hatvalues(fit), hatvalues(lm(mpg ~ wt + hp + factor(gear), data = d)))
  fit_w <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, weights = w_cars, cluster = ~cyl))
  expect_equal(hatvalues(fit_w), hatvalues(lm(mpg ~ wt + hp, data = mtcars, weights = w_cars)))
  # aliased columns are left out of the leverage
  fit_a <- suppressMessages(dm_lm(mpg ~ wt + hp + wt2, data = d, vcov = "classical"))  # wt2 is aliased
  expect_equal(hatvalues(fit_a), hatvalues(lm(mpg ~ wt + hp + wt2, data = d)))
})

test_that("confint equals confint.lm for a classical fit", {
  d <- cars_na()
  fit <- suppressMessages(dm_lm(mpg ~ wt + hp + wt2, data = d, vcov = "classical"))  # wt2 is aliased
  ref <- lm(mpg ~ wt + hp + wt2, data = d)
  expect_equal(confint(fit), confint(ref))
  expect_equal(confint(fit, level = 0.9), confint(ref, level = 0.9))
  expect_equal(confint(fit, parm = "hp", level = 0.8), confint(ref, parm = "hp", level = 0.8))
  expect_equal(confint(fit, parm = 2:3), confint(ref, parm = 2:3))
})

test_that("vcov() is sandwich::vcovHC for the HC estimators", {
  skip_if_not_installed("sandwich")
  ref <- lm(mpg ~ wt + hp + factor(gear), data = mtcars)
  for (type in c("HC0", "HC1", "HC2", "HC3")) {
    fit <- dm_lm(mpg ~ wt + hp + factor(gear), data = mtcars, vcov = type)
    expect_equal(vcov(fit), sandwich::vcovHC(ref, type = type), tolerance = 1e-8,
                 info = type)
  }
  # the default without a cluster is HC2
  expect_equal(vcov(dm_lm(mpg ~ wt + hp, data = mtcars)),
               sandwich::vcovHC(lm(mpg ~ wt + hp, data = mtcars), type = "HC2"),
               tolerance = 1e-8)
})

test_that("confint of a CR2 fit uses Satterthwaite df as clubSandwich", {
  skip_if_not_installed("clubSandwich")
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb))
  ref <- lm(mpg ~ wt + hp, data = mtcars)
  cs <- clubSandwich::conf_int(ref, vcov = "CR2", cluster = mtcars$carb, level = 0.9,
                               test = "Satterthwaite")
  ci <- confint(fit, level = 0.9)
  expect_equal(unname(ci[, 1]), cs$CI_L, tolerance = 1e-6)
  expect_equal(unname(ci[, 2]), cs$CI_U, tolerance = 1e-6)
})

test_that("confint of a CR1 fit uses G - 1 df", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb, vcov = "CR1"))
  G <- length(unique(mtcars$carb))
  se <- sqrt(diag(vcov(fit)))
  q <- qt(0.975, G - 1)
  expect_equal(unname(confint(fit)[, 2]), unname(coef(fit) + q * se))
  expect_equal(unname(confint(fit)[, 1]), unname(coef(fit) - q * se))
})

test_that("update() re-evaluates the call with new arguments or a new formula", {
  skip_if_not_installed("sandwich")
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars)
  fit_hc1 <- update(fit, vcov = "HC1")
  expect_identical(fit_hc1$vcov_type, "HC1")
  expect_equal(vcov(fit_hc1), sandwich::vcovHC(lm(mpg ~ wt + hp, data = mtcars), type = "HC1"),
               tolerance = 1e-8)
  fit_wt <- update(fit, . ~ . - hp)
  expect_named(coef(fit_wt), c("(Intercept)", "wt"))
  expect_equal(coef(fit_wt), coef(lm(mpg ~ wt, data = mtcars)))
  # variables of the calling function are found
  local({
    dd <- mtcars[mtcars$am == 1, ]
    f1 <- dm_lm(mpg ~ wt, data = dd)
    expect_equal(nobs(update(f1, . ~ . + hp)), nrow(dd))
  })
  expect_true(is.call(update(fit, vcov = "HC3", evaluate = FALSE)))
})

test_that("bad arguments of the accessors are classed errors naming the argument", {
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars)
  expect_error(confint(fit, level = 1.2), "`level` must be a single number in \\(0, 1\\); you passed 1.2",
               class = "digimaturity_error_input")
  expect_error(confint(fit, level = 0), "`level`", class = "digimaturity_error_input")
  expect_error(confint(fit, level = "0.95"), "`level`", class = "digimaturity_error_input")
  expect_error(confint(fit, parm = "cyl"), "`parm`.*'cyl'", class = "digimaturity_error_input")
  expect_error(confint(fit, parm = 7), "`parm`.*7", class = "digimaturity_error_input")
  expect_error(confint(fit, parm = TRUE), "`parm`", class = "digimaturity_error_input")
  expect_error(residuals(fit, type = "partial"), "`type`.*'partial'",
               class = "digimaturity_error_input")
  expect_error(coef(fit, complete = NA), "`complete`", class = "digimaturity_error_input")
  expect_error(vcov(fit, complete = "yes"), "`complete`", class = "digimaturity_error_input")
  no_call <- fit
  no_call$call <- NULL
  expect_error(update(no_call, vcov = "HC1"), "`object` has no stored call",
               class = "digimaturity_error_input")
})

# A fit whose robust variance is not defined for one coefficient (NA on the diagonal of
# vcov, as for a row of leverage one under HC2/HC3/CR2/CR3), simulated on a good fit.
na_variance_fit <- function(vcov = "CR2") {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb, vcov = vcov))
  fit$vcov["wt", ] <- fit$vcov[, "wt"] <- NA
  fit
}

test_that("an s.e. of 0 gives NA statistic, p-value and limits in coef(summary()) and confint()", {
  d <- data.frame(x = c(1, 4, 2, 8, 5, 7), y = 3)
  fit <- suppressWarnings(dm_lm(y ~ x, d, vcov = "classical"))
  expect_warning(ref <- summary(lm(y ~ x, d)), "essentially perfect fit")
  cs <- coef(summary(fit))
  expect_equal(unname(cs[, "Std. Error"]), c(0, 0))
  expect_true(all(is.na(cs[, c("t value", "Pr(>|t|)")])))
  expect_true(all(is.na(confint(fit))))
  expect_true(all(is.na(confint(fit, parm = "x", level = 0.5))))
  expect_true(is.na(summary(fit)$r.squared))
})

test_that("an NA variance gives NA s.e., statistic, p-value and limits for that coefficient only", {
  for (ty in c("HC3", "CR2", "CR1")) {
    fit <- if (ty == "HC3") {
      f <- dm_lm(mpg ~ wt + hp, data = mtcars, vcov = ty)
      f$vcov["wt", ] <- f$vcov[, "wt"] <- NA
      f
    } else na_variance_fit(ty)
    cs <- coef(without_few_clusters(summary(fit)))
    expect_true(all(is.na(cs["wt", c("Std. Error", "t value", "Pr(>|t|)")])))
    expect_false(anyNA(cs[c("(Intercept)", "hp"), ]))
    ci <- confint(fit)
    expect_true(all(is.na(ci["wt", ])))
    expect_false(anyNA(ci[c("(Intercept)", "hp"), ]))
  }
  # only the diagonal entry missing
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb))
  fit$vcov["wt", "wt"] <- NA
  expect_true(all(is.na(confint(fit)["wt", ])))
  # a negative variance (a robust variance that lost its accuracy) is not defined either
  fit$vcov["wt", "wt"] <- -1e-3
  expect_no_warning(cs <- coef(without_few_clusters(summary(fit))))
  expect_true(all(is.na(cs["wt", c("Std. Error", "t value", "Pr(>|t|)")])))
})

test_that("no argument is silently ignored: misspellings are errors that name the argument meant", {
  d <- make_clustered(21)
  fit <- without_few_clusters(dm_lm(y ~ x1 + x2, d, cluster = ~g))
  # confint() takes `level` (its generic's name): conf.level and conf_level used to
  # give 95% intervals without a word
  expect_error(confint(fit, conf.level = 0.5), "did you mean `level`",
               class = "digimaturity_error_argument_spelling")
  expect_error(confint(fit, conf_level = 0.5), "did you mean `level`",
               class = "digimaturity_error_argument_spelling")
  expect_error(vcov(fit, vcov = "HC1"), "did you mean `type`",
               class = "digimaturity_error_argument_spelling")
  expect_error(vcov(fit, clster = ~g), "did you mean `cluster`",
               class = "digimaturity_error_argument_spelling")
  # methods without a variance refuse `vcov` and `cluster` rather than ignore them
  expect_error(coef(fit, vcov = "HC1"), "coef\\(\\) has no argument `vcov`",
               class = "digimaturity_error_argument_spelling")
  expect_error(nobs(fit, cluster = ~g), "nobs\\(\\) has no argument `cluster`",
               class = "digimaturity_error_argument_spelling")
  expect_error(residuals(fit, tpye = "pearson"), "did you mean `type`",
               class = "digimaturity_error_argument_spelling")
  expect_error(sigma(fit, 2), "unnamed argument", class = "digimaturity_error_argument_spelling")
  expect_error(summary(fit, vocv = "HC1"), "did you mean `vcov`",
               class = "digimaturity_error_argument_spelling")
  expect_error(summary(fit, clusters = ~g), "cluster = ~municipality",
               class = "digimaturity_error_argument_spelling")
  expect_error(logLik(fit, reml = FALSE), "did you mean `REML`",
               class = "digimaturity_error_argument_spelling")
  # the right spellings work
  expect_equal(confint(fit, level = 0.5)[, 1], tidy(fit, conf.level = 0.5)$conf.low, ignore_attr = TRUE)
})
