# tidy(), glance() and augment() of dm_lm fits against lm(), clubSandwich and
# modelsummary.

w_cars <- 1 + (seq_len(nrow(mtcars)) %% 3)

test_that("tidy() of a classical fit is the coefficient table of summary.lm", {
  d <- mtcars
  d$wt2 <- 2 * d$wt
  fit <- suppressMessages(dm_lm(mpg ~ wt + hp + wt2, data = d, vcov = "classical"))  # wt2 is aliased
  ref <- lm(mpg ~ wt + hp + wt2, data = d)
  td <- tidy(fit)
  expect_s3_class(td, "data.frame")
  expect_named(td, c("term", "estimate", "std.error", "statistic", "df", "p.value",
                     "conf.low", "conf.high"))
  expect_identical(td$term, c("(Intercept)", "wt", "hp", "wt2"))
  ct <- summary(ref)$coefficients
  ok <- td$term != "wt2"
  expect_equal(td$estimate[ok], unname(ct[, 1]))
  expect_equal(td$std.error[ok], unname(ct[, 2]))
  expect_equal(td$statistic[ok], unname(ct[, 3]))
  expect_equal(td$p.value[ok], unname(ct[, 4]))
  expect_equal(td$df[ok], rep(df.residual(ref), 3))
  expect_equal(unname(as.matrix(td[ok, c("conf.low", "conf.high")])), unname(confint(ref)[ok, ]))
  # the aliased term is kept, all NA
  expect_true(all(is.na(td[!ok, -1])))
  td90 <- tidy(fit, conf.level = 0.9)
  expect_equal(unname(as.matrix(td90[ok, c("conf.low", "conf.high")])),
               unname(confint(ref, level = 0.9)[ok, ]))
  expect_named(tidy(fit, conf.int = FALSE),
               c("term", "estimate", "std.error", "statistic", "df", "p.value"))
})

test_that("tidy() of a CR2 fit has the Satterthwaite df and p-values of clubSandwich", {
  skip_if_not_installed("clubSandwich")
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, weights = w_cars, cluster = ~carb))
  ref <- lm(mpg ~ wt + hp, data = mtcars, weights = w_cars)
  cs <- clubSandwich::coef_test(ref, vcov = "CR2", cluster = mtcars$carb,
                                test = "Satterthwaite")
  td <- tidy(fit)
  expect_equal(td$std.error, cs$SE, tolerance = 1e-6)
  expect_equal(td$df, cs$df_Satt, tolerance = 1e-6)
  expect_equal(td$p.value, cs$p_Satt, tolerance = 1e-6)
  expect_equal(td$statistic, cs$tstat, tolerance = 1e-6)
})

test_that("glance() of a classical fit has the F test of summary.lm", {
  fit <- dm_lm(mpg ~ wt + hp + factor(gear), data = mtcars, vcov = "classical")
  ref <- summary(lm(mpg ~ wt + hp + factor(gear), data = mtcars))
  gl <- glance(fit)
  expect_equal(nrow(gl), 1L)
  expect_named(gl, c("r.squared", "adj.r.squared", "sigma", "statistic", "p.value", "df",
                     "df.residual", "nobs", "vcov", "n_clusters", "statistic_type",
                     "df_denominator"))
  expect_equal(gl$r.squared, ref$r.squared)
  expect_equal(gl$adj.r.squared, ref$adj.r.squared)
  expect_equal(gl$sigma, ref$sigma)
  expect_equal(gl$statistic, unname(ref$fstatistic["value"]))
  expect_equal(gl$df, unname(ref$fstatistic["numdf"]))
  expect_equal(gl$df_denominator, unname(ref$fstatistic["dendf"]))
  expect_equal(gl$p.value, pf(ref$fstatistic[1], ref$fstatistic[2], ref$fstatistic[3],
                              lower.tail = FALSE), ignore_attr = TRUE)
  expect_identical(gl$statistic_type, "F (classical)")
  expect_identical(gl$vcov, "classical")
  expect_identical(gl$nobs, 32L)
  expect_identical(gl$n_clusters, NA_integer_)
})

test_that("glance() of a robust fit reports dm_wald() of all slopes", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + factor(gear), data = mtcars, cluster = ~carb))
  slopes <- c("wt", "hp", "factor(gear)4", "factor(gear)5")
  w <- without_few_clusters(dm_wald(fit, slopes))
  gl <- glance(fit)
  expect_equal(gl$statistic, w$statistic[1])
  expect_equal(gl$p.value, w$p.value[1])
  expect_equal(gl$df, w$df1[1])
  expect_equal(gl$df_denominator, w$df2[1])
  expect_identical(gl$statistic_type, as.character(w$test[1]))
  expect_identical(gl$vcov, "CR2")
  expect_identical(gl$n_clusters, length(unique(mtcars$carb)))
})

test_that("the robust Wald F of an HC fit is b' V^-1 b / q with sandwich's V", {
  skip_if_not_installed("sandwich")
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars, vcov = "HC1")
  ref <- lm(mpg ~ wt + hp, data = mtcars)
  gl <- glance(fit)
  skip_if(gl$statistic_type != "Wald F", "dm_wald() uses another test for HC fits")
  b <- coef(ref)[-1]
  V <- sandwich::vcovHC(ref, type = "HC1")[-1, -1]
  expect_equal(gl$statistic, drop(t(b) %*% solve(V, b)) / 2, tolerance = 1e-8)
  expect_equal(gl$df, 2)
})

test_that("augment() adds the columns of broom's augment.lm", {
  d <- mtcars
  d$hp[3] <- NA
  fit <- dm_lm(mpg ~ wt + hp, data = d, weights = w_cars, vcov = "classical")
  ref <- lm(mpg ~ wt + hp, data = d, weights = w_cars)
  au <- augment(fit)
  expect_equal(nrow(au), 31L)
  expect_true(all(c("mpg", "wt", "hp", ".fitted", ".resid", ".hat", ".std.resid") %in% names(au)))
  expect_equal(au$.fitted, unname(fitted(ref)))
  expect_equal(au$.resid, unname(residuals(ref)))
  expect_equal(au$.hat, unname(hatvalues(ref)))
  expect_equal(au$.std.resid, unname(rstandard(ref)))
  # the original data, with the dropped row left out by its row name
  au_d <- augment(fit, data = d)
  expect_equal(rownames(au_d), rownames(d)[-3])
  expect_equal(au_d$.fitted, au$.fitted)
  expect_true("cyl" %in% names(au_d))
  au_ci <- augment(fit, se_fit = TRUE, interval = "confidence", conf.level = 0.9)
  p <- predict(ref, se.fit = TRUE, interval = "confidence", level = 0.9)
  expect_equal(au_ci$.se.fit, unname(p$se.fit))
  expect_equal(au_ci$.lower, unname(p$fit[, "lwr"]))
  expect_equal(au_ci$.upper, unname(p$fit[, "upr"]))
})

test_that("augment() agrees with broom::augment() of the same lm fit", {
  skip_if_not_installed("broom")
  fit <- dm_lm(mpg ~ wt + factor(gear), data = mtcars, vcov = "classical")
  ref <- broom::augment(lm(mpg ~ wt + factor(gear), data = mtcars))
  au <- augment(fit)
  for (col in c(".fitted", ".resid", ".hat", ".std.resid")) {
    expect_equal(au[[col]], ref[[col]], info = col)
  }
})

test_that("augment() with newdata adds predictions, and residuals when it has the response", {
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars, vcov = "classical")
  nd <- data.frame(wt = c(2.5, 3), hp = c(100, 200), mpg = c(25, 15))
  au <- augment(fit, newdata = nd)
  expect_equal(au$.fitted, unname(predict(fit, nd)))
  expect_equal(au$.resid, nd$mpg - au$.fitted)
  expect_false(".hat" %in% names(au))
  au2 <- augment(fit, newdata = nd[, c("wt", "hp")], interval = "prediction")
  expect_false(".resid" %in% names(au2))
  expect_equal(au2$.upper, unname(predict(fit, nd, interval = "prediction")[, "upr"]))
})

test_that("modelsummary() tabulates dm_lm fits through tidy() and glance()", {
  skip_if_not_installed("modelsummary")
  skip_if_not_installed("broom")
  fits <- list(without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)),
               dm_lm(mpg ~ wt, data = mtcars, vcov = "classical"))
  tab <- modelsummary::modelsummary(fits, output = "data.frame")
  expect_true(all(c("(Intercept)", "wt", "hp", "Num.Obs.", "R2") %in% tab$term))
  est <- tab[tab$term == "wt" & tab$statistic == "estimate", ]
  expect_equal(as.numeric(est[["(1)"]]), round(coef(fits[[1]])[["wt"]], 3))
  expect_equal(tab[tab$term == "Std.Errors", "(1)"], "CR2")  # vcov.type, from glance_custom()
})

test_that("bad arguments of the tidiers are classed errors", {
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars)
  expect_error(tidy(fit, conf.level = 1), "`conf.level` must be a single number in \\(0, 1\\)",
               class = "digimaturity_error_input")
  expect_error(tidy(fit, conf.level = -0.5), "you passed -0.5", class = "digimaturity_error_input")
  expect_error(tidy(fit, conf.int = "yes"), "`conf.int`", class = "digimaturity_error_input")
  expect_error(augment(fit, conf.level = 2, interval = "confidence"), "`conf.level`",
               class = "digimaturity_error_input")
  expect_error(augment(fit, newdata = data.frame(wt = 1)), "`newdata` lacks the column 'hp'",
               class = "digimaturity_error_missing_column")
  expect_error(augment(fit, data = mtcars[1:5, ]), "`data` must have the 32 rows",
               class = "digimaturity_error_input")
  expect_error(augment(fit, se_fit = NA), "`se_fit`", class = "digimaturity_error_input")
})

test_that("tidy() and glance() of a constant response: NA tests, limits and R2, with the warning", {
  d <- data.frame(x = c(1, 4, 2, 8, 5, 7, 3, 6), g = rep(1:4, 2), y = 3)
  for (ty in c("classical", "HC2", "CR2")) {
    expect_warning(fit <- without_few_clusters(dm_lm(y ~ x, d, cluster = if (ty == "CR2") ~g, vcov = ty)),
                   class = "digimaturity_warning_perfect_fit")
    td <- tidy(fit)
    expect_equal(td$std.error, c(0, 0))
    expect_true(all(is.na(td[c("statistic", "p.value", "conf.low", "conf.high")])))
    gl <- glance(fit)
    expect_true(is.na(gl$r.squared))
    expect_false(is.nan(gl$r.squared))
    expect_true(is.na(gl$adj.r.squared))
    expect_true(is.na(gl$statistic))
    expect_true(is.na(gl$p.value))
  }
})

test_that("tidy() and glance() of a fit with an NA variance", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb))
  fit$vcov["wt", ] <- fit$vcov[, "wt"] <- NA
  td <- tidy(fit)
  expect_true(all(is.na(td[td$term == "wt", c("std.error", "statistic", "p.value", "conf.low",
                                              "conf.high")])))
  expect_false(anyNA(td[td$term != "wt", ]))
  gl <- glance(fit)
  expect_true(is.na(gl$statistic))
  expect_true(is.na(gl$p.value))
  expect_false(is.na(gl$r.squared))
})

test_that("modelsummary tables of dm_lm fits have readable goodness-of-fit rows", {
  skip_if_not_installed("modelsummary")
  skip_if_not_installed("broom")
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = mtcars, cluster = ~carb))
  fit_hc <- dm_lm(mpg ~ wt + hp + qsec, data = mtcars, vcov = "HC1")
  tab <- modelsummary::modelsummary(list(a = fit, b = fit_hc), output = "data.frame")
  gof <- tab[tab$part == "gof", ]
  expect_identical(gof$term, c("Num.Obs.", "Num.Clust.", "R2", "R2 Adj.", "Std.Errors"))
  expect_identical(gof$a, c("32", "6", "0.835", "0.817", "CR2"))
  expect_identical(gof$b[gof$term == "Std.Errors"], "HC1")
  # nothing printed with many decimals
  expect_false(any(grepl("[0-9]\\.[0-9]{5,}", unlist(tab[, c("a", "b")]))))
  # glance() itself keeps the exact numbers
  expect_true(all(c("statistic_type", "df_denominator") %in% names(glance(fit))))
})

test_that("modelsummary renders fits and a dm_mlm in markdown, html, latex and docx", {
  skip_if_not_installed("modelsummary")
  skip_if_not_installed("tinytable")
  d <- make_clustered(11)
  fits <- list(CR2 = dm_lm(y ~ x1 + x2, d, cluster = ~g),
               HC1 = dm_lm(y ~ x1 + x2, d, vcov = "HC1"))
  op <- options(modelsummary_format_numeric_latex = "plain")  # no siunitx preamble notice
  on.exit(options(op))
  for (fmt in c("markdown", "html", "latex")) {
    out <- paste(as.character(modelsummary::modelsummary(fits, output = fmt)), collapse = "\n")
    expect_match(out, "x1")
    expect_match(out, "CR2")
    # no goodness-of-fit row with a long run of decimals (e.g. a df of 64.6546489867099)
    expect_false(grepl("[0-9]\\.[0-9]{7,}", out))
  }
  ml <- dm_lm(cbind(y, x2) ~ x1, d, cluster = ~g)
  out <- paste(as.character(modelsummary::modelsummary(ml$fits, output = "markdown")), collapse = "\n")
  expect_match(out, "x1")
  skip_if_not_installed("pandoc")
  skip_if(!nzchar(Sys.which("pandoc")), "no pandoc binary")
  f <- tempfile(fileext = ".docx")
  modelsummary::modelsummary(fits, output = f)
  expect_true("word/document.xml" %in% utils::unzip(f, list = TRUE)$Name)
  ex <- tempfile()
  utils::unzip(f, files = "word/document.xml", exdir = ex)
  xml <- readLines(file.path(ex, "word", "document.xml"), warn = FALSE)
  expect_match(paste(xml, collapse = ""), "x1")
})

test_that("tidy() refuses conf_level; glance() and augment() honour vcov and cluster", {
  d <- make_clustered(22)
  fit <- without_few_clusters(dm_lm(y ~ x1 + x2 + f, d, cluster = ~g))
  expect_error(tidy(fit, conf_level = 0.5), "did you mean `conf.level`",
               class = "digimaturity_error_argument_spelling")
  expect_error(tidy(fit, level = 0.5), "did you mean `conf.level`",
               class = "digimaturity_error_argument_spelling")
  expect_error(augment(fit, level = 0.5), "did you mean `conf.level`",
               class = "digimaturity_error_argument_spelling")
  expect_error(glance(fit, conf.level = 0.5), "glance\\(\\) has no argument `conf.level`",
               class = "digimaturity_error_argument_spelling")
  # glance() with another variance: its overall test is dm_wald()'s with that variance
  g <- glance(fit, vcov = "HC1")
  w <- dm_wald(fit, c("x1", "x2", "f"), vcov = "HC1")
  expect_identical(g$vcov, "HC1")
  expect_equal(g$statistic, w$statistic, tolerance = 1e-12)
  expect_equal(g$df_denominator, w$df2)
  g2 <- without_few_clusters(glance(fit, vcov = "CR1", cluster = ~f))
  expect_identical(g2$n_clusters, 3L)
  # augment(): standard errors and intervals of the predictions with that variance
  hc1 <- update(fit, vcov = "HC1")
  a <- augment(fit, se_fit = TRUE, interval = "confidence", vcov = "HC1")
  b <- augment(hc1, se_fit = TRUE, interval = "confidence")
  expect_equal(a$.se.fit, b$.se.fit, tolerance = 1e-12)
  expect_equal(a$.lower, b$.lower, tolerance = 1e-12)
  expect_false(isTRUE(all.equal(a$.se.fit, augment(fit, se_fit = TRUE)$.se.fit)))
})
