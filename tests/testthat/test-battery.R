# Randomized battery (issue #14): random shapes (respondents, items, clusters, missingness
# patterns, weights) through reading, scoring, agreement, reliability, aggregation, models
# and tables, with fixed seeds. Asserted invariants: scores within the scale, shares in
# [0, 1], vcov symmetric positive semi-definite, results unchanged by row order and by the
# number of threads, and no row silently lost (counts add up).

# A random instrument: 2-4 dimensions of 1-6 items, scales 1-5, 0-4 or 1-7, some items
# reverse-keyed.
battery_items <- function() {
  n_dim <- sample(2:4, 1)
  sizes <- sample(2:6, n_dim, replace = TRUE)
  dims <- rep(sprintf("dim%d", seq_len(n_dim)), sizes)
  k <- length(dims)
  scale <- sample(list(c(1L, 5L), c(0L, 4L), c(1L, 7L)), 1)[[1]]
  data.frame(item = sprintf("q%02d", seq_len(k)), dimension = dims,
             keyed = sample(c(1L, -1L), k, replace = TRUE, prob = c(0.8, 0.2)),
             scale_min = scale[1], scale_max = scale[2], stringsAsFactors = FALSE)
}

# Random answers with a mix of missingness patterns: cells missing at random, whole
# respondents who answered nothing, an item nobody answered, answers missing by block.
battery_data <- function(n, items, G) {
  k <- nrow(items)
  lat <- stats::rnorm(n)
  cols <- lapply(seq_len(k), function(j) {
    lo <- items$scale_min[j]; hi <- items$scale_max[j]
    v <- round((lo + hi) / 2 + lat + stats::rnorm(n))
    as.integer(pmin(hi, pmax(lo, v)))
  })
  names(cols) <- items$item
  d <- as.data.frame(cols)
  pattern <- sample(c("mcar", "rows", "item", "block", "none"), 1)
  p <- stats::runif(1, 0, 0.4)
  for (j in items$item) d[[j]][stats::runif(n) < p] <- NA_integer_
  if (pattern == "rows") d[sample(n, max(1, n %/% 10)), items$item] <- NA_integer_
  if (pattern == "item") d[[sample(items$item, 1)]] <- NA_integer_
  if (pattern == "block") {
    rows <- seq_len(n) > n / 2
    d[rows, items$item[seq_len(ceiling(k / 2))]] <- NA_integer_
  }
  # clusters: G groups of random sizes, some of size one
  d$grp <- sprintf("g%03d", sample(c(seq_len(G), if (G > 2) seq_len(2) + G), n, replace = TRUE))
  d$w <- stats::rexp(n)
  d$w[sample(n, n %/% 20)] <- 0
  d$x1 <- stats::rnorm(n)
  d$x1[sample(n, n %/% 15)] <- NA     # a predictor with missing values: rows dropped, counted
  d$x2 <- stats::runif(n)
  d$f <- factor(sample(letters[1:3], n, replace = TRUE), levels = letters[1:4])  # 'd' unused
  d
}

battery_cases <- function() {
  lapply(1:20, function(s) {
    set.seed(1400 + s)
    items <- battery_items()
    n <- sample(c(5:30, 60L, 150L, 400L), 1)
    G <- sample(2:12, 1)
    list(seed = 1400 + s, items = items, n = n, data = battery_data(n, items, G),
         min_answered = sample(c(0, 0.3, 0.5, 1), 1), perm = sample(n))
  })
}

expect_psd <- function(V, label) {
  V <- V[!is.na(diag(V)), !is.na(diag(V)), drop = FALSE]
  if (!length(V)) return(invisible())
  expect_equal(V, t(V), tolerance = 1e-12, label = paste(label, "symmetric"))
  ev <- eigen((V + t(V)) / 2, symmetric = TRUE, only.values = TRUE)$values
  expect_true(all(ev >= -1e-10 * max(abs(ev), .Machine$double.xmin)),
              label = paste(label, "positive semi-definite"))
}

strip <- function(x) {
  x <- as.data.frame(x)
  rownames(x) <- NULL
  attributes(x)[setdiff(names(attributes(x)), c("names", "row.names", "class"))] <- NULL
  x
}

test_that("battery: scores stay within the scale, counts add up and follow the row order", {
  for (cs in battery_cases()) {
    d <- cs$data; items <- cs$items; n <- cs$n
    info <- sprintf("seed %d, n %d, %d items", cs$seed, n, nrow(items))
    lo <- tapply(items$scale_min, items$dimension, min)
    hi <- tapply(items$scale_max, items$dimension, max)
    for (scale in c("mean", "pomp", "z")) {
      s <- suppressWarnings(dm_score(d, items, min_answered = cs$min_answered, scale = scale,
                                     keep = "grp"))
      expect_identical(nrow(s), n, label = info)
      for (dim in attr(s, "dimensions")) {
        v <- s[[dim]]
        cnt <- s[[paste0(dim, "_n")]]
        k <- attr(s, "n_items")[[dim]]
        # scored + unscored = n, and a score exactly where enough items were answered
        expect_equal(sum(!is.na(v)) + attr(s, "n_no_score")[[dim]], n, label = info)
        expect_true(all(cnt >= 0 & cnt <= k), label = info)
        expect_identical(!is.na(v), cnt > 0 & cnt / k >= cs$min_answered - 1e-12, label = info)
        v <- v[!is.na(v)]
        if (scale == "mean") expect_true(all(v >= lo[[dim]] - 1e-12 & v <= hi[[dim]] + 1e-12), label = info)
        if (scale == "pomp") expect_true(all(v >= -1e-12 & v <= 100 + 1e-12), label = info)
        if (scale == "z" && length(v) > 1 && stats::sd(v) > 0) {
          expect_equal(mean(v), 0, tolerance = 1e-10, label = info)
        }
      }
      sp <- suppressWarnings(dm_score(d[cs$perm, ], items, min_answered = cs$min_answered,
                                      scale = scale, keep = "grp"))
      expect_equal(strip(sp), strip(s)[cs$perm, , drop = FALSE] |> strip(), tolerance = 1e-12,
                   label = info)
    }
  }
})

test_that("battery: agreement shares in [0, 1], n counts the valid answers, row order is irrelevant", {
  for (cs in battery_cases()) {
    d <- cs$data; items <- cs$items; n <- cs$n
    info <- sprintf("seed %d, n %d", cs$seed, n)
    thr <- sample(seq(items$scale_min[1], items$scale_max[1]), 1)
    for (w in list(NULL, "w")) {
      if (!is.null(w) && all(d$w == 0)) next
      a <- dm_agree(d, items, threshold = thr, weights = w)
      expect_identical(a$n, vapply(items$item, function(j) sum(!is.na(d[[j]])), integer(1),
                                   USE.NAMES = FALSE), label = info)
      ok <- !is.na(a$favourable)
      expect_true(all(a$favourable[ok] >= 0 & a$favourable[ok] <= 1), label = info)
      expect_true(all(a$conf.low[ok] >= 0 & a$conf.low[ok] <= a$favourable[ok] + 1e-12 &
                        a$conf.high[ok] <= 1 & a$conf.high[ok] >= a$favourable[ok] - 1e-12), label = info)
      expect_identical(is.na(a$favourable), a$n == 0L | (!is.null(w) & is.na(a$n_eff)), label = info)
      ap <- dm_agree(d[cs$perm, ], items, threshold = thr, weights = w)
      expect_equal(strip(ap), strip(a), tolerance = 1e-12, label = info)
      # by group: every answer in exactly one group
      ab <- dm_agree(d, items, threshold = thr, weights = w, by = "grp")
      expect_identical(as.vector(tapply(ab$n, ab$item, sum)[items$item]), a$n, label = info)
      h <- dm_highlights(a, n = 2)
      expect_true(all(h$item %in% items$item) && !anyDuplicated(h$item), label = info)
    }
  }
})

test_that("battery: reliability and aggregation count every row and keep their ranges", {
  for (cs in battery_cases()) {
    d <- cs$data; items <- cs$items; n <- cs$n
    info <- sprintf("seed %d, n %d", cs$seed, n)
    r <- suppressWarnings(dm_reliability(d, items))
    expect_equal(r$n + r$n_incomplete, rep(n, nrow(r)), label = info)
    expect_true(all(is.na(r$alpha) | r$alpha <= 1 + 1e-12), label = info)
    rp <- suppressWarnings(dm_reliability(d[cs$perm, ], items))
    expect_equal(strip(rp), strip(r), tolerance = 1e-9, label = info)

    agg <- dm_aggregate(d, items, by = "grp", min_answered = cs$min_answered)
    expect_identical(sum(agg$n), n, label = info)
    dims <- attr(agg, "dimensions")
    s <- quiet_keying(dm_score(d, items, min_answered = cs$min_answered))
    for (dim in dims) {
      m <- agg[[dim]][!is.na(agg[[dim]])]
      expect_true(all(m >= min(items$scale_min) - 1e-12 & m <= max(items$scale_max) + 1e-12), label = info)
      rwg <- agg[[paste0(dim, "_rwg")]]
      expect_true(all(is.na(rwg) | (rwg >= -1e-12 & rwg <= 1 + 1e-12)), label = info)
      expect_identical(sum(agg[[paste0(dim, "_n")]]), sum(!is.na(s[[dim]])), label = info)
    }
    aggp <- dm_aggregate(d[cs$perm, ], items, by = "grp", min_answered = cs$min_answered)
    expect_equal(strip(aggp), strip(agg), tolerance = 1e-10, label = info)
    ag <- dm_agreement(d, items, by = "grp", min_answered = cs$min_answered)
    expect_true(all(ag$n <= n & ag$n_groups <= nrow(agg)), label = info)
    expect_true(all(is.na(ag$icc2) | ag$icc2 <= 1 + 1e-12), label = info)
    agp <- dm_agreement(d[cs$perm, ], items, by = "grp", min_answered = cs$min_answered)
    expect_equal(strip(agp), strip(ag), tolerance = 1e-9, label = info)
  }
})

# A model on the scores: nobs + dropped = nrow, vcov PSD, unchanged by the row order.
battery_fit <- function(data, vcov, weighted) {
  cl <- if (startsWith(vcov, "CR")) ~grp else NULL
  if (weighted) {
    dm_lm(y ~ x1 + x2 + f, data, weights = w, cluster = cl, vcov = vcov)
  } else {
    dm_lm(y ~ x1 + x2 + f, data, cluster = cl, vcov = vcov)
  }
}

test_that("battery: models keep every row accounted for, a PSD vcov, and ignore the row order", {
  for (cs in battery_cases()) {
    d <- cs$data; items <- cs$items; n <- cs$n
    s <- quiet_keying(dm_score(d, items, min_answered = cs$min_answered))
    d$y <- s[[attr(s, "dimensions")[1]]]
    used <- !is.na(d$y) & !is.na(d$x1)
    if (sum(used & d$w > 0) < 12 || length(unique(d$grp[used & d$w > 0])) < 3 ||
        length(unique(d$f[used & d$w > 0])) < 3) next
    info <- sprintf("seed %d, n %d", cs$seed, n)
    for (vc in c("HC2", "CR2", "CR1")) for (weighted in c(FALSE, TRUE)) {
      fit <- tryCatch(suppressMessages(suppressWarnings(battery_fit(d, vc, weighted))),
                      digimaturity_error = function(e) e)
      if (inherits(fit, "digimaturity_error")) next   # a degenerate draw, cleanly refused
      dropped <- if (is.null(fit$na.action)) 0L else length(fit$na.action)
      expect_identical(as.integer(nobs(fit) + dropped), n, label = info)
      expect_identical(as.integer(nobs(fit)),
                       sum(used & (if (weighted) d$w > 0 else TRUE)), label = info)
      V <- vcov(fit)
      expect_psd(V, paste(info, vc))
      fp <- suppressMessages(suppressWarnings(battery_fit(d[cs$perm, ], vc, weighted)))
      expect_equal(coef(fp), coef(fit), tolerance = 1e-10, label = info)
      expect_equal(vcov(fp), V, tolerance = 1e-10, label = info)
      expect_equal(dm_coef_df(fp), dm_coef_df(fit), tolerance = 1e-10, label = info)
      expect_equal(tidy(fp)$p.value, tidy(fit)$p.value, tolerance = 1e-8, label = info)
      wd <- without_few_clusters(dm_wald(fit, "f"))
      expect_true(is.na(wd$p.value) || (wd$p.value >= 0 && wd$p.value <= 1), label = info)
      tab <- without_few_clusters(dm_table(list(A = fit), fit = c("r.squared", "nobs")))
      expect_true(any(grepl(format(nobs(fit)), tab, fixed = TRUE)), label = info)
    }
  }
})

test_that("battery: results do not depend on the number of threads", {
  old <- getOption("digimaturity.threads")
  on.exit(options(digimaturity.threads = old))
  set.seed(1499)
  # large enough that the model code runs in parallel (n k^2 >= 2e6)
  n <- 24000
  d <- data.frame(x1 = stats::rnorm(n), x2 = stats::runif(n),
                  f = factor(sample(letters[1:8], n, replace = TRUE)),
                  grp = sample(sprintf("g%03d", 1:300), n, replace = TRUE),
                  w = stats::rexp(n))
  d$y <- d$x1 + stats::rnorm(n)
  d$y[sample(n, 500)] <- NA
  run <- function(threads) {
    dm_threads(threads)
    fits <- lapply(c("HC2", "CR2", "CR1"), function(vc)
      battery_fit(d, vc, weighted = TRUE))
    list(coef = lapply(fits, coef), vcov = lapply(fits, vcov),
         df = dm_coef_df(fits[[2]]), wald = dm_wald(fits[[2]], "f"),
         nobs = vapply(fits, nobs, integer(1)))
  }
  one <- run(1)
  two <- run(2)
  expect_identical(two, one)
  expect_identical(one$nobs, rep(as.integer(n - 500), 3))
  for (V in one$vcov) expect_psd(V, "threads")

  items <- battery_items()
  r <- battery_data(3000, items, 40)
  dm_threads(1)
  s1 <- quiet_keying(list(dm_score(r, items), dm_agree(r, items, weights = "w"),
                          dm_aggregate(r, items, by = "grp"), dm_reliability(r, items)))
  dm_threads(2)
  s2 <- quiet_keying(list(dm_score(r, items), dm_agree(r, items, weights = "w"),
                          dm_aggregate(r, items, by = "grp"), dm_reliability(r, items)))
  expect_identical(s2, s1)
})

test_that("battery: dm_read() of a written file gives what dm_score() gives on the data", {
  for (cs in battery_cases()[1:4]) {
    d <- cs$data; items <- cs$items
    f <- tempfile(fileext = sample(c(".csv", ".tsv", ".txt"), 1))
    sep <- if (grepl("tsv$", f)) "\t" else sample(c(",", ";"), 1)
    utils::write.table(d, f, sep = sep, row.names = FALSE, na = "", quote = TRUE)
    r <- quiet_keying(suppressMessages(dm_read(f, items, verbose = FALSE)))
    unlink(f)
    expect_identical(nrow(r), cs$n)
    expect_equal(strip(quiet_keying(dm_score(r, items, min_answered = cs$min_answered))),
                 strip(quiet_keying(dm_score(d, items, min_answered = cs$min_answered))),
                 tolerance = 1e-12,
                 label = sprintf("seed %d", cs$seed))
  }
})
