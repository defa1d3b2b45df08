# A dm_lm fit in the lm ecosystem: estfun()/bread() for sandwich (and through it lmtest,
# car), emmeans support, weights(), df.residual(), logLik(), deviance() and
# anova() as for lm.

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
#' @param ... Unused.
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
  match_choice(type, c("prior", "working"), "type")
  object$weights
}

#' @rdname dm_lm-interop
#' @importFrom stats df.residual
#' @export
df.residual.dm_lm <- function(object, ...) object$df.residual

#' @rdname dm_lm-interop
#' @importFrom stats deviance
#' @export
deviance.dm_lm <- function(object, ...) {
  w <- if (is.null(object$weights)) 1 else object$weights
  sum(w * object$residuals^2)
}

#' @rdname dm_lm-interop
#' @importFrom stats logLik
#' @export
logLik.dm_lm <- function(object, REML = FALSE, ...) {
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

#' Analysis of variance of `dm_lm` fits
#'
#' `anova(fit)` tests the terms of the formula sequentially (each term after
#' those before it, as [anova.lm()]); `anova(small, big)` compares nested fits
#' (the coefficients of `big` that `small` lacks are zero), on the same rows.
#'
#' With the classical variance the tables are those of [anova.lm()]: sums of
#' squares and F tests. With a robust variance, each comparison is the Wald
#' test of [dm_wald()] with that variance: for a sequential table, of the
#' term's coefficients in the model made of it and the terms before it (refitted
#' on the same rows, weights and clusters); for nested fits, with the larger
#' fit's variance: HTZ for CR2, Wald F otherwise. The variance can be changed
#' for the call with `vcov` / `cluster`, as in [vcov.dm_lm()].
#'
#' @param object A `dm_lm` fit.
#' @param ... Further `dm_lm` fits, nested, from the smallest to the largest
#'   (a comparison of each with the one before).
#' @inheritParams dm_lm-accessors
#'
#' @return A data frame of class `anova`. Classical: as [anova.lm()]. Robust,
#'   sequential: `Df`, `F`, `Df.den` (the denominator df), `Pr(>F)`;
#'   nested: `Res.Df`, `Df`, `F`, `Df.den`, `Pr(>F)`. The heading names the test.
#' @family dm_lm
#' @importFrom stats anova
#' @export
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp + factor(gear), data = mtcars, vcov = "classical")
#' anova(fit)
#' small <- dm_lm(mpg ~ wt, data = mtcars, vcov = "classical")
#' anova(small, fit)
#' anova(fit, vcov = "HC1")
#' anova(update(small, vcov = ~carb), update(fit, vcov = ~carb))
anova.dm_lm <- function(object, ..., vcov = NULL, cluster = NULL) {
  dots <- list(...)
  fits <- Filter(function(f) inherits(f, "dm_lm"), dots)
  if (length(fits) != length(dots)) {
    dm_abort("the arguments of anova() after the first must be dm_lm fits (or `vcov`/`cluster`).",
             type = "input")
  }
  env <- parent.frame()
  cl <- substitute(cluster)
  if (length(fits)) {
    return(anova_nested(c(list(object), fits), vcov, cl, env))
  }
  object <- revcov(object, vcov, cl, env)
  if (identical(object$vcov_type, "classical")) anova_classical(object) else anova_sequential(object)
}

# Sequential sums of squares and F tests, as anova.lm().
anova_classical <- function(fit) {
  X <- design_matrix(fit)
  asgn <- attr(X, "assign")
  w <- if (is.null(fit$weights)) rep(1, fit$nobs) else fit$weights
  y <- fit_response(fit)
  qx <- qr(sqrt(w) * X)
  p <- qx$rank
  eff <- qr.qty(qx, sqrt(w) * y)[seq_len(p)]
  asgn <- asgn[qx$pivot[seq_len(p)]]
  labels <- c("(Intercept)", attr(fit$terms, "term.labels"))
  ss <- vapply(split(eff^2, asgn), sum, numeric(1))
  df <- lengths(split(asgn, asgn))
  nmeffect <- labels[as.integer(names(ss)) + 1L]
  rdf <- fit$df.residual
  resid_ss <- deviance.dm_lm(fit)
  if (attr(fit$terms, "intercept") > 0L) {
    keep <- nmeffect != "(Intercept)"
    ss <- ss[keep]; df <- df[keep]; nmeffect <- nmeffect[keep]
  }
  ms <- ss / df
  f <- ms / (resid_ss / rdf)
  p <- stats::pf(f, df, rdf, lower.tail = FALSE)
  tab <- data.frame(df = c(df, rdf), ss = c(ss, resid_ss), ms = c(ms, resid_ss / rdf),
                    f = c(f, NA), p = c(p, NA))
  dimnames(tab) <- list(c(nmeffect, "Residuals"), c("Df", "Sum Sq", "Mean Sq", "F value", "Pr(>F)"))
  structure(tab, heading = c("Analysis of Variance Table\n",
                             paste0("Response: ", deparse(fit$formula[[2L]]))),
            class = c("anova", "data.frame"))
}

# Robust sequential tests: term j in the model of terms 1..j.
anova_sequential <- function(fit) {
  X <- design_matrix(fit)
  asgn <- attr(X, "assign")
  labels <- attr(fit$terms, "term.labels")
  if (!length(labels)) {
    dm_abort("`object` has no terms to test besides the intercept.", type = "input")
  }
  rows <- lapply(seq_along(labels), function(j) {
    sub <- fit
    cols <- asgn <= j
    sub$design <- X[, cols, drop = FALSE]
    sub$cache <- new.env(parent = emptyenv())
    sub <- refit_vcov(sub, fit$vcov_type, fit$cluster)
    tested <- colnames(X)[asgn == j]
    tested <- tested[!sub$aliased[tested]]
    if (!length(tested)) return(c(0, NA, NA, NA))
    C <- matrix(0, length(tested), ncol(sub$design), dimnames = list(tested, colnames(sub$design)))
    C[cbind(seq_along(tested), match(tested, colnames(C)))] <- 1
    w <- wald_test(sub, C, rep(0, length(tested)), tested, zero = TRUE)
    c(w$df1, w$statistic, w$df2, w$p.value)
  })
  tab <- as.data.frame(do.call(rbind, rows))
  dimnames(tab) <- list(labels, c("Df", "F", "Df.den", "Pr(>F)"))
  structure(tab, heading = c(sprintf("Sequential Wald tests (%s, vcov %s): each term after those above it\n",
                                     if (fit$vcov_type == "CR2") "HTZ" else "Wald F", fit$vcov_type),
                             paste0("Response: ", deparse(fit$formula[[2L]]))),
            class = c("anova", "data.frame"))
}

# Nested fits, each against the one before, with the larger fit's variance.
anova_nested <- function(fits, vcov, cl, env) {
  fits <- lapply(fits, revcov, vcov = vcov, cluster_expr = cl, env = env)
  n <- vapply(fits, function(f) f$nobs, numeric(1))
  if (length(unique(n)) > 1L) {
    dm_abort(sprintf("the fits of anova() must use the same rows; they use %s.", show_values(n)),
                     type = "input")
  }
  res_df <- vapply(fits, function(f) f$df.residual, numeric(1))
  rss <- vapply(fits, deviance.dm_lm, numeric(1))
  out <- matrix(NA_real_, length(fits), 5L)
  classical <- all(vapply(fits, function(f) identical(f$vcov_type, "classical"), logical(1)))
  for (i in seq_along(fits)[-1L]) {
    small <- fits[[i - 1L]]
    big <- fits[[i]]
    s_names <- names(small$coefficients)[!small$aliased]
    b_names <- names(big$coefficients)[!big$aliased]
    if (!all(s_names %in% names(big$coefficients))) {
      dm_abort(sprintf("the fits of anova() must be nested, from the smallest to the largest; fit %d has coefficients that fit %d lacks: %s.",
                       i - 1L, i, show_values(setdiff(s_names, names(big$coefficients)))),
               type = "input")
    }
    extra <- setdiff(b_names, s_names)
    if (!length(extra)) next
    C <- matrix(0, length(extra), length(big$coefficients),
                dimnames = list(extra, names(big$coefficients)))
    C[cbind(seq_along(extra), match(extra, colnames(C)))] <- 1
    w <- wald_test(big, C, rep(0, length(extra)), extra, zero = TRUE)
    out[i, ] <- c(length(extra), rss[i - 1L] - rss[i], w$statistic, w$df2, w$p.value)
  }
  if (classical) {
    tab <- data.frame(res_df, rss, out[, 1], out[, 2], out[, 3], out[, 5])
    names(tab) <- c("Res.Df", "RSS", "Df", "Sum of Sq", "F", "Pr(>F)")
    test <- "F tests of nested models"
  } else {
    tab <- data.frame(res_df, out[, 1], out[, 3], out[, 4], out[, 5])
    names(tab) <- c("Res.Df", "Df", "F", "Df.den", "Pr(>F)")
    test <- sprintf("Wald tests of nested models with the larger model's variance (%s)",
                    paste(unique(vapply(fits[-1L], function(f) f$vcov_type, "")), collapse = ", "))
  }
  rownames(tab) <- as.character(seq_along(fits))
  forms <- vapply(fits, function(f) paste(deparse(stats::formula(f)), collapse = " "), "")
  structure(tab, heading = c(paste0(test, "\n"),
                             paste0("Model ", seq_along(forms), ": ", forms, collapse = "\n")),
            class = c("anova", "data.frame"))
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
