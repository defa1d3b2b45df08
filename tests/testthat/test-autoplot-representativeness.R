# autoplot() of dm_representativeness(): the dots of the shares, in English and Dutch.
skip_if_not_installed("ggplot2")

test_that("the plot shows population, sample and weighted shares per margin", {
  ex <- weights_frame()
  w <- dm_weights(ex$data, ex$frame, margins = c("size_class", "province"))
  set.seed(1)
  r <- dm_representativeness(ex$data, ex$frame, by = c("size_class", "province"), weights = w,
                             B = 20)
  p <- autoplot(r)
  expect_s3_class(p, "ggplot")
  expect_setequal(levels(p$data$series), c("Population", "Responding units", "Weighted"))
  expect_error(autoplot(r, colour = "red"), class = "digimaturity_error_argument_spelling")
  skip_if_not_installed("vdiffr")
  vdiffr::expect_doppelganger("representativeness-en", autoplot(r))
  vdiffr::expect_doppelganger("representativeness-nl", autoplot(r, lang = "nl"))
})
