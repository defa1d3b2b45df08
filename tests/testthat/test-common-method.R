skip_if_not_installed("lavaan", "0.6.14")

# two dimensions of four items and two predictors; `method` adds a shared response
# style to every answer (items and predictors) with this standard deviation
sim_method <- function(n, method, seed = 5) {
  set.seed(seed)
  P <- matrix(0.2, 6, 6)
  diag(P) <- 1
  f <- matrix(stats::rnorm(n * 6), n, 6) %*% chol(P)
  m <- stats::rnorm(n) * method
  # unequal loadings: with equal ones a method factor is not identified (it is
  # absorbed by the loadings and the construct correlations)
  item <- function(fi, l) pmin(5, pmax(1, round(3 + l * f[, fi] + m + stats::rnorm(n, sd = 0.6))))
  d <- as.data.frame(Map(item, rep(1:3, each = 4), rep(c(1.1, 0.8, 0.5, 0.3), 3)))
  names(d) <- paste0(rep(c("a", "b", "c"), each = 4), 1:4)
  for (k in 1:3) d[[paste0("p", k)]] <- f[, 3 + k] + m + stats::rnorm(n, sd = 0.5)
  d
}
cm_items <- data.frame(item = paste0(rep(c("a", "b", "c"), each = 4), 1:4), dimension = rep(c("A", "B", "C"), each = 4),
                       keyed = 1L, scale_min = 1L, scale_max = 5L)

test_that("without a shared method the checks find none; Harman's share is the first eigenvalue", {
  d <- sim_method(600, method = 0)
  cm <- dm_common_method(d, cm_items, predictors = c("p1", "p2", "p3"))
  expect_s3_class(cm, "dm_common_method")
  R <- stats::cor(d)
  expect_equal(cm$harman$first_share, eigen(R)$values[1] / 15, tolerance = 1e-10)
  expect_lt(cm$harman$first_share, 0.5)
  expect_equal(cm$models$model, c("measurement", "one factor", "measurement + method factor"))
  expect_lt(cm$models$cfi[2], cm$models$cfi[1] - 0.1)
  expect_lt(max(abs(cm$correlations$change)), 0.1)
  # the measurement model's correlations are lavaan's
  ref <- lavaan::cfa("A =~ a1 + a2 + a3 + a4\nB =~ b1 + b2 + b3 + b4\nC =~ c1 + c2 + c3 + c4\nA ~~ p1 + p2 + p3\nB ~~ p1 + p2 + p3\nC ~~ p1 + p2 + p3\np1 ~~ p2 + p3\np2 ~~ p3",
                     d, estimator = "MLR", std.lv = TRUE)
  ss <- lavaan::standardizedSolution(ref)
  r_ap1 <- ss$est.std[ss$lhs == "A" & ss$op == "~~" & ss$rhs == "p1"]
  got <- cm$correlations$without_method[cm$correlations$construct1 == "A" & cm$correlations$construct2 == "p1"]
  expect_equal(got, r_ap1, tolerance = 1e-5)
  expect_match(cm$reading[["harman"]], "below 50%")
  expect_match(cm$reading[["one_factor"]], "constructs are distinct")
  expect_match(cm$reading[["method_factor"]], "does not drive the associations")
  out <- capture.output(print(cm))
  expect_true(any(grepl("Podsakoff et al. \\(2003, 2012\\); George & Pandey \\(2017\\)", out)))
  expect_length(cm$references, 3)
})

test_that("a planted shared method is picked up by the method factor", {
  d <- sim_method(600, method = 0.7)
  cm <- dm_common_method(d, cm_items, predictors = c("p1", "p2", "p3"))
  expect_lt(cm$method_test[["p_diff"]], 0.001)
  expect_gt(cm$method_share, 0.1)
  dp <- cm$correlations[cm$correlations$type == "dimension-predictor", ]
  expect_true(all(dp$change < 0))   # the shared method had inflated them
  expect_match(cm$reading[["method_factor"]], "improves the fit significantly")
})

test_that("bad predictors are classed errors", {
  d <- sim_method(100, 0)
  expect_error(dm_common_method(d, cm_items), class = "digimaturity_error_input", regexp = "predictors")
  expect_error(dm_common_method(d, cm_items, predictors = "zz"), class = "digimaturity_error_missing_column")
  d$txt <- "x"
  expect_error(dm_common_method(d, cm_items, predictors = "txt"), class = "digimaturity_error_input", regexp = "numeric")
  d$k <- 1
  expect_error(dm_common_method(d, cm_items, predictors = "k"), class = "digimaturity_error_constant_item")
  expect_error(dm_common_method(d, cm_items, predictors = "a1"), class = "digimaturity_error_input", regexp = "items")
  expect_error(dm_common_method(d, cm_items, predictors = "p1", estimator = "WLSMV"), class = "digimaturity_error_input")
  expect_error(dm_common_method(d, cm_items, predictrs = "p1"), class = "digimaturity_error_argument_spelling",
               regexp = "predictors")
})
