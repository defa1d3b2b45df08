# LMG shares per block with their cluster-bootstrap intervals.
skip_if_not_installed("ggplot2")

imp_fixture <- function(B = 100) {
  fit <- suppressWarnings(dm_lm(mpg ~ wt + hp + qsec + factor(gear), data = mtcars, cluster = ~carb))
  set.seed(1)
  suppressWarnings(dm_importance(fit, blocks = list(size = c("wt", "hp"), speed = "qsec"), B = B))
}

test_that("autoplot(dm_importance) draws the LMG shares with their bootstrap intervals", {
  imp <- imp_fixture()
  p <- autoplot(imp, labels = c(size = "Size (weight, power)"))
  expect_s3_class(p, "ggplot")
  d <- p$data
  expect_equal(d$lmg, imp$lmg)
  expect_equal(d$conf.low, imp$conf.low)
  expect_identical(levels(d$shown), c("Size (weight, power)", "speed")[order(imp$lmg)])
  expect_identical(class(p$layers[[3]]$geom)[1], "GeomErrorbarh")
  share <- round(100 * imp$lmg / (attr(imp, "r2") - attr(imp, "r2_always")))
  expect_true(any(grepl(sprintf("(%d%% of R\u00b2)", share[1]), d$text, fixed = TRUE)))
  cap <- gsub("\n", " ", p$labels$caption)
  expect_match(cap, "always in the model: factor\\(gear\\)4, factor\\(gear\\)5")
  expect_match(cap, "100 cluster-bootstrap draws")
  # no bootstrap: no interval, said in the caption; the study's blocks by their headings
  p0 <- autoplot(imp_fixture(0), lang = "nl")
  expect_length(p0$layers, 3L)
  expect_match(p0$labels$caption, "Geen intervallen \\(B = 0\\)")
  expect_error(autoplot(imp, share = TRUE), class = "digimaturity_error_argument_spelling")
  expect_error(autoplot(imp, base_size = -1), class = "digimaturity_error_input")
})

test_that("autoplot(dm_importance) fits the three pages and has snapshots", {
  rep <- dm_replicate()
  set.seed(2)
  imp <- suppressWarnings(dm_importance(dm_lm(rep$models$balance$formula, data = rep$models$balance$model),
                                        blocks = digimaturity:::study_block_terms()[1:3], B = 50))
  p <- autoplot(imp)
  expect_true(all(c("Administrative capacity", "Institutional pressures") %in% levels(p$data$shown)))
  expect_identical(plot_fit_report(p), character())
  expect_identical(plot_fit_report(autoplot(imp, lang = "nl")), character())
  skip_if_not_installed("vdiffr")
  vdiffr::expect_doppelganger("importance-blocks", p)
  vdiffr::expect_doppelganger("importance-mtcars-nl", autoplot(imp_fixture(), lang = "nl"))
})
