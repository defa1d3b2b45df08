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

# ---- bootstrap of ordinal alpha (B > 0) -------------------------------------------

# Ordinal alpha of each dimension recomputed in R on the rows `rows` of `d`: the
# polychoric matrix from dm_polychoric() and k / (k - 1) (1 - k / sum(R)).
ordinal_alpha_r <- function(d, rows, missing = "pairwise") {
  vapply(unique(dmm_items$dimension), function(dim) {
    it <- dmm_items[dmm_items$dimension == dim, ]
    R <- as.matrix(dm_polychoric(d[rows, , drop = FALSE], it, missing = missing,
                                 std_errors = FALSE))
    k <- nrow(it)
    k / (k - 1) * (1 - k / sum(R))
  }, numeric(1))
}

boot_data <- function(n = 240) flanders_dm[seq_len(n), ]

# Small B keeps the tests fast; the intervals' ends then warn that they use the extreme
# draws (tested on its own below).
# (and with B = 2, BCa can be undefined: every draw on one side of the estimate).
quiet_boot <- function(expr) {
  withCallingHandlers(expr,
    digimaturity_warning_few_draws = function(w) invokeRestart("muffleWarning"),
    digimaturity_warning_bootstrap_failed = function(w) {
      if (grepl("BCa interval", conditionMessage(w))) invokeRestart("muffleWarning")
    })
}

test_that("bootstrap replicates equal dm_polychoric() + the alpha formula on the same rows", {
  d <- boot_data()
  set.seed(11)
  res <- dm_reliability(d, ordinal = TRUE, B = 40)
  b <- attr(res, "boot")
  expect_identical(dim(b$t), c(40L, 4L))
  expect_equal(unname(b$t0), res$alpha_ordinal, tolerance = 1e-12)
  draws <- c(1L, 17L, 40L)
  rows <- dm_boot_rows_cpp(b$n_rows, NULL, 0L, b$seed, draws)
  for (k in seq_along(draws)) {
    expect_length(rows[[k]], nrow(d))
    expect_true(all(rows[[k]] %in% seq_len(nrow(d))))
    expect_gt(anyDuplicated(rows[[k]]), 0)  # drawn with replacement
    expect_equal(unname(b$t[draws[k], ]), unname(ordinal_alpha_r(d, rows[[k]])), tolerance = 1e-8)
  }
  # the draws differ from each other and from the estimate
  expect_gt(stats::sd(b$t[, 1]), 0)
  # use = "complete": each dimension's complete cases of the draw (listwise)
  set.seed(3)
  rc <- quiet_boot(dm_reliability(d, ordinal = TRUE, B = 5, use = "complete"))
  bc <- attr(rc, "boot")
  r2 <- dm_boot_rows_cpp(bc$n_rows, NULL, 0L, bc$seed, 2L)[[1]]
  expect_equal(unname(bc$t[2, ]), unname(ordinal_alpha_r(d, r2, "listwise")), tolerance = 1e-8)
})

test_that("a draw of psych::polychoric() on the same rows gives the same alpha", {
  skip_if_not_installed("psych")
  d <- boot_data()
  set.seed(5)
  b <- attr(quiet_boot(dm_reliability(d, ordinal = TRUE, B = 3, use = "complete")), "boot")
  rows <- dm_boot_rows_cpp(b$n_rows, NULL, 0L, b$seed, 1L)[[1]]
  for (dim in unique(dmm_items$dimension)) {
    it <- dmm_items$item[dmm_items$dimension == dim]
    keyed <- dmm_items$keyed[dmm_items$dimension == dim]
    x <- d[rows, it]
    x <- x[stats::complete.cases(x), ]
    for (j in which(keyed < 0)) x[[j]] <- 6 - x[[j]]
    # correct = 0: psych adds nothing to empty cells, as lavaan's rule for tables larger
    # than 2 x 2 (the items have 5 categories)
    R <- suppressWarnings(psych::polychoric(as.data.frame(x), correct = 0)$rho)
    k <- length(it)
    # psych's optimiser stops at about 1e-5 in each correlation (here: within 5e-6)
    expect_equal(unname(b$t[1, dim]), k / (k - 1) * (1 - k / sum(R)), tolerance = 2e-5,
                 label = dim)
  }
})

# boot::boot.ci() on the same replicates: a "boot" object holding t0 and t, and for BCa
# the jackknife influence values L = (m - 1) (mean(jack) - jack) passed as `L` (boot's
# empinf(type = "jack")); boot.ci() interpolates the order statistics on the normal scale
# (norm.inter) for both, and BCa moves the levels by w = qnorm(mean(t < t0)) and
# a = sum(L^3) / (6 sum(L^2)^1.5).
as_boot <- function(t0, t, n) {
  structure(list(t0 = t0, t = matrix(t), R = length(t), data = seq_len(n), seed = 1L,
                 statistic = function(x, i) NA, sim = "ordinary", stype = "i",
                 call = quote(boot::boot()), strata = rep(1, n), weights = rep(1 / n, n)),
            class = "boot")
}

test_that("percentile and BCa bounds equal boot::boot.ci() on the same replicates", {
  skip_if_not_installed("boot")
  d <- boot_data()
  for (cl in list(NULL, ~municipality)) {
    set.seed(21)
    rp <- dm_reliability(d, ordinal = TRUE, B = 300, cluster = cl, conf_level = 0.9)
    set.seed(21)
    rb <- dm_reliability(d, ordinal = TRUE, B = 300, cluster = cl, conf_level = 0.9,
                         boot_type = "bca")
    bp <- attr(rp, "boot")
    bb <- attr(rb, "boot")
    expect_identical(bp$t, bb$t)  # the same draws for the same seed
    m <- if (is.null(cl)) nrow(d) else length(unique(d$municipality))
    expect_identical(nrow(bb$jack), as.integer(m))
    for (j in seq_len(nrow(rp))) {
      bo <- as_boot(bb$t0[j], bb$t[, j], nrow(d))
      L <- (m - 1) * (mean(bb$jack[, j]) - bb$jack[, j])
      ci <- suppressWarnings(boot::boot.ci(bo, conf = 0.9, type = c("perc", "bca"), L = L))
      expect_equal(c(rp$alpha_ordinal.low[j], rp$alpha_ordinal.high[j]), ci$percent[4:5],
                   tolerance = 1e-12)
      expect_equal(c(rb$alpha_ordinal.low[j], rb$alpha_ordinal.high[j]), ci$bca[4:5],
                   tolerance = 1e-12)
      expect_equal(rp$alpha_ordinal.se[j], stats::sd(bp$t[, j]))
      expect_true(rb$alpha_ordinal.low[j] < rb$alpha_ordinal[j] &&
                    rb$alpha_ordinal[j] < rb$alpha_ordinal.high[j])
    }
  }
})

test_that("the jackknife of BCa leaves out one respondent or one whole cluster", {
  d <- boot_data(120)
  set.seed(2)
  b <- attr(quiet_boot(dm_reliability(d, ordinal = TRUE, B = 2, boot_type = "bca")), "boot")
  expect_equal(unname(b$jack[7, ]), unname(ordinal_alpha_r(d, -7)), tolerance = 1e-8)
  set.seed(2)
  bc <- attr(quiet_boot(dm_reliability(d, ordinal = TRUE, B = 2, boot_type = "bca",
                                       cluster = "municipality")), "boot")
  g <- bc$cluster[30]
  expect_equal(unname(bc$jack[g, ]), unname(ordinal_alpha_r(d, which(bc$cluster != g))),
               tolerance = 1e-8)
})

test_that("the cluster bootstrap draws whole clusters", {
  d <- boot_data()
  set.seed(8)
  res <- quiet_boot(dm_reliability(d, ordinal = TRUE, B = 20, cluster = ~municipality))
  b <- attr(res, "boot")
  codes <- b$cluster
  expect_identical(codes, as.integer(factor(d$municipality)))
  G <- max(codes)
  size <- tabulate(codes, G)
  rows <- dm_boot_rows_cpp(b$n_rows, codes, G, b$seed, 1:20)
  for (r in rows) {
    drawn <- codes[r]
    # each drawn cluster enters with all its rows, as often as it was drawn
    times <- tabulate(drawn, G) / size
    expect_true(all(times == round(times)))
    expect_identical(sum(times), as.double(G))
    # its rows follow each other, in the order of the data
    runs <- rle(drawn)
    expect_true(all(runs$lengths %% size[runs$values] == 0))
  }
  # replicates on those rows
  expect_equal(unname(b$t[3, ]), unname(ordinal_alpha_r(d, rows[[3]])), tolerance = 1e-8)
  # and a vector of clusters gives the same draws as the column
  set.seed(8)
  res2 <- quiet_boot(dm_reliability(d, ordinal = TRUE, B = 20, cluster = d$municipality))
  expect_identical(attr(res2, "boot")$t, b$t)
})

test_that("the bootstrap does not depend on the number of threads, and set.seed() reproduces it", {
  d <- boot_data(300)
  old <- dm_threads(1)
  on.exit(dm_threads(old))
  set.seed(4)
  r1 <- dm_reliability(d, ordinal = TRUE, B = 200, boot_type = "bca", cluster = ~municipality)
  dm_threads(2)
  dm_threads_used_cpp()
  set.seed(4)
  r2 <- dm_reliability(d, ordinal = TRUE, B = 200, boot_type = "bca", cluster = ~municipality)
  if (dm_num_procs() >= 2) expect_identical(dm_threads_used_cpp(), 2L)
  attr(r1, "call") <- attr(r2, "call") <- NULL
  expect_identical(r1, r2)
  set.seed(5)
  r3 <- dm_reliability(d, ordinal = TRUE, B = 200, boot_type = "bca", cluster = ~municipality)
  expect_false(identical(attr(r3, "boot")$t, attr(r2, "boot")$t))
})

test_that("B = 0 gives the result without a bootstrap, unchanged", {
  d <- boot_data(150)
  a <- dm_reliability(d, ordinal = TRUE)
  b <- dm_reliability(d, ordinal = TRUE, B = 0)
  attr(a, "call") <- attr(b, "call") <- NULL
  expect_identical(a, b)
  expect_false(any(grepl("^alpha_ordinal\\.", names(b))))
  expect_null(attr(b, "boot"))
})

test_that("a bar and a progress callback leave the draws unchanged", {
  d <- boot_data(150)
  old <- options(digimaturity.progress = TRUE, cli.progress_show_after = 0)
  on.exit(options(old))
  set.seed(9)
  a <- dm_reliability(d, ordinal = TRUE, B = 60)
  options(digimaturity.progress = FALSE)
  set.seed(9)
  b <- dm_reliability(d, ordinal = TRUE, B = 60)
  expect_identical(attr(a, "boot"), attr(b, "boot"))
})

test_that("draws without a value are left out with a warning", {
  set.seed(1)
  d <- boot_data(60)
  it <- dmm_items$item[dmm_items$dimension == "legacy"][1]
  v <- dmm_items$scale_max[dmm_items$item == it]
  d[[it]] <- v - 1
  d[[it]][1:2] <- v  # two answers in the top category: many draws have none
  set.seed(1)
  # (the near-constant item also draws the keying and convergence warnings)
  expect_warning(res <- withCallingHandlers(quiet_boot(dm_reliability(d, ordinal = TRUE, B = 30)),
    digimaturity_warning_keying = function(w) invokeRestart("muffleWarning"),
    digimaturity_warning_convergence = function(w) invokeRestart("muffleWarning"),
    digimaturity_warning_polychoric_bound = function(w) invokeRestart("muffleWarning")),
    "undefined in some bootstrap draws.*legacy", class = "digimaturity_warning_bootstrap_failed")
  b <- attr(res, "boot")
  expect_gt(b$failed[["legacy"]], 0)
  expect_identical(b$failed[["legacy"]], sum(is.na(b$t[, "legacy"])))
  expect_true(is.finite(res$alpha_ordinal.low[res$dimension == "legacy"]))
})

test_that("bad B, cluster and boot_type are classed errors naming the argument and value", {
  d <- boot_data(80)
  expect_error(dm_reliability(d, ordinal = TRUE, B = -1), "`B`.*-1", class = "digimaturity_error_input")
  expect_error(dm_reliability(d, ordinal = TRUE, B = 10.5), "`B`.*10.5", class = "digimaturity_error_input")
  expect_error(dm_reliability(d, ordinal = TRUE, B = NA), "`B`.*NA", class = "digimaturity_error_input")
  expect_error(dm_reliability(d, ordinal = TRUE, B = "100"), "`B`", class = "digimaturity_error_input")
  expect_error(dm_reliability(d, B = 100), "ordinal = TRUE", class = "digimaturity_error_input")
  expect_error(dm_reliability(d, ordinal = TRUE, B = 100, boot_type = "bcx"), "boot_type.*bcx",
               class = "digimaturity_error")
  expect_error(dm_reliability(d, ordinal = TRUE, cluster = ~municipality), "`cluster`.*`B`",
               class = "digimaturity_error_input")
  expect_error(dm_reliability(d, ordinal = TRUE, B = 100, cluster = ~gemeente), "gemeente",
               class = "digimaturity_error_missing_column")
  expect_error(dm_reliability(d, ordinal = TRUE, B = 100, cluster = d$municipality[-1]),
               "one value per row.*80.*79", class = "digimaturity_error_cluster")
  na <- d
  na$municipality[c(3, 9)] <- NA
  expect_error(dm_reliability(na, ordinal = TRUE, B = 100, cluster = ~municipality),
               "missing in 2 rows.*row 3", class = "digimaturity_error_cluster")
  expect_error(dm_reliability(d, ordinal = TRUE, B = 100, cluster = rep("Gent", 80)),
               "single cluster.*Gent", class = "digimaturity_error_cluster")
  expect_error(dm_reliability(d, ordinal = TRUE, B = 100, clustr = ~municipality), "cluster",
               class = "digimaturity_error_argument_spelling")
  set.seed(1)
  expect_warning(dm_reliability(d, ordinal = TRUE, B = 20), "legacy.*most extreme of the 20 draws",
                 class = "digimaturity_warning_few_draws")
})

test_that("an interrupt stops the ordinal alpha bootstrap within a second and R keeps working", {
  skip_on_cran()
  skip_on_os("windows")  # no kill(1) to send SIGINT from a child process
  d <- boot_data(300)
  set.seed(1)
  run <- interrupt_latency(dm_reliability(d, ordinal = TRUE, B = 1e6))
  expect_identical(run$result, "interrupted")
  expect_lt(run$latency, 1)
  # R keeps working, and so does the core (the hook was removed): the same draws as a
  # fresh run with the same seed (without the bar: a bar after an interrupt is tested in
  # test-progress.R for dm_wild())
  options(digimaturity.progress = FALSE)
  set.seed(2)
  a <- dm_reliability(d[1:100, ], ordinal = TRUE, B = 100)
  set.seed(2)
  b <- dm_reliability(d[1:100, ], ordinal = TRUE, B = 100)
  expect_identical(attr(a, "boot"), attr(b, "boot"))
  expect_true(all(is.finite(a$alpha_ordinal.low)))
  expect_output(print(a), "percentile interval from 100 bootstrap draws of respondents")
})
