# dm_cluster_summary(): leverage, jackknife against refits, CRV3 against clubSandwich.

test_that("leverage sums to k and the jackknife equals refits without each cluster", {
  d <- mtcars
  d$w <- rep(c(1, 2, 0.5, 3), 8)
  for (weighted in c(FALSE, TRUE)) {
    fit <- if (weighted) without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = d, cluster = ~carb, weights = w)) else
      without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = d, cluster = ~carb))
    cs <- dm_cluster_summary(fit)
    expect_s3_class(cs, "dm_cluster_summary")
    expect_equal(sum(cs$clusters$leverage), 4, tolerance = 1e-12)
    # the leverage is the sum of the hat values of the cluster's rows
    expect_equal(cs$clusters$leverage, as.vector(tapply(hatvalues(fit), d$carb, sum)), tolerance = 1e-10)
    G <- fit$n_clusters
    expect_equal(cs$clusters$n, as.vector(table(d$carb)))
    ww <- if (weighted) d$w else rep(1, nrow(d))
    refits <- t(sapply(levels(factor(d$carb)), function(g) {
      keep <- d$carb != g
      coef(lm(mpg ~ wt + hp + qsec, data = d[keep, ], weights = ww[keep]))
    }))
    ok <- colSums(is.na(refits)) == 0
    expect_equal(unname(cs$jackknife[, ok]), unname(refits[, ok]), tolerance = 1e-8)
    expect_equal(unname(as.matrix(cs$clusters[paste0("influence_", names(coef(fit)))])),
                 unname(sweep(-cs$jackknife, 2, coef(fit), "+")), tolerance = 1e-12)
    # CRV3: the jackknife over those refits
    crv3 <- sqrt((G - 1) / G * colSums(sweep(refits, 2, coef(fit))^2))
    expect_equal(cs$coefficients$se_crv3, unname(crv3), tolerance = 1e-8)
    crv3j <- sqrt((G - 1) / G * colSums(sweep(refits, 2, colMeans(refits))^2))
    expect_equal(cs$coefficients$se_crv3j, unname(crv3j), tolerance = 1e-8)
    expect_equal(cs$coefficients$se_cr1, tidy(fit, vcov = "CR1")$std.error, tolerance = 1e-12)
  }
})

test_that("CRV3 is sqrt((G-1)/G) times clubSandwich's CR3", {
  skip_if_not_installed("clubSandwich")
  d <- mtcars
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = d, cluster = ~carb))
  cs <- dm_cluster_summary(fit)
  G <- fit$n_clusters
  v <- clubSandwich::vcovCR(lm(mpg ~ wt + hp + qsec, data = d), cluster = d$carb, type = "CR3")
  expect_equal(cs$coefficients$se_crv3^2, (G - 1) / G * unname(diag(as.matrix(v))), tolerance = 1e-8)
  expect_equal(cs$coefficients$se_crv3^2, (G - 1) / G * unname(diag(vcov(fit, type = "CR3"))),
               tolerance = 1e-10)
})

test_that("a coefficient identified by one cluster has no jackknife, as with CR3", {
  d <- mtcars
  d$only <- as.numeric(d$carb == 8)   # a dummy of one cluster
  expect_warning(fit <- without_few_clusters(dm_lm(mpg ~ wt + only, data = d, cluster = ~carb)), class = "digimaturity_warning_leverage")
  cs <- dm_cluster_summary(fit)
  cr3 <- suppressWarnings(vcov(fit, type = "CR3"))
  expect_identical(is.na(cs$coefficients$se_crv3), unname(is.na(diag(cr3))))
  expect_true(all(is.na(cs$jackknife[, "only"])))
  expect_output(print(cs), "Cluster summary")
})

test_that("effective number of clusters: G for a balanced design, lower when unbalanced", {
  d <- data.frame(g = rep(1:10, each = 3), x = rep(c(-1, 0, 1), 10))
  d$y <- d$x + rep(c(0.1, -0.2, 0.3, 0, 0.5, -0.1, 0.2, -0.3, 0.4, -0.4), each = 3) + rep(c(0.05, -0.05, 0.01), 10)
  cs <- dm_cluster_summary(dm_lm(y ~ x, data = d, cluster = ~g))
  expect_equal(cs$coefficients$effective_clusters, c(10, 10))
  fit <- without_few_clusters(dm_lm(mpg ~ wt, data = mtcars, cluster = ~carb))
  expect_true(all(dm_cluster_summary(fit)$coefficients$effective_clusters < fit$n_clusters))
})

test_that("print flags clusters; bad input is an error", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb))
  expect_output(print(dm_cluster_summary(fit)), "Flagged clusters|No cluster with high")
  expect_error(dm_cluster_summary(dm_lm(mpg ~ wt, data = mtcars)), class = "digimaturity_error_cluster")
  expect_error(dm_cluster_summary(lm(mpg ~ wt, mtcars)), class = "digimaturity_error_input")
  expect_error(dm_cluster_summary(fit, rho = 2), class = "digimaturity_error_input")
})
