# dm_importance(): all-subsets R^2 and LMG against brute-force refits and relaimpo.

# Shapley values of R^2 by refitting lm() on every subset of the blocks.
brute_lmg <- function(data, response, blocks, always = character(), weights = NULL) {
  p <- length(blocks)
  r2 <- function(set) {
    vars <- c(always, unlist(blocks[set]))
    if (!length(vars)) return(0)
    f <- stats::reformulate(vars, response)
    summary(lm(f, data = data, weights = weights))$r.squared
  }
  base <- r2(integer())
  sapply(seq_len(p), function(j) {
    others <- setdiff(seq_len(p), j)
    tot <- 0
    for (s in 0:length(others)) {
      sets <- if (s == 0) list(integer()) else utils::combn(others, s, simplify = FALSE)
      wt <- factorial(s) * factorial(p - s - 1) / factorial(p)
      for (S in sets) tot <- tot + wt * (r2(c(S, j)) - r2(S))
    }
    tot
  }) + 0 * base
}

test_that("LMG matches brute-force Shapley on 5 predictors; shares add up to R^2", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec + drat + disp, data = mtcars, cluster = ~carb))
  imp <- without_few_clusters(dm_importance(fit))
  vars <- c("wt", "hp", "qsec", "drat", "disp")
  expect_equal(imp$term, vars)
  expect_equal(imp$lmg, brute_lmg(mtcars, "mpg", as.list(vars)), tolerance = 1e-10)
  expect_equal(sum(imp$lmg), fit$r.squared, tolerance = 1e-12)
  expect_equal(attr(imp, "r2"), fit$r.squared, tolerance = 1e-12)
  full <- summary(lm(mpg ~ wt + hp + qsec + drat + disp, mtcars))$r.squared
  for (j in seq_along(vars)) {
    expect_equal(imp$delta_r2_first[j], summary(lm(reformulate(vars[j], "mpg"), mtcars))$r.squared,
                 tolerance = 1e-10)
    expect_equal(imp$delta_r2_last[j],
                 full - summary(lm(reformulate(vars[-j], "mpg"), mtcars))$r.squared, tolerance = 1e-10)
  }
  # the block tests are dm_wald()'s
  expect_equal(imp$p.value[2], without_few_clusters(dm_wald(fit, "hp"))$p.value)
})

test_that("weighted fits, factors as one term and blocks", {
  d <- mtcars
  d$w <- rep(c(1, 2, 0.5, 3), 8)
  fit <- dm_lm(mpg ~ wt + hp + factor(gear) + qsec, data = d, weights = w)
  imp <- dm_importance(fit)
  expect_equal(imp$term, c("wt", "hp", "factor(gear)", "qsec"))
  expect_equal(imp$lmg, brute_lmg(d, "mpg", list("wt", "hp", "factor(gear)", "qsec"), weights = d$w),
               tolerance = 1e-10)
  expect_equal(sum(imp$lmg), fit$r.squared, tolerance = 1e-12)
  bl <- dm_importance(fit, blocks = list(size = c("wt", "hp"), rest = c("factor(gear)", "qsec")))
  expect_named(bl, c("block", "lmg", "delta_r2_first", "delta_r2_last", "statistic", "df1", "df2", "p.value"))
  expect_equal(sum(bl$lmg), fit$r.squared, tolerance = 1e-12)
  expect_equal(bl$lmg, brute_lmg(d, "mpg", list(c("wt", "hp"), c("factor(gear)", "qsec")), weights = d$w),
               tolerance = 1e-10)
  expect_equal(bl$statistic[1], dm_wald(fit, c("wt", "hp"))$statistic)
  # terms in no block are in every model
  part <- dm_importance(fit, blocks = list(size = c("wt", "hp"), speed = "qsec"))
  expect_identical(attr(part, "always"), c("factor(gear)4", "factor(gear)5"))
  expect_equal(part$lmg, brute_lmg(d, "mpg", list(c("wt", "hp"), "qsec"), always = "factor(gear)", weights = d$w),
               tolerance = 1e-10)
  expect_equal(sum(part$lmg), fit$r.squared - attr(part, "r2_always"), tolerance = 1e-12)
})

test_that("LMG matches relaimpo", {
  skip_if_not_installed("relaimpo")
  f <- mpg ~ wt + hp + qsec + drat + factor(cyl)
  ri <- relaimpo::calc.relimp(lm(f, data = mtcars), type = c("lmg", "first", "last"), rela = FALSE)
  imp <- dm_importance(dm_lm(f, data = mtcars))
  expect_setequal(names(ri@lmg), imp$term)
  expect_equal(imp$lmg, unname(ri@lmg[imp$term]), tolerance = 1e-10)
  expect_equal(imp$delta_r2_first, unname(ri@first[imp$term]), tolerance = 1e-10)
  expect_equal(imp$delta_r2_last, unname(ri@last[imp$term]), tolerance = 1e-10)
})

test_that("cluster-bootstrap intervals: reproducible and independent of the threads", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = mtcars, cluster = ~carb))
  old <- dm_threads(1)
  on.exit(dm_threads(old))
  set.seed(5); a <- without_few_clusters(dm_importance(fit, B = 300))
  dm_threads(2)
  set.seed(5); b <- without_few_clusters(dm_importance(fit, B = 300))
  expect_identical(a, b)
  expect_true(all(a$conf.low <= a$lmg & a$lmg <= a$conf.high))
  # a draw that takes every cluster once is the data itself
  boot <- attr(a, "boot")
  expect_equal(dim(boot), c(3L, 300L))
  expect_true(all(is.finite(boot)))
  # the bootstrap of one draw by hand: refit on the resampled clusters
  set.seed(9)
  one <- without_few_clusters(dm_importance(fit, B = 1))
  set.seed(9)
  G <- fit$n_clusters
  pick <- sample.int(G, G, replace = TRUE)
  lev <- levels(fit$cluster)
  d <- do.call(rbind, lapply(pick, function(g) mtcars[as.character(mtcars$carb) == lev[g], ]))
  expect_equal(unname(drop(attr(one, "boot"))), brute_lmg(d, "mpg", list("wt", "hp", "qsec")), tolerance = 1e-8)
  expect_output(print(a), "cluster-bootstrap draws")
})

test_that("bad input is a digimaturity_error", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = mtcars, cluster = ~carb))
  expect_error(dm_importance(fit, B = -1), class = "digimaturity_error_input")
  expect_error(dm_importance(fit, blocks = list("wt")), class = "digimaturity_error_input")
  expect_error(dm_importance(fit, blocks = list(a = "wt", b = c("wt", "hp"))), class = "digimaturity_error_input")
  expect_error(dm_importance(fit, blocks = list(a = "nope")), class = "digimaturity_error_input")
  expect_error(dm_importance(dm_lm(mpg ~ 0 + wt + hp, data = mtcars)), class = "digimaturity_error_input")
  expect_error(dm_importance(lm(mpg ~ wt, mtcars)), class = "digimaturity_error_input")
})
