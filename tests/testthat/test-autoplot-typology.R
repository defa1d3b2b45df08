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

test_that("the types' corner labels sit on no point, no point is cut, and the types differ in colour, grey and shape", {
  for (ty in list(dm_typology(dm_aggregate(flanders_dm)), dm_typology(dm_score(flanders_dm), cut = 3))) {
    p <- autoplot(ty)
    for (pg in plot_pages) {
      pr <- plot_fit_problems(p, pg[1], pg[2])
      expect_identical(paste(pr$problem, pr$label), character())  # includes: no point beyond its panel
      b <- attr(pr, "boxes"); pt <- attr(pr, "points")
      corner <- b[grepl("^[A-D]: .*\\(n = [0-9]+\\)$", b$label), ]
      expect_identical(nrow(corner), 4L)
      pt <- pt[pt$clip_r - pt$clip_l < pg[1] - 0.01, ]  # the panel's points, not the legend's keys
      expect_gt(nrow(pt), 100L)
      on_label <- outer(pt$x + pt$rad, corner$l, ">") & outer(pt$x - pt$rad, corner$r, "<") &
        outer(pt$y + pt$rad, corner$b, ">") & outer(pt$y - pt$rad, corner$t, "<")
      expect_false(any(on_label))
    }
  }
  # the jitter never moves a point across a cut: each shows on its type's side
  ty <- dm_typology(dm_score(flanders_dm), cut = 3)
  d <- autoplot(ty)$data
  cuts <- attr(ty, "cut")
  expect_true(any(d$capability == cuts[1] | d$legacy == cuts[2]))  # points on the lines exist
  expect_identical(d$x_shown > cuts[1], d$type %in% c("A", "B"))
  expect_identical(d$y_shown > cuts[2], d$type %in% c("A", "C"))
  expect_lte(max(abs(d$x_shown - d$capability)), 0.02)
  # Okabe-Ito colours whose greys differ by at least 30 of 255, and four different shapes
  pal <- digimaturity:::type_palette
  expect_true(all(pal %in% digimaturity:::okabe_ito))
  grey <- colSums(grDevices::col2rgb(pal) * c(0.299, 0.587, 0.114))
  expect_gt(min(dist(grey)), 30)
  expect_identical(length(unique(digimaturity:::type_shapes)), 4L)
})
