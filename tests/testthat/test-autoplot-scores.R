# Score distributions and one municipality's profile.
skip_if_not_installed("ggplot2")

test_that("score distributions per dimension and a unit's profile with n and rwg", {
  sc <- dm_score(flanders_dm)
  p <- autoplot(sc)
  expect_s3_class(p, "ggplot")
  expect_setequal(unique(as.character(p$data$dim)), c("Efficiency", "Innovation", "Balance", "Digital legacy"))
  agg <- dm_aggregate(flanders_dm)
  u <- agg$municipality[which(agg$n == 3)[1]]
  pu <- autoplot(agg, unit = u)
  me <- pu$layers[[3]]$data
  row <- agg[agg$municipality == u, ]
  expect_equal(me$score, c(row$efficiency, row$innovation, row$balance, row$legacy))
  expect_match(me$text[1], sprintf("n = 3, rwg = %s", sub("^0", "", formatC(row$efficiency_rwg, format = "f", digits = 2))),
               fixed = TRUE)
  expect_error(autoplot(agg, unit = "nowhere"), "`unit` must be one value of `municipality`",
               class = "digimaturity_error_input")
  expect_s3_class(autoplot(agg, lang = "nl"), "ggplot")
})

test_that("score plot snapshots", {
  skip_if_not_installed("vdiffr")
  agg <- dm_aggregate(flanders_dm)
  vdiffr::expect_doppelganger("scores", autoplot(dm_score(flanders_dm)))
  vdiffr::expect_doppelganger("aggregate-nl", autoplot(agg, lang = "nl"))
  vdiffr::expect_doppelganger("unit-profile", autoplot(agg, unit = agg$municipality[which(agg$n == 3)[1]]))
})

test_that("score plots fit a 7 x 7 in figure, a 6.5 x 9 in page and a 10 x 5.6 in slide", {
  agg <- dm_aggregate(flanders_dm)
  expect_identical(plot_fit_report(autoplot(dm_score(flanders_dm))), character())
  expect_identical(plot_fit_report(autoplot(agg, lang = "nl")), character())
  # the profile's subtitle is wrapped (it ran off a 7 in figure)
  expect_identical(plot_fit_report(autoplot(agg, unit = agg$municipality[which(agg$n == 3)[1]])), character())
})
