# Degrees of freedom of the t tests of a dm_lm fit, computed when first needed.
#
# The n - k and G - 1 rules are constants. The CR2 Satterthwaite df cost a pass over
# the data per batch of contrasts, so the fit does not compute them: coef_df() asks
# for the coefficients requested and not yet known, and keeps them in the
# environment `fit$cache` (shared by every copy of the fit, so a df is computed once).
#
# The two wrappers below are the only places that call the C++ CR2 df and HTZ entry
# points; their argument `C` is a contrast matrix over the kept (non-aliased)
# coefficients, in the order of `colnames(fit$bread)`.

#' Degrees of freedom of the t tests of a `dm_lm` fit
#'
#' The degrees of freedom of each coefficient's t test, as in the `df` column
#' of [tidy()][dm_lm-tidiers] and `summary(fit)$df_coef`: n - k for the
#' classical and HC estimators, G - 1 for CR0, CR1, CR1S and CR3, and for CR2
#' the Satterthwaite df of Pustejovsky and Tipton (2018), as
#' `clubSandwich::coef_test(test = "Satterthwaite")`.
#'
#' A fit does not compute the CR2 df: each costs a pass over the data, and
#' most uses need only some of them. They are computed when first asked for
#' (by this function, `summary()`, `tidy()`, `confint()`, or `predict()` with an
#' interval), only for the coefficients asked for, and kept in the fit (in the
#' environment `fit$cache`, shared by its copies), so each is computed once.
#' This replaces the element `fit$df_coef` of earlier versions.
#'
#' @param fit A [dm_lm()] fit.
#' @param terms `NULL` (all coefficients) or a character vector of coefficient
#'   names (`"wt"`, `"factor(gear)4"`) or term labels of the formula
#'   (`"factor(gear)"`, for all its coefficients).
#'
#' @param ... Nothing: an unknown or misspelled argument is an error (class
#'   `digimaturity_error_argument_spelling`) that names the argument meant.
#' @return A named numeric vector: the df of each coefficient, `NA` for aliased
#'   ones.
#' @family dm_lm
#' @export
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp + factor(gear), data = mtcars, cluster = ~carb)
#' dm_coef_df(fit, "wt")           # computes the df of wt only
#' dm_coef_df(fit)                 # the others, once
#' dm_coef_df(fit, "factor(gear)")
#' dm_coef_df(update(fit, vcov = "CR1"))
dm_coef_df <- function(fit, terms = NULL, ...) {
  check_dots_spelling(..., .strict = TRUE)
  if (!inherits(fit, "dm_lm")) {
    dm_abort(sprintf("`fit` must be a dm_lm fit; you passed an object of class '%s'.",
                     class(fit)[1]), type = "input")
  }
  coef_df(fit, if (is.null(terms)) NULL else wald_columns(fit, terms))
}

# t-test df per coefficient, named; NA for aliased coefficients. `terms`: coefficient
# names (default: all).
coef_df <- function(fit, terms = NULL) {
  cn <- names(fit$coefficients)
  if (is.null(terms)) terms <- cn
  out <- stats::setNames(rep(NA_real_, length(terms)), terms)
  # aliased coefficients, and those whose variance is not defined (NA), have no df
  kept <- terms[!fit$aliased[terms] & !is.na(diag(fit$vcov)[terms])]
  if (!length(kept)) return(out)
  switch(fit$df_rule,
    "n - k" = out[kept] <- fit$df.residual,
    "G - 1" = out[kept] <- fit$n_clusters - 1,
    Satterthwaite = {
      cache <- fit$cache
      known <- cache$df_coef
      if (is.null(known)) known <- stats::setNames(numeric(), character())
      todo <- setdiff(kept, names(known))
      if (length(todo)) {
        all_kept <- colnames(fit$bread)
        C <- matrix(0, length(todo), length(all_kept))
        C[cbind(seq_along(todo), match(todo, all_kept))] <- 1
        new <- stats::setNames(cr2_contrast_df(fit, C), todo)
        known <- c(known, new)
        if (is.environment(cache)) cache$df_coef <- known
      }
      out[kept] <- known[kept]
    }
  )
  out[is.nan(out)] <- NA_real_
  out
}

# Satterthwaite df of each row of C (a contrast over the kept coefficients) under CR2,
# as clubSandwich::linear_contrast(test = "Satterthwaite"); rows in batches, to bound
# the C++ accumulators.
cr2_contrast_df <- function(fit, C) {
  kept <- colnames(fit$bread)
  D <- design_for_cpp(fit, kept)
  C <- unname(as.matrix(C))
  batches <- split(seq_len(nrow(C)), ceiling(seq_len(nrow(C)) / 256))
  threads <- threads_for(fit$nobs * length(kept)^2)
  unlist(lapply(batches, function(r) {
    cpp_call(dm_contrast_df_cpp(D, as.double(fit$residuals), fit$weights, as.integer(fit$cluster),
                                fit$n_clusters, fit$rinv, fit$rinv_lo, C[r, , drop = FALSE], threads))
  }), use.names = FALSE)
}

# The Hotelling's T-squared df nu of the HTZ test of C b = 0 under CR2 (Tipton and
# Pustejovsky 2015), as clubSandwich::Wald_test(test = "HTZ").
cr2_htz_nu <- function(fit, C) {
  kept <- colnames(fit$bread)
  X <- design_for_cpp(fit, kept)
  cpp_call(dm_htz_cpp(X, as.double(fit$residuals), fit$weights, as.integer(fit$cluster),
                      fit$n_clusters, fit$rinv, fit$rinv_lo, unname(as.matrix(C)),
                      threads_for(fit$nobs * length(kept)^2)))
}

# The kept columns of the design for the C++ core. When every term is a plain numeric
# column of the model frame (the fast path of dm_lm()), a list of those columns (read
# in place, no n x k copy: a large CR2 fit asks for its df without doubling its memory);
# otherwise the model matrix.
design_for_cpp <- function(fit, kept) {
  mf <- fit$model
  tt <- fit$terms
  labels <- attr(tt, "term.labels")
  simple <- length(labels) > 0L && all(attr(tt, "order") == 1L) && all(labels %in% names(mf)) &&
    all(vapply(labels, function(v) {
      x <- mf[[v]]
      (is.double(x) || is.integer(x)) && !is.object(x) && is.null(dim(x))
    }, logical(1)))
  if (!simple) return(design_matrix(fit)[, kept, drop = FALSE])
  cols <- lapply(mf[labels], as.double)
  if (attr(tt, "intercept") > 0L) cols <- c(list(`(Intercept)` = rep(1, nrow(mf))), cols)
  cols[kept]
}
