# Accessors of "dm_lm" fits: the methods an lm() user expects (coef, vcov, confint,
# nobs, residuals, fitted, sigma, model.matrix, model.frame, formula, terms, update,
# hatvalues), plus the internal coefficient table shared with summary() and tidy().

#' Extract parts of a `dm_lm` fit
#'
#' The accessors that work on an [lm()] fit work on a `dm_lm` fit too, and give
#' the same numbers for the same model. Standard errors, `vcov()` and
#' `confint()` use the variance estimator the fit was made with
#' (`fit$vcov_type`), and `confint()` takes its t quantiles from the per
#' coefficient degrees of freedom of the fit (the `df` column of
#' [tidy()][dm_lm-tidiers]: n - k for the classical and HC estimators, G - 1 for
#' CR0, CR1, CR1S and CR3, Satterthwaite for CR2, computed for the coefficients
#' asked for). Where a standard error is 0 or not defined (`NA`), the limits are
#' `NA`.
#'
#' @param object,model A `dm_lm` fit.
#' @param complete If `TRUE` (the default, as for [lm()]), aliased (collinear)
#'   coefficients are kept as `NA` (and `NA` rows and columns in `vcov()`); if
#'   `FALSE` they are dropped.
#' @param parm Coefficients to give intervals for: names or positions; all by
#'   default.
#' @param level Confidence level, a single number in (0, 1).
#' @param vcov Another variance estimator for this call, without refitting
#'   by hand (the fit itself is unchanged): one of the types of [dm_lm()]
#'   (`"classical"`, `"HC0"`-`"HC3"`, `"CR0"`, `"CR1"`, `"CR1S"`, `"CR2"`,
#'   `"CR3"`), or a one-sided formula `~municipality` for CR2 clustered by that
#'   column. `NULL` (the default) keeps the fit's. A variance matrix computed
#'   elsewhere (e.g. by \pkg{sandwich}, or passed on by modelsummary's `vcov =`)
#'   is used as given, with t tests on n - k df (as `lmtest::coeftest()`).
#' @param cluster Clustering for `vcov` (or `type` of `vcov()`), like
#'   [dm_lm()]'s `cluster`: a one-sided formula, a bare column name or a column
#'   name as a string (of the data the fit was made from, found through its
#'   call), or a vector with one value per row of the data or per row used.
#'   Given alone, it means CR2.
#' @param type For `vcov()`: another variance estimator, as `vcov` above (the
#'   name [sandwich::vcovHC()] uses). For `residuals()`: the residual type,
#'   `"working"` and `"response"` give y minus fitted;
#'   `"pearson"` and `"deviance"` multiply by the square root of the weights
#'   (the same for unweighted fits), as [residuals.lm()].
#' @param formula. Changes to the formula, as in [update.formula()], e.g.
#'   `. ~ . - x`.
#' @param evaluate If `TRUE` (the default) the updated call is evaluated;
#'   otherwise it is returned.
#' @param x,formula A `dm_lm` fit (for `formula()`, `terms()` and
#'   `model.frame()`).
#' @param ... For `update()`, arguments of [dm_lm()] to change, e.g.
#'   `vcov = "HC1"`. The other methods take no further arguments: an unknown
#'   or misspelled one (`confint(fit, conf.level = 0.9)`, `coef(fit, vcov =
#'   "HC1")`) is an error of class `digimaturity_error_argument_spelling` that
#'   names the argument meant (`level`), never silently ignored.
#'
#' @return
#' * `coef()`: named numeric vector; `vcov()`: a matrix.
#' * `confint()`: a matrix with one row per coefficient in `parm` and columns
#'   for the lower and upper limits, labelled in percent as [confint.lm()].
#' * `nobs()`: the number of observations used; `sigma()`: the residual
#'   standard error.
#' * `residuals()`, `fitted()`, `hatvalues()`: numeric vectors named by the
#'   row names of the rows used. `hatvalues()` are the leverages
#'   \eqn{h_i = w_i x_i^\top (X^\top W X)^{-1} x_i}, computed by the C++
#'   core as the squared row norms of the whitened design \eqn{W^{1/2} X
#'   R^{-1}} (from the fit's triangular factor, in double-double on the QR
#'   path; never from an explicit inverse): they sum to the rank and keep
#'   their accuracy on ill-conditioned designs.
#' * `model.frame()`: the model frame of the fit, with a column `(weights)`
#'   for a weighted fit, as for [lm()]; `model.matrix()`: the design
#'   matrix rebuilt from the terms and the model frame with the stored contrasts;
#'   `formula()`, `terms()`: as for [lm()].
#' * `update()`: the refitted model (or the call, if `evaluate = FALSE`).
#'
#' @family dm_lm
#' @name dm_lm-accessors
#' @importFrom stats coef vcov confint nobs sigma residuals fitted hatvalues
#'   model.frame model.matrix formula terms update
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)
#' coef(fit)
#' vcov(fit)
#' confint(fit, level = 0.90)
#' confint(fit, parm = "wt")
#' nobs(fit)
#' sigma(fit)
#' head(residuals(fit))
#' head(fitted(fit))
#' head(hatvalues(fit))
#' head(model.matrix(fit))
#' formula(fit)
#'
#' # Another variance without refitting by hand
#' vcov(fit, type = "HC1")
#' vcov(fit, type = "CR1", cluster = ~gear)
#' confint(fit, vcov = ~gear)
#'
#' # Refit with another variance estimator, or another formula
#' update(fit, vcov = "CR1")
#' update(fit, . ~ . - hp)
NULL

#' @rdname dm_lm-accessors
#' @export
coef.dm_lm <- function(object, complete = TRUE, ...) {
  check_dots_strict(..., .fun = "coef()")
  check_flag(complete, "complete")
  b <- object$coefficients
  if (complete) b else b[!object$aliased]
}

#' @rdname dm_lm-accessors
#' @export
vcov.dm_lm <- function(object, complete = TRUE, type = NULL, cluster = NULL, ...) {
  check_flag(complete, "complete")
  check_dots_strict(..., .fun = "vcov()")
  object <- revcov(object, type, substitute(cluster), parent.frame())
  v <- object$vcov
  if (complete) v else v[!object$aliased, !object$aliased, drop = FALSE]
}

#' @rdname dm_lm-accessors
#' @export
confint.dm_lm <- function(object, parm, level = 0.95, vcov = NULL, cluster = NULL, ...) {
  check_dots_strict(..., .fun = "confint()")
  check_scalar_number(level, "level", 0, 1, lower_open = TRUE, upper_open = TRUE)
  object <- revcov(object, vcov, substitute(cluster), parent.frame())
  cn <- names(object$coefficients)
  rows <- if (missing(parm)) cn else select_parm(parm, cn)
  tab <- lm_coef_table(object, level, unique(rows))  # the df of these coefficients only
  a <- (1 - level) / 2
  pct <- paste(format(100 * c(a, 1 - a), trim = TRUE, scientific = FALSE, digits = 3), "%")
  out <- as.matrix(tab[rows, c("conf.low", "conf.high"), drop = FALSE])
  dimnames(out) <- list(rows, pct)
  out
}

#' @rdname dm_lm-accessors
#' @export
nobs.dm_lm <- function(object, ...) {
  check_dots_strict(..., .fun = "nobs()")
  object$nobs
}

#' @rdname dm_lm-accessors
#' @export
sigma.dm_lm <- function(object, ...) {
  check_dots_strict(..., .fun = "sigma()")
  object$sigma
}

#' @rdname dm_lm-accessors
#' @export
residuals.dm_lm <- function(object, type = c("working", "response", "deviance", "pearson"),
                            ...) {
  check_dots_strict(..., .fun = "residuals()")
  type <- match_choice(type, c("working", "response", "deviance", "pearson"), "type")
  r <- object$residuals
  if (type %in% c("deviance", "pearson") && !is.null(object$weights)) r <- r * sqrt(object$weights)
  r
}

#' @rdname dm_lm-accessors
#' @export
fitted.dm_lm <- function(object, ...) {
  check_dots_strict(..., .fun = "fitted()")
  object$fitted.values
}

#' @rdname dm_lm-accessors
#' @export
hatvalues.dm_lm <- function(model, ...) {
  # h_i = |z_i|^2, z_i = sqrt(w_i) R^-T x_i: the whitening of the fit (in double-double
  # on the QR path), never x_i' (X'WX)^-1 x_i from an explicit inverse
  keep <- colnames(model$bread)
  h <- if (!length(keep)) rep(0, model$nobs) else
    cpp_call(dm_hat_cpp(design_for_cpp(model, keep), model$weights, model$rinv, model$rinv_lo,
                        threads_for(model$nobs * length(keep)^2)))
  stats::setNames(h, names(model$residuals))
}

#' @rdname dm_lm-accessors
#' @export
model.frame.dm_lm <- function(formula, ...) {
  check_dots_strict(..., .fun = "model.frame()")
  mf <- formula$model
  if (!is.null(formula$weights)) mf[["(weights)"]] <- formula$weights
  mf
}

#' @rdname dm_lm-accessors
#' @export
model.matrix.dm_lm <- function(object, ...) {
  check_dots_strict(..., .fun = "model.matrix()")
  design_matrix(object)
}

#' @rdname dm_lm-accessors
#' @export
formula.dm_lm <- function(x, ...) {
  check_dots_strict(..., .fun = "formula()")
  form <- stats::formula(x$terms)
  if (!is.null(x$formula)) environment(form) <- environment(x$formula)
  form
}

#' @rdname dm_lm-accessors
#' @export
terms.dm_lm <- function(x, ...) {
  check_dots_strict(..., .fun = "terms()")
  x$terms
}

#' @rdname dm_lm-accessors
#' @export
update.dm_lm <- function(object, formula., ..., evaluate = TRUE) {
  call <- object$call
  if (is.null(call)) {
    dm_abort("`object` has no stored call, so it cannot be updated.", type = "input")
  }
  extras <- match.call(expand.dots = FALSE)$...
  if (!missing(formula.)) {
    if (!inherits(formula., "formula")) {
      dm_abort(sprintf("`formula.` must be a formula such as . ~ . + x3; you passed an object of class '%s'.",
                       class(formula.)[1]), type = "input")
    }
    call$formula <- stats::update(stats::formula(object), formula.)
  }
  for (nm in names(extras)) call[[nm]] <- extras[[nm]]
  if (evaluate) eval(call, parent.frame()) else call
}

# ---- internal -------------------------------------------------------------------

# The coefficient table behind summary(), tidy() and confint(): one row per
# coefficient (aliased ones all NA), t tests with the fit's per-coefficient df.
# Where the standard error is 0 or not defined (NA, or a negative variance), and on
# an essentially perfect fit, the statistic, p-value and confidence limits are NA,
# never +-Inf, 0, a zero-width interval or a t value of rounding noise.
lm_coef_table <- function(object, level = 0.95, terms = names(object$coefficients)) {
  b <- object$coefficients[terms]
  nm <- terms
  v <- unname(diag(object$vcov)[nm])
  se <- ifelse(!is.na(v) & v >= 0, sqrt(pmax(v, 0)), NA_real_)
  df <- unname(coef_df(object, nm))
  # on an essentially perfect fit the s.e. are rounding noise (or 0): no test either
  defined <- !is.na(se) & se > 0 & !is.na(df) & df > 0 & !isTRUE(object$perfect_fit)
  t <- ifelse(defined, unname(b) / se, NA_real_)
  p <- ifelse(defined, 2 * stats::pt(abs(t), df, lower.tail = FALSE), NA_real_)
  q <- ifelse(defined, stats::qt((1 + level) / 2, df), NA_real_)
  data.frame(term = nm, estimate = unname(b), std.error = se, statistic = t,
             df = df, p.value = p, conf.low = unname(b) - q * se,
             conf.high = unname(b) + q * se, row.names = nm, stringsAsFactors = FALSE)
}

check_flag <- function(x, arg) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) {
    dm_abort(sprintf("`%s` must be TRUE or FALSE; you passed %s.", arg,
                     if (is.null(x)) "NULL" else show_values(x)), type = "input")
  }
  invisible(x)
}

# `parm` of confint(): coefficient names or positions, validated.
select_parm <- function(parm, names) {
  if (is.numeric(parm)) {
    bad <- parm[is.na(parm) | parm < 1 | parm > length(names) | parm != round(parm)]
    if (length(bad)) {
      dm_abort(sprintf("`parm` must be coefficient positions between 1 and %d; you passed %s.",
                       length(names), show_values(bad)), type = "input")
    }
    return(names[parm])
  }
  if (!is.character(parm)) {
    dm_abort(sprintf("`parm` must be coefficient names or positions; you passed an object of class '%s'.",
                     class(parm)[1]), type = "input")
  }
  bad <- setdiff(parm, names)
  if (length(bad)) {
    dm_abort(sprintf("`parm` names coefficient%s that the fit does not have: %s. The coefficients are %s.",
                     if (length(bad) > 1) "s" else "", show_values(bad),
                     show_values(names, 50L)), type = "input")
  }
  parm
}
