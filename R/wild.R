#' Wild cluster bootstrap tests and confidence intervals
#'
#' Tests each coefficient of a [dm_lm()] fit by the wild cluster bootstrap of
#' its t statistic studentised with the CR1 standard error, the standard
#' remedy when cluster-robust t tests over-reject with few (or unbalanced)
#' clusters; without a cluster, by the heteroskedastic wild bootstrap of the
#' HC1 t statistic. Confidence intervals come from inverting the bootstrap test.
#'
#' @param fit A [dm_lm()] fit (with or without `cluster`).
#' @param terms `NULL` (every estimable coefficient) or coefficient names or
#'   term labels of the formula (`"factor(gear)"` stands for its coefficients,
#'   each tested on its own).
#' @param B Number of bootstrap draws, a whole number >= 1. With Rademacher
#'   weights and 2^G <= B, all 2^G sign vectors are enumerated instead (B is
#'   then 2^G and the p-value is exact and does not depend on the seed).
#' @param auxiliary The distribution of the auxiliary (bootstrap) weights v_g:
#'   `"rademacher"`
#'   (+-1), `"webb"` (six points, better with fewer than about 12 clusters),
#'   `"mammen"` (two points, skewed) or `"normal"`.
#' @param ... Nothing: an unknown or misspelled argument is an error (class
#'   `digimaturity_error_argument_spelling`) that names the argument meant.
#' @param impose_null `TRUE` (default) for the restricted bootstrap (WCR: the
#'   bootstrap samples are generated from the fit with the null hypothesis
#'   imposed, which MacKinnon and Webb recommend); `FALSE` for the unrestricted
#'   one (WCU).
#' @param conf_level Confidence level of the intervals.
#' @param joint `FALSE` (default): each coefficient of `terms` is tested on its
#'   own. `TRUE`: one joint test that all of them are zero, by the wild
#'   bootstrap of the Wald statistic W = b' V^-1 b / q with the CR1 (HC1)
#'   variance V of the q coefficients (restricted: all q set to zero in the
#'   bootstrap samples); `statistic` is W and the row has no estimate or
#'   interval.
#'
#' @details
#' With residuals u, cluster weights v_g, and H0: beta_j = beta0, a bootstrap
#' sample is y* = X b~ + u~ v (WCR: b~ and u~ from the fit restricted to
#' beta_j = beta0; WCU: the unrestricted b and u). The statistic is
#' t = (b_j - beta0) / se_CR1(b_j) with the CR1 variance G/(G-1) sum_g s_g s_g'
#' (`vcov(fit, type = "CR1")`); without a cluster the HC1 variance
#' n/(n-k) sum_i s_i s_i'. The p-value is the share of draws with |t*| >= |t|
#' (symmetric two-sided; ties within a relative 1e-10 count). Weighted fits
#' are bootstrapped in the weighted (W^1/2-transformed) model.
#'
#' The computation follows "fast and wild" (Roodman, MacKinnon, Nielsen and
#' Webb 2019): an O(n k) pass reduces the data to cluster-level scores, after
#' which a draw costs O(G k) per coefficient, whatever the number of
#' observations. Because the restricted residuals are linear in beta0, each
#' draw is kept as five numbers from which t*(beta0) follows for any beta0.
#' The draws take 40 bytes per draw and coefficient (B = 99,999 draws of 14
#' coefficients: 56 MB). With more than 4096 clusters, and so in the
#' heteroskedastic bootstrap without a cluster (every observation its own
#' cluster), the quadratic forms of the bootstrap scores are expanded into sums
#' over the clusters: no G x B matrix is formed, memory is O(G k + B k) and
#' time O(G k B) per coefficient; Rademacher sign vectors are summed from
#' tables of the 16 sign patterns of each 4 clusters (n = 80,000, 3
#' coefficients, B = 9,999: about 2 s of CPU, see `bench/`).
#'
#' **Confidence sets.** The confidence set is the set of all beta0 that the
#' bootstrap test does not reject, \{beta0: p(beta0) > 1 - `conf_level`\}
#' (test inversion, as in Roodman et al. 2019). With the draws fixed,
#' p(beta0) is a step function of beta0, and the restricted (WCR) one is not
#' monotone: the set need not be an interval. It is found by scanning p on a
#' grid around the estimate (steps of 0.1 standard errors out to 5, then steps
#' growing by 10% out to 10,000 standard errors, extended by doubling while p
#' has not yet settled on the side of its limit), at the tested value 0 as well
#' (so that 0 is in the set exactly when `p.value` > 1 - `conf_level`), and by
#' bisecting every change between neighbouring grid points to 1e-7 standard
#' errors. A hole narrower than the grid step can be missed. The set is
#' returned as the intervals it is made of (`conf.set`), `conf.low` and
#' `conf.high` are its hull, and an end is `-Inf`/`Inf` when p(beta0) stays
#' above 1 - `conf_level` as beta0 goes to minus/plus infinity.
#'
#' **Few clusters.** No bootstrap p-value can fall below its limit as beta0
#' goes to infinity (`p.min`): under the restricted bootstrap the draws whose
#' weights are the same in every cluster reproduce the data's t statistic
#' whatever beta0, so with full enumeration `p.min` is 2/2^G (0.25 with 3
#' clusters, 0.0625 with 5). When `p.min` > 1 - `conf_level`, no test at that
#' level can reject and the confidence set is the whole line; `print()` says
#' so. The unrestricted bootstrap (WCU) has `p.min` = 0 and a finite interval
#' symmetric around the estimate, at the price of over-rejecting with few
#' clusters.
#'
#' **Reproducibility.** The draws come from Boost.Random Mersenne Twister
#' streams, one per block of 256 draws, seeded from a seed drawn from R's
#' random number generator: the result is reproducible with [set.seed()] and
#' does not depend on the number of threads ([dm_threads()]). Full enumeration
#' draws no random number at all. With more than 4096 clusters, Webb, Mammen
#' and normal weights come from one stream per block of draws and chunk of
#' 1024 clusters (so that the weights of a block need not be kept).
#'
#' @return A data frame of class `dm_wild` with one row per coefficient:
#'   `term`, `estimate`, `statistic` (the CR1 or HC1 t statistic of H0:
#'   coefficient = 0), `p.value` (the bootstrap p-value), `conf.low` and
#'   `conf.high` (the hull of the confidence set; `-Inf`/`Inf` where it is
#'   unbounded), `conf.set` (a list column: the confidence set as a matrix of
#'   `low`, `high` rows, ascending and disjoint), `conf.disjoint` (`TRUE` when
#'   the set is more than one interval), `p.min` (the smallest attainable
#'   bootstrap p-value, see Details), `B` (draws used) and `auxiliary`;
#'   attributes `bootstrap` (`"WCR"` or `"WCU"`), `enumerated`, `n_clusters`,
#'   `conf_level` and `joint`. A joint test has one row with `term`,
#'   `statistic`, `p.value`, `B` and `auxiliary` (and `NA` estimate and interval).
#' @section Progress and interrupts:
#' In an interactive session a run that lasts more than a few seconds shows a
#' progress bar (\pkg{cli}; drawn after cli's `cli.progress_show_after`, 2 s
#' by default); scripts, knitr documents and tests show none unless
#' `options(digimaturity.progress = TRUE)`, and `FALSE` turns the bars off
#' everywhere. Ctrl-C (an
#' interrupt) stops the run within about a second, between blocks of draws.
#' Neither changes the results: the draws are the same with or without a bar
#' and whatever the number of threads.
#' @references Roodman, D., MacKinnon, J. G., Nielsen, M. O. and Webb, M. D.
#'   (2019). Fast and wild: Bootstrap inference in Stata using boottest.
#'   *The Stata Journal* 19(1), 4-60.
#'
#'   MacKinnon, J. G. and Webb, M. D. (2018). The wild bootstrap for few
#'   (treated) clusters. *The Econometrics Journal* 21(2), 114-135.
#' @family dm_lm
#' @seealso [dm_cluster_summary()] for leverage and influence of clusters.
#' @export
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb)
#' dm_wild(fit)                      # 6 clusters: all 64 sign vectors
#' w <- dm_wild(fit, "hp")
#' w$conf.set[[1]]                    # the confidence set: two intervals
#' dm_wild(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl))  # 3: unbounded
#' set.seed(1)
#' dm_wild(fit, "wt", B = 999, auxiliary = "webb")
#' dm_wild(fit, "wt", impose_null = FALSE)
#' dm_wild(dm_lm(mpg ~ wt + hp, data = mtcars), B = 199)   # no cluster
#' dm_wild(fit, c("wt", "hp"), joint = TRUE)                  # both zero
dm_wild <- function(fit, terms = NULL, B = 9999,
                    auxiliary = c("rademacher", "webb", "mammen", "normal"),
                    impose_null = TRUE, conf_level = 0.95, joint = FALSE, ...) {
  check_dots_spelling(..., .strict = TRUE)
  check_wild_fit(fit)
  check_scalar_number(B, "B", lower = 1)
  if (B != round(B) || B > .Machine$integer.max) {
    dm_abort(sprintf("`B` must be a whole number of draws; you passed %s.", show_values(B)),
             type = "input")
  }
  auxiliary <- match_choice(auxiliary, c("rademacher", "webb", "mammen", "normal"), "auxiliary")
  check_flag(impose_null, "impose_null")
  check_flag(joint, "joint")
  check_scalar_number(conf_level, "conf_level", 0, 1, lower_open = TRUE, upper_open = TRUE)

  cn <- names(fit$coefficients)
  kept <- cn[!fit$aliased]
  cols <- if (is.null(terms)) kept else wald_columns(fit, terms)
  al <- intersect(cols, cn[fit$aliased])
  if (length(al)) {
    dm_abort(sprintf("`terms` selects the aliased (not estimable) coefficient%s %s.",
                     if (length(al) > 1) "s" else "", show_values(al)), type = "input")
  }
  clus <- fit$cluster
  G <- if (is.null(clus)) fit$nobs else fit$n_clusters
  enumerate <- auxiliary == "rademacher" && G < 31 && 2^G <= B
  # the seed of the C++ streams, from R's RNG (full enumeration draws nothing)
  seed <- if (enumerate) c(0, 0) else floor(stats::runif(2) * 2^32)
  weight_code <- match(auxiliary, c("rademacher", "webb", "mammen", "normal")) - 1L
  # a bar (shown when the run outlasts cli's 2 s); the core reports draws done between
  # its blocks of draws, which are the same with or without the bar
  bar <- progress_start(1, "Wild bootstrap draws")
  if (joint) {
    res <- cpp_call(dm_wild_joint_cpp(design_for_cpp(fit, kept), unname(fit$coefficients[kept]),
                                      as.double(fit$residuals), fit$weights,
                                      if (is.null(clus)) NULL else as.integer(clus), as.integer(G),
                                      fit$rinv, fit$rinv_lo, match(cols, kept), as.integer(B),
                                      weight_code, impose_null, seed,
                                      threads_for(as.double(B) * G * length(kept) * length(cols)),
                                      wild_direct_max(), progress_callback(bar)))
    progress_done(bar)
    out <- data.frame(term = paste(cols, collapse = ", "), estimate = NA_real_,
                      statistic = res$statistic, p.value = res$p.value, conf.low = NA_real_,
                      conf.high = NA_real_, B = res$B, auxiliary = auxiliary, stringsAsFactors = FALSE)
    return(new_dm_wild(out, impose_null, res$enumerated, clus, G, conf_level, joint = TRUE))
  }
  res <- cpp_call(dm_wild_cpp(design_for_cpp(fit, kept), unname(fit$coefficients[kept]),
                              as.double(fit$residuals), fit$weights,
                              if (is.null(clus)) NULL else as.integer(clus), as.integer(G),
                              fit$rinv, fit$rinv_lo, match(cols, kept), rep(0, length(cols)),
                              as.integer(B), weight_code,
                              impose_null, seed, conf_level,
                              threads_for(as.double(B) * G * length(kept) * length(cols)),
                              wild_direct_max(), progress_callback(bar)))
  progress_done(bar)
  sets <- lapply(res$conf.set, function(s) {
    dimnames(s) <- list(NULL, c("low", "high"))
    s
  })
  out <- data.frame(term = cols, estimate = res$estimate, statistic = res$statistic,
                    p.value = res$p.value,
                    conf.low = vapply(sets, function(s) min(s[, "low"]), numeric(1)),
                    conf.high = vapply(sets, function(s) max(s[, "high"]), numeric(1)),
                    conf.disjoint = vapply(sets, nrow, integer(1)) > 1L,
                    p.min = res$p.min, B = res$B, auxiliary = auxiliary, stringsAsFactors = FALSE)
  out$conf.set <- sets
  out <- out[c("term", "estimate", "statistic", "p.value", "conf.low", "conf.high", "conf.set",
               "conf.disjoint", "p.min", "B", "auxiliary")]
  new_dm_wild(out, impose_null, res$enumerated, clus, G, conf_level, joint = FALSE)
}

# Internal: with more clusters than this, the bootstrap scores' quadratic forms are
# expanded into sums over the clusters (src/wild.h); the tests lower it to compare both.
wild_direct_max <- function() as.integer(getOption("digimaturity.wild_direct_max", 4096L))

new_dm_wild <- function(out, impose_null, enumerated, clus, G, conf_level, joint) {
  attr(out, "bootstrap") <- if (impose_null) "WCR" else "WCU"
  attr(out, "enumerated") <- enumerated
  attr(out, "n_clusters") <- if (is.null(clus)) NA_integer_ else G
  attr(out, "conf_level") <- conf_level
  attr(out, "joint") <- joint
  class(out) <- c("dm_wild", "data.frame")
  out
}

# A fit that a bootstrap (or a cluster summary) can work on: a single-response dm_lm
# with residual degrees of freedom and residuals that are not rounding noise.
check_wild_fit <- function(fit, what = "the wild bootstrap") {
  if (inherits(fit, "dm_mlm")) {
    dm_abort(sprintf("`fit` has several responses (a dm_mlm); %s works on one response: fit each with dm_lm().",
                     what), type = "input", call = sys.call(-1))
  }
  if (!inherits(fit, "dm_lm")) {
    dm_abort(sprintf("`fit` must be a dm_lm fit; you passed an object of class '%s'.",
                     class(fit)[1]), type = "input", call = sys.call(-1))
  }
  if (!isTRUE(fit$df.residual >= 1)) {
    dm_abort(sprintf("`fit` has no residual degrees of freedom (%s), so %s has nothing to resample.",
                     show_values(fit$df.residual), what), type = "no_residual_df", call = sys.call(-1))
  }
  if (isTRUE(fit$perfect_fit)) {
    dm_abort(sprintf("`fit` is an essentially perfect fit: its residuals are rounding noise, so %s would test noise.",
                     what), type = "no_residual_df", call = sys.call(-1))
  }
  invisible(fit)
}

#' @export
print.dm_wild <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  joint <- isTRUE(attr(x, "joint"))
  shown <- if (joint) c("term", "statistic", "p.value", "B", "auxiliary") else
    c("term", "estimate", "statistic", "p.value", "conf.low", "conf.high", "B", "auxiliary")
  y <- x
  class(y) <- "data.frame"
  if (!all(shown %in% names(x)) || is.null(attr(x, "bootstrap")) || !nrow(x)) {
    # a subset of the columns (or rows) no longer describes the bootstrap: print it plainly
    if (is.list(y$conf.set)) y$conf.set <- vapply(y$conf.set, format_wild_set, "", digits = digits)
    print(y, digits = digits, ...)
    return(invisible(x))
  }
  G <- attr(x, "n_clusters")
  clustered <- !is.null(G) && !is.na(G)
  cat(sprintf("%sild %sbootstrap (%s, %s weights, %s%s), %s%s%s:\n",
              if (joint) "Joint test that the coefficients are zero by the w" else "W",
              if (clustered) "cluster " else "", attr(x, "bootstrap"), x$auxiliary[1],
              format(x$B[1], big.mark = ","),
              if (isTRUE(attr(x, "enumerated"))) " draws: all sign vectors" else " draws",
              if (clustered) "CR1 " else "HC1 ", if (joint) "Wald statistic" else "t statistics",
              if (clustered) sprintf(", %d clusters", G) else ""))
  if (joint) {
    cat(sprintf("  %s\nW = %s, bootstrap p = %s\n", x$term[1], format(x$statistic[1], digits = digits),
                format.pval(x$p.value[1], digits = digits)))
    return(invisible(x))
  }
  y <- y[c("term", "estimate", "statistic", "p.value", "conf.low", "conf.high")]
  level <- attr(x, "conf_level")
  if (is.null(level)) level <- NA_real_
  names(y)[5:6] <- sprintf("%s %g%%", c("lower", "upper"), 100 * level)
  print(y, digits = digits, row.names = FALSE)
  print_wild_sets(x, level, digits)
  invisible(x)
}

# "[low, high] U [low, high]" for a confidence set (a matrix of low, high rows).
format_wild_set <- function(s, digits) {
  paste(sprintf("[%s, %s]", format(s[, 1], digits = digits), format(s[, 2], digits = digits)),
        collapse = " U ")
}

# The notes under a dm_wild table: confidence sets that are not one interval, and
# coefficients for which no bootstrap p-value can fall to 1 - conf_level.
print_wild_sets <- function(x, level, digits) {
  if (is.list(x$conf.set) && any(x$conf.disjoint %in% TRUE)) {
    cat(sprintf("The %g%% confidence set is not one interval (the interval columns are its hull):\n",
                100 * level))
    for (i in which(x$conf.disjoint %in% TRUE)) {
      cat(sprintf("  %s: %s\n", x$term[i], format_wild_set(x$conf.set[[i]], digits)))
    }
  }
  if (is.numeric(x$p.min) && !is.na(level) && any(x$p.min > 1 - level, na.rm = TRUE)) {
    hit <- which(x$p.min > 1 - level)
    cat(sprintf("Note: %sno bootstrap p-value can be below %s (p.min) for %s: no test at the %g%% level can reject, and the %g%% confidence set%s unbounded.\n",
                if (isTRUE(attr(x, "enumerated")) && identical(attr(x, "bootstrap"), "WCR"))
                  sprintf("with 2 of the %s sign vectors constant across clusters, ", format(x$B[1], big.mark = ","))
                else "",
                paste(unique(format(x$p.min[hit], digits = digits)), collapse = "/"),
                paste(x$term[hit], collapse = ", "), 100 * (1 - level), 100 * level,
                if (length(hit) > 1) "s are" else " is"))
  }
  invisible(NULL)
}
