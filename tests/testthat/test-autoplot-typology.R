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
  pn <- autoplot(dm_typology(dm_score(flanders_dm), cut = 3), lang = "nl")
  expect_match(pn$layers[[4]]$data$label[1], "^A: matuur")
})

test_that("typology plot snapshots", {
  skip_if_not_installed("vdiffr")
  vdiffr::expect_doppelganger("typology", autoplot(dm_typology(dm_aggregate(flanders_dm))))
  vdiffr::expect_doppelganger("typology-nl", autoplot(dm_typology(dm_score(flanders_dm), cut = 3), lang = "nl"))
})

test_that("the row of respondents without a municipality is left out of the plot and its counts (#18, item 10)", {
  d <- flanders_dm
  d$municipality[d$municipality %in% unique(d$municipality)[1:5]] <- NA
  ty <- dm_typology(dm_aggregate(d))
  expect_identical(sum(is.na(ty$municipality)), 1L)
  p <- autoplot(ty)
  expect_identical(nrow(p$data), nrow(ty) - 1L)
  counts <- as.integer(sub(".*n = (\\d+)\\)$", "\\1", p$layers[[4]]$data$label))
  expect_identical(sum(counts), nrow(ty) - 1L)
  expect_identical(counts, as.integer(table(ty$type[!is.na(ty$municipality)])))
})
