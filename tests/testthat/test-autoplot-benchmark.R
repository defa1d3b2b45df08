# autoplot() of dm_benchmark(): the caterpillar plot.

test_that("the caterpillar plot highlights the unit and its peers", {
  skip_if_not_installed("ggplot2")
  set.seed(8)
  b <- dm_benchmark(flanders_dm, peers = ~population_class, draws = 200)
  p <- autoplot(b, unit = 9)
  expect_s3_class(p, "ggplot")
  d <- p$data
  expect_equal(nrow(d), sum(b$units$reportable))
  expect_equal(as.character(d$role[d$unit == "9"][1]), "Municipality 9")
  peers <- setdiff(b$peers[["9"]], "9")
  expect_true(all(d$role[d$unit %in% peers] == "Peers"))
  expect_true(all(d$role[!d$unit %in% b$peers[["9"]]] == "Other"))
  expect_error(autoplot(b, dimensions = "speed"), class = "digimaturity_error_input")
  expect_error(autoplot(b, unit = 9999), class = "digimaturity_error_input")
  expect_error(autoplot(b, colour = "red"), class = "digimaturity_error_argument_spelling")
  skip_if_not_installed("vdiffr")
  vdiffr::expect_doppelganger("benchmark-caterpillar-en", autoplot(b, unit = 9))
  vdiffr::expect_doppelganger("benchmark-caterpillar-nl-legacy",
                              autoplot(b, unit = 122, dimensions = "legacy", lang = "nl"))
})
