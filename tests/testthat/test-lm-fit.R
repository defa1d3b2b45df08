# The matrix fitter dm_lm_fit(), the engine and the pure constructor (R/lm-fit.R).

test_that("dm_lm_fit() gives dm_lm()'s numbers from the design matrix", {
  d <- make_clustered(11)
  X <- model.matrix(y ~ x1 + x2 + f, d)
  for (wt in list(NULL, d$w)) {
    a <- without_few_clusters(dm_lm_fit(X, d$y, weights = wt, cluster = d$g))
    b <- without_few_clusters(dm_lm(y ~ x1 + x2 + f, d, weights = wt, cluster = ~g))
    expect_s3_class(a, "dm_lm")
    expect_equal(coef(a), coef(b), tolerance = 1e-13)
    expect_equal(vcov(a), vcov(b), tolerance = 1e-12)
    expect_identical(a$vcov_type, "CR2")
    expect_equal(tidy(a)$df, tidy(b)$df, tolerance = 1e-10)        # CR2 Satterthwaite df
    expect_equal(a$r.squared, b$r.squared, tolerance = 1e-13)
    expect_equal(glance(a)$statistic, glance(b)$statistic, tolerance = 1e-10)  # HTZ
    expect_equal(vcov(a, type = "HC1"), vcov(b, type = "HC1"), tolerance = 1e-12)
    expect_equal(dm_wald(a, "x1 = x2")$statistic, dm_wald(b, "x1 = x2")$statistic, tolerance = 1e-10)
  }
  # without an intercept column: uncentred R-squared, as lm
  m <- lm(y ~ 0 + x1 + x2, d)
  a <- dm_lm_fit(cbind(x1 = d$x1, x2 = d$x2), d$y, vcov = "classical")
  expect_equal(a$r.squared, summary(m)$r.squared, tolerance = 1e-12)
  expect_equal(unname(vcov(a)), unname(vcov(m)), tolerance = 1e-12)
  # predictions for the rows of x and for a new matrix
  expect_equal(unname(predict(a)), unname(fitted(m)), tolerance = 1e-12)
  new <- cbind(x1 = c(0, 1), x2 = c(2, 3))
  expect_equal(unname(predict(a, new)), unname(predict(m, as.data.frame(new))), tolerance = 1e-12)
})

test_that("dm_lm_fit() checks its arguments, with did-you-mean for misspelled ones", {
  d <- make_clustered(2)
  X <- model.matrix(y ~ x1, d)
  expect_error(dm_lm_fit(d, d$y), "`x` must be a numeric matrix", class = "digimaturity_error_input")
  expect_error(dm_lm_fit(X, d$y[-1]), "one value per row of `x`", class = "digimaturity_error_input")
  y <- d$y
  y[3] <- NA
  expect_error(dm_lm_fit(X, y), "row 3", class = "digimaturity_error_input")
  g <- d$g
  g[5] <- NA
  expect_error(dm_lm_fit(X, d$y, cluster = g), "row 5", class = "digimaturity_error_cluster")
  expect_error(dm_lm_fit(X, d$y, vcov = "CR2"), "needs `cluster`", class = "digimaturity_error_cluster")
  expect_error(dm_lm_fit(X, d$y, wieghts = d$w), "did you mean `weights`",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_lm_fit(X, d$y, clusters = d$g), "cluster = ~municipality",
               class = "digimaturity_error_argument_spelling")
})

test_that("the constructor is pure and the front end warns once; refits do not repeat it", {
  d <- make_clustered(4)
  d$x3 <- d$x1 + d$x2   # aliased
  d$yp <- 1 + 2 * d$x1  # an essentially perfect fit
  inputs <- list(w = NULL, clus = NULL, keep = rep(TRUE, nrow(d)), n_data = nrow(d))
  md <- digimaturity:::lm_model_data(yp ~ x1 + x2 + x3, d, inputs, FALSE, environment())
  raw <- digimaturity:::lm_engine(md$X, md$y, md$w, NULL, "HC2")
  expect_silent(fit <- digimaturity:::new_dm_lm(raw, md, vcov = "HC2", call = NULL, formula = yp ~ x1 + x2 + x3))
  expect_true(fit$perfect_fit)
  expect_true(fit$aliased[["x3"]])
  # dm_lm() says both, once each
  conds <- list()
  fit <- withCallingHandlers(dm_lm(yp ~ x1 + x2 + x3, d),
                             condition = function(c) {
                               conds[[length(conds) + 1L]] <<- c
                               if (inherits(c, "warning")) invokeRestart("muffleWarning")
                               if (inherits(c, "message")) invokeRestart("muffleMessage")
                             })
  expect_length(Filter(function(c) inherits(c, "digimaturity_warning_perfect_fit"), conds), 1L)
  expect_length(Filter(function(c) inherits(c, "message") && grepl("aliased", conditionMessage(c)), conds), 1L)
  # another variance is not a new fit: no second perfect-fit warning or aliased message
  expect_silent(vcov(fit, type = "HC0"))
  expect_silent(tidy(fit, vcov = "HC3"))
})

test_that("dm_lm_fit() names the row of a non-finite value and the column of a bad magnitude", {
  X <- cbind("(Intercept)" = 1, a = as.numeric(1:20), b = sin(1:20))
  y <- cos(1:20)
  Xna <- X
  Xna[7, "b"] <- NaN
  expect_error(dm_lm_fit(Xna, y), "in row 7;",
               class = "digimaturity_error_input")
  Xinf <- X
  Xinf[c(3, 11), "a"] <- c(Inf, -Inf)
  expect_error(dm_lm_fit(Xinf, y), "in rows 3, 11;",
               class = "digimaturity_error_input")
  Xsmall <- X
  Xsmall[, "b"] <- Xsmall[, "b"] * 1e-200
  expect_error(dm_lm_fit(Xsmall, y), "`b` has values of magnitude .* \\(e.g. row 11\\)",
               class = "digimaturity_error_input")
  Xbig <- X
  Xbig[5, "a"] <- 1e200
  expect_error(dm_lm_fit(Xbig, y), "`a` has values of magnitude 1e\\+200 \\(e.g. row 5\\)",
               class = "digimaturity_error_input")
})

test_that("dm_lm_fit() does not copy a double design (n = 1e6 designs cost a copy each)", {
  skip_if_not(capabilities("profmem"), "R without memory profiling (tracemem)")
  set.seed(2)
  X <- cbind("(Intercept)" = 1, a = rnorm(200), b = rnorm(200))
  y <- drop(X %*% c(1, 2, 3)) + rnorm(200)
  tracemem(X)
  on.exit(untracemem(X))
  copies <- utils::capture.output(fit <- dm_lm_fit(X, y, vcov = "HC1"))
  untracemem(X)
  expect_identical(grep("^tracemem\\[", copies, value = TRUE), character(0))
  expect_equal(unname(coef(fit)), unname(coef(stats::lm.fit(X, y))), tolerance = 1e-12)
})
