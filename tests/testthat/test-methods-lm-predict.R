# predict() of dm_lm fits against predict.lm() and sandwich.

new_cars <- data.frame(wt = c(2.5, 3.5, 4.2), hp = c(100, 150, 220),
                       gear = c(3, 4, 5), row.names = c("a", "b", "c"))
w_cars <- 1 + (seq_len(nrow(mtcars)) %% 3)

test_that("predictions, se and intervals equal predict.lm for a classical fit", {
  f <- mpg ~ wt + hp + factor(gear)
  fit <- dm_lm(f, data = mtcars, vcov = "classical")
  ref <- lm(f, data = mtcars)
  expect_equal(predict(fit), fitted(ref))
  expect_equal(predict(fit, new_cars), predict(ref, new_cars))
  p <- predict(fit, new_cars, se.fit = TRUE)
  r <- predict(ref, new_cars, se.fit = TRUE)
  expect_equal(p$fit, r$fit)
  expect_equal(p$se.fit, r$se.fit)
  expect_equal(p$df, r$df)
  expect_equal(p$residual.scale, r$residual.scale)
  expect_equal(predict(fit, new_cars, interval = "confidence", level = 0.9),
               predict(ref, new_cars, interval = "confidence", level = 0.9))
  expect_equal(predict(fit, new_cars, interval = "prediction"),
               predict(ref, new_cars, interval = "prediction"))
  expect_equal(predict(fit, interval = "confidence"), predict(ref, interval = "confidence"))
  # one level of the factor in newdata is enough
  expect_equal(predict(fit, new_cars[2, ]), predict(ref, new_cars[2, ]))
})

test_that("prediction intervals of weighted fits divide sigma^2 by the weights, as lm", {
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars, weights = w_cars, vcov = "classical")
  ref <- lm(mpg ~ wt + hp, data = mtcars, weights = w_cars)
  expect_equal(predict(fit, interval = "prediction"),
               suppressWarnings(predict(ref, interval = "prediction")))
  expect_equal(predict(fit, new_cars, interval = "prediction", weights = c(1, 2, 3)),
               predict(ref, new_cars, interval = "prediction", weights = c(1, 2, 3)))
  expect_equal(predict(fit, new_cars, interval = "prediction"),
               suppressWarnings(predict(ref, new_cars, interval = "prediction")))
})

test_that("standard errors of predictions come from the robust vcov of the fit", {
  skip_if_not_installed("sandwich")
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars, vcov = "HC3")
  ref <- lm(mpg ~ wt + hp, data = mtcars)
  X <- model.matrix(~ wt + hp, new_cars)
  V <- sandwich::vcovHC(ref, type = "HC3")
  se <- sqrt(diag(X %*% V %*% t(X)))
  p <- predict(fit, new_cars, se.fit = TRUE, interval = "confidence")
  expect_equal(unname(p$se.fit), unname(se), tolerance = 1e-8)
  expect_equal(unname(p$fit[, "upr"]),
               unname(predict(ref, new_cars) + qt(0.975, 29) * se), tolerance = 1e-8)
})

test_that("CR1 intervals use G - 1 df; CR2 the Satterthwaite df of each prediction", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl, vcov = "CR1"))
  p <- predict(fit, new_cars, se.fit = TRUE, interval = "prediction", level = 0.8)
  expect_equal(p$df, 2)
  half <- qt(0.9, 2) * sqrt(p$se.fit^2 + sigma(fit)^2)
  expect_equal(p$fit[, "upr"], p$fit[, "fit"] + half)

  skip_if_not_installed("clubSandwich")
  for (w in list(NULL, mtcars$qsec)) {
    fit2 <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb, weights = w))
    ref <- if (is.null(w)) lm(mpg ~ wt + hp, mtcars) else lm(mpg ~ wt + hp, mtcars, weights = w)
    p2 <- predict(fit2, new_cars, se.fit = TRUE, interval = "confidence")
    X <- cbind(1, new_cars$wt, new_cars$hp)
    if (is.null(w)) {
      lc <- clubSandwich::linear_contrast(ref, vcov = "CR2", cluster = mtcars$carb,
                                          contrasts = X, test = "Satterthwaite")
      expect_equal(unname(p2$df), lc$df, tolerance = 1e-6)
      expect_equal(unname(p2$fit[, "lwr"]), lc$CI_L, tolerance = 1e-6)
    }
    # linear_contrast() fails on weighted lm fits in clubSandwich 0.5.8; the HTZ test of
    # one constraint has the Satterthwaite df as its denominator df
    htz <- vapply(seq_len(nrow(X)), function(i) {
      clubSandwich::Wald_test(ref, constraints = X[i, , drop = FALSE], vcov = "CR2",
                              cluster = mtcars$carb, test = "HTZ")$df_denom
    }, numeric(1))
    expect_equal(unname(p2$df), htz, tolerance = 1e-6)
    # the df of a unit contrast is the coefficient's df
    expect_equal(digimaturity:::prediction_df(fit2, diag(3)[2, , drop = FALSE] |>
                   `colnames<-`(names(coef(fit2)))), unname(coef_df(fit2)[2]), tolerance = 1e-10)
  }
})

test_that("rows of newdata with missing values predict NA", {
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars)
  nd <- new_cars
  nd$hp[2] <- NA
  p <- predict(fit, nd)
  expect_true(is.na(p[["b"]]))
  expect_equal(p[c("a", "c")], predict(fit, new_cars)[c("a", "c")])
})

test_that("standardised fits transform newdata and say the scale of the predictions", {
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars, standardize = TRUE)
  z <- function(v, x) (v - mean(x)) / sd(x)
  zc <- data.frame(mpg = z(mtcars$mpg, mtcars$mpg), wt = z(mtcars$wt, mtcars$wt),
                   hp = z(mtcars$hp, mtcars$hp))
  ref <- lm(mpg ~ wt + hp, data = zc)
  zn <- data.frame(wt = z(new_cars$wt, mtcars$wt), hp = z(new_cars$hp, mtcars$hp))
  expect_message(p <- predict(fit, new_cars), "standardised \\(z-score\\) scale of `mpg`",
                 class = "digimaturity_message_standardized")
  expect_equal(unname(p), unname(predict(ref, zn)))
  expect_equal(unname(suppressMessages(predict(fit))), unname(fitted(ref)))
})

test_that("standardised fits z-score transformed variables of the model frame", {
  fit <- dm_lm(mpg ~ log(hp) + wt, data = mtcars, standardize = TRUE)
  z <- function(v, x) (v - mean(x)) / sd(x)
  zc <- data.frame(mpg = z(mtcars$mpg, mtcars$mpg), lhp = z(log(mtcars$hp), log(mtcars$hp)),
                   wt = z(mtcars$wt, mtcars$wt))
  ref <- lm(mpg ~ lhp + wt, data = zc)
  zn <- data.frame(lhp = z(log(new_cars$hp), log(mtcars$hp)), wt = z(new_cars$wt, mtcars$wt))
  p <- suppressMessages(predict(fit, new_cars, se.fit = TRUE))
  expect_equal(unname(p$fit), unname(predict(ref, zn)))
  # the response in newdata is z-scored too, for augment()'s residuals
  au <- suppressMessages(augment(fit, newdata = transform(new_cars, mpg = c(25, 20, 15))))
  expect_equal(au$.resid, z(c(25, 20, 15), mtcars$mpg) - au$.fitted)
})

test_that("bad newdata, level, interval and weights are classed errors", {
  fit <- dm_lm(mpg ~ wt + hp + factor(gear), data = mtcars)
  expect_error(predict(fit, new_cars[, c("wt", "gear")]), "`newdata` lacks the column 'hp'",
               class = "digimaturity_error_missing_column")
  expect_error(predict(fit, as.list(new_cars)), "`newdata` must be a data frame",
               class = "digimaturity_error_input")
  expect_error(predict(fit, transform(new_cars, gear = c(3, 4, 6))), "`newdata`.*new level",
               class = "digimaturity_error_newdata")
  expect_error(predict(fit, transform(new_cars, hp = c("a", "b", "c"))), "`newdata`.*hp",
               class = "digimaturity_error_newdata")
  expect_error(predict(fit, new_cars, interval = "confidence", level = 95),
               "`level` must be a single number in \\(0, 1\\); you passed 95",
               class = "digimaturity_error_input")
  expect_error(predict(fit, new_cars, interval = "both"), "`interval`.*'both'",
               class = "digimaturity_error_input")
  expect_error(predict(fit, new_cars, interval = "prediction", weights = c(1, -1, 1)),
               "`weights` must be positive", class = "digimaturity_error_input")
  expect_error(predict(fit, new_cars, interval = "prediction", weights = 1:2),
               "`weights`.*length 2", class = "digimaturity_error_input")
  expect_error(predict(fit, new_cars, se.fit = "yes"), "`se.fit`",
               class = "digimaturity_error_input")
})

test_that("prediction intervals are NA where the s.e. is 0 or not defined", {
  d <- data.frame(x = c(1, 4, 2, 8, 5, 7, 3, 6), g = rep(1:4, 2), y = 3)
  fit <- suppressWarnings(dm_lm(y ~ x, d, cluster = ~g, vcov = "CR2"))
  p <- predict(fit, data.frame(x = 1:2), interval = "confidence", se.fit = TRUE)
  expect_equal(unname(p$fit[, "fit"]), c(3, 3))
  expect_equal(unname(p$se.fit), c(0, 0))
  expect_true(all(is.na(p$fit[, c("lwr", "upr")])))
  # sigma is 0 too: no prediction interval either
  expect_true(all(is.na(predict(fit, data.frame(x = 1:2), interval = "prediction")[, -1])))
  # an NA variance: NA only for the rows that involve that coefficient
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb))
  fit$vcov["wt", ] <- fit$vcov[, "wt"] <- NA
  nd <- data.frame(wt = c(0, 3), hp = c(100, 120))
  for (iv in c("confidence", "prediction")) {
    p <- predict(fit, nd, interval = iv, se.fit = TRUE)
    expect_false(anyNA(p$fit[1, ]))
    expect_false(is.na(p$se.fit[1]))
    expect_true(all(is.na(p$fit[2, c("lwr", "upr")])))
    expect_true(is.na(p$se.fit[2]))
  }
  au <- augment(fit, interval = "confidence")
  expect_true(all(is.na(au$.lower)))
  # together with rows of newdata that have missing values
  p <- predict(fit, data.frame(wt = c(0, NA, 3), hp = c(100, 110, NA)), se.fit = TRUE)
  expect_equal(is.na(p$se.fit), c(FALSE, TRUE, TRUE), ignore_attr = TRUE)
})

test_that("predict() honours vcov and cluster, and refuses conf.level", {
  d <- make_clustered(23)
  fit <- without_few_clusters(dm_lm(y ~ x1 + x2, d, cluster = ~g))
  new <- data.frame(x1 = c(-1, 0, 2), x2 = c(0.5, 1, 3))
  p <- predict(fit, new, se.fit = TRUE, interval = "confidence", vcov = "HC1")
  # s.e. sqrt(x' V x) with the HC1 variance (sandwich's vcovHC type HC1 on lm)
  X <- cbind(1, new$x1, new$x2)
  V <- vcov(fit, type = "HC1")
  expect_equal(unname(p$se.fit), sqrt(rowSums((X %*% V) * X)), tolerance = 1e-12)
  expect_equal(p$df, fit$df.residual)
  expect_equal(unname(p$fit[, "lwr"]),
               unname(p$fit[, "fit"] - qt(0.975, fit$df.residual) * p$se.fit), tolerance = 1e-12)
  p2 <- without_few_clusters(predict(fit, new, se.fit = TRUE, vcov = "CR1", cluster = ~f))
  expect_equal(unname(p2$se.fit),
               sqrt(rowSums((X %*% vcov(fit, type = "CR1", cluster = ~f)) * X)), tolerance = 1e-12)
  expect_error(predict(fit, new, interval = "confidence", conf.level = 0.5), "did you mean `level`",
               class = "digimaturity_error_argument_spelling")
  expect_error(predict(fit, new_data = new), "did you mean `newdata`",
               class = "digimaturity_error_argument_spelling")
})
