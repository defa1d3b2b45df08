# The item bars of dm_agree(): snapshots (vdiffr) and the data the plot is drawn from.
skip_if_not_installed("ggplot2")

# the labels of the left (item) and right ("% favourable, n") axes over all panels
y_labels <- function(p, side = c("left", "right")) {
  pp <- ggplot2::ggplot_build(p)$layout$panel_params
  if (match.arg(side) == "left") unlist(lapply(pp, function(x) x$y$get_labels())) else
    unlist(lapply(pp, function(x) x$y.sec$get_labels()))
}

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
  right <- y_labels(p, "right")
  expect_true("90%  n = 345" %in% right)
  expect_length(right, 24L)
  left <- y_labels(p)
  expect_true("Poor IT developments in the past \u2020" %in% left)
  # long labels are wrapped, and their rows are taller
  expect_true("Balancing investment in both\nmaintenance and innovation" %in% left)
  expect_false(any(grepl("\n", left[nchar(left) < 40])))
  # items ordered by % favourable within a panel, the highest on top
  b <- p$data[p$data$panel == levels(p$data$panel)[1] & p$data$code == 5, ]
  fav <- a$favourable[match(b$item, a$item)]
  expect_identical(order(-b$pos), order(-fav))
  # Interne reputatie (69%) is going well, as on the slides
  expect_match(as.character(p$data$panel[p$data$item == "internal_reputation"][1]), "Going well")
  pn <- autoplot(a, lang = "nl", dimensions = "legacy")
  expect_true("Interne reputatie" %in% y_labels(pn))
  expect_setequal(unique(pn$data$item), dmm_items$item[dmm_items$dimension == "legacy"])
  expect_error(autoplot(a, dimensions = "nope"), "`dimensions` must be some of", class = "digimaturity_error_input")
  expect_error(autoplot(a, lang = "fr"), "`lang` must be one of", class = "digimaturity_error_input")
})

test_that("autoplot(dm_agree) snapshots", {
  skip_if_not_installed("vdiffr")
  a <- dm_agree(flanders_dm)
  vdiffr::expect_doppelganger("agree-en", autoplot(a))
  vdiffr::expect_doppelganger("agree-nl-legacy", autoplot(a, lang = "nl", dimensions = "legacy"))
  vdiffr::expect_doppelganger("agree-by-weighted",
                              autoplot(dm_agree(flanders_dm, by = "role", weights = rep(1:2, length.out = nrow(flanders_dm))),
                                       dimensions = "balance"))
})

test_that("the language is `lang`, as in dm_highlights(), and unknown arguments are refused", {
  a <- dm_agree(flanders_dm)
  # `lang` reached dm_highlights() twice and failed with R's "formal argument matched by
  # multiple actual arguments"; `labels` was the plot's own name for it
  p <- autoplot(a, lang = "nl")
  expect_true("Interne reputatie" %in% y_labels(p))
  expect_true(any(grepl("Wat gaat goed", levels(p$data$panel))))
  expect_error(autoplot(a, labels = "nl"), "`labels` \\(did you mean `lang`\\?\\)",
               class = "digimaturity_error_argument_spelling")
  expect_error(autoplot(a, cutt = 0.5), "did you mean `cut`",
               class = "digimaturity_error_argument_spelling")
  # what dm_highlights() takes still reaches it
  expect_s3_class(autoplot(a, cut = 0.5), "ggplot")
})

test_that("answers and dimensions are labelled from the result's own instrument", {
  # the custom frequency scale of dm_instrument()'s example: four codes, own labels
  freq <- data.frame(item = c("f1", "f2"), dimension = "use", keyed = 1, scale_max = 4,
                     label_en = c("Uses e-mail", "Uses video calls"),
                     response_labels_nl = "1=Nooit|2=Soms|3=Vaak|4=Altijd",
                     response_labels_en = "1=Never|2=Sometimes|3=Often|4=Always",
                     dimension_label_en = "Everyday use", dimension_label_nl = "Dagelijks gebruik")
  d <- data.frame(f1 = c(1, 2, 3, 4, 4, 3), f2 = c(4, 4, 3, 2, 1, 1))
  a <- dm_agree(d, freq, threshold = 3)
  p <- autoplot(a)
  expect_identical(levels(p$data$answer), c("Never", "Sometimes", "Often", "Always"))
  expect_true(all(grepl("^Everyday use", levels(p$data$panel))))
  expect_true("Uses e-mail" %in% y_labels(p))
  pn <- autoplot(a, lang = "nl")
  expect_identical(levels(pn$data$answer), c("Nooit", "Soms", "Vaak", "Altijd"))
  expect_true(all(grepl("^Dagelijks gebruik", levels(pn$data$panel))))
  # a 1-5 scale of one's own is not labelled as the bundled agreement scale
  own5 <- data.frame(item = c("g1", "g2"), dimension = "use", keyed = 1,
                     response_labels_en = "1=Very poor|2=Poor|3=Fair|4=Good|5=Very good")
  a5 <- dm_agree(data.frame(g1 = c(1, 3, 5, 4), g2 = c(2, 5, 5, 1)), own5)
  expect_identical(levels(autoplot(a5)$data$answer), c("Very poor", "Poor", "Fair", "Good", "Very good"))
})

test_that("the item bars fit a 7 x 7 in figure, a 6.5 x 9 in page and a 10 x 5.6 in slide, in English and Dutch", {
  # every label inside the device and inside the panel it is drawn in, none overprinting
  # another, none below 6 pt (helper-plot-fit.R); before issue #20 the 7 x 7 in figure
  # lost "Strongly agree", the caption, the strips and the n of every item
  a <- dm_agree(flanders_dm)
  expect_identical(plot_fit_report(autoplot(a)), character())
  expect_identical(plot_fit_report(autoplot(a, lang = "nl")), character())
  # one dimension per figure, larger text, on a narrow page
  expect_identical(plot_fit_report(autoplot(a, lang = "nl", dimensions = "efficiency", base_size = 11,
                                          label_width = 28), list(narrow = c(6.5, 3.5))), character())
  # groups: the text beside each group's bars
  ab <- dm_agree(flanders_dm, by = "role", weights = rep(1:2, length.out = nrow(flanders_dm)))
  expect_identical(plot_fit_report(autoplot(ab, dimensions = "balance"), plot_pages["square"]), character())
  # the check can fail: large text on a small page is reported
  bad <- plot_fit_problems(autoplot(a, base_size = 16), 7, 7)
  expect_true(all(c("clipped", "overlap") %in% bad$problem))
  expect_error(autoplot(a, base_size = "big"), class = "digimaturity_error_input")
  expect_error(autoplot(a, label_width = 0), class = "digimaturity_error_input")
})
