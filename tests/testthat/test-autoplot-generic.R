test_that("autoplot() is found through ggplot2's generic too, and says when ggplot2 is missing", {
  skip_if_not_installed("ggplot2")
  a <- dm_agree(flanders_dm)
  expect_s3_class(ggplot2::autoplot(a), "ggplot")
  expect_s3_class(autoplot(a), "ggplot")
  expect_error(autoplot(structure(1, class = "nothing_known")), class = "error")
})
