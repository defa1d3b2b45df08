# Coefficient plots of dm_lm fits, lists of fits, dm_mlm and vcov comparisons.
skip_if_not_installed("ggplot2")

test_that("coefficient plots use each fit's own intervals and df, grouped by block", {
  rep <- dm_replicate()
  p <- autoplot(rep$models$efficiency)
  expect_s3_class(p, "ggplot")
  tab <- tidy(rep$models$efficiency)
  d <- p$data
  expect_equal(d$conf.low, tab$conf.low[match(d$term, tab$term)])
  expect_false("(Intercept)" %in% d$term)
  expect_identical(levels(d$block), c("Institutional pressures", "Administrative capacity",
                                      "Political capacity", "Control"))
  # the variance estimator and the df rule are in the caption, not the title or legend
  expect_null(p$labels$title)
  expect_match(p$labels$caption, "^classical \\(iid errors\\) standard errors; t intervals on n - k df \\(284\\)")
  p3 <- autoplot(rep$models, lang = "nl")
  expect_identical(levels(p3$data$model), c("efficiency", "innovation", "balance"))
  expect_match(p3$labels$caption, "balance: standaardfouten classical; t-intervallen met n - k vrijheidsgraden \\(273\\)")
  expect_true("Digitale strategie" %in% levels(p3$data$label))
  # compare: one model under several vcov types, CR2 with Satterthwaite df
  pc <- autoplot(rep$models$balance, compare = c("classical", "CR2"), cluster = ~municipality)
  cr2 <- tidy(rep$models$balance, vcov = "CR2", cluster = ~municipality)
  dc <- pc$data[grepl("^CR2", pc$data$model), ]
  expect_equal(dc$conf.high, cr2$conf.high[match(dc$term, cr2$term)])
  expect_identical(levels(pc$data$model), c("classical", "CR2"))
  expect_match(gsub("\n", " ", pc$labels$caption), "CR2 \\(Bell-McCaffrey\\) standard errors, G = 183; t intervals on Satterthwaite df \\([0-9.]+-[0-9.]+\\)")
  # dm_mlm and plain fits
  m <- dm_lm(cbind(mpg, qsec) ~ wt + hp, data = mtcars)
  pm <- autoplot(m, blocks = NULL, intercept = TRUE)
  expect_setequal(unique(pm$data$term), c("(Intercept)", "wt", "hp"))
  expect_error(autoplot(rep$models$balance, compare = "HC9"), "`compare` must be some of",
               class = "digimaturity_error_input")
  expect_error(autoplot(list(1, 2)), "must be a dm_lm fit", class = "digimaturity_error_input")
})

test_that("coefficient plot snapshots", {
  skip_if_not_installed("vdiffr")
  rep <- dm_replicate()
  vdiffr::expect_doppelganger("coef-one", autoplot(rep$models$efficiency))
  vdiffr::expect_doppelganger("coef-three-nl", autoplot(rep$models, lang = "nl"))
  vdiffr::expect_doppelganger("coef-compare", autoplot(rep$models$balance, compare = c("classical", "HC2", "CR2"),
                                                       cluster = ~municipality))
  vdiffr::expect_doppelganger("coef-mlm", autoplot(dm_lm(cbind(mpg, qsec) ~ wt + hp, data = mtcars), blocks = NULL))
})

test_that("coefficient plots take `lang` and term `labels`, and refuse other arguments", {
  fit <- dm_lm(mpg ~ wt + hp, mtcars)
  p <- autoplot(fit, labels = c(wt = "Weight"), blocks = NULL)
  expect_true("Weight" %in% levels(p$data$label))
  expect_error(autoplot(fit, conf.level = 0.9), "did you mean `conf_level`",
               class = "digimaturity_error_argument_spelling")
  expect_error(autoplot(list(a = fit, b = fit), language = "nl"), "did you mean `lang`",
               class = "digimaturity_error_argument_spelling")
})

test_that("coefficient plots fit a 7 x 7 in figure, a 6.5 x 9 in page and a 10 x 5.6 in slide, block titles on one line", {
  rep <- dm_replicate()
  p3 <- autoplot(rep$models, lang = "nl")
  expect_identical(plot_fit_report(p3), character())
  pc <- autoplot(rep$models$balance, compare = c("classical", "HC2", "CR2"), cluster = ~municipality)
  for (pg in plot_pages) {
    pr <- plot_fit_problems(pc, pg[1], pg[2])
    expect_identical(paste(pr$problem, pr$label), character())
    expect_true("Institutional pressures" %in% attr(pr, "boxes")$label)  # one line, not wrapped
  }
})
