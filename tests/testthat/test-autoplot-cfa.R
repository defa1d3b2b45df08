skip_if_not_installed("lavaan", "0.6.14")
skip_if_not_installed("ggplot2")

hs_items <- data.frame(item = paste0("x", 1:9), dimension = rep(c("visual", "textual", "speed"), each = 3),
                       keyed = c(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, -1L), scale_min = 0L, scale_max = 10L)

test_that("autoplot() of a dm_cfa shows the loadings with intervals by dimension", {
  HS <- lavaan::HolzingerSwineford1939
  HS$x9 <- 10 - HS$x9
  fit <- dm_cfa(HS, hs_items, estimator = "ML")
  p <- autoplot(fit)
  expect_s3_class(p, "ggplot")
  b <- ggplot2::ggplot_build(p)
  pts <- b$data[[3]]
  expect_equal(sort(pts$x), sort(tidy(fit)$estimate[tidy(fit)$type == "loading"]), tolerance = 1e-12)
  expect_match(levels(p$data$panel)[1], sprintf("^visual \\(omega = %.2f\\)$", fit$reliability$omega[1]))
  expect_true("x9 (reverse-keyed)" %in% as.character(p$data$label))
  expect_error(autoplot(fit, lang = "fr"), class = "digimaturity_error_input")
  expect_error(autoplot(fit, langauge = "nl"), class = "digimaturity_error_argument_spelling")
  p90 <- autoplot(fit, conf_level = 0.9)
  expect_lt(max(p90$data$conf.high - p90$data$conf.low), max(p$data$conf.high - p$data$conf.low))
  skip_if_not_installed("vdiffr")
  vdiffr::expect_doppelganger("cfa-loadings", p)
  g <- dm_cfa(HS, hs_items, estimator = "ML", group = ~school)
  vdiffr::expect_doppelganger("cfa-loadings-groups-nl", autoplot(g, lang = "nl"))
})
