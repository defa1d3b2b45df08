# The item bars of dm_agree(): snapshots (vdiffr) and the data the plot is drawn from.
skip_if_not_installed("ggplot2")

test_that("the response distribution is kept, keyed and weighted", {
  a <- dm_agree(flanders_dm)
  d <- attr(a, "distribution")
  expect_setequal(unique(d$item), dmm_items$item)
  s <- tapply(d$share, d$item, sum)
  expect_equal(as.vector(s), rep(1, length(s)), tolerance = 1e-12)
  # the favourable share is the share of keyed codes 4 and 5, reverse-keyed item included
  fav <- tapply(d$share[d$code >= 4], d$item[d$code >= 4], sum)
  expect_equal(as.vector(fav[a$item]), a$favourable, tolerance = 1e-12)
  # weights respected
  w <- rep(c(1, 3), length.out = nrow(flanders_dm))
  aw <- dm_agree(flanders_dm, weights = w)
  dw <- attr(aw, "distribution")
  favw <- tapply(dw$share[dw$code >= 4], dw$item[dw$code >= 4], sum)
  expect_equal(as.vector(favw[aw$item]), aw$favourable, tolerance = 1e-12)
  # by groups
  ab <- dm_agree(flanders_dm, by = "population_class")
  expect_true("population_class" %in% names(attr(ab, "distribution")))
})

test_that("autoplot(dm_agree) draws diverging bars with % favourable, n and the slides' split", {
  a <- dm_agree(flanders_dm)
  p <- autoplot(a)
  expect_s3_class(p, "ggplot")
  # favourable answers to the right of zero, unfavourable to the left
  expect_true(all(p$data$xmin[p$data$code >= 4] >= -1e-12))
  expect_true(all(p$data$xmax[p$data$code <= 2] <= 1e-12))
  txt <- p$layers[[3]]$data
  expect_true(any(txt$text == "90%  n = 345"))
  expect_true("Poor IT developments in the past \u2020" %in% levels(p$data$y))
  # Interne reputatie (69%) is going well, as on the slides
  expect_match(as.character(txt$panel[txt$item == "internal_reputation"]), "Going well")
  pn <- autoplot(a, labels = "nl", dimensions = "legacy")
  expect_true("Interne reputatie" %in% levels(pn$data$y))
  expect_error(autoplot(a, dimensions = "nope"), "`dimensions` must be some of", class = "digimaturity_error_input")
  expect_error(autoplot(a, labels = "fr"), "`labels` must be one of", class = "digimaturity_error_input")
})

test_that("autoplot(dm_agree) snapshots", {
  skip_if_not_installed("vdiffr")
  a <- dm_agree(flanders_dm)
  vdiffr::expect_doppelganger("agree-en", autoplot(a))
  vdiffr::expect_doppelganger("agree-nl-legacy", autoplot(a, labels = "nl", dimensions = "legacy"))
  vdiffr::expect_doppelganger("agree-by-weighted",
                              autoplot(dm_agree(flanders_dm, by = "role", weights = rep(1:2, length.out = nrow(flanders_dm))),
                                       dimensions = "balance"))
})
