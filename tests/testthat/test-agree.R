test_that("favourable shares and intervals equal prop.test(correct = FALSE)", {
  d <- sim_responses(p_missing = 0.2)
  a <- dm_agree(d, dmm_items, threshold = 4)
  expect_s3_class(a, "dm_agree")
  expect_named(a, c("item", "dimension", "label_en", "label_nl", "n", "n_eff", "favourable",
                    "conf.low", "conf.high"))
  expect_identical(a$item, dmm_items$item)
  k <- keyed_matrix(d)
  for (j in seq_len(nrow(dmm_items))) {
    x <- k[, j][!is.na(k[, j])]
    expect_identical(a$n[j], length(x))
    expect_equal(a$favourable[j], mean(x >= 4), tolerance = 1e-12)
    pt <- stats::prop.test(sum(x >= 4), length(x), correct = FALSE)
    expect_equal(c(a$conf.low[j], a$conf.high[j]), as.vector(pt$conf.int), tolerance = 1e-10)
  }
  pt90 <- stats::prop.test(sum(k[, 1] >= 4, na.rm = TRUE), a$n[1], correct = FALSE,
                           conf.level = 0.9)
  a90 <- dm_agree(d, conf_level = 0.9)
  expect_equal(c(a90$conf.low[1], a90$conf.high[1]), as.vector(pt90$conf.int), tolerance = 1e-10)
})

test_that("for the reverse-keyed poor_past_it, answering 1 or 2 is favourable", {
  d <- sim_responses(p_missing = 0.2)
  a <- dm_agree(d)
  raw <- d$poor_past_it[!is.na(d$poor_past_it)]
  expect_equal(a$favourable[a$item == "poor_past_it"], mean(raw <= 2))
  # hand-computed: answers 1, 2, 3, 4, 5, NA -> 2 of 5 valid are favourable
  items <- dm_instrument(dmm_items)[dmm_items$item == "poor_past_it", ]
  a2 <- dm_agree(data.frame(poor_past_it = c(1, 2, 3, 4, 5, NA)), items)
  expect_equal(a2$favourable, 0.4)
  expect_identical(a2$n, 5L)
})

test_that("weights use Kish's effective n (hand-computed)", {
  items <- data.frame(item = "a", dimension = "d", keyed = 1)
  data <- data.frame(a = c(5, 4, 2, 1, NA), w = c(1, 1, 2, 0, 7))
  a <- dm_agree(data, items, weights = "w")
  # valid answers 5, 4, 2, 1 with weights 1, 1, 2, 0: favourable weight 2 of 4 -> 0.5;
  # n_eff = 4^2 / (1 + 1 + 4 + 0) = 8/3. Wilson with p = 0.5, n = 8/3, z = qnorm(0.975):
  # centre 0.5, half width z * sqrt(0.25 / n + z^2 / (4 n^2)) / (1 + z^2 / n)
  z <- stats::qnorm(0.975)
  n <- 8 / 3
  half <- z * sqrt(0.25 / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  expect_equal(a$favourable, 0.5)
  expect_equal(a$n, 4L)
  expect_equal(a$n_eff, 8 / 3)
  expect_equal(c(a$conf.low, a$conf.high), c(0.5 - half, 0.5 + half))
  # a weights vector works the same; equal weights give the unweighted result
  expect_equal(dm_agree(data, items, weights = data$w)$conf.low, a$conf.low)
  d <- sim_responses(n = 100)
  expect_equal(as.data.frame(dm_agree(d, weights = rep(3, 100)))[5:9],
               as.data.frame(dm_agree(d))[5:9], tolerance = 1e-12, ignore_attr = TRUE)
})

test_that("groups give one row per item and group, equal to subsets", {
  d <- sim_responses(n = 200)
  d$size <- ifelse(d$respondent %% 3 == 0, "large", "small")
  d$size[1:4] <- NA
  a <- dm_agree(d, by = "size")
  expect_equal(nrow(a), 3 * 24)
  expect_identical(unique(a$size), c("large", "small", NA))
  sub <- dm_agree(d[d$size %in% "small", ])
  expect_equal(a$favourable[a$size %in% "small"], sub$favourable)
  expect_equal(a$n[is.na(a$size)], dm_agree(d[1:4, ])$n)
  two <- dm_agree(d, by = c("size", "municipality"))
  expect_equal(sum(two$n), sum(a$n))
})

test_that("items without valid answers and missing codes are reported, not dropped", {
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = 1)
  a <- dm_agree(data.frame(a = c(9, 9, 9), b = c(4, 9, 2)), items, missing_codes = 9)
  expect_identical(a$n, c(0L, 2L))
  expect_true(is.na(a$favourable[1]) && is.na(a$conf.low[1]))
  expect_equal(a$favourable[2], 0.5)
  expect_output(print(a), "% favourable \\(keyed answer >= 4\\) for 2 items")
})

test_that("print() shows the shares as the percentages its header announces", {
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = 1)
  # a: 2 of 3 favourable = 66.7%; b: 1 of 4 = 25.0%. Wilson 95% interval of 1 of 4
  # (prop.test(1, 4, correct = FALSE)$conf.int): 0.04559 to 0.69936 -> 4.6% and 69.9%.
  a <- dm_agree(data.frame(a = c(5, 4, 1, NA), b = c(4, 2, 1, 3)), items)
  out <- capture.output(print(a))
  expect_match(out[2], "favourable")
  expect_match(out[3], "66.7%", fixed = TRUE)
  expect_match(out[4], "25.0%\\s+4.6%\\s+69.9%")
  expect_false(any(grepl("0.667", out, fixed = TRUE)))
  expect_equal(a$favourable, c(2 / 3, 0.25))  # the object keeps the shares
})

test_that("bad arguments are classed errors that echo the value", {
  d <- sim_responses(n = 10)
  expect_error(dm_agree(d, threshold = "4"), "`threshold` must be a single number",
               class = "digimaturity_error_input")
  expect_error(dm_agree(d, conf_level = 1), "`conf_level` must be a single number in \\(0, 1\\); you passed 1",
               class = "digimaturity_error_input")
  expect_error(dm_agree(d, weights = c(1, 2)), "one value per row of `data` \\(10\\); you passed a vector of length 2",
               class = "digimaturity_error_weights")
  expect_error(dm_agree(d, weights = c(-1, rep(1, 9))), "`weights` must be finite and non-negative; row 1 of `data` has -1",
               class = "digimaturity_error_weights")
  d$w <- c(NA, rep(1, 9))
  expect_error(dm_agree(d, weights = "w"), "`data\\$w` must be finite and non-negative; row 1 of `data` has NA",
               class = "digimaturity_error_weights")
  expect_error(dm_agree(d, weights = "nope"), "lacks the column 'nope'",
               class = "digimaturity_error_missing_column")
  expect_error(dm_agree(d, by = "nope"), "lacks the column 'nope'",
               class = "digimaturity_error_missing_column")
  expect_error(dm_agree(d, by = 1), "`by` must be a character vector", class = "digimaturity_error_input")
})

test_that("highlights reproduce the slides' going-well/challenge view", {
  # 100 respondents whose favourable shares are the slides' efficiency percentages
  eff <- dmm_items$item[dmm_items$dimension == "efficiency"]
  pct <- c(portfolio_management = 60, maintenance_management = 80, project_management = 54,
           sourcing_strategy = 43, it_funding = 83, information_security = 90,
           data_privacy = 88, standards = 42)
  data <- as.data.frame(lapply(pct[eff], function(p) rep(c(5, 2), c(p, 100 - p))))
  items <- dmm_items[dmm_items$dimension == "efficiency", ]
  a <- dm_agree(data, items)
  expect_equal(a$favourable, unname(pct[eff]) / 100)
  h <- dm_highlights(a, n = 3)
  expect_s3_class(h, "dm_highlights")
  expect_identical(h$item[h$view == "going well"],
                   c("information_security", "data_privacy", "it_funding"))
  expect_identical(h$item[h$view == "challenge"],
                   c("standards", "sourcing_strategy", "project_management"))
  expect_output(print(dm_highlights(a, n = 1, lang = "nl")),
                "Wat gaat goed: Informatiebeveiliging \\(90%\\)")
  # the cut rule puts every item on one side
  hc <- dm_highlights(a, cut = 0.6)
  expect_setequal(hc$item[hc$view == "going well"],
                  c("information_security", "data_privacy", "it_funding",
                    "maintenance_management", "portfolio_management"))
  expect_equal(nrow(hc), 8L)
  # few items: the lists never overlap
  h3 <- dm_highlights(a[1:3, ], n = 3)
  expect_equal(sum(h3$view == "going well"), 2L)
  expect_equal(sum(h3$view == "challenge"), 1L)
  expect_error(dm_highlights(as.data.frame(a)), "must be a dm_agree\\(\\) result",
               class = "digimaturity_error_input")
  expect_error(dm_highlights(a, cut = 60), "`cut` must be a single number in \\[0, 1\\]; you passed 60",
               class = "digimaturity_error_input")
})

test_that("a threshold off the items' scale is an error with a hint", {
  d <- sim_responses(n = 20)
  expect_error(dm_agree(d, threshold = 60),
               "`threshold` must be a code on the items' response scale \\(1 to 5\\).*you passed 60, outside the scale of 24 items.*not a percentage",
               class = "digimaturity_error_input")
  expect_error(dm_agree(d, threshold = 6), "you passed 6, outside the scale of 24 items",
               class = "digimaturity_error_input")
  expect_error(dm_agree(d, threshold = 0), "you passed 0", class = "digimaturity_error_input")
  expect_silent(dm_agree(d, threshold = 5))
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = 1, scale_max = c(5, 7))
  expect_error(dm_agree(data.frame(a = 1:3, b = 1:3), items, threshold = 6),
               "\\(1 to 5\\).*outside the scale of 1 item \\('a'\\)", class = "digimaturity_error_input")
  expect_error(dm_agree(d, conf_level = 95), "`conf_level` must be a single number in \\(0, 1\\); you passed 95. It is a share, not a percentage: use 0.95",
               class = "digimaturity_error_input")
})

test_that("the default highlights are the slides' own split, reverse-keyed item marked", {
  a <- dm_agree(flanders_dm)
  h <- dm_highlights(a)
  pub <- ugent_published$items
  printed <- pub[!is.na(pub$pct_agree_printed), ]
  view <- h$view[match(printed$item, h$item)]
  expect_identical(view, ifelse(printed$slide == "going well", "going well", "challenge"))
  expect_identical(h$view[h$item == "internal_reputation"], "going well")
  out <- capture.output(print(dm_highlights(a, lang = "nl")))
  expect_true(any(grepl("Wat gaat goed:.*Interne reputatie \\(69%\\)", out)))
  expect_true(any(grepl("Slechte IT-ontwikkelingen uit het verleden\u2020 \\(45%\\)", out)))
  expect_true(any(grepl("omgekeerd gescoord", out)))
  expect_identical(attr(a, "reverse_keyed"), "poor_past_it")
  # the table uses the same rule and marks the item
  tab <- dm_table(a)
  expect_true(any(grepl("Poor IT developments in the past \\(reverse-keyed\\)", tab)))
  expect_true(any(grepl("going well from 60% favourable", tab)))
})

test_that("a dm_agree() result carries its instrument and call; misspelled arguments are refused", {
  d <- sim_responses(n = 30)
  a <- dm_agree(d, dmm_items, conf_level = 0.9)
  ins <- attr(a, "instrument")
  expect_s3_class(ins, "dm_instrument")
  expect_identical(ins$item, dmm_items$item)
  expect_identical(unique(ins$response_labels_en), unique(dm_instrument(dmm_items)$response_labels_en))
  expect_true(is.call(attr(a, "call")))
  expect_identical(attr(a, "call")$conf_level, 0.9)
  expect_identical(as.character(attr(a, "call")[[1]]), "dm_agree")
  # the vocabulary is conf_level: conf.level (broom's) gets a did-you-mean, not R's
  # unclassed "unused argument"
  expect_error(dm_agree(d, conf.level = 0.9), "dm_agree\\(\\) has no argument `conf.level` \\(did you mean `conf_level`\\?\\)",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_agree(d, treshold = 3), "did you mean `threshold`", class = "digimaturity_error_argument_spelling")
  expect_error(dm_highlights(a, language = "nl"), "did you mean `lang`",
               class = "digimaturity_error_argument_spelling")
})

test_that("the answer distribution of the one C++ pass equals a direct tabulation", {
  # codes 1-5 with missing cells, a missing code (9), the reverse-keyed poor_past_it,
  # groups with a missing value and a group where an item has no answers; weights
  d <- sim_responses(n = 400, p_missing = 0.1)
  d$open_data[1:7] <- 9L
  d$size <- rep(c("small", "large", NA), length.out = nrow(d))
  d$user_involvement[d$size %in% "large"] <- NA
  w <- rep(c(0.5, 1, 3), length.out = nrow(d))
  keyed <- keyed_matrix(replace(d, "open_data", list(ifelse(d$open_data == 9L, NA, d$open_data))))
  reference <- function(weights, groups) {
    g <- factor(groups, levels = unique(groups), exclude = NULL)
    out <- list()
    for (lev in seq_along(levels(g))) for (j in seq_len(nrow(dmm_items))) {
      rows <- as.integer(g) == lev & !is.na(keyed[, j])
      tot <- vapply(1:5, function(code) sum(weights[rows & keyed[, j] %in% code]), numeric(1))
      share <- if (sum(tot) > 0) tot / sum(tot) else rep(NA_real_, 5)
      out[[length(out) + 1L]] <- data.frame(group = lev, item = dmm_items$item[j], code = 1:5,
                                            share = share, stringsAsFactors = FALSE)
    }
    do.call(rbind, out)
  }
  order_rows <- function(x, group) x[order(match(x$item, dmm_items$item), group, x$code), ]
  # unweighted, no groups: counts are exact, so the shares are identical
  a <- dm_agree(d, missing_codes = 9)
  dist <- attr(a, "distribution")
  ref <- reference(rep(1, nrow(d)), rep(1, nrow(d)))
  expect_identical(names(dist), c("item", "code", "share"))
  expect_identical(dist$item, ref$item)
  expect_equal(dist$code, ref$code)
  expect_identical(dist$share, ref$share)
  # the favourable share of each item is the share of keyed codes >= 4
  fav <- tapply(dist$share[dist$code >= 4], factor(dist$item[dist$code >= 4], dmm_items$item), sum)
  expect_equal(as.vector(fav), a$favourable, tolerance = 1e-14)
  # weighted and by group (the NA group included): equal to the direct sums
  ab <- dm_agree(d, missing_codes = 9, weights = w, by = "size")
  db <- attr(ab, "distribution")
  expect_identical(names(db), c("size", "item", "code", "share"))
  refb <- reference(w / max(w), d$size)
  lev <- unique(d$size)
  refb$size <- lev[refb$group]
  db <- order_rows(db, match(db$size, lev))
  refb <- order_rows(refb, refb$group)
  expect_identical(db$item, refb$item)
  expect_identical(db$size, refb$size)
  expect_equal(db$share, refb$share, tolerance = 1e-15)
  # no answers to an item within a group: NA shares, not zeros
  expect_true(all(is.na(db$share[db$item == "user_involvement" & db$size %in% "large"])))
  expect_false(anyNA(db$share[db$item == "user_involvement" & db$size %in% "small"]))
})
