# predict() for "dm_lm" fits, and the design matrix of new data (shared with
# augment()): validated columns, stored factor levels, contrasts and z-scores.

#' Predictions from a `dm_lm` fit
#'
#' Works as [predict.lm()]: fitted values for the data of the fit or for
#' `newdata`, with standard errors and confidence or prediction intervals.
#' Standard errors come from the variance estimator of the fit (`fit$vcov`,
#' so robust or cluster-robust unless the fit is classical):
#' \eqn{se_i = \sqrt{x_i^\top V x_i}}. Prediction intervals add the residual
#' variance \eqn{\sigma^2 / w_i}, as [predict.lm()].
#'
#' Intervals use t quantiles with the residual degrees of freedom (n - k) for
#' classical and HC estimators, G - 1 (the number of clusters minus one) for
#' CR0, CR1, CR1S and CR3, and for CR2 the Satterthwaite df of each predicted
#' value (a linear combination of the coefficients), as
#' `clubSandwich::linear_contrast(test = "Satterthwaite")`.
#'
#' If the fit was made with `standardize = TRUE`, the variables of the model
#' frame of `newdata` that were z-scored in the fit (the response and numeric
#' variables, after transformations such as `log()`) are transformed with the
#' means and standard deviations stored in the fit, and the predictions are on the standardised
#' scale of the response: a message says so (class
#' `digimaturity_message_standardized`).
#'
#' @param object A `dm_lm` fit.
#' @param newdata A data frame with the variables of the right-hand side of the
#'   formula (in their original units). If omitted, the fitted values of the
#'   rows used in the fit are returned.
#' @param se.fit If `TRUE`, also return standard errors.
#' @param interval `"none"` (the default), `"confidence"` or `"prediction"`.
#' @param level Confidence level of the intervals, a single number in (0, 1).
#' @param weights Weights of the predicted observations for the variance of
#'   prediction intervals (\eqn{\sigma^2 / w}): a positive number or one per
#'   row. By default the weights of the fit when `newdata` is omitted, and 1
#'   otherwise.
#' @param na.action What to do with missing values in `newdata`; by default
#'   [na.pass()], which predicts `NA` for those rows.
#' @param vcov,cluster Another variance estimator for the standard errors and
#'   intervals, as in [vcov.dm_lm()] (the fit is unchanged).
#' @param ... Nothing: an unknown or misspelled argument (`conf.level` for
#'   `level`) is an error of class `digimaturity_error_argument_spelling`.
#'
#' @return Without `se.fit`: a named vector of predictions if
#'   `interval = "none"`, else a matrix with columns `fit`, `lwr` and `upr`.
#'   With `se.fit = TRUE`: a list with `fit` (that vector or matrix), `se.fit`,
#'   `df` (the degrees of freedom of the intervals) and `residual.scale`
#'   (sigma). The per-row Satterthwaite df of a CR2 fit are computed only when
#'   an interval is asked for; with `interval = "none"` its `df` are `NA`.
#'   Where the standard error is 0 or not defined (`NA`), the confidence limits
#'   are `NA` (prediction limits too when the standard error is `NA` or the
#'   prediction variance is 0), and so are all limits of an essentially
#'   perfect fit (see [dm_lm()]).
#'
#' @section Errors:
#' `newdata` that is not a data frame, or that lacks a variable of the model,
#' raises an error of class `digimaturity_error_missing_column` (naming the
#' column) or `digimaturity_error_input`; values that the model cannot take
#' (e.g. a new factor level) raise `digimaturity_error_newdata`; a `level`
#' outside (0, 1) raises `digimaturity_error_input`.
#'
#' @family dm_lm
#' @importFrom stats predict
#' @export
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)
#' new <- data.frame(wt = c(2.5, 3.5), hp = c(100, 150))
#' predict(fit, new)
#' predict(fit, new, interval = "confidence", level = 0.90)
#' predict(fit, new, interval = "prediction", se.fit = TRUE)
#' predict(fit, new, interval = "confidence", vcov = "HC1")
#'
#' # A standardised fit: newdata stays in the original units
#' zfit <- dm_lm(mpg ~ wt + hp, data = mtcars, standardize = TRUE)
#' predict(zfit, new)
predict.dm_lm <- function(object, newdata, se.fit = FALSE,
                          interval = c("none", "confidence", "prediction"),
                          level = 0.95, weights = NULL, na.action = stats::na.pass,
                          vcov = NULL, cluster = NULL, ...) {
  check_dots_strict(..., .fun = "predict()")
  object <- revcov(object, vcov, substitute(cluster), parent.frame())
  check_flag(se.fit, "se.fit")
  interval <- match_choice(interval, c("none", "confidence", "prediction"), "interval")
  check_scalar_number(level, "level", 0, 1, lower_open = TRUE, upper_open = TRUE)
  no_newdata <- missing(newdata) || is.null(newdata)
  design <- lm_design(object, if (no_newdata) NULL else newdata, na.action)
  p <- lm_predict(object, design, interval, level, weights, no_newdata)
  if (design$standardized_response) message_standardized(object)
  out <- if (interval == "none") p$fit else cbind(fit = p$fit, lwr = p$lwr, upr = p$upr)
  if (se.fit) list(fit = out, se.fit = p$se, df = p$df, residual.scale = object$sigma) else out
}

# ---- internal -------------------------------------------------------------------

# The design matrix (non-aliased columns) of the fit's data or of `newdata`, and
# the response when `newdata` has it; both on the scale of the fit.
lm_design <- function(object, newdata = NULL, na.action = stats::na.pass) {
  keep <- names(object$coefficients)[!object$aliased]
  tt <- stats::terms(object)
  std_resp <- standardized_response(object)
  if (is.null(newdata)) {
    X <- stats::model.matrix(object)[, keep, drop = FALSE]
    rownames(X) <- names(object$residuals)
    return(list(X = X, y = stats::model.response(object$model),
                standardized_response = std_resp))
  }
  if (is.null(object$formula) && !is.null(object$design)) return(matrix_newdata(object, newdata, keep))
  check_data_frame(newdata, "newdata")
  newdata <- as.data.frame(newdata)
  Terms <- stats::delete.response(tt)
  env <- environment(tt)
  missing_vars <- setdiff(all.vars(Terms), names(newdata))
  # a length-one object of the formula's environment is a constant, not a column
  is_constant <- vapply(missing_vars, function(v) {
    length(get0(v, envir = env, inherits = TRUE)) == 1L
  }, logical(1))
  check_columns_present(newdata, missing_vars[!is_constant], arg = "newdata")
  m <- tryCatch({
    m <- stats::model.frame(Terms, newdata, na.action = na.action, xlev = object$xlevels)
    classes <- attr(Terms, "dataClasses")
    if (!is.null(classes)) stats::.checkMFClasses(classes, m)
    m
  }, error = function(e) {
    dm_abort(sprintf("`newdata` cannot be used for prediction: %s", conditionMessage(e)),
             type = "newdata", call = NULL)
  })
  m <- standardize_columns(object, m)
  X <- stats::model.matrix(Terms, m, contrasts.arg = object$contrasts)[, keep, drop = FALSE]
  y <- NULL
  if (attr(tt, "response") > 0L) {
    y_expr <- attr(tt, "variables")[[attr(tt, "response") + 1L]]
    if (all(all.vars(y_expr) %in% names(newdata))) {
      rows <- match(rownames(m), rownames(newdata))
      y_frame <- stats::setNames(data.frame(eval(y_expr, newdata[rows, , drop = FALSE], env)),
                                 deparse(y_expr))
      y <- standardize_columns(object, y_frame)[[1L]]
    }
  }
  list(X = X, y = y, standardized_response = std_resp)
}

# `newdata` of a dm_lm_fit() fit: a matrix (or data frame) with the columns of its `x`.
matrix_newdata <- function(object, newdata, keep) {
  X <- if (is.data.frame(newdata)) as.matrix(newdata) else newdata
  if (!is.matrix(X) || !is.numeric(X)) {
    dm_abort(sprintf("`newdata` of a dm_lm_fit() fit must be a numeric matrix with the columns of its `x`; you passed an object of class '%s'.",
                     class(newdata)[1]), type = "input")
  }
  check_columns_present(as.data.frame(X), keep, arg = "newdata")
  X <- X[, keep, drop = FALSE]
  if (is.null(rownames(X))) rownames(X) <- as.character(seq_len(nrow(X)))
  list(X = X, y = NULL, standardized_response = FALSE)
}

# Predictions from a design of lm_design(): fit, se, interval limits and their df.
lm_predict <- function(object, design, interval = "none", level = 0.95, weights = NULL,
                       no_newdata = TRUE) {
  X <- design$X
  rn <- rownames(X)
  fit <- stats::setNames(drop(X %*% object$coefficients[colnames(X)]), rn)
  se <- stats::setNames(prediction_se(object, X), rn)
  if (interval == "none") {
    # the CR2 df cost a pass over the data per batch of rows: only for intervals
    df <- if (identical(object$df_rule, "Satterthwaite")) rep(NA_real_, nrow(X)) else
      prediction_df(object, X)
    return(list(fit = fit, se = se, df = df))
  }
  df <- prediction_df(object, X)
  var_fit <- se^2
  if (interval == "prediction") {
    w <- prediction_weights(object, weights, no_newdata, nrow(X))
    var_fit <- var_fit + object$sigma^2 / w
  }
  # no interval where its variance is 0 or not defined (the fit's s.e. is 0 or NA)
  ok <- !is.na(var_fit) & var_fit > 0 & !is.na(se) & (interval == "prediction" | se > 0) &
    !is.na(df) & df > 0 & !isTRUE(object$perfect_fit)
  half <- ifelse(ok, stats::qt((1 + level) / 2, ifelse(ok, df, 1)) * sqrt(pmax(var_fit, 0)), NA_real_)
  list(fit = fit, se = se, df = df, lwr = fit - half, upr = fit + half)
}

# Standard errors sqrt(x_i' V x_i) of the rows of X. A coefficient whose variance is
# not defined (NA in the fit's vcov) makes the s.e. NA only for the rows that involve
# it (x_ij != 0); a negative x' V x (a robust variance that is not positive definite)
# is NA too.
prediction_se <- function(object, X) {
  V <- object$vcov[colnames(X), colnames(X), drop = FALSE]
  bad <- is.na(diag(V)) | colSums(is.na(V) & !is.na(diag(V))[row(V)]) > 0
  if (any(bad)) {
    V[bad, ] <- 0
    V[, bad] <- 0
  }
  v <- rowSums((X %*% V) * X)
  if (any(bad)) v[rowSums(X[, bad, drop = FALSE] != 0, na.rm = TRUE) > 0] <- NA_real_
  ifelse(!is.na(v) & v >= 0, sqrt(pmax(v, 0)), NA_real_)
}

# z-score the columns of a model frame of new data that the fit standardised
# (dm_lm() z-scores the columns of its model frame, e.g. `log(hp)`, not of the data).
standardize_columns <- function(object, frame) {
  s <- object$standardize
  if (!is.list(s)) return(frame)
  for (v in intersect(names(s$means), names(frame))) {
    if (is.numeric(frame[[v]]) && !is.matrix(frame[[v]])) {
      frame[[v]] <- (frame[[v]] - s$means[[v]]) / s$sds[[v]]
    }
  }
  frame
}

# Did the fit z-score the response?
standardized_response <- function(object) {
  tt <- object$terms
  if (!is.list(object$standardize) || attr(tt, "response") == 0L) return(FALSE)
  y_name <- deparse(attr(tt, "variables")[[attr(tt, "response") + 1L]])
  y_name %in% names(object$standardize$means)
}

message_standardized <- function(object) {
  tt <- object$terms
  y_name <- deparse(attr(tt, "variables")[[attr(tt, "response") + 1L]])
  s <- object$standardize
  msg <- sprintf(paste0("Predictions are on the standardised (z-score) scale of `%s`: ",
                        "multiply by its sd (%s) and add its mean (%s) for the original units.\n"),
                 y_name, format(s$sds[[y_name]], digits = 4), format(s$means[[y_name]], digits = 4))
  message(structure(class = c("digimaturity_message_standardized", "message", "condition"),
                    list(message = msg, call = NULL)))
}

# Degrees of freedom of the t quantiles of predict() intervals: one value, or for CR2
# the Satterthwaite df of each row of X (cr2_contrast_df(), in batches).
prediction_df <- function(object, X) {
  if (identical(object$df_rule, "n - k")) return(object$df.residual)
  if (!identical(object$df_rule, "Satterthwaite")) return(object$n_clusters - 1)
  C <- X[, colnames(object$bread), drop = FALSE]
  df <- rep(NA_real_, nrow(C))
  ok <- rowSums(is.na(C)) == 0  # rows of newdata with missing values predict NA
  if (any(ok)) df[ok] <- cr2_contrast_df(object, C[ok, , drop = FALSE])
  df[is.nan(df)] <- NA_real_
  df
}

# Weights w of the prediction variance sigma^2 / w.
prediction_weights <- function(object, weights, no_newdata, n) {
  if (is.null(weights)) {
    return(if (no_newdata && !is.null(object$weights)) object$weights else 1)
  }
  if (!is.numeric(weights) || !length(weights) %in% c(1L, n) || anyNA(weights) ||
      any(weights <= 0)) {
    dm_abort(sprintf("`weights` must be positive numbers, one or one per predicted row (%d); you passed %s.",
                     n, if (is.numeric(weights) && length(weights) > 1L)
                       sprintf("a vector of length %d with values %s", length(weights),
                               show_values(weights)) else show_values(weights)),
             type = "input")
  }
  weights
}
