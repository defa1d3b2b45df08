# A dm_lm fit in the lm ecosystem: estfun()/bread() for sandwich (and through it lmtest,
# car), emmeans support, weights(), df.residual(), logLik() and deviance() as for lm
# (anova() is in R/anova.R).

#' Use a `dm_lm` fit with sandwich, lmtest, car, emmeans and friends
#'
#' The methods that let the packages of the [lm()] ecosystem work on a `dm_lm`
#' fit and give the numbers they give on the matching `lm()` fit:
#' * `estfun()` and `bread()` for \pkg{sandwich} (registered when sandwich is
#'   installed), so `sandwich::vcovHC()` and `vcovCL()` and with them
#'   `lmtest::coeftest()`, `car::linearHypothesis()` (with `test = "F"`) and
#'   `sandwich::sandwich()` work as on `lm`: the scores
#'   \eqn{w_i e_i x_i} and the bread \eqn{n (X^\top W X)^{-1}} over the
#'   non-aliased coefficients.
#' * `recover_data()` and `emm_basis()` for \pkg{emmeans} (registered when
#'   emmeans is installed), with the fit's variance and its t-test df: n - k,
#'   G - 1, or for CR2 the Satterthwaite df of each estimated mean or contrast.
#' * `weights()`, `df.residual()`, `deviance()` (the weighted residual sum of
#'   squares), `logLik()` (the Gaussian log-likelihood of the weighted
#'   least-squares fit, as [logLik.lm()], so `AIC()` and `BIC()` are those of
#'   `lm`; on the z-scale for a standardised fit).
#'
#' * `model_parameters()` for \pkg{parameters} (registered when parameters is
#'   installed): the coefficient table of [tidy()][dm_lm-tidiers] in parameters'
#'   layout (`Parameter`, `Coefficient`, `SE`, `CI`, `CI_low`, `CI_high`, `t`,
#'   `df_error`, `p`), with the fit's own variance and df rule.
#'
#' Rows with weight 0 are not part of a `dm_lm` fit (they are dropped and
#' reported), so compare with an `lm()` fit without them.
#'
#' @param x,object A `dm_lm` fit.
#' @param type For `weights()`: `"prior"` or `"working"` (the same for least
#'   squares).
#' @param REML Only `FALSE` (maximum likelihood) is supported, as for the
#'   information criteria of `lm`.
#' @param trms,xlev,grid Supplied by emmeans.
#' @param model A `dm_lm` fit (for `model_parameters()`).
#' @param ci Confidence level of the intervals of `model_parameters()`.
#' @param ... Nothing for `weights()`, `df.residual()`, `deviance()` and
#'   `logLik()` (an unknown argument is an error of class
#'   `digimaturity_error_argument_spelling`); passed on by the packages that
#'   call `estfun()`, `bread()`, the emmeans methods and `model_parameters()`,
#'   and not used.
#'
#' @return `estfun()`: an n x k matrix of scores; `bread()`: a k x k matrix;
#'   `weights()`: the case weights of the rows used, or `NULL` for an unweighted
#'   fit; `df.residual()`: n - k; `deviance()`: a number; `logLik()`: an object
#'   of class `logLik` with `df` = rank + 1 and `nobs`; `model_parameters()`: a
#'   data frame of class `parameters_model`.
#'
#' @family dm_lm
#' @name dm_lm-interop
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, vcov = "classical")
#' logLik(fit)
#' AIC(fit)
#' BIC(fit)
#' deviance(fit)
#' df.residual(fit)
#' if (requireNamespace("sandwich", quietly = TRUE)) {
#'   sandwich::vcovHC(fit, type = "HC1")   # = vcov(fit, type = "HC1")
#'   sandwich::vcovCL(fit, cluster = ~cyl, type = "HC1")
#' }
#' if (requireNamespace("emmeans", quietly = TRUE)) {
#'   fg <- dm_lm(mpg ~ wt + factor(gear), data = mtcars, cluster = ~carb)
#'   emmeans::emmeans(fg, "gear")
#' }
NULL

#' @rdname dm_lm-interop
#' @exportS3Method sandwich::estfun
estfun.dm_lm <- function(x, ...) {
  X <- design_matrix(x)[, !x$aliased, drop = FALSE]
  w <- if (is.null(x$weights)) 1 else x$weights
  out <- as.vector(x$residuals) * w * X
  attr(out, "assign") <- NULL
  attr(out, "contrasts") <- NULL
  out
}

#' @rdname dm_lm-interop
#' @exportS3Method sandwich::bread
bread.dm_lm <- function(x, ...) x$bread * x$nobs

#' @rdname dm_lm-interop
#' @importFrom stats weights
#' @export
weights.dm_lm <- function(object, type = c("prior", "working"), ...) {
  check_dots_strict(..., .fun = "weights()")
  match_choice(type, c("prior", "working"), "type")
  object$weights
}

#' @rdname dm_lm-interop
#' @importFrom stats df.residual
#' @export
df.residual.dm_lm <- function(object, ...) {
  check_dots_strict(..., .fun = "df.residual()")
  object$df.residual
}

#' @rdname dm_lm-interop
#' @importFrom stats deviance
#' @export
deviance.dm_lm <- function(object, ...) {
  check_dots_strict(..., .fun = "deviance()")
  w <- if (is.null(object$weights)) 1 else object$weights
  sum(w * object$residuals^2)
}

#' @rdname dm_lm-interop
#' @importFrom stats logLik
#' @export
logLik.dm_lm <- function(object, REML = FALSE, ...) {
  check_dots_strict(..., .fun = "logLik()")
  if (!identical(REML, FALSE)) {
    dm_abort(sprintf("`REML` must be FALSE for a dm_lm fit (maximum likelihood); you passed %s.",
                     show_values(REML)), type = "input")
  }
  res <- object$residuals
  n <- length(res)
  w <- if (is.null(object$weights)) rep(1, n) else object$weights
  val <- 0.5 * (sum(log(w)) - n * (log(2 * pi) + 1 - log(n) + log(sum(w * res^2))))
  structure(val, nall = n, nobs = n, df = object$rank + 1, class = "logLik")
}

#' @rdname dm_lm-interop
#' @exportS3Method emmeans::recover_data
recover_data.dm_lm <- function(object, ...) {
  fcall <- object$call
  fcall$vcov <- fcall$cluster <- NULL
  emmeans::recover_data(fcall, stats::delete.response(stats::terms(object)),
                        object$na.action, frame = object$model, ...)
}

#' @rdname dm_lm-interop
#' @exportS3Method emmeans::emm_basis
emm_basis.dm_lm <- function(object, trms, xlev, grid, ...) {
  bhat <- object$coefficients
  nm <- names(bhat)
  m <- suppressWarnings(stats::model.frame(trms, grid, na.action = stats::na.pass, xlev = xlev))
  X <- stats::model.matrix(trms, m, contrasts.arg = object$contrasts)[, nm, drop = FALSE]
  kept <- !object$aliased
  nbasis <- if (any(!kept)) {
    estimability::nonest.basis(design_matrix(object))
  } else estimability::all.estble
  # emmeans keeps dffun without its environment: everything it needs is in dfargs
  dffun <- function(k, dfargs) {
    if (is.null(dfargs$fit)) return(dfargs$df)
    dfargs$df_fun(dfargs$fit, matrix(k[dfargs$kept], 1L))
  }
  dfargs <- switch(object$df_rule,
    "n - k" = list(df = object$df.residual),
    "G - 1" = list(df = object$n_clusters - 1),
    Satterthwaite = list(fit = object, kept = kept, df_fun = cr2_contrast_df))
  list(X = X, bhat = as.numeric(bhat), nbasis = nbasis,
       V = object$vcov[kept, kept, drop = FALSE], dffun = dffun,
       dfargs = dfargs, misc = list())
}

#' @rdname dm_lm-interop
#' @exportS3Method parameters::model_parameters
model_parameters.dm_lm <- function(model, ci = 0.95, ...) {
  td <- tidy.dm_lm(model, conf.int = TRUE, conf.level = ci)
  out <- data.frame(Parameter = td$term, Coefficient = td$estimate, SE = td$std.error,
                    CI = ci, CI_low = td$conf.low, CI_high = td$conf.high,
                    t = td$statistic, df_error = td$df, p = td$p.value,
                    stringsAsFactors = FALSE)
  class(out) <- c("parameters_model", "see_parameters_model", "data.frame")
  attr(out, "ci") <- ci
  attr(out, "object_name") <- deparse(substitute(model))
  out
}
