# dm_benchmark(): EB estimates against lme4, the prediction error variance against the
# mixed-model equations, rank intervals (threads, seed, coverage), peers and items.

bench_small <- local({
  b <- NULL
  function() {
    if (is.null(b)) {
      set.seed(11)
      b <<- dm_benchmark(flanders_dm, peers = ~population_class, draws = 400)
    }
    b
  }
})

lmer_reference <- function(y, g, w = NULL) {
  d0 <- data.frame(y = y, g = factor(g), w = if (is.null(w)) 1 else w)
  d0 <- d0[!is.na(d0$y), ]
  f <- suppressMessages(lme4::lmer(y ~ 1 + (1 | g), d0, REML = TRUE, weights = w,
                                   control = lme4::lmerControl(optimizer = "bobyqa",
                                                               optCtrl = list(rhoend = 1e-12))))
  re <- lme4::ranef(f, condVar = TRUE)$g
  list(unit = rownames(re), estimate = unname(lme4::fixef(f)) + re[, 1],
       cond_var = attr(re, "postVar")[1, 1, ], sigma2 = stats::sigma(f)^2,
       tau2 = as.data.frame(lme4::VarCorr(f))$vcov[1])
}

test_that("EB estimates and conditional variances equal lme4's BLUPs and condVar", {
  skip_if_not_installed("lme4")
  b <- bench_small()
  s <- dm_score(flanders_dm)
  for (d in unique(b$units$dimension)) {
    ref <- lmer_reference(s[[d]], flanders_dm$municipality)
    u <- b$units[b$units$dimension == d, ]
    m <- match(ref$unit, u$unit)
    expect_lt(max(abs(u$estimate[m] - ref$estimate)), 1e-6)
    expect_lt(max(abs(u$cond_var[m] - ref$cond_var)), 1e-6)
    mo <- b$model[b$model$dimension == d, ]
    expect_equal(mo$sigma2, ref$sigma2, tolerance = 1e-6)
    expect_equal(mo$tau2, ref$tau2, tolerance = 1e-6)
    # the reliability is tau2 / (tau2 + sigma2 / n)
    expect_equal(u$reliability, mo$tau2 / (mo$tau2 + mo$sigma2 / u$n), tolerance = 1e-10)
  }
})

test_that("weighted EB estimates equal lme4 with the same (precision) weights, any scale", {
  skip_if_not_installed("lme4")
  set.seed(3)
  w <- stats::runif(nrow(flanders_dm), 0.3, 3)
  b <- dm_benchmark(flanders_dm, weights = w, draws = 200)
  b1000 <- dm_benchmark(flanders_dm, weights = w * 1000, draws = 200)
  expect_equal(b1000$units$estimate, b$units$estimate, tolerance = 1e-9)
  expect_equal(b1000$model$icc, b$model$icc, tolerance = 1e-6)
  s <- dm_score(flanders_dm)
  ref <- lmer_reference(s$innovation, flanders_dm$municipality, w)
  u <- b$units[b$units$dimension == "innovation", ]
  m <- match(ref$unit, u$unit)
  expect_lt(max(abs(u$estimate[m] - ref$estimate)), 1e-6)
  expect_lt(max(abs(u$cond_var[m] - ref$cond_var)), 1e-6)
  expect_true(attr(b, "weighted"))
})

test_that("the prediction error variance equals the inverse of the mixed-model equations", {
  b <- bench_small()
  s <- dm_score(flanders_dm)
  d <- "legacy"
  mo <- b$model[b$model$dimension == d, ]
  ok <- !is.na(s[[d]])
  g <- factor(flanders_dm$municipality[ok])
  X <- matrix(1, sum(ok), 1)
  Z <- stats::model.matrix(~ 0 + g)
  C <- rbind(cbind(crossprod(X), crossprod(X, Z)),
             cbind(crossprod(Z, X), crossprod(Z) + diag(mo$sigma2 / mo$tau2, ncol(Z)))) / mo$sigma2
  Ci <- solve(C)
  L <- cbind(1, diag(ncol(Z)))       # mu + u_j
  pev <- rowSums((L %*% Ci) * L)
  u <- b$units[b$units$dimension == d, ]
  m <- match(levels(g), u$unit)
  expect_lt(max(abs(u$pev[m] - pev)), 1e-9)
  expect_true(all(u$pev > u$cond_var))
  z <- stats::qnorm(0.95)
  expect_equal(u$conf.high - u$estimate, z * sqrt(u$pev))
})

test_that("raw means are never shown below 3 respondents; n = 0 is not reportable", {
  b <- bench_small()
  u <- b$units
  expect_true(all(is.na(u$mean[u$n < 3])))
  expect_true(all(!is.na(u$mean[u$n >= 3])))
  d <- flanders_dm
  d[d$municipality == 2, dmm_items$item[dmm_items$dimension == "innovation"]] <- NA
  set.seed(1)
  b2 <- dm_benchmark(d, draws = 200)
  r <- b2$units[b2$units$unit == "2" & b2$units$dimension == "innovation", ]
  expect_false(r$reportable)
  expect_equal(r$n, 0)
  expect_true(is.na(r$rank))
  expect_equal(r$estimate, b2$model$mu[b2$model$dimension == "innovation"])
})

test_that("rank intervals do not depend on the number of threads and follow set.seed()", {
  old <- dm_threads(1)
  on.exit(dm_threads(old))
  set.seed(5)
  b1 <- dm_benchmark(flanders_dm, draws = 300)
  dm_threads(2)
  set.seed(5)
  b2 <- dm_benchmark(flanders_dm, draws = 300)
  cols <- c("rank.low", "rank.high", "rank.sim.low", "rank.sim.high")
  expect_identical(b1$units[cols], b2$units[cols])
  expect_identical(b1$model$simultaneous_coverage, b2$model$simultaneous_coverage)
  set.seed(6)
  b3 <- dm_benchmark(flanders_dm, draws = 300)
  expect_false(identical(b1$units$rank.low, b3$units$rank.low))
})

test_that("simultaneous intervals contain the marginal ones and hold jointly", {
  b <- bench_small()
  u <- b$units[b$units$reportable, ]
  expect_true(all(u$rank.sim.low <= u$rank.low & u$rank.sim.high >= u$rank.high))
  expect_true(all(u$rank.low <= u$rank.high))
  expect_true(all(b$model$simultaneous_coverage >= 0.90))
  # one respondent: a wider rank interval than four
  width <- u$rank.high - u$rank.low
  expect_gt(mean(width[u$n == 1]), mean(width[u$n == 4]) + 10)
  expect_equal(u$percentile, 100 * (u$n_ranked - u$rank) / (u$n_ranked - 1))
})

test_that("marginal 90% rank intervals cover the true rank at the nominal rate", {
  # Simulation from the model: J units with 1-4 respondents as in flanders_dm, true
  # theta_j = mu + u_j. Each replication gives the share of units whose interval holds
  # the true rank. The replications are independent, so the mean share has a standard
  # error sd(share) / sqrt(reps); the test allows 3 of them below 0.90 (a one-sided
  # 0.13% false alarm rate) and nothing else.
  set.seed(20261207)
  reps <- 30L
  J <- 120L
  share <- numeric(reps)
  for (r in seq_len(reps)) {
    n <- sample(1:4, J, replace = TRUE, prob = c(0.43, 0.34, 0.13, 0.10))
    theta <- 3.5 + stats::rnorm(J, sd = 0.25)
    g <- rep(seq_len(J), n)
    y <- theta[g] + stats::rnorm(length(g), sd = 0.5)
    W <- as.numeric(n)
    ybar <- as.vector(tapply(y, g, mean))
    S <- as.vector(tapply(y, g, function(v) sum((v - mean(v))^2)))
    rk <- dm_benchmark_ranks_cpp(W, ybar, S, length(y), 600L, 0.90,
                                 floor(stats::runif(2) * 2^32), 1L)
    true_rank <- rank(-theta)
    share[r] <- mean(true_rank >= rk$marginal_low & true_rank <= rk$marginal_high)
  }
  tol <- 3 * stats::sd(share) / sqrt(reps)
  expect_gte(mean(share), 0.90 - tol)
  # and not trivially: the intervals are far from the whole range
  expect_lt(mean(share), 0.99)
})

test_that("the C++ fit refuses what it cannot fit", {
  expect_error(dm_benchmark_fit_cpp(c(1, 1), c(1, 2), c(0, 0), 2), "two units")
  expect_error(dm_benchmark_fit_cpp(c(1, -1, 2), c(1, 2, 3), c(0, 0, 1), 4), ">= 0")
  expect_error(dm_benchmark_ranks_cpp(c(1, 2), c(1, 2), c(0, 1), 3, 100L, 0.9, 1, 1L), "seed")
  d <- flanders_dm[!duplicated(flanders_dm$municipality), ]
  expect_error(dm_benchmark(d, draws = 200), class = "digimaturity_error_model")
})

test_that("peers: a grouping column, the k most similar in size, and their errors", {
  b <- bench_small()
  u <- b$units[b$units$dimension == "efficiency", ]
  cls <- flanders_dm$population_class[match(u$unit, flanders_dm$municipality)]
  expect_equal(u$peer_group, as.character(cls))
  expect_equal(u$peer_units, as.vector(table(cls)[as.character(cls)]))
  # the peer mean is the respondent mean of the group
  s <- dm_score(flanders_dm)
  grp <- flanders_dm$population_class == cls[1]
  expect_equal(u$peer_mean[1], mean(s$efficiency[grp], na.rm = TRUE))
  set.seed(1)
  bk <- dm_benchmark(flanders_dm, peers = 6, size = ~population_class, draws = 200)
  expect_true(all(lengths(bk$peers) == 7L))
  expect_identical(unname(vapply(bk$peers, `[`, "", 1)), names(bk$peers))
  # nearest in size: no peer further away than a unit left out
  sz <- as.integer(flanders_dm$population_class)[match(names(bk$peers), flanders_dm$municipality)]
  names(sz) <- names(bk$peers)
  p1 <- bk$peers[[1]]
  expect_lte(max(abs(sz[p1] - sz[p1[1]])), min(abs(sz[setdiff(names(sz), p1)] - sz[p1[1]])))
  expect_error(dm_benchmark(flanders_dm, peers = 6), class = "digimaturity_error_peers")
  d <- flanders_dm
  d$region <- seq_len(nrow(d)) %% 2
  expect_error(dm_benchmark(d, peers = ~region), "varies within", class = "digimaturity_error_peers")
})

test_that("item % favourable of the unit and its peers equal dm_agree() on their rows", {
  b <- bench_small()
  it <- b$items[b$items$unit == "9", ]
  own <- dm_agree(flanders_dm[flanders_dm$municipality == 9, ], conf_level = 0.9)
  expect_equal(it$favourable, own$favourable)
  expect_equal(it$conf.low, own$conf.low)
  cls <- flanders_dm$population_class[flanders_dm$municipality == 9][1]
  peer <- dm_agree(flanders_dm[flanders_dm$population_class == cls, ], conf_level = 0.9)
  expect_equal(it$peer_favourable, peer$favourable)
  expect_equal(it$peer_high, peer$conf.high)
  # the stated flag rule
  f <- b$items
  expect_true(all(f$conf.low[f$flag %in% "strength"] > f$peer_favourable[f$flag %in% "strength"]))
  expect_true(all(f$conf.high[f$flag %in% "challenge"] < f$peer_favourable[f$flag %in% "challenge"]))
  none <- is.na(f$flag) & !is.na(f$favourable)
  expect_true(all(f$conf.low[none] <= f$peer_favourable[none] & f$conf.high[none] >= f$peer_favourable[none]))
  expect_gt(sum(!is.na(f$flag)), 0)
})

test_that("bad input is a classed error naming the argument", {
  d <- flanders_dm
  d$municipality[c(3, 7)] <- NA
  expect_error(dm_benchmark(d), "rows 3, 7", class = "digimaturity_error_missing_unit")
  expect_error(dm_benchmark(flanders_dm, conf_level = 90), "percentage",
               class = "digimaturity_error_input")
  expect_error(dm_benchmark(flanders_dm, min_n = 2.5), "min_n", class = "digimaturity_error_input")
  expect_error(dm_benchmark(flanders_dm, unit = ~gemeente), class = "digimaturity_error_missing_column")
  expect_error(dm_benchmark(flanders_dm, conf.level = 0.9), "conf_level",
               class = "digimaturity_error_argument_spelling")
  w <- rep(1, nrow(flanders_dm))
  w[4] <- 0
  expect_error(dm_benchmark(flanders_dm, weights = w), "row", class = "digimaturity_error_weights")
  b <- bench_small()
  expect_error(print(b, digits = 2), class = "digimaturity_error_argument_spelling")
  expect_error(tidy(b, conf.lvl = 0.9), class = "digimaturity_error_argument_spelling")
})

test_that("print, tidy and glance carry the result", {
  b <- bench_small()
  expect_output(print(b), "183 units")
  expect_equal(nrow(tidy(b)), 183 * 4)
  expect_named(glance(b), c("dimension", "mu", "se_mu", "tau2", "sigma2", "icc", "boundary",
                            "n_obs", "n_units", "simultaneous_coverage"))
  expect_s3_class(attr(b, "instrument"), "data.frame")
  expect_true(is.call(attr(b, "call")))
})
