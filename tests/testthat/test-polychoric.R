# Simulated ordinal items from one normal factor cut at item-specific thresholds.
sim_ordinal <- function(n, p = 6, ncat = 5, miss = 0, seed = 1, loading = 0.7) {
  set.seed(seed)
  f <- stats::rnorm(n)
  d <- as.data.frame(lapply(seq_len(p), function(j) {
    x <- loading * f + sqrt(1 - loading^2) * stats::rnorm(n)
    y <- as.integer(cut(x, c(-Inf, sort(stats::rnorm(ncat - 1, sd = 0.8)), Inf)))
    y[stats::runif(n) < miss] <- NA_integer_
    y
  }))
  names(d) <- paste0("q", seq_len(p))
  d
}
codebook <- function(d, keyed = 1, scale_max = 5) {
  data.frame(item = names(d), dimension = rep(c("a", "b"), length.out = ncol(d)),
             keyed = keyed, scale_min = 1, scale_max = scale_max, stringsAsFactors = FALSE)
}
lav_matrix <- function(d, ...) {
  m <- suppressWarnings(lavaan::lavCor(d, ordered = names(d), ...))
  unclass(m)[names(d), names(d)]
}

test_that("the bivariate normal distribution function equals mvtnorm and numerical integration", {
  bvn <- digimaturity:::dm_bvn_cpp
  set.seed(3)
  h <- c(stats::runif(300, -9, 9), -8, -8, 8, 0, -3)
  k <- c(stats::runif(300, -9, 9), -7, 8, -8, 0, 3)
  r <- c(stats::runif(300, -1, 1), 0.999999, -0.95, 0.5, -1, 1)
  r[1:60] <- rep(c(-0.9999, 0.9999, 0.93, -0.93, 0.3, 0.75, -0.74, 0.924, 0, 0.29), 6)
  mine <- bvn(h, k, r)
  # numerical integration: P = int_{-Inf}^{h} phi(x) Phi((k - r x) / sqrt(1 - r^2)) dx
  ref_int <- function(a, b, c) {
    if (abs(c) == 1) return(if (c > 0) stats::pnorm(min(a, b)) else max(0, stats::pnorm(a) - stats::pnorm(-b)))
    stats::integrate(function(x) stats::dnorm(x) * stats::pnorm((b - c * x) / sqrt(1 - c^2)),
                     -Inf, a, rel.tol = 1e-13, abs.tol = 0, subdivisions = 1000L)$value
  }
  sel <- abs(r) < 0.9999
  ref <- mapply(ref_int, h[sel], k[sel], r[sel])
  expect_lt(max(abs(mine[sel] - ref)), 1e-14)
  # tails: relative accuracy where the probability is not below 1e-12
  tl <- expand.grid(h = c(-7, -5, -3, -1.5), k = c(-6, -4, -2), r = c(-0.5, 0, 0.5, 0.8, 0.95, 0.99))
  m2 <- bvn(tl$h, tl$k, tl$r)
  r2 <- mapply(ref_int, tl$h, tl$k, tl$r)
  big <- r2 > 1e-12
  expect_lt(max(abs(m2[big] - r2[big]) / r2[big]), 1e-8)
  expect_lt(max(abs(m2 - r2)), 1e-15)
  expect_true(all(m2 >= 0))
  # infinite limits and |r| = 1
  expect_equal(bvn(c(Inf, 1, -Inf, Inf), c(0.3, Inf, 2, Inf), 0.4),
               c(stats::pnorm(0.3), stats::pnorm(1), 0, 1), tolerance = 1e-15)
  expect_equal(bvn(0, 0, 0.5), 1 / 4 + asin(0.5) / (2 * pi), tolerance = 1e-15)
  expect_error(bvn(0, 0, 1.5), "r must lie in")
  expect_error(bvn(NaN, 0, 0.5), "must not be NaN")
  skip_if_not_installed("mvtnorm")
  ref_mvt <- mapply(function(a, b, c) {
    mvtnorm::pmvnorm(upper = c(a, b), corr = matrix(c(1, c, c, 1), 2))[1]
  }, h[abs(r) < 1], k[abs(r) < 1], r[abs(r) < 1])
  expect_lt(max(abs(mine[abs(r) < 1] - ref_mvt)), 1e-14)
})

test_that("dm_polychoric() equals lavaan::lavCor() on complete data, with thresholds", {
  skip_if_not_installed("lavaan")
  d <- sim_ordinal(300, p = 6)
  pc <- dm_polychoric(d, codebook(d))
  expect_s3_class(pc, "dm_polychoric")
  expect_equal(as.matrix(pc), lav_matrix(d), tolerance = 1e-6)
  fit <- lavaan::lavCor(d, ordered = names(d), output = "fit")
  th <- lavaan::lavInspect(fit, "sampstat")$th
  expect_equal(unname(unlist(attr(pc, "thresholds"))), unname(as.vector(th)), tolerance = 1e-8)
  # thresholds are qnorm of the cumulative shares, named by the codes they separate
  tab <- table(d$q1)
  expect_equal(unname(attr(pc, "thresholds")$q1), unname(stats::qnorm(cumsum(tab) / sum(tab))[-length(tab)]),
               tolerance = 1e-14)
  expect_identical(names(attr(pc, "thresholds")$q1), c("1|2", "2|3", "3|4", "4|5"))
  expect_equal(attr(pc, "n"), matrix(300, 6, 6, dimnames = list(names(d), names(d))))
  expect_identical(attr(pc, "missing"), "pairwise")
  expect_s3_class(attr(pc, "instrument"), "data.frame")
  expect_true(is.call(attr(pc, "call")))
  expect_true(isSymmetric(as.matrix(pc)))
})

test_that("missing answers: pairwise equals lavCor(missing = 'pairwise'), listwise lavCor()'s default", {
  skip_if_not_installed("lavaan")
  d <- sim_ordinal(400, p = 6, miss = 0.1, seed = 2)
  pc <- dm_polychoric(d, codebook(d))
  expect_equal(as.matrix(pc), lav_matrix(d, missing = "pairwise"), tolerance = 1e-6)
  answered <- !is.na(d)
  expect_equal(unname(attr(pc, "n")), unname(crossprod(answered) * 1))
  # thresholds per item from all of its answers
  expect_equal(unname(attr(pc, "thresholds")$q2),
               unname(stats::qnorm(cumsum(table(d$q2)) / sum(!is.na(d$q2)))[-5]), tolerance = 1e-14)
  pl <- dm_polychoric(d, codebook(d), missing = "listwise")
  expect_equal(as.matrix(pl), lav_matrix(d), tolerance = 1e-6)
  expect_equal(attr(pl, "rows_used"), sum(stats::complete.cases(d)))
  expect_false(isTRUE(all.equal(as.matrix(pl), as.matrix(pc))))
})

test_that("empty cells follow lavaan's zero.add = c(0.5, 0) and zero.keep.margins", {
  skip_if_not_installed("lavaan")
  d <- sim_ordinal(60, p = 6, seed = 3)
  pc <- dm_polychoric(d, codebook(d))
  empty <- attr(pc, "empty_cells")
  expect_gt(sum(empty[upper.tri(empty)] > 0), 5)
  expect_equal(as.matrix(pc), lav_matrix(d), tolerance = 1e-6)
  # binary items: 2 x 2 tables with one empty cell
  b <- sim_ordinal(40, p = 6, ncat = 2, seed = 4)
  cb <- codebook(b, scale_max = 2)
  pb <- suppressWarnings(dm_polychoric(b, cb))
  eb <- attr(pb, "empty_cells")
  expect_true(any(eb[upper.tri(eb)] == 1))
  expect_equal(as.matrix(pb), lav_matrix(b), tolerance = 1e-6)
  for (zkm in c(FALSE, TRUE)) {
    p2 <- suppressWarnings(dm_polychoric(b, cb, zero_add = c(0.3, 0.2), zero_keep_margins = zkm))
    expect_equal(as.matrix(p2), lav_matrix(b, zero.add = c(0.3, 0.2), zero.keep.margins = zkm),
                 tolerance = 1e-6)
  }
  # a 2 x 2 table with two empty cells: +1 with a warning
  tw <- data.frame(x = c(1, 1, 2, 2, 1), y = c(1, 1, 2, 2, 1))
  expect_warning(p1 <- dm_polychoric(tw, codebook(tw, scale_max = 2)), "x x y",
                 class = "digimaturity_warning_polychoric_bound")
  expect_identical(p1[1, 2], 1)
  expect_true(is.na(attr(p1, "se")[1, 2]))
})

test_that("dm_polychoric() equals psych::polychoric() where they agree", {
  skip_if_not_installed("psych")
  set.seed(5)
  f <- stats::rnorm(1000)
  d <- as.data.frame(lapply(1:4, function(j) {
    as.integer(cut(0.6 * f + 0.8 * stats::rnorm(1000), c(-Inf, -1, -0.3, 0.4, 1.1, Inf)))
  }))
  names(d) <- paste0("q", 1:4)
  pc <- dm_polychoric(d, codebook(d))
  expect_true(all(attr(pc, "empty_cells") == 0))
  ps <- suppressWarnings(psych::polychoric(d))
  expect_equal(unname(as.matrix(pc)), unname(ps$rho), tolerance = 1e-4)
  expect_equal(unname(unlist(attr(pc, "thresholds"))), unname(as.vector(t(ps$tau))), tolerance = 1e-10)
})

test_that("keyed items are reversed; keyed = FALSE uses the codes as they are", {
  skip_if_not_installed("lavaan")
  d <- sim_ordinal(200, p = 4, seed = 7)
  d$q3 <- 6L - d$q3
  cb <- codebook(d, keyed = c(1, 1, -1, 1))
  pk <- dm_polychoric(d, cb)
  pr <- dm_polychoric(d, cb, keyed = FALSE)
  expect_equal(as.matrix(pr), lav_matrix(d), tolerance = 1e-6)
  expect_equal(pk[3, -3], -pr[3, -3], tolerance = 1e-8)
  expect_equal(pk[-3, -3], pr[-3, -3])
  expect_true(all(pk[upper.tri(pk)] > 0))
  expect_equal(unname(attr(pk, "thresholds")$q3), -rev(unname(attr(pr, "thresholds")$q3)),
               tolerance = 1e-12)
})

test_that("an unobserved code gets no threshold, as in lavaan", {
  skip_if_not_installed("lavaan")
  d <- sim_ordinal(200, p = 4, seed = 8)
  d$q2[d$q2 == 3L] <- 4L
  pc <- dm_polychoric(d, codebook(d))
  expect_identical(names(attr(pc, "thresholds")$q2), c("1|2", "2|4", "4|5"))
  expect_equal(as.matrix(pc), lav_matrix(d), tolerance = 1e-6)
})

test_that("standard errors equal lavCor(se = 'standard'), with missing answers and empty cells too", {
  skip_if_not_installed("lavaan")
  lav_se <- function(d, ...) {
    est <- lavaan::lavCor(d, ordered = names(d), se = "standard", output = "est", ...)
    est <- est[est$op == "~~" & est$lhs != est$rhs, ]
    M <- matrix(NA_real_, ncol(d), ncol(d), dimnames = list(names(d), names(d)))
    M[cbind(est$lhs, est$rhs)] <- M[cbind(est$rhs, est$lhs)] <- est$se
    M
  }
  d <- sim_ordinal(300, p = 5, seed = 13)
  expect_equal(attr(dm_polychoric(d, codebook(d)), "se"), lav_se(d), tolerance = 1e-5)
  m <- sim_ordinal(300, p = 5, miss = 0.1, seed = 14)
  expect_equal(attr(dm_polychoric(m, codebook(m)), "se"), lav_se(m, missing = "pairwise"),
               tolerance = 1e-5)
  expect_equal(attr(dm_polychoric(m, codebook(m), missing = "listwise"), "se"), lav_se(m),
               tolerance = 1e-5)
  z <- sim_ordinal(70, p = 4, seed = 15)
  pz <- dm_polychoric(z, codebook(z))
  expect_gt(sum(attr(pz, "empty_cells")), 0)
  expect_equal(attr(pz, "se"), lav_se(z), tolerance = 1e-5)
})

test_that("standard errors match the sampling spread of the estimates", {
  ins2 <- data.frame(item = c("a", "b"), dimension = "x", keyed = 1, scale_min = 1, scale_max = 5)
  one <- function(miss) {
    z1 <- stats::rnorm(300)
    z2 <- 0.5 * z1 + sqrt(0.75) * stats::rnorm(300)
    d <- data.frame(a = as.integer(cut(z1, c(-Inf, -1, 0, 0.5, 1.2, Inf))),
                    b = as.integer(cut(z2, c(-Inf, -1.5, -0.3, 0.4, 1, Inf))))
    if (miss) d$a[stats::runif(300) < miss] <- NA
    pc <- dm_polychoric(d, ins2)
    c(pc[1, 2], attr(pc, "se")[1, 2])
  }
  set.seed(10)
  r <- t(replicate(300, one(0)))
  # the sd of 300 estimates is within about 4% of the truth (1 standard error)
  expect_equal(mean(r[, 2]), stats::sd(r[, 1]), tolerance = 0.08)
  expect_equal(mean(r[, 1]), 0.5, tolerance = 0.02)
  r2 <- t(replicate(300, one(0.3)))
  expect_equal(mean(r2[, 2]), stats::sd(r2[, 1]), tolerance = 0.08)
  # the thresholds' sampling error counts: larger than the information of rho alone
  expect_gt(mean(r2[, 2]), mean(r[, 2]))
  expect_null(attr(dm_polychoric(sim_ordinal(50, p = 3), codebook(sim_ordinal(50, p = 3)),
                                 std_errors = FALSE), "se"))
})

test_that("results do not depend on the number of threads", {
  old <- options(digimaturity.threads = 1)
  on.exit(options(old))
  d <- sim_ordinal(3000, p = 24, miss = 0.05, seed = 9)
  cb <- codebook(d)
  p1 <- dm_polychoric(d, cb)
  options(digimaturity.threads = 2)
  digimaturity:::dm_threads_used_cpp()
  p2 <- dm_polychoric(d, cb)
  if (digimaturity:::dm_num_procs() >= 2) expect_identical(digimaturity:::dm_threads_used_cpp(), 2L)
  expect_identical(unclass(p1)[], unclass(p2)[])
  expect_identical(attr(p1, "se"), attr(p2, "se"))
})

test_that("bad input gives classed errors that name the item, argument or value", {
  d <- sim_ordinal(100, p = 4, seed = 11)
  cb <- codebook(d)
  one <- d
  one$q2 <- 3L
  expect_error(dm_polychoric(one, cb), "q2.*every answer is 3", class = "digimaturity_error_one_category")
  one$q2 <- NA_integer_
  expect_error(dm_polychoric(one, cb), "q2.*no answer", class = "digimaturity_error_one_category")
  frac <- d
  frac$q3[7] <- 2.5
  expect_error(dm_polychoric(frac, cb), "q3.*row 7.*2.5", class = "digimaturity_error_invalid_code")
  out <- d
  out$q1[4] <- 9
  expect_error(dm_polychoric(out, cb), "q1", class = "digimaturity_error_invalid_code")
  expect_silent(dm_polychoric(out, cb, missing_codes = 9))
  expect_error(dm_polychoric(d, cb[1, ]), "at least 2 items.*q1",
               class = "digimaturity_error_too_few_items")
  expect_error(dm_polychoric(as.matrix(d), cb), "data frame", class = "digimaturity_error_input")
  expect_error(dm_polychoric(d, cb, missing = "all"), "missing", class = "digimaturity_error")
  expect_error(dm_polychoric(d, cb, zero_add = 0.5), "zero_add", class = "digimaturity_error_input")
  expect_error(dm_polychoric(d, cb, zero_add = c(-1, 0)), "zero_add", class = "digimaturity_error_input")
  expect_error(dm_polychoric(d, cb, keyed = NA), "keyed", class = "digimaturity_error_input")
  expect_error(dm_polychoric(d, cb, misssing = "listwise"), "missing",
               class = "digimaturity_error_argument_spelling")
  expect_error(print(dm_polychoric(d, cb), digts = 3), "digits",
               class = "digimaturity_error_argument_spelling")
  # a pair nobody answered together: a named warning and NA
  nov <- d
  nov$q1[1:50] <- NA
  nov$q4[51:100] <- NA
  expect_warning(pn <- dm_polychoric(nov, cb), "q1 x q4", class = "digimaturity_warning_no_overlap")
  expect_true(is.na(pn[1, 4]))
  # redundant items: at the bound, with a named warning
  dup <- d
  dup$q2 <- dup$q1
  expect_warning(pd <- dm_polychoric(dup, cb), "q1 x q2", class = "digimaturity_warning_polychoric_bound")
  expect_identical(pd[1, 2], 0.999)
})

test_that("print() shows the matrix, the n per pair and where the rest is", {
  d <- sim_ordinal(120, p = 4, miss = 0.1, seed = 12)
  pc <- dm_polychoric(d, codebook(d))
  out <- capture.output(print(pc))
  expect_match(out[1], "<dm_polychoric> 4 items")
  expect_match(out[2], "pairwise-complete.*n per pair [0-9]+ to [0-9]+")
  expect_true(any(grepl(sub("^(-?)0", "\\1", formatC(pc[2, 1], format = "f", digits = 2)), out,
                        fixed = TRUE)))
  # long item names: numbered columns, names with their numbers on the rows
  wide <- capture.output(print(dm_polychoric(flanders_dm)))
  expect_match(wide[3], "^ +1 +2 +3")
  expect_true(any(grepl("^poor_past_it +24 ", wide)))
  expect_match(out[length(out)], "standard errors")
  expect_identical(attributes(as.matrix(pc)), list(dim = c(4L, 4L), dimnames = list(names(d), names(d))))
})

test_that("dm_polychoric() works on the bundled data and names the instrument's items", {
  pc <- dm_polychoric(flanders_dm)
  expect_identical(colnames(pc), dmm_items$item)
  expect_true(all(abs(pc[upper.tri(pc)]) < 1))
})

test_that("dm_reliability(ordinal = TRUE) adds ordinal alpha from the polychoric matrix", {
  skip_if_not_installed("lavaan")
  d <- sim_responses(n = 300, p_missing = 0.1)
  rel <- dm_reliability(d, ordinal = TRUE)
  expect_identical(names(rel)[match("alpha_std", names(rel)) + 1L], "alpha_ordinal")
  expect_false("alpha_ordinal" %in% names(dm_reliability(d)))
  k <- as.data.frame(keyed_matrix(d))
  for (dim in rel$dimension) {
    x <- k[dmm_items$item[dmm_items$dimension == dim]]
    R <- lav_matrix(x, missing = "pairwise")
    p <- ncol(R)
    expect_equal(rel$alpha_ordinal[rel$dimension == dim], p / (p - 1) * (1 - p / sum(R)),
                 tolerance = 1e-6)
  }
  # ordinal alpha is above alpha on coarse items (Zumbo et al. 2007)
  expect_true(all(rel$alpha_ordinal > rel$alpha_std))
  # use = "complete": the polychorics of the dimension's complete cases
  rc <- dm_reliability(d, use = "complete", ordinal = TRUE)
  x <- stats::na.omit(k[dmm_items$item[dmm_items$dimension == "innovation"]])
  R <- lav_matrix(x)
  p <- ncol(R)
  expect_equal(rc$alpha_ordinal[rc$dimension == "innovation"], p / (p - 1) * (1 - p / sum(R)),
               tolerance = 1e-6)
  expect_error(dm_reliability(d, ordinal = "yes"), "ordinal", class = "digimaturity_error_input")
  expect_output(print(rel), "alpha_ordinal")
})

test_that("tidy() gives one row per pair with lavaan's Wald intervals", {
  skip_if_not_installed("lavaan")
  d <- sim_ordinal(300, p = 4, seed = 16)
  pc <- dm_polychoric(d, codebook(d))
  td <- tidy(pc)
  expect_identical(nrow(td), 6L)
  expect_identical(names(td), c("item1", "item2", "estimate", "std.error", "statistic", "p.value",
                                "conf.low", "conf.high", "n", "empty_cells"))
  est <- lavaan::lavCor(d, ordered = names(d), se = "standard", output = "est")
  est <- est[est$op == "~~" & est$lhs != est$rhs, ]
  key <- paste(td$item1, td$item2)
  est <- est[match(key, paste(est$lhs, est$rhs)), ]
  expect_equal(td$estimate, est$est.std, tolerance = 1e-6)
  expect_equal(td$std.error, est$se, tolerance = 1e-5)
  expect_equal(td$conf.low, est$ci.lower, tolerance = 1e-5)
  expect_equal(td$conf.high, est$ci.upper, tolerance = 1e-5)
  expect_equal(td$n, rep(300, 6))
  expect_false("conf.low" %in% names(tidy(pc, conf.int = FALSE)))
  expect_error(tidy(pc, conf_level = 0.9), class = "digimaturity_error_argument_spelling")
  expect_true(all(is.na(tidy(dm_polychoric(d, codebook(d), std_errors = FALSE))$std.error)))
})
