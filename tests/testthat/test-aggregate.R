test_that("rwg(j), ICC(1) and ICC(2) equal the multilevel package", {
  skip_if_not_installed("multilevel")
  d <- sim_responses(n = 400, p_missing = 0.1, n_groups = 60)
  ag <- dm_aggregate(d, by = "municipality")
  agr <- dm_agreement(d, by = "municipality")
  sc <- dm_score(d)
  k <- keyed_matrix(d)
  for (dim in c("efficiency", "innovation", "balance", "legacy")) {
    x <- k[, dmm_items$dimension == dim]
    ref <- multilevel::rwg.j(x, d$municipality, ranvar = (5^2 - 1) / 12)
    # rwg.j leaves out groups without a complete case; they are NA here
    at <- match(ag$municipality, as.character(ref$grpid))
    expect_equal(ag[[paste0(dim, "_rwg")]], unname(ref$rwg.j)[at], tolerance = 1e-10)
    expect_true(all(is.na(ag[[paste0(dim, "_rwg")]][is.na(at)])))
    ok <- !is.na(sc[[dim]])
    y <- sc[[dim]][ok]
    g <- factor(d$municipality[ok])
    fit <- stats::aov(y ~ g)
    r <- agr[agr$dimension == dim, ]
    expect_equal(r$icc1, multilevel::ICC1(fit), tolerance = 1e-10)
    expect_equal(r$icc2, multilevel::ICC2(fit), tolerance = 1e-10)
    expect_equal(r$rwg_mean, mean(ref$rwg.j, na.rm = TRUE), tolerance = 1e-10)
    expect_equal(r$rwg_median, stats::median(ref$rwg.j, na.rm = TRUE), tolerance = 1e-10)
    expect_equal(r$n_groups, nlevels(g))
    expect_equal(r$n, sum(ok))
    expect_equal(ag[[dim]], as.vector(tapply(sc[[dim]], d$municipality, mean, na.rm = TRUE)),
                 tolerance = 1e-10)
  }
  expect_equal(ag$n, as.vector(table(d$municipality)))
})

test_that("hand-computed rwg(j) and ICCs", {
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = 1)
  # group x: answers (1, 1), (3, 3): item variances 2, 2 -> S = 2 = s2 (A = 5) -> rwg 0.
  # group y: (3, 3), (3, 4): variances 0, 0.5 -> S / s2 = 0.25 / 2 = 0.125 ->
  #   rwg = 2 * 0.875 / (2 * 0.875 + 0.125) = 14/15. group z: one respondent -> NA.
  data <- data.frame(g = c("x", "x", "y", "y", "z"), a = c(1, 3, 3, 3, 5), b = c(1, 3, 3, 4, 5))
  ag <- dm_aggregate(data, items, by = "g")
  expect_equal(ag$d_rwg, c(0, 14 / 15, NA))
  expect_equal(ag$d, c(2, 3.25, 5))
  expect_equal(ag$n, c(2L, 2L, 1L))
  # scores 1, 3 | 3, 5: grand mean 3; SSB = 2 * 1 + 2 * 1 = 4 on 1 df; SSW = 4 on 2 df;
  # MSB = 4, MSW = 2, k = 2: ICC1 = (4 - 2) / (4 + 1 * 2) = 1/3, ICC2 = (4 - 2) / 4 = 1/2
  data2 <- data.frame(g = c("x", "x", "y", "y"), a = c(1, 3, 3, 5), b = c(1, 3, 3, 5))
  agr <- dm_agreement(data2, items, by = "g")
  expect_equal(agr$icc1, 1 / 3)
  expect_equal(agr$icc2, 1 / 2)
  expect_equal(agr$n_groups, 2L)
})

test_that("small and missing groups are kept and counted", {
  d <- sim_responses(n = 100, n_groups = 30)
  d$municipality[1:3] <- NA
  ag <- dm_aggregate(d, min_respondents = 4)
  expect_true(is.na(tail(ag$municipality, 1)))
  expect_equal(sum(ag$n), 100)
  small <- ag$n < 4
  expect_true(any(small))
  expect_true(all(is.na(ag$efficiency[small])) && all(is.na(ag$legacy_rwg[small])))
  expect_false(anyNA(ag$efficiency[!small]))
  expect_output(print(ag), "groups by municipality; 100 respondents")
  agr <- dm_agreement(d)
  expect_equal(attr(agr, "n_no_group"), 3)
  expect_equal(agr$n_groups[1], sum(!is.na(unique(d$municipality))))
})

test_that("bad arguments are classed errors", {
  d <- sim_responses(n = 10)
  expect_error(dm_aggregate(d, by = "gemeente"), "lacks the column 'gemeente'",
               class = "digimaturity_error_missing_column")
  expect_error(dm_aggregate(d, min_respondents = 0), "`min_respondents` must be a single number in \\[1, Inf\\]; you passed 0",
               class = "digimaturity_error_input")
  expect_error(dm_agreement(d, by = NULL), "`by` must be a character vector of column names or a one-sided formula such as ~municipality or ~province \\+ size; you passed NULL",
               class = "digimaturity_error_input")
})

test_that("respondents without a municipality are counted and printed; a group without a score is NA (#18, item 10)", {
  items <- data.frame(item = c("a", "b", "c"), dimension = c("d", "d", "e"), keyed = 1)
  # group y's one respondent answered no item of d: no mean (0 / 0), NA and not NaN
  data <- data.frame(g = c("x", "x", "y", NA, NA), a = c(1, 3, NA, 2, 4), b = c(1, 3, NA, 2, 4),
                     c = c(1, 2, 3, 4, 5))
  ag <- dm_aggregate(data, items, by = "g")
  expect_identical(ag$d, c(2, NA, 3))
  expect_false(any(is.nan(ag$d)))
  expect_equal(attr(ag, "n_no_group"), 2)
  out <- capture.output(print(ag))
  expect_identical(out[1:3], c("<dm_aggregate> 2 groups by g; 5 respondents",
                               "Respondents without a g: 2 (the row with NA: no group, no type)",
                               "Groups without a mean score: d 1, e 0 "))
  d <- sim_responses(n = 100, n_groups = 30)
  d$municipality[c(2, 50)] <- NA
  expect_output(print(dm_aggregate(d)), "Respondents without a municipality: 2 \\(the row with NA")
  expect_identical(attr(dm_aggregate(d[-c(2, 50), ]), "n_no_group"), 0L)
})

test_that("dm_aggregate() and dm_agreement() carry their instrument and call", {
  d <- sim_responses(n = 60)
  g <- dm_aggregate(d, dmm_items, by = "municipality")
  expect_identical(attr(g, "instrument")$item, dmm_items$item)
  expect_identical(attr(g, "call")$by, "municipality")
  r <- dm_agreement(d, dmm_items, by = "municipality")
  expect_identical(attr(r, "instrument")$dimension, dmm_items$dimension)
  expect_error(dm_aggregate(d, min_respondets = 2), "did you mean `min_respondents`",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_agreement(d, group = "municipality"), "did you mean `by`",
               class = "digimaturity_error_argument_spelling")
})
