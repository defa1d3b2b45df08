test_that("alpha, Feldt, Duhachek and item statistics equal psych::alpha on complete cases", {
  skip_if_not_installed("psych")
  d <- sim_responses(n = 400, p_missing = 0.05)
  rel <- dm_reliability(d, use = "complete")
  expect_s3_class(rel, "dm_reliability")
  expect_identical(rel$dimension, c("efficiency", "innovation", "balance", "legacy"))
  k <- keyed_matrix(d)
  st <- attr(rel, "item_stats")
  for (dim in rel$dimension) {
    x <- as.data.frame(k[, dmm_items$dimension == dim])
    cc <- stats::na.omit(x)
    pa <- suppressWarnings(psych::alpha(cc, check.keys = FALSE, warnings = FALSE))
    r <- rel[rel$dimension == dim, ]
    expect_equal(r$n, nrow(cc))
    expect_equal(r$n_complete, nrow(cc))
    expect_equal(r$n_ci, nrow(cc))
    expect_equal(r$n_incomplete, nrow(d) - nrow(cc))
    expect_equal(r$n_items, ncol(x))
    expect_equal(r$alpha, pa$total$raw_alpha, tolerance = 1e-10)
    expect_equal(r$alpha_std, pa$total$std.alpha, tolerance = 1e-10)
    expect_equal(r$ase, pa$total$ase, tolerance = 1e-10)
    expect_equal(c(r$conf.low, r$conf.high),
                 unname(unlist(pa$feldt[c("lower.ci", "upper.ci")])), tolerance = 1e-10)
    z <- stats::qnorm(0.975)
    expect_equal(c(r$duhachek.low, r$duhachek.high),
                 pa$total$raw_alpha + c(-1, 1) * z * pa$total$ase, tolerance = 1e-10)
    s <- st[st$dimension == dim, ]
    expect_identical(s$item, names(x))
    expect_equal(s$r_rest, pa$item.stats$r.drop, tolerance = 1e-10)
    expect_equal(s$alpha_drop, pa$alpha.drop$raw_alpha, tolerance = 1e-10)
    expect_equal(s$mean, unname(colMeans(cc)), tolerance = 1e-10)
    expect_equal(s$sd, unname(apply(cc, 2, stats::sd)), tolerance = 1e-10)
  }
  expect_output(print(rel), "complete cases per dimension")
})

test_that("use = 'pairwise' (the default) equals psych::alpha's pairwise default with missing answers", {
  skip_if_not_installed("psych")
  d <- sim_responses(n = 300, p_missing = 0.15)
  d[1:3, dmm_items$item] <- NA                       # respondents without any answer
  rel <- dm_reliability(d)
  expect_identical(attr(rel, "use"), "pairwise")
  k <- keyed_matrix(d)
  st <- attr(rel, "item_stats")
  for (dim in rel$dimension) {
    x <- as.data.frame(k[, dmm_items$dimension == dim])
    pa <- suppressWarnings(psych::alpha(x, check.keys = FALSE, warnings = FALSE))  # use = "pairwise"
    r <- rel[rel$dimension == dim, ]
    answered <- !is.na(x)
    pair_n <- crossprod(answered)
    expect_equal(r$n_complete, sum(rowSums(answered) == ncol(x)))
    expect_equal(r$n_any, sum(rowSums(answered) > 0))
    expect_equal(r$n, r$n_any)
    expect_equal(r$n_incomplete, nrow(d) - r$n_any)
    expect_equal(r$n_ci, min(pair_n))
    expect_lt(r$n_complete, r$n_ci)                  # pairwise uses more answers
    expect_equal(r$alpha, pa$total$raw_alpha, tolerance = 1e-10)
    expect_equal(r$alpha_std, pa$total$std.alpha, tolerance = 1e-10)
    s <- st[st$dimension == dim, ]
    expect_equal(s$r_rest, pa$item.stats$r.drop, tolerance = 1e-10)
    expect_equal(s$alpha_drop, pa$alpha.drop$raw_alpha, tolerance = 1e-10)
    expect_equal(s$mean, pa$item.stats$mean, tolerance = 1e-10)
    expect_equal(s$sd, pa$item.stats$sd, tolerance = 1e-10)
    expect_equal(s$n, unname(diag(pair_n)))
    # the intervals use n_ci, where psych uses all rows (nrow(x), rows without answers
    # included): Duhachek's ase scales by sqrt(n), Feldt's interval is psych's alpha.ci()
    # at n_ci
    expect_equal(r$ase, pa$total$ase * sqrt(nrow(x) / r$n_ci), tolerance = 1e-10)
    fe <- psych::alpha.ci(pa$total$raw_alpha, r$n_ci, ncol(x))
    expect_equal(c(r$conf.low, r$conf.high), c(fe$lower.ci, fe$upper.ci), tolerance = 1e-10)
    # omega from the one-factor ML model of the pairwise correlations, as psych::fa()
    # (whose default is pairwise too)
    f <- suppressWarnings(psych::fa(x, nfactors = 1, fm = "ml"))
    lam <- as.vector(f$loadings)
    expect_equal(r$omega, sum(lam)^2 / (sum(lam)^2 + sum(f$uniquenesses)), tolerance = 1e-4)
  }
  out <- capture.output(print(rel))
  expect_match(out[1], "pairwise-complete covariances")
  expect_match(out[2], "n_complete\\s+n_any")
  expect_match(paste(out, collapse = " "), "Alpha rests on the n_any respondents")
  expect_false(any(grepl("n_incomplete", out)))
  # a column subset loses the attributes; its header says what it still knows
  sub <- capture.output(print(rel[, c("dimension", "alpha", "n_complete", "n_any")]))
  expect_identical(sub[1], "<dm_reliability> 4 dimensions")
  expect_match(sub[2], "dimension\\s+alpha\\s+n_complete\\s+n_any")
  # on complete data the two choices agree
  d0 <- sim_responses(n = 200, p_missing = 0)
  a <- dm_reliability(d0)
  b <- dm_reliability(d0, use = "complete")
  attr(a, "use") <- attr(b, "use") <- attr(a, "call") <- attr(b, "call") <- NULL
  expect_equal(a, b, tolerance = 1e-12)
  expect_error(dm_reliability(d0, use = "listwise"), "`use` must be one of 'pairwise', 'complete'; you passed 'listwise'",
               class = "digimaturity_error_input")
})

test_that("an item reversed twice gets a keying warning with its r_rest (bundled data)", {
  expect_no_warning(rel <- dm_reliability(flanders_dm))
  expect_true(all(attr(rel, "item_stats")$r_rest > 0))
  d <- flanders_dm
  d$poor_past_it <- 6 - d$poor_past_it
  w <- expect_warning(rel2 <- dm_reliability(d), class = "digimaturity_warning_keying")
  st <- attr(rel2, "item_stats")
  expect_identical(w$suspects$item, "poor_past_it")
  expect_identical(w$suspects$dimension, "legacy")
  expect_equal(w$suspects$r_rest, st$r_rest[st$item == "poor_past_it"])
  expect_match(conditionMessage(w), sprintf("poor_past_it (legacy, keyed = -1): r = %.2f",
                                            w$suspects$r_rest), fixed = TRUE)
  expect_match(conditionMessage(w), "reversed twice", fixed = TRUE)
  # the trap of the issue: the legacy alpha falls from about .70 to about .12
  expect_gt(rel$alpha[4], 0.69)
  expect_lt(rel2$alpha[4], 0.13)
})

test_that("omega is McDonald's omega of a one-factor ML model", {
  skip_if_not_installed("psych")
  d <- sim_responses(n = 400, p_missing = 0)
  rel <- dm_reliability(d)
  k <- keyed_matrix(d)
  x <- k[, dmm_items$dimension == "efficiency"]
  f <- suppressWarnings(psych::fa(x, nfactors = 1, fm = "ml"))
  lam <- as.vector(f$loadings)
  omega <- sum(lam)^2 / (sum(lam)^2 + sum(f$uniquenesses))
  expect_equal(rel$omega[1], omega, tolerance = 1e-4)
})

test_that("hand-computed alpha for small fixtures", {
  items <- data.frame(item = c("a", "b", "c"), dimension = "d", keyed = 1)
  # a = b, c = 4 - a: variances 1, covariances 1, -1, -1; sum(C) = 3 + 2 * (1 - 1 - 1) = 1,
  # trace 3: alpha = 3/2 * (1 - 3/1) = -3
  data <- data.frame(a = c(1, 2, 3, NA), b = c(1, 2, 3, 2), c = c(3, 2, 1, 5))
  # c runs against a and b by construction: the keying check names it
  expect_warning(rel <- dm_reliability(data, items, use = "complete"), "c \\(d, keyed = 1\\)",
                 class = "digimaturity_warning_keying")
  expect_equal(rel$alpha, -3)
  expect_equal(rel$n, 3)
  expect_equal(rel$n_incomplete, 1)
  # two identical items: alpha = 2 * (1 - 2v / 4v) = 1, item-rest r = 1
  items2 <- data.frame(item = c("a", "b"), dimension = "d", keyed = 1)
  rel2 <- dm_reliability(data.frame(a = c(1, 3, 5, 2), b = c(1, 3, 5, 2)), items2)
  expect_equal(rel2$alpha, 1)
  expect_equal(attr(rel2, "item_stats")$r_rest, c(1, 1))
  expect_true(is.na(rel2$omega))          # fewer than 3 items
  expect_true(all(is.na(attr(rel2, "item_stats")$alpha_drop)))
  # a one-item dimension has no alpha
  items1 <- data.frame(item = "a", dimension = "d", keyed = 1)
  expect_true(is.na(dm_reliability(data.frame(a = 1:5), items1)$alpha))
})

test_that("reverse keying enters the reliability", {
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = c(1, -1))
  # b = 6 - a, so keyed b = a: perfectly consistent
  rel <- dm_reliability(data.frame(a = c(1, 2, 4, 5), b = c(5, 4, 2, 1)), items)
  expect_equal(rel$alpha, 1)
})

test_that("bad arguments are classed errors", {
  d <- sim_responses(n = 10)
  expect_error(dm_reliability(d, conf_level = 95), "`conf_level` must be a single number in \\(0, 1\\); you passed 95",
               class = "digimaturity_error_input")
  expect_error(dm_reliability(list(a = 1)), "`data` must be a data frame", class = "digimaturity_error_input")
  expect_error(dm_reliability(d["open_data"]), "lacks the columns", class = "digimaturity_error_missing_column")
})

test_that("a dm_reliability() result carries its instrument and call", {
  d <- sim_responses(n = 60)
  r <- dm_reliability(d, dmm_items, conf_level = 0.9)
  expect_identical(attr(r, "instrument")$item, dmm_items$item)
  expect_identical(attr(r, "call")$conf_level, 0.9)
  expect_error(dm_reliability(d, level = 0.9), "did you mean `conf_level`",
               class = "digimaturity_error_argument_spelling")
})
