# Capability x legacy with the four types.
skip_if_not_installed("ggplot2")

test_that("the typology plot shows the four types, their counts and the cuts", {
  ty <- dm_typology(dm_aggregate(flanders_dm))
  expect_s3_class(ty, "dm_typology")
  p <- autoplot(ty)
  expect_s3_class(p, "ggplot")
  quad <- p$layers[[4]]$data
  counts <- table(ty$type)
  expect_equal(quad$label, sprintf("%s (n = %d)", c("A: mature", "B: held back by legacy", "C: untapped foundation",
                                                     "D: starting out"), as.integer(counts)))
  expect_equal(p$layers[[1]]$data$xintercept %||% p$layers[[1]]$aes_params$xintercept, unname(attr(ty, "cut")[1]))
  pn <- autoplot(dm_typology(dm_score(flanders_dm), cut = 3), labels = "nl")
  expect_match(pn$layers[[4]]$data$label[1], "^A: matuur")
})

test_that("typology plot snapshots", {
  skip_if_not_installed("vdiffr")
  vdiffr::expect_doppelganger("typology", autoplot(dm_typology(dm_aggregate(flanders_dm))))
  vdiffr::expect_doppelganger("typology-nl", autoplot(dm_typology(dm_score(flanders_dm), cut = 3), labels = "nl"))
})
