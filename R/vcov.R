#' Joint Wald test that coefficients are zero, with the fit's variance
#'
#' Tests H0: the named coefficients are all zero, using the variance estimator
#' of the fit. This is the block comparison of the study: do the institutional
#' pressures matter jointly, or the capacities?
#'
#' @param fit A [dm_lm()] fit.
#' @param terms Character vector: coefficient names (`"wt"`,
#'   `"factor(gear)4"`) or term labels of the formula (`"factor(gear)"`, which
#'   stands for all its coefficients). Aliased coefficients are left out.
#'
#' @details The statistic is F = Q / q with Q = b' (C V C')^-1 b and q the
#'   number of coefficients tested:
#'   * `"classical"` and HC types: F(q, n - k);
#'   * CR0, CR1, CR1S, CR3: F(q, G - 1);
#'   * CR2: the HTZ test of Tipton and Pustejovsky (2015), as
#'     `clubSandwich::Wald_test(test = "HTZ")`: F = (nu - q + 1) / (nu q) Q on
#'     (q, nu - q + 1) df, with nu from a Hotelling's T-squared approximation.
#'     With too few clusters for the number of constraints, nu - q + 1 is not
#'     positive and the statistic and p-value are `NA` (clubSandwich reports
#'     F = 0 with an `NA` p-value).
#'
#'   When C V C' (V the fit's variance of the tested coefficients) has an `NA`
#'   (a variance that is not defined) or a zero variance, or is numerically
#'   singular (reciprocal condition number of its correlation matrix below
#'   1e-13, e.g. more constraints than clusters), the statistic and p-value are
#'   `NA`: no test is reported rather than an infinite or arbitrary F. So are
#'   they on an essentially perfect fit (see [dm_lm()]).
#'
#' @return A data frame of class `dm_wald` with one row: `test`, `terms`,
#'   `statistic`, `df1`, `df2`, `p.value`, `vcov`.
#' @references Tipton, E. and Pustejovsky, J. E. (2015). Small-sample
#'   adjustments for tests of moderators and model fit using robust variance
#'   estimation in meta-regression. *Journal of Educational and Behavioral
#'   Statistics* 40(6), 604-634.
#' @family dm_lm
#' @export
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp + qsec, data = mtcars, cluster = ~carb)
#' dm_wald(fit, c("hp", "qsec"))
#' dm_wald(dm_lm(mpg ~ wt + hp + qsec, data = mtcars, vcov = "HC1"), c("hp", "qsec"))
dm_wald <- function(fit, terms) {
  if (!inherits(fit, "dm_lm")) {
    dm_abort(sprintf("`fit` must be a dm_lm fit; you passed an object of class '%s'.",
                     class(fit)[1]), type = "input")
  }
  cols <- wald_columns(fit, terms)
  b <- fit$coefficients
  kept <- names(b)[!fit$aliased]
  cols <- intersect(cols, kept)
  q <- length(cols)
  if (q == 0L) {
    dm_abort(sprintf("`terms` (%s) selects no estimable coefficient.", show_values(terms)),
             type = "input")
  }
  C <- matrix(0, q, length(kept), dimnames = list(cols, kept))
  C[cbind(seq_len(q), match(cols, kept))] <- 1
  # C selects coefficients: C V C' is a block of V (no product that would spread an NA
  # variance of an untested coefficient)
  CVC <- fit$vcov[cols, cols, drop = FALSE]
  cb <- b[cols]
  Q <- if (isTRUE(fit$perfect_fit)) NA_real_ else wald_quadratic_form(CVC, cb)
  type <- fit$vcov_type
  if (type == "CR2") {
    nu <- cr2_htz_nu(fit, C)
    df2 <- nu - q + 1
    if (is.nan(df2)) df2 <- NA_real_
    # with too few clusters for q constraints the HTZ df are not positive: no test
    stat <- if (isTRUE(df2 > 0)) (nu - q + 1) / (nu * q) * Q else NA_real_
    test <- "HTZ"
  } else {
    df2 <- if (type %in% c("CR0", "CR1", "CR1S", "CR3")) fit$n_clusters - 1 else fit$df.residual
    stat <- Q / q
    test <- if (type == "classical") "F (classical)" else "Wald F"
  }
  if (!is.finite(stat)) stat <- NA_real_
  p <- if (!is.na(stat) && isTRUE(df2 > 0)) stats::pf(stat, q, df2, lower.tail = FALSE) else NA_real_
  out <- data.frame(test = test, terms = paste(cols, collapse = ", "), statistic = stat,
                    df1 = q, df2 = df2, p.value = p, vcov = type, stringsAsFactors = FALSE)
  class(out) <- c("dm_wald", "data.frame")
  out
}

# Q = b' (C V C')^-1 b, or NA when C V C' has an NA or is (numerically) singular: a
# zero or undefined variance, or more constraints than the variance has rank (e.g.
# more than the clusters allow). Singularity is judged on the correlation matrix, so
# that badly scaled coefficients do not count as singular.
wald_quadratic_form <- function(CVC, cb) {
  d <- diag(CVC)
  if (anyNA(CVC) || anyNA(cb) || any(!(d > 0))) return(NA_real_)
  s <- 1 / sqrt(d)
  R <- CVC * outer(s, s)
  if (rcond(R) < 1e-13) return(NA_real_)
  z <- drop(cb) * s
  Q <- tryCatch(drop(crossprod(z, solve(R, z))), error = function(e) NA_real_)
  if (!is.finite(Q) || Q < 0) NA_real_ else Q
}

# Coefficient names for `terms`: names of coefficients, or term labels expanded.
wald_columns <- function(fit, terms) {
  if (!is.character(terms) || !length(terms) || anyNA(terms)) {
    dm_abort("`terms` must be a character vector of coefficient names or term labels.",
             type = "input")
  }
  cn <- names(fit$coefficients)
  labels <- attr(fit$terms, "term.labels")
  assign <- attr(design_matrix(fit), "assign")
  out <- character()
  for (t in terms) {
    if (t %in% cn) {
      out <- c(out, t)
    } else if (t %in% labels) {
      out <- c(out, cn[assign == match(t, labels)])
    } else {
      dm_abort(sprintf("`terms` holds '%s', which is neither a coefficient nor a term of the model (coefficients: %s).",
                       t, show_values(cn, 10L)), type = "input")
    }
  }
  unique(out)
}

#' @export
print.dm_wald <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  for (i in seq_len(nrow(x))) {
    cat(sprintf("Wald test (%s, vcov %s) that these coefficients are zero:\n  %s\n",
                x$test[i], x$vcov[i], x$terms[i]))
    cat(sprintf("F = %s on %s and %s df, p = %s\n",
                format(x$statistic[i], digits = digits), format(x$df1[i]),
                format(x$df2[i], digits = digits), format.pval(x$p.value[i], digits = digits)))
  }
  invisible(x)
}
