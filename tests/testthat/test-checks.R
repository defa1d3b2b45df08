# The strict dots of every exported function: did-you-mean through the package's
# vocabulary table, else the closest spelling.

test_that("did_you_mean() maps other packages' spellings onto the vocabulary", {
  dym <- digimaturity:::did_you_mean
  expect_identical(dym("conf.level", c("data", "conf_level")), "conf_level")
  expect_identical(dym("level", c("data", "conf_level")), "conf_level")
  expect_identical(dym("language", c("x", "lang")), "lang")
  expect_identical(dym("labels", c("object", "lang", "dimensions")), "lang")
  # an argument the function has is never mapped away
  expect_identical(dym("labels", c("models", "lang", "labels")), "labels")
  # typos: at most two edits (one for short names)
  expect_identical(dym("treshold", c("data", "threshold")), "threshold")
  expect_identical(dym("nn", c("x", "n", "cut")), "n")
  expect_identical(dym("colour", c("x", "n", "cut")), "")
  expect_identical(dym("anything", character()), "")
})

test_that("check_dots_spelling() names the function, every bad argument and a suggestion", {
  f <- function(data, conf_level = 0.95, ...) {
    check_dots_spelling(..., .strict = TRUE)
    "ok"
  }
  environment(f) <- asNamespace("digimaturity")
  expect_identical(f(1), "ok")
  e <- tryCatch(f(1, conf.level = 0.9, colour = "red"), error = identity)
  expect_s3_class(e, "digimaturity_error_argument_spelling")
  expect_match(conditionMessage(e), "^f\\(\\) has no arguments `conf.level` \\(did you mean `conf_level`\\?\\), `colour`\\.")
  expect_match(conditionMessage(e), "Its arguments: `data`, `conf_level`\\.")
  expect_identical(e$arguments, c("conf.level", "colour"))
  expect_identical(e$suggestions, c("conf_level", ""))
  # the values are not evaluated
  expect_error(f(1, conf.level = stop("evaluated")), "did you mean", class = "digimaturity_error_argument_spelling")
  # estimatr / fixest spellings keep their own message, strict or not
  g <- function(...) check_dots_spelling(..., .fun = "tidy()")
  environment(g) <- asNamespace("digimaturity")
  expect_error(g(clusters = 1), "estimatr/fixest/sandwich", class = "digimaturity_error_argument_spelling")
  expect_null(g(other = 1))
})

test_that("through do.call() the error does not print the function's body as its name", {
  e <- tryCatch(do.call(dm_agree, list(flanders_dm, conf.level = 0.9)), error = identity)
  expect_s3_class(e, "digimaturity_error_argument_spelling")
  expect_match(conditionMessage(e), "^this function has no argument `conf.level` \\(did you mean `conf_level`\\?\\)")
  e <- tryCatch(digimaturity::dm_agree(flanders_dm, conf.level = 0.9), error = identity)
  expect_match(conditionMessage(e), "^digimaturity::dm_agree\\(\\) has no argument")
})

test_that("the remaining exported functions reject unknown arguments with a did-you-mean (#19)", {
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars, vcov = "HC1")
  cl <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb))
  spelled <- function(expr, pattern) {
    expect_error(expr, pattern, class = "digimaturity_error_argument_spelling")
  }
  spelled(dm_cluster_summary(cl, rhoo = 0), "`rhoo` \\(did you mean `rho`\\?\\)")
  spelled(dm_coef_df(cl, trems = "wt"), "did you mean `terms`")
  spelled(dm_importance(fit, conf.level = 0.9), "did you mean `conf_level`")
  spelled(dm_threads(threads = 1), "`threads`")
  spelled(dm_vcov_types("CR2"), "unnamed argument")
  s <- suppressMessages(dm_read(flanders_dm, verbose = FALSE))
  spelled(dm_read_report(s, full = TRUE), "`full`")
  mm <- dm_lm(cbind(mpg, qsec) ~ wt + hp, data = mtcars)
  spelled(coef(mm, vcov = "HC1"), "`vcov`")
  # glance() of several outcomes passes vcov on to each fit (it ignored it)
  g1 <- glance(mm, vcov = "classical")
  expect_identical(unique(g1$vcov), "classical")
})

test_that("print() and summary() methods refuse an argument they do not take", {
  fit <- dm_lm(mpg ~ wt + hp, mtcars)
  mm <- dm_lm(cbind(mpg, qsec) ~ wt, mtcars)
  objs <- list(fit = fit, mlm = mm, instrument = dm_instrument(dmm_items),
               wald = dm_wald(fit, "wt = 0"),
               read = dm_read_report(dm_read(head(flanders_dm, 20), verbose = FALSE)))
  for (nm in names(objs)) {
    expect_error(print(objs[[nm]], digts = 3), "`digts`", class = "digimaturity_error_argument_spelling",
                 label = nm)
  }
  expect_error(summary(dm_read(head(flanders_dm, 20), verbose = FALSE), n = 3), "`n`",
               class = "digimaturity_error_argument_spelling")
  # the arguments they take still work
  expect_output(print(fit, digits = 3))
  skip_if_not_installed("clubSandwich")
  cs <- without_few_clusters(dm_cluster_summary(dm_lm(mpg ~ wt, mtcars, cluster = ~carb)))
  expect_error(print(cs, nn = 3), "`nn`", class = "digimaturity_error_argument_spelling")
  expect_output(print(cs, n = 3))
})
