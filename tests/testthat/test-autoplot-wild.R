# The wild bootstrap's confidence sets beside the CR2 t intervals.
skip_if_not_installed("ggplot2")

wild_fixture <- function() {
  fit <- suppressWarnings(dm_lm(mpg ~ wt + hp + qsec, data = mtcars, cluster = ~carb))
  list(fit = fit, w = suppressWarnings(dm_wild(fit)))
}

test_that("autoplot(dm_wild) draws each confidence set beside the fit's CR2 interval", {
  fx <- wild_fixture()
  p <- suppressWarnings(autoplot(fx$w, fit = fx$fit, blocks = NULL))
  expect_s3_class(p, "ggplot")
  cr2 <- tidy(fx$fit, vcov = "CR2")
  seg <- p$data  # the bounded pieces
  tt <- seg[seg$method == "t interval, CR2", ]
  expect_equal(tt$low, cr2$conf.low[match(tt$term, cr2$term)])
  expect_equal(tt$high, cr2$conf.high[match(tt$term, cr2$term)])
  # every piece of a disjoint set is drawn
  bs <- seg[seg$method == "Wild bootstrap", ]
  hp <- fx$w$conf.set[[which(fx$w$term == "hp")]]
  expect_equal(unname(as.matrix(bs[bs$term == "hp", c("low", "high")])), unname(hp))
  expect_false("(Intercept)" %in% seg$term)
  expect_match(p$labels$caption, "Wild cluster bootstrap, G = 6 \\(WCR, Rademacher weights, all 64 sign vectors\\)")
  expect_match(p$labels$caption, "CR2 \\(Bell-McCaffrey\\) standard errors, G = 6")
  # unbounded sets as arrows (3 clusters: every set is the whole line)
  f3 <- suppressWarnings(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl))
  w3 <- suppressWarnings(dm_wild(f3))
  p3 <- suppressWarnings(autoplot(w3, fit = f3, blocks = NULL, lang = "nl"))
  arr <- p3$layers[[3]]$data
  expect_identical(nrow(arr), 4L)
  expect_false(is.null(p3$layers[[3]]$geom_params$arrow))
  expect_match(p3$labels$caption, "alle 8 tekenvectoren")
  # without the fit: the bootstrap only
  expect_identical(levels(autoplot(fx$w, blocks = NULL)$data$method), "Wild bootstrap")
})

test_that("autoplot(dm_wild) refuses a joint test, another fit and unknown arguments", {
  fx <- wild_fixture()
  j <- suppressWarnings(dm_wild(fx$fit, c("wt", "hp"), joint = TRUE))
  expect_error(autoplot(j), "joint test", class = "digimaturity_error_input")
  other <- suppressWarnings(dm_lm(mpg ~ wt + hp + disp, data = mtcars, cluster = ~carb))
  expect_error(suppressWarnings(autoplot(fx$w, fit = other)), "not the fit that `object` bootstrapped",
               class = "digimaturity_error_input")
  expect_error(suppressWarnings(autoplot(fx$w, fit = fx$fit, conf.level = 0.9)), "did you mean `conf_level`|conf.level",
               class = "digimaturity_error_argument_spelling")
  expect_error(suppressWarnings(autoplot(fx$w, fit = fx$fit, vcov = "HC9")), class = "digimaturity_error")
  expect_error(autoplot(fx$w, lang = "fr"), class = "digimaturity_error_input")
})

test_that("autoplot(dm_wild) fits the three pages and has snapshots", {
  fx <- wild_fixture()
  p <- suppressWarnings(autoplot(fx$w, fit = fx$fit, blocks = NULL))
  expect_identical(plot_fit_report(p), character())
  f3 <- suppressWarnings(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl))
  p3 <- suppressWarnings(autoplot(suppressWarnings(dm_wild(f3)), fit = f3, blocks = NULL, lang = "nl"))
  expect_identical(plot_fit_report(p3), character())
  skip_if_not_installed("vdiffr")
  vdiffr::expect_doppelganger("wild-cr2", p)
  vdiffr::expect_doppelganger("wild-unbounded-nl", p3)
})
