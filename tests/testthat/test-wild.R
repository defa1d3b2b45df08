# dm_wild(): exact enumeration against a plain-R wild cluster bootstrap that refits
# every bootstrap sample, WCR vs WCU, test inversion, seeds, threads and bad input.

# The wild cluster bootstrap written out: every sign vector (columns of V) gives a new
# response, refitted by lm.fit(), studentised with CR1 (or HC1 without clusters).
ref_wild <- function(X, y, cl, j, restricted, V, beta0 = 0) {
  cl <- factor(cl)
  G <- nlevels(cl)
  XtXi <- solve(crossprod(X))
  se <- function(e) {
    S <- rowsum(X * e, cl)
    sqrt((G / (G - 1) * XtXi %*% crossprod(S) %*% XtXi)[j, j])
  }
  f <- lm.fit(X, y)
  t0 <- (f$coefficients[[j]] - beta0) / se(f$residuals)
  if (restricted) {
    yr <- y - X[, j] * beta0
    fr <- lm.fit(X[, -j, drop = FALSE], yr)
    yh <- fr$fitted.values + X[, j] * beta0
    u <- fr$residuals
    centre <- beta0
  } else {
    yh <- f$fitted.values
    u <- f$residuals
    centre <- f$coefficients[[j]]
  }
  ts <- apply(V, 2, function(v) {
    fs <- lm.fit(X, yh + u * v[as.integer(cl)])
    (fs$coefficients[[j]] - centre) / se(fs$residuals)
  })
  c(t = t0, p = mean(abs(ts) >= abs(t0) * (1 - 1e-10)))
}

wild_data <- function() {
  d <- mtcars
  d$g <- rep(1:8, length.out = nrow(d))
  d
}

# `expr` run on one thread and on two, each after set.seed(seed): list(one, two). The
# two-thread run must really start a second thread (the core's record of its largest
# team, dm_threads_used_cpp()): threads_for() keeps jobs below about 2e6 flops
# (B G k m for dm_wild) on one thread, so a smaller test would compare one thread with
# itself.
on_1_and_2_threads <- function(expr, seed) {
  skip_if(isFALSE(digimaturity:::dm_build_info()$openmp), "built without OpenMP")
  old <- dm_threads(2)
  on.exit(dm_threads(old))
  skip_if(dm_threads() < 2L, "OMP_THREAD_LIMIT allows one thread")
  expr <- substitute(expr)
  env <- parent.frame()
  run <- function(threads) {
    dm_threads(threads)
    digimaturity:::dm_threads_used_cpp()  # resets the record
    set.seed(seed)
    out <- eval(expr, env)
    expect_identical(digimaturity:::dm_threads_used_cpp(), threads)
    out
  }
  list(one = run(1L), two = run(2L))
}

test_that("with 2^G <= B the p-values are exact: the enumeration in plain R (WCR and WCU)", {
  d <- wild_data()
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = d, cluster = ~g))
  X <- stats::model.matrix(fit)
  V <- t(as.matrix(expand.grid(rep(list(c(1, -1)), 8))))
  for (imp in c(TRUE, FALSE)) {
    w <- dm_wild(fit, impose_null = imp)
    expect_equal(w$B, rep(256L, 4))
    expect_true(attr(w, "enumerated"))
    ref <- sapply(1:4, function(j) ref_wild(X, d$mpg, d$g, j, imp, V))
    expect_equal(w$statistic, unname(ref["t", ]), tolerance = 1e-10)
    expect_equal(w$p.value, unname(ref["p", ]), tolerance = 1e-12)
  }
  # WCR and WCU are different bootstraps
  expect_false(isTRUE(all.equal(dm_wild(fit)$p.value, dm_wild(fit, impose_null = FALSE)$p.value)))
  # the statistic is the CR1 t statistic
  expect_equal(dm_wild(fit)$statistic, tidy(fit, vcov = "CR1")$statistic, tolerance = 1e-10)
  # enumeration does not use R's random numbers
  set.seed(1); a <- dm_wild(fit); r1 <- stats::runif(1)
  set.seed(1); r2 <- stats::runif(1)
  expect_identical(r1, r2)
})

test_that("weighted fits are bootstrapped in the weighted model", {
  d <- wild_data()
  d$w <- rep(c(1, 2, 0.5, 3), 8)
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = d, cluster = ~g, weights = w))
  X <- stats::model.matrix(fit) * sqrt(d$w)
  V <- t(as.matrix(expand.grid(rep(list(c(1, -1)), 8))))
  w <- dm_wild(fit, "wt")
  ref <- ref_wild(X, d$mpg * sqrt(d$w), d$g, 2, TRUE, V)
  expect_equal(w$statistic, unname(ref["t"]), tolerance = 1e-10)
  expect_equal(w$p.value, unname(ref["p"]), tolerance = 1e-12)
  expect_equal(w$statistic, tidy(fit, vcov = "CR1")$statistic[2], tolerance = 1e-10)
})

test_that("confidence limits invert the bootstrap test", {
  d <- wild_data()
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = d, cluster = ~g))
  X <- stats::model.matrix(fit)
  V <- t(as.matrix(expand.grid(rep(list(c(1, -1)), 8))))
  for (imp in c(TRUE, FALSE)) {
    w <- dm_wild(fit, "wt", impose_null = imp, conf_level = 0.9)
    se <- abs(w$estimate / w$statistic)
    # just inside the limits the test does not reject at 10%, just outside it does
    for (lim in c(w$conf.low, w$conf.high)) {
      inside <- lim + sign(w$estimate - lim) * 1e-4 * se
      outside <- lim - sign(w$estimate - lim) * 1e-4 * se
      expect_gte(ref_wild(X, d$mpg, d$g, 2, imp, V, inside)[["p"]], 0.1)
      expect_lt(ref_wild(X, d$mpg, d$g, 2, imp, V, outside)[["p"]], 0.1)
    }
  }
  # the unrestricted interval is symmetric around the estimate
  w <- dm_wild(fit, "wt", impose_null = FALSE)
  expect_equal(w$estimate - w$conf.low, w$conf.high - w$estimate, tolerance = 1e-5)
})

test_that("the confidence set is every null value the test does not reject, a union of intervals", {
  # mtcars with 6 clusters (carb): for hp the restricted p-value is not monotone in beta0
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb))
  X <- stats::model.matrix(fit)
  V <- t(as.matrix(expand.grid(rep(list(c(1, -1)), 6))))
  w <- dm_wild(fit)
  expect_named(w, c("term", "estimate", "statistic", "p.value", "conf.low", "conf.high",
                    "conf.set", "conf.disjoint", "p.min", "B", "auxiliary"))
  # the p-value at 0 and the set agree: 0 is in the set iff p(0) > 1 - conf_level
  in_set <- function(s, b) any(s[, "low"] <= b & b <= s[, "high"])
  for (i in seq_len(nrow(w))) {
    expect_identical(in_set(w$conf.set[[i]], 0), w$p.value[i] > 0.05, label = w$term[i])
  }
  hp <- w[w$term == "hp", ]
  expect_gt(hp$p.value, 0.05)
  expect_true(hp$conf.disjoint)
  s <- hp$conf.set[[1]]
  expect_gt(nrow(s), 1)
  expect_identical(c(hp$conf.low, hp$conf.high), c(min(s), max(s)))
  expect_true(all(s[-1, "low"] > s[-nrow(s), "high"]))
  # against the bootstrap written out (every draw refitted): on a grid of null values
  # every one the reference does not reject is in the set and every one it rejects is
  # not (up to 1e-6 s.e. from an end); and each end changes the decision
  se <- abs(hp$estimate / hp$statistic)
  grid <- hp$estimate + se * seq(-30, 30, by = 0.25)
  grid <- grid[vapply(grid, function(b) all(abs(b - s) > 1e-6 * se), logical(1))]
  ref_p <- vapply(grid, function(b) ref_wild(X, mtcars$mpg, mtcars$carb, 3, TRUE, V, b)[["p"]],
                  numeric(1))
  expect_identical(vapply(grid, function(b) in_set(s, b), logical(1)), ref_p > 0.05)
  hole <- grid > s[1, "high"] & grid < s[2, "low"]
  expect_true(any(hole))
  expect_true(all(ref_p[hole] <= 0.05))
  for (lim in s) {
    near <- ref_wild(X, mtcars$mpg, mtcars$carb, 3, TRUE, V, lim - 1e-5 * se)[["p"]]
    far <- ref_wild(X, mtcars$mpg, mtcars$carb, 3, TRUE, V, lim + 1e-5 * se)[["p"]]
    expect_true((near > 0.05) != (far > 0.05))
  }
  expect_output(print(w), "hp: \\[.*\\] U \\[")
})

test_that("with 3 clusters no p-value falls below 2/2^3: the set is the whole line, and print says so", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl))
  w <- dm_wild(fit)
  # the restricted bootstrap's two constant sign vectors (+1, +1, +1) and (-1, -1, -1)
  # reproduce the data's t statistic for every beta0: p(beta0) >= 2/8 everywhere
  expect_identical(w$p.min, rep(2 / 8, 3))
  expect_identical(w$conf.low, rep(-Inf, 3))
  expect_identical(w$conf.high, rep(Inf, 3))
  expect_output(print(w), "no bootstrap p-value can be below 0.25 \\(p.min\\)")
  # 6 clusters: 2/64 < 0.05, so bounded; the unrestricted bootstrap never has a floor
  w6 <- dm_wild(without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb)))
  expect_identical(w6$p.min, rep(2 / 64, 3))
  expect_true(all(is.finite(c(w6$conf.low, w6$conf.high))))
  expect_identical(dm_wild(fit, impose_null = FALSE)$p.min, rep(0, 3))
  expect_true(all(is.finite(dm_wild(fit, impose_null = FALSE)$conf.low)))
  # at the 70% level 0.25 is attainable: a bounded set again
  w70 <- dm_wild(fit, "hp", conf_level = 0.7)
  expect_true(is.finite(w70$conf.low) && is.finite(w70$conf.high))
  expect_false(any(grepl("p.min", utils::capture.output(print(w70)), fixed = TRUE)))
})

test_that("a column or row subset of a dm_wild result prints", {
  w <- dm_wild(without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb)))
  expect_output(print(w[, c("term", "p.value")]), "0.0625")
  expect_output(print(w[, c("term", "conf.set")]), "hp [[]-0.1.*[]] U [[]-0.01346")
  expect_output(print(w[2, ]), "wt")
  expect_output(print(w[0, ]))
})

test_that("random draws are reproducible from set.seed() and do not depend on the threads", {
  d <- wild_data()
  d$g <- rep(1:16, 2)
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = d, cluster = ~g))
  for (wt in c("rademacher", "webb", "mammen", "normal")) {
    # B G k m = 9999 * 16 * 4 * 4 = 2.6e6: above the threading cut
    r <- on_1_and_2_threads(dm_wild(fit, B = 9999, auxiliary = wt), seed = 42)
    expect_false(attr(r$one, "enumerated"))
    expect_identical(r$one, r$two)
    set.seed(43); c <- dm_wild(fit, B = 9999, auxiliary = wt)
    expect_false(identical(r$one$p.value, c$p.value))
  }
  # a wild bootstrap p-value is close to the enumeration's with many draws
  set.seed(1)
  r <- dm_wild(fit, "wt", B = 19999, auxiliary = "webb")
  e <- dm_wild(fit, "wt", B = 2^16)
  expect_true(attr(e, "enumerated"))
  expect_lt(abs(r$p.value - e$p.value), 0.02)
})

test_that("without a cluster: the heteroskedastic wild bootstrap with HC1", {
  fit <- dm_lm(mpg ~ wt + hp, data = mtcars[1:12, ], vcov = "HC1")
  X <- stats::model.matrix(fit)
  V <- t(as.matrix(expand.grid(rep(list(c(1, -1)), 12))))
  w <- dm_wild(fit, "wt", B = 5000)
  expect_true(attr(w, "enumerated"))
  ref <- ref_wild(X, mtcars$mpg[1:12], 1:12, 2, TRUE, V)
  expect_equal(w$statistic, tidy(fit)$statistic[2], tolerance = 1e-10)
  expect_equal(w$p.value, unname(ref["p"]), tolerance = 1e-12)
  set.seed(3)
  expect_s3_class(dm_wild(dm_lm(mpg ~ wt + hp, data = mtcars), B = 99), "dm_wild")
})

test_that("many clusters: the expanded computation gives the draws of the direct one", {
  # Above getOption("digimaturity.wild_direct_max") clusters (4096; the heteroskedastic
  # bootstrap has one per row) the quadratic forms of the bootstrap scores are expanded
  # into sums over the clusters instead of forming G x draws matrices. Lowering the
  # threshold runs the expanded computation on small data, against the enumeration
  # written out and against the direct computation draw for draw.
  d <- wild_data()
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = d, cluster = ~g))
  hc <- dm_lm(mpg ~ wt + hp, data = mtcars[1:12, ], vcov = "HC1")
  X <- stats::model.matrix(fit)
  V <- t(as.matrix(expand.grid(rep(list(c(1, -1)), 8))))
  both <- function(expr, seed = 1) {
    old <- options(digimaturity.wild_direct_max = 1L)
    on.exit(options(old))
    set.seed(seed); e <- eval.parent(substitute(expr))
    options(digimaturity.wild_direct_max = NULL)
    set.seed(seed); list(expanded = e, direct = eval.parent(substitute(expr)))
  }
  for (imp in c(TRUE, FALSE)) {
    r <- both(dm_wild(fit, impose_null = imp))
    ref <- sapply(1:4, function(j) ref_wild(X, d$mpg, d$g, j, imp, V))
    expect_equal(r$expanded$p.value, unname(ref["p", ]), tolerance = 1e-12)
    expect_equal(r$expanded$conf.set, r$direct$conf.set, tolerance = 1e-6)
    expect_identical(r$expanded$p.min, r$direct$p.min)
    r <- both(dm_wild(hc, impose_null = imp, B = 5000))
    expect_identical(r$expanded$p.value, r$direct$p.value)
    expect_equal(r$expanded$conf.set, r$direct$conf.set, tolerance = 1e-6)
    # random Rademacher draws: the same sign bits
    r <- both(dm_wild(dm_lm(mpg ~ wt + hp, data = mtcars), impose_null = imp, B = 999))
    expect_identical(r$expanded$p.value, r$direct$p.value)
    expect_equal(r$expanded$conf.set, r$direct$conf.set, tolerance = 1e-6)
  }
  # the joint test likewise
  for (imp in c(TRUE, FALSE)) {
    r <- both(dm_wild(fit, c("hp", "qsec"), joint = TRUE, impose_null = imp))
    expect_identical(r$expanded$p.value, r$direct$p.value)
    expect_equal(r$expanded$statistic, r$direct$statistic)
    r <- both(dm_wild(dm_lm(mpg ~ wt + hp + qsec, data = mtcars), c("wt", "hp"), joint = TRUE,
                      impose_null = imp, B = 999))
    expect_identical(r$expanded$p.value, r$direct$p.value)
  }
  # 3 clusters: the floor of the p-value survives the rounding of the expanded sums
  r <- both(dm_wild(without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl))))
  expect_identical(r$expanded$p.min, rep(0.25, 3))
  expect_identical(r$expanded$conf.high, rep(Inf, 3))
  # other weights: chunks of clusters have streams of their own, so the draws differ from
  # the direct ones, but not with the threads; p-values agree up to Monte Carlo error
  d$g <- rep(1:16, 2)
  fit16 <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = d, cluster = ~g))
  old <- options(digimaturity.wild_direct_max = 1L)
  on.exit(options(old))
  for (wt in c("webb", "mammen", "normal")) {
    # above the threading cut: 9999 * 16 * 4 * 4 and 19999 * 16 * 4 * 2 flops
    r <- on_1_and_2_threads(dm_wild(fit16, B = 9999, auxiliary = wt), seed = 9)
    expect_identical(r$one, r$two)
    r <- on_1_and_2_threads(dm_wild(fit16, c("wt", "hp"), joint = TRUE, B = 19999, auxiliary = wt),
                            seed = 9)
    expect_identical(r$one, r$two)
  }
  set.seed(4); e <- dm_wild(fit16, "wt", B = 19999, auxiliary = "webb")
  ex <- dm_wild(fit16, "wt", B = 2^16)
  expect_lt(abs(e$p.value - ex$p.value), 0.02)
})

test_that("term labels, printing and the tidy columns", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + factor(gear), data = mtcars, cluster = ~carb))
  w <- dm_wild(fit, "factor(gear)")
  expect_named(w, c("term", "estimate", "statistic", "p.value", "conf.low", "conf.high",
                    "conf.set", "conf.disjoint", "p.min", "B", "auxiliary"))
  expect_identical(w$term, c("factor(gear)4", "factor(gear)5"))
  expect_output(print(w), "WCR, rademacher weights, 64 draws: all sign vectors")
})

test_that("bad input is a digimaturity_error", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl))
  expect_error(dm_wild(fit, B = 0), class = "digimaturity_error_input")
  expect_error(dm_wild(fit, B = 10.5), class = "digimaturity_error_input")
  expect_error(dm_wild(fit, "nope"), class = "digimaturity_error_input")
  expect_error(dm_wild(fit, auxiliary = "gamma"), class = "digimaturity_error_input")
  # `weights` means survey weights everywhere else: the bootstrap distribution is
  # `auxiliary`, and the old spelling is an error that lists the arguments
  expect_error(dm_wild(fit, weights = "webb"), "has no argument `weights`.*`auxiliary`",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_wild(fit, conf.level = 0.9), "did you mean `conf_level`",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_wild(fit, conf_level = 1), class = "digimaturity_error_input")
  expect_error(dm_wild(fit, impose_null = NA), class = "digimaturity_error")
  expect_error(dm_wild(lm(mpg ~ wt, mtcars)), class = "digimaturity_error_input")
  no_df <- fit
  no_df$df.residual <- 0L
  expect_error(dm_wild(no_df), class = "digimaturity_error_no_residual_df")
  expect_error(dm_wild(dm_lm(cbind(mpg, qsec) ~ wt, data = mtcars)), class = "digimaturity_error_input")
})

test_that("joint tests: the bootstrap of the Wald statistic", {
  d <- wild_data()
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = d, cluster = ~g))
  # one coefficient: W = t^2 and the same p-value as the t test, draw for draw
  for (imp in c(TRUE, FALSE)) {
    j <- dm_wild(fit, "hp", joint = TRUE, impose_null = imp)
    s <- dm_wild(fit, "hp", impose_null = imp)
    expect_equal(j$statistic, s$statistic^2, tolerance = 1e-10)
    expect_equal(j$p.value, s$p.value)
    set.seed(7); j <- dm_wild(fit, "hp", joint = TRUE, impose_null = imp, B = 999, auxiliary = "webb")
    set.seed(7); s <- dm_wild(fit, "hp", impose_null = imp, B = 999, auxiliary = "webb")
    expect_equal(j$p.value, s$p.value)
  }
  # two coefficients against the enumeration written out
  X <- stats::model.matrix(fit)
  y <- d$mpg
  cl <- factor(d$g)
  V <- t(as.matrix(expand.grid(rep(list(c(1, -1)), 8))))
  XtXi <- solve(crossprod(X))
  J <- c(3, 4)
  wald <- function(b, e) {
    S <- rowsum(X * e, cl)
    Vc <- (8 / 7 * XtXi %*% crossprod(S) %*% XtXi)[J, J]
    drop(t(b[J]) %*% solve(Vc, b[J])) / 2
  }
  f <- lm.fit(X, y)
  W0 <- wald(f$coefficients, f$residuals)
  fr <- lm.fit(X[, -J], y)
  Ws <- apply(V, 2, function(v) {
    fs <- lm.fit(X, fr$fitted.values + fr$residuals * v[as.integer(cl)])
    wald(fs$coefficients, fs$residuals)
  })
  j <- dm_wild(fit, c("hp", "qsec"), joint = TRUE)
  expect_equal(j$statistic, W0, tolerance = 1e-10)
  expect_equal(j$p.value, mean(Ws >= W0 * (1 - 1e-10)))
  expect_equal(j$term, "hp, qsec")
  expect_output(print(j), "Joint test")
  # threads: 40000 draws * 8 clusters * 4 columns * 2 tested, above the threading cut
  r <- on_1_and_2_threads(dm_wild(fit, c("hp", "qsec"), joint = TRUE, B = 40000,
                                  auxiliary = "normal"), seed = 11)
  expect_identical(r$one, r$two)
})
