test_that("alpha, Feldt, Duhachek and item statistics equal psych::alpha on complete cases", {
  skip_if_not_installed("psych")
  d <- sim_responses(n = 400, p_missing = 0.05)
  rel <- dm_reliability(d)
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
  rel <- dm_reliability(data, items)
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
