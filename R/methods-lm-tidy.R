# tidy(), glance() and augment() of "dm_lm" fits, on the generics of the
# generics package, so that broom users and modelsummary pick them up.

#' Tidy a `dm_lm` fit into data frames
#'
#' The \pkg{generics} verbs (re-exported, and used by broom and
#' \pkg{modelsummary}): `tidy()` gives one row per coefficient, `glance()` one
#' row per model and `augment()` one row per observation.
#'
#' `tidy()` uses the fit's variance estimator and the per-coefficient degrees
#' of freedom of its t tests (`df`: n - k, G - 1 or Satterthwaite; see
#' `fit$df_rule`; the CR2 df are computed on the first call and kept in the
#' fit). Aliased (collinear) coefficients are kept, with `NA`. Where a standard
#' error is 0 or not defined, `statistic`, `p.value`, `conf.low` and
#' `conf.high` are `NA`; `glance()` gives `r.squared` `NA` for a constant
#' response.
#'
#' `glance()` reports the overall F test as [summary.dm_lm()] does: classical
#' (from R\eqn{^2}) for a classical fit, otherwise the robust Wald test of all
#' coefficients except the intercept by [dm_wald()]; `statistic_type` says
#' which (`"F (classical)"`, `"Wald F"` or `"HTZ"`), `df` and `df_denominator`
#' are its degrees of freedom.
#'
#' `tidy()`, `glance()` and `augment()` take `vcov` and `cluster` as
#' [vcov.dm_lm()] does: the table, the overall test, the standard errors and
#' intervals of the predictions then use that variance (the fit is unchanged).
#'
#' `augment()` follows `broom::augment.lm()`: `.hat` are the leverages
#' ([hatvalues.dm_lm()]) and `.std.resid` the standardised residuals
#' \eqn{\sqrt{w_i} e_i / (\hat\sigma \sqrt{1 - h_i})} (as [rstandard()]).
#' With `newdata`, only `.fitted` (and `.resid` when `newdata` has the
#' response) are added, as by broom. Standard errors and intervals are those
#' of [predict.dm_lm()].
#'
#' @param x A `dm_lm` fit.
#' @param conf.int If `TRUE` (the default), add `conf.low` and `conf.high`.
#' @param conf.level Confidence level, a single number in (0, 1).
#' @param data The data to add columns to: by default the model frame of the
#'   fit. A data frame of the original data works too: if it has more rows
#'   than the fit used (rows dropped for missing values), the rows used are
#'   picked by their row names.
#' @param newdata A data frame to predict for instead (see
#'   [predict.dm_lm()]).
#' @param se_fit If `TRUE`, add `.se.fit`.
#' @param interval `"none"` (the default), `"confidence"` or `"prediction"`:
#'   add `.lower` and `.upper`.
#' @inheritParams dm_lm-accessors
#' @param ... Nothing: an unknown or misspelled argument is an error of class
#'   `digimaturity_error_argument_spelling` with the name meant
#'   (`tidy(fit, conf_level = 0.9)`: `conf.level`; estimatr's
#'   `clusters`/`se_type`: the `dm_lm` spelling).
#'
#' @return A data frame. `tidy()`: columns `term`, `estimate`, `std.error`,
#'   `statistic`, `df`, `p.value` and (with `conf.int`) `conf.low`,
#'   `conf.high`. `glance()`: one row with `r.squared`, `adj.r.squared`,
#'   `sigma`, `statistic`, `p.value`, `df`, `df.residual`, `nobs`, `vcov`
#'   (the variance estimator), `n_clusters`, `statistic_type` and
#'   `df_denominator`. `augment()`: `data` (or `newdata`) with `.fitted`,
#'   `.resid`, `.hat`, `.std.resid` and, on request, `.se.fit`, `.lower`,
#'   `.upper`.
#'
#' @family dm_lm
#' @name dm_lm-tidiers
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)
#' tidy(fit)
#' tidy(fit, conf.level = 0.90)
#' tidy(fit, vcov = "HC1")        # another variance, the fit unchanged
#' tidy(fit, vcov = ~gear)        # CR2 clustered by gear
#' glance(fit)
#' glance(fit, vcov = "CR1")
#' head(augment(fit))
#' augment(fit, newdata = data.frame(wt = 3, hp = 120, mpg = 20), se_fit = TRUE)
#'
#' if (requireNamespace("modelsummary", quietly = TRUE)) {
#'   modelsummary::modelsummary(fit, output = "data.frame")
#' }
NULL

#' @rdname dm_lm-tidiers
#' @export
tidy.dm_lm <- function(x, conf.int = TRUE, conf.level = 0.95, vcov = NULL, cluster = NULL,
                       ...) {
  check_dots_strict(..., .fun = "tidy()")
  check_flag(conf.int, "conf.int")
  x <- revcov(x, vcov, substitute(cluster), parent.frame())
  check_scalar_number(conf.level, "conf.level", 0, 1, lower_open = TRUE, upper_open = TRUE)
  out <- lm_coef_table(x, conf.level)
  rownames(out) <- NULL
  if (!conf.int) out <- out[setdiff(names(out), c("conf.low", "conf.high"))]
  out
}

#' @rdname dm_lm-tidiers
#' @export
glance.dm_lm <- function(x, vcov = NULL, cluster = NULL, ...) {
  check_dots_strict(..., .fun = "glance()")
  x <- revcov(x, vcov, substitute(cluster), parent.frame())
  f <- lm_overall_test(x)
  n_clusters <- if (is.null(x$n_clusters)) NA_integer_ else as.integer(x$n_clusters)
  data.frame(r.squared = x$r.squared, adj.r.squared = x$adj.r.squared, sigma = x$sigma,
             statistic = f$statistic, p.value = f$p.value, df = f$df1,
             df.residual = x$df.residual, nobs = as.integer(x$nobs), vcov = x$vcov_type,
             n_clusters = n_clusters, statistic_type = f$test, df_denominator = f$df2,
             stringsAsFactors = FALSE)
}

#' @rdname dm_lm-tidiers
#' @export
augment.dm_lm <- function(x, data = NULL, newdata = NULL, se_fit = FALSE,
                          interval = c("none", "confidence", "prediction"),
                          conf.level = 0.95, vcov = NULL, cluster = NULL, ...) {
  check_dots_strict(..., .fun = "augment()")
  x <- revcov(x, vcov, substitute(cluster), parent.frame())
  check_flag(se_fit, "se_fit")
  interval <- match_choice(interval, c("none", "confidence", "prediction"), "interval")
  check_scalar_number(conf.level, "conf.level", 0, 1, lower_open = TRUE, upper_open = TRUE)
  no_newdata <- is.null(newdata)
  design <- lm_design(x, newdata)
  p <- lm_predict(x, design, interval, conf.level, no_newdata = no_newdata)
  if (design$standardized_response) message_standardized(x)

  if (no_newdata) {
    out <- augment_data(x, data)
    out$.fitted <- unname(x$fitted.values)
    out$.resid <- unname(x$residuals)
    h <- unname(hatvalues.dm_lm(x))
    out$.hat <- h
    r <- unname(residuals.dm_lm(x, type = "pearson"))
    out$.std.resid <- r / (x$sigma * sqrt(1 - h))
  } else {
    newdata <- as.data.frame(newdata)
    out <- newdata[match(rownames(design$X), rownames(newdata)), , drop = FALSE]
    out$.fitted <- unname(p$fit)
    if (!is.null(design$y)) out$.resid <- unname(design$y - p$fit)
  }
  if (se_fit) out$.se.fit <- unname(p$se)
  if (interval != "none") {
    out$.lower <- unname(p$lwr)
    out$.upper <- unname(p$upr)
  }
  out
}

#' Goodness-of-fit rows of `dm_lm` fits in modelsummary tables
#'
#' \pkg{modelsummary} shows every column of [glance()][dm_lm-tidiers] it does
#' not know as a row of the table. This method (registered for modelsummary
#' when it is installed) makes those rows readable: the variance estimator
#' as modelsummary's `Std.Errors` row (`vcov.type`) and the number of clusters
#' as `Num.Clust.` (`nclusters`), and it leaves out the details of the overall
#' test (`statistic_type`, `df_denominator`, and the duplicates `vcov` and
#' `n_clusters`), which stay in `glance()` itself. A table then has the rows
#' Num.Obs., R2, R2 Adj., Std.Errors and (for clustered fits) Num.Clust.; add
#' others with modelsummary's `gof_map`.
#'
#' @param x A `dm_lm` fit.
#' @param ... Unused.
#' @return A one-row data frame whose columns replace those of `glance()` in
#'   modelsummary (`NA` columns are dropped from its table).
#' @family dm_lm
#' @exportS3Method modelsummary::glance_custom
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)
#' if (requireNamespace("modelsummary", quietly = TRUE)) {
#'   modelsummary::modelsummary(fit, output = "data.frame")
#' }
glance_custom.dm_lm <- function(x, ...) {
  data.frame(vcov.type = x$vcov_type,
             nclusters = if (is.null(x$cluster)) NA_integer_ else as.integer(x$n_clusters),
             vcov = NA_character_, n_clusters = NA_integer_, statistic_type = NA_character_,
             df_denominator = NA_real_, stringsAsFactors = FALSE)
}

# The data augment() adds to: the model frame, or the user's data aligned with
# the rows of the fit.
augment_data <- function(x, data) {
  if (is.null(data)) return(as.data.frame(stats::model.frame(x)))
  check_data_frame(data, "data")
  used <- names(x$residuals)
  if (nrow(data) == length(used)) return(as.data.frame(data))
  if (all(used %in% rownames(data))) return(as.data.frame(data[used, , drop = FALSE]))
  dm_abort(sprintf(paste0("`data` must have the %d rows used in the fit, or all of them among ",
                          "its row names; it has %d rows."), length(used), nrow(data)),
           type = "input")
}
