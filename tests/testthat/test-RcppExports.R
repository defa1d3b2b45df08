# The C++ exports (R/RcppExports.R, from src/glue-*.cpp): each turns bad input that
# makes the core or the glue throw into an R error (never a crash), and an allocation
# failure anywhere into the classed memory error of cpp_call().

# A valid call of each export on a small design, and the same call with one argument
# that the core (std::invalid_argument) or the glue (Rcpp::stop) refuses.
glue_calls <- function() {
  X <- cbind(1, mtcars$wt, mtcars$hp)
  n <- nrow(X)
  y <- mtcars$mpg
  cl <- as.integer(factor(mtcars$cyl))          # 3 clusters
  fit <- dm_lm_cpp(X, y, NULL, 0L, NULL, 0L, 1L, 1e-11, 1e-6)
  e <- fit$residuals
  R <- fit$rinv
  C <- diag(3)[2:3, , drop = FALSE]
  bad_cl <- replace(cl, 1L, 4L)                 # a code above G = 3
  cr1 <- vcov_code("CR1")
  seed <- c(1, 2)
  cols <- list(c(1, 2, 3, 4), c(2L, 3L, 4L, 5L))
  spec <- list(dimension = c(1L, 1L), keyed = c(1L, -1L), scale_min = c(1L, 1L),
               scale_max = c(5L, 5L), missing_codes = list(numeric(), numeric()),
               n_dimensions = 1L, n_rows = 4)
  bad_spec <- replace(spec, "scale_max", list(c(1L, 5L)))  # scale_min not below scale_max
  Cm <- crossprod(scale(cbind(mtcars$wt, mtcars$hp, y), scale = FALSE))
  Dc <- scale(cbind(mtcars$wt, y), scale = FALSE)
  mom <- t(rowsum(cbind(1, Dc, Dc[, c(1, 2, 1, 2)] * Dc[, c(1, 1, 2, 2)]), cl, reorder = TRUE))
  counts <- as.integer(c(1, 1, 1, 3, 0, 0))     # 3 clusters, 2 draws
  calls <- list(
    dm_lm_cpp = list(
      quote(dm_lm_cpp(X, y, NULL, cr1, cl, 3L, 1L, 1e-11, 1e-6)),
      quote(dm_lm_cpp(X, y, NULL, cr1, bad_cl, 3L, 1L, 1e-11, 1e-6)), "cluster code out of range"),
    dm_mlm_vcov_cpp = list(
      quote(dm_mlm_vcov_cpp(X, cbind(e, e), NULL, cr1, cl, 3L, R, NULL, 1L)),
      quote(dm_mlm_vcov_cpp(X, cbind(e, e), NULL, cr1, bad_cl, 3L, R, NULL, 1L)), "cluster code out of range"),
    dm_hat_cpp = list(
      quote(dm_hat_cpp(X, NULL, R, NULL, 1L)),
      quote(dm_hat_cpp(X[, 1:2], NULL, R, NULL, 1L)), "rinv and design differ in columns"),
    dm_htz_cpp = list(
      quote(dm_htz_cpp(X, e, NULL, cl, 3L, R, NULL, C, 1L)),
      quote(dm_htz_cpp(X, e, NULL, bad_cl, 3L, R, NULL, C, 1L)), "cluster code out of range"),
    dm_contrast_df_cpp = list(
      quote(dm_contrast_df_cpp(X, e, NULL, cl, 3L, R, NULL, C, 1L)),
      quote(dm_contrast_df_cpp(X, e, NULL, cl, 3L, R, NULL, C[, 1:2], 1L)), "the contrasts and the design differ in columns"),
    dm_cluster_summary_cpp = list(
      quote(dm_cluster_summary_cpp(X, e, NULL, cl, 3L, R, NULL, 1L)),
      quote(dm_cluster_summary_cpp(X, e, NULL, bad_cl, 3L, R, NULL, 1L)), "cluster code out of range"),
    dm_wild_cpp = list(
      quote(dm_wild_cpp(X, fit$coefficients, e, NULL, cl, 3L, R, NULL, 2L, 0, 99L, 0L, TRUE,
                        seed, 0.95, 1L, 4096L)),
      quote(dm_wild_cpp(X, fit$coefficients, e, NULL, cl, 3L, R, NULL, 4L, 0, 99L, 0L, TRUE,
                        seed, 0.95, 1L, 4096L)), "coefficient out of range"),
    dm_wild_joint_cpp = list(
      quote(dm_wild_joint_cpp(X, fit$coefficients, e, NULL, cl, 3L, R, NULL, 2:3, 99L, 0L, TRUE,
                              seed, 1L, 4096L)),
      quote(dm_wild_joint_cpp(X, fit$coefficients, e, NULL, cl, 3L, R, NULL, integer(), 99L, 0L,
                              TRUE, seed, 1L, 4096L)), "no coefficient to test"),
    dm_importance_cpp = list(
      quote(dm_importance_cpp(Cm, list(1L, 2L), integer())),
      quote(dm_importance_cpp(Cm, list(), integer())), "between 1 and 25 blocks"),
    dm_importance_boot_cpp = list(
      quote(dm_importance_boot_cpp(mom, counts, list(1L), integer(), 1L)),
      quote(dm_importance_boot_cpp(mom, counts[-1], list(1L), integer(), 1L)), "counts do not match"),
    dm_score_cpp = list(
      quote(dm_score_cpp(cols, spec, 0L, 0.5)),
      quote(dm_score_cpp(cols, bad_spec, 0L, 0.5)), "scale_min must be below scale_max"),
    dm_agree_cpp = list(
      quote(dm_agree_cpp(cols, spec, 4, NULL, NULL, 1L)),
      quote(dm_agree_cpp(cols, spec, 4, NULL, c(1L, 1L, 2L, 3L), 2L)), "group codes must lie in 1..n_groups"),
    dm_moments_cpp = list(
      quote(dm_moments_cpp(cols, spec)),
      quote(dm_moments_cpp(cols, bad_spec)), "scale_min must be below scale_max"),
    dm_group_moments_cpp = list(
      quote(dm_group_moments_cpp(cols, spec, c(1L, 1L, 2L, 2L), 2L)),
      quote(dm_group_moments_cpp(cols, spec, c(1L, 1L, 2L, 0L), 2L)), "group codes must lie in 1..n_groups"),
    dm_calibrate_cpp = list(
      quote(dm_calibrate_cpp(cbind(1, c(1, 2, 3, 4)), rep(1, 4), c(8, 20), 1L, rep(-Inf, 4),
                             rep(Inf, 4), 0, 2, 1e-10, 50L)),
      quote(dm_calibrate_cpp(cbind(1, c(1, 2, 3, 4)), rep(1, 4), 8, 1L, rep(-Inf, 4),
                             rep(Inf, 4), 0, 2, 1e-10, 50L)), "one total per column"),
    dm_rake_cpp = list(
      quote(dm_rake_cpp(matrix(c(1L, 1L, 2L, 2L), 4), list(c(3, 5)), rep(1, 4), 1e-10, 50L)),
      quote(dm_rake_cpp(matrix(c(1L, 1L, 2L, 3L), 4), list(c(3, 5)), rep(1, 4), 1e-10, 50L)),
      "outside its margin"),
    dm_group_anova_cpp = list(
      quote(dm_group_anova_cpp(c(1, 2, 3, 4), c(1L, 1L, 2L, 2L), 2L)),
      quote(dm_group_anova_cpp(c(1, 2, 3, 4), c(1L, 1L, 2L, 3L), 2L)), "group codes must lie in 1..n_groups"),
    dm_benchmark_fit_cpp = list(
      quote(dm_benchmark_fit_cpp(c(2, 1, 3), c(3, 4, 2), c(1, 0, 2), 6)),
      quote(dm_benchmark_fit_cpp(c(2, 1), c(3, 4, 2), c(1, 0, 2), 6)), "differ in length"),
    dm_benchmark_ranks_cpp = list(
      quote(dm_benchmark_ranks_cpp(c(2, 1, 3), c(3, 4, 2), c(1, 0, 2), 6, 100L, 0.9, c(1, 2), 1L)),
      quote(dm_benchmark_ranks_cpp(c(2, 1, 3), c(3, 4, 2), c(1, 0, 2), 6, 0L, 0.9, c(1, 2), 1L)), "draws >= 1"),
    dm_polychoric_cpp = list(
      quote(dm_polychoric_cpp(cols, spec, FALSE, 0.5, 0, TRUE, 0.999, TRUE, 1L)),
      quote(dm_polychoric_cpp(cols, bad_spec, FALSE, 0.5, 0, TRUE, 0.999, TRUE, 1L)),
      "scale_min must be below scale_max"),
    dm_column_magnitudes_cpp = list(
      quote(dm_column_magnitudes_cpp(cbind(c(1, -3), c(NA, 2)))),
      quote(dm_column_magnitudes_cpp(c(1, 2))), "matrix"),
    dm_ordinal_alpha_boot_cpp = list(
      quote(dm_ordinal_alpha_boot_cpp(cols, spec, FALSE, 5L, seed, NULL, 0L, TRUE, 1L)),
      quote(dm_ordinal_alpha_boot_cpp(cols, spec, FALSE, 5L, seed, c(1L, 1L, 2L, 3L), 2L, TRUE, 1L)),
      "cluster codes must lie in 1..G"),
    dm_boot_rows_cpp = list(
      quote(dm_boot_rows_cpp(4, NULL, 0L, seed, 1:2)),
      quote(dm_boot_rows_cpp(4, NULL, 0L, seed, 0L)), "draws must be >= 1"),
    dm_bvn_cpp = list(
      quote(dm_bvn_cpp(0, 0, 0.5)),
      quote(dm_bvn_cpp(0, 0, 2)), "r must lie in")
  )
  list(calls = calls, frame = environment())
}

test_that("every C++ export returns an R error, not a crash, on input the core refuses", {
  g <- glue_calls()
  calls <- g$calls
  frame <- g$frame  # where X, fit etc. live
  for (f in names(calls)) {
    ok <- eval(calls[[f]][[1]], frame)
    expect_true(is.list(ok) || is.numeric(ok), label = paste(f, "on valid input"))
    expect_error(eval(calls[[f]][[2]], frame), calls[[f]][[3]], label = f)
  }
  # residuals or a whitening of the wrong size were read out of bounds (Eigen's size
  # checks are off: EIGEN_NO_DEBUG); the glue refuses them
  with(frame, {
    expect_error(dm_htz_cpp(X, e[-1], NULL, cl, 3L, R, NULL, C, 1L), "residuals and design")
    expect_error(dm_htz_cpp(X, e, NULL, cl, 3L, R[1:2, 1:2], NULL, C[, 1:2], 1L), "rinv and design")
    expect_error(dm_contrast_df_cpp(X, e[-1], NULL, cl, 3L, R, NULL, C, 1L), "residuals and design")
    expect_error(dm_contrast_df_cpp(X, e, NULL, cl, 3L, R[1:2, 1:2], NULL, C, 1L), "rinv and design")
    expect_error(dm_cluster_summary_cpp(X, e, NULL, cl, 3L, R[1:2, 1:2], NULL, 1L), "rinv and design")
  })
  # R is still usable afterwards
  expect_s3_class(dm_lm(mpg ~ wt, mtcars), "dm_lm")
  # every export that can throw on its input is in the table above; the others take no
  # input that the core could refuse (dm_num_procs, dm_build_info, dm_threads_used_cpp)
  # or throw on purpose (dm_parallel_selftest, tests/testthat/test-threads.R)
  exports <- grep("^dm_", ls(asNamespace("digimaturity")), value = TRUE)
  exports <- exports[vapply(exports, function(f) {
    fun <- get(f, asNamespace("digimaturity"))
    is.function(fun) && any(grepl("^\\s*\\.Call", deparse(body(fun))))
  }, logical(1))]
  expect_setequal(setdiff(exports, names(calls)),
                  c("dm_num_procs", "dm_build_info", "dm_threads_used_cpp", "dm_parallel_selftest"))
})

test_that("an allocation failure in the scoring core is the classed memory error", {
  # 50 items x 2^31 - 1 groups of counts: far beyond any memory (and beyond what the
  # kernel lets one ask for), so std::vector throws std::bad_alloc in dm::agree()
  # AddressSanitizer (make sanitize preloads it) aborts on such a request instead
  skip_if(grepl("libasan", Sys.getenv("LD_PRELOAD")), "AddressSanitizer aborts on a failed allocation")
  items <- 50L
  cols <- rep(list(c(1, 2)), items)
  spec <- list(dimension = rep(1L, items), keyed = rep(1L, items),
               scale_min = rep(1L, items), scale_max = rep(5L, items),
               missing_codes = rep(list(numeric()), items), n_dimensions = 1L, n_rows = 2)
  expect_error(cpp_call(dm_agree_cpp(cols, spec, 4, NULL, c(1L, 1L), .Machine$integer.max)),
               "could not allocate", class = "digimaturity_error_memory")
  expect_identical(dm_agree_cpp(cols, spec, 4, NULL, c(1L, 1L), 1L)$n, rep(2, items))
})
