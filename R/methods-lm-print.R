# print() and summary() of "dm_lm" fits: the lm-like coefficient table with the
# study's significance stars, the overall F test and the inference choices made.

#' Print and summarise a `dm_lm` fit
#'
#' `print()` shows the call, the coefficients, the variance estimator with the
#' rule for the t-test degrees of freedom, the clusters (with the finite
#' population correction of `fpc`), how the fit was weighted and the rows
#' dropped.
#' `summary()` adds the [lm()]-like coefficient table (Estimate, Std. Error,
#' t value, Pr(>|t|), as [summary.lm()]; the printout adds the t-test df of
#' each coefficient between t value and Pr(>|t|)) with the significance stars of the study
#' (`+` p < .10, `*` p < .05, `**` p < .01, `***` p < .001), the residual
#' standard error, R\eqn{^2} and adjusted R\eqn{^2}, and the overall F test.
#'
#' The overall F test is the classical one computed from R\eqn{^2} when the fit
#' uses the classical variance estimator, and otherwise the robust Wald test of
#' all coefficients except the intercept computed by [dm_wald()] with the fit's
#' variance estimator (its `test` column tells which: `"Wald F"` or `"HTZ"`).
#' Aliased (collinear) coefficients are shown as `NA` and left out of the test.
#'
#' A fit never shows a confident number it does not have: where a standard
#' error is 0 or not defined (`NA`, e.g. a robust variance that cannot be
#' computed), the t value and p-value are `NA` and the printout names those
#' coefficients; an essentially perfect fit (see [dm_lm()]) is flagged and
#' has no t tests (its standard errors are rounding noise); the
#' R\eqn{^2} of a constant response and an overall F test that cannot be
#' computed are `NA` ("not defined").
#'
#' With too few clusters for the t and F reference distributions (fewer than
#' 10; fewer than 30 for CR0, CR1, CR1S and CR3; a CR2 Satterthwaite or HTZ
#' df below 4: see [few_clusters]), `summary()` warns (class
#' `digimaturity_warning_few_clusters`) and its printout ends with a note
#' that points to [dm_wild()].
#'
#' @param x A `dm_lm` fit (`print()`) or its summary (`print.summary.dm_lm()`).
#' @param object A `dm_lm` fit.
#' @inheritParams dm_lm-accessors
#' @param digits Number of significant digits to print.
#' @param ... Unused.
#'
#' @return `summary()` returns an object of class `summary.dm_lm`, a list with
#'   `call`, `residuals`, `coefficients` (a matrix with [summary.lm()]'s
#'   columns `Estimate`, `Std. Error`, `t value`, `Pr(>|t|)`), `df_coef` (the
#'   t-test df of each coefficient, named), `aliased`, `sigma`, `df` (rank,
#'   residual df and number of coefficients, as lm), `r.squared`,
#'   `adj.r.squared`, `fstatistic` (lm's named vector `c(value, numdf, dendf)`
#'   with attributes `test`, the test used, and `p.value`),
#'   `vcov_type`, `vcov_label`, `df_rule`, `n_clusters`, `cluster_label`,
#'   `nobs`, `dropped` (rows dropped for missing values per variable),
#'   `n_dropped` (all rows dropped), `n_zero_weight` (rows dropped for a zero
#'   weight), `standardized` (names of the z-scored variables, or
#'   `character(0)`), `perfect_fit` (`TRUE` for an essentially perfect fit),
#'   `fpc` (the population number of clusters of a finite population
#'   correction, or `NULL`), `weights_label` (how the fit was weighted, e.g.
#'   "weighted to size_class x province margins" for [dm_weights()], or
#'   `NULL`), `weighted` and `few_clusters` (`NULL`, or what the rule of
#'   [few_clusters] found: `G`, `type`, `label`, `df_min`, `reasons`). The `print()` methods return their
#'   argument invisibly.
#'
#' @family dm_lm
#' @name dm_lm-summary
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)
#' fit
#' summary(fit)
#' summary(dm_lm(mpg ~ wt + hp, data = mtcars, vcov = "classical"))
#' coef(summary(fit))            # lm's four columns
#' summary(fit)$df_coef          # the df of each t test
#' summary(fit)$fstatistic       # lm's c(value, numdf, dendf), test as attribute
#' summary(fit, vcov = "CR1")    # another variance, without refitting by hand
NULL

#' @rdname dm_lm-summary
#' @export
print.dm_lm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  check_dots_strict(..., .fun = "print()")
  cat("Linear model fitted by dm_lm()\n\nCall:\n",
      paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  b <- x$coefficients
  if (length(b)) {
    cat("Coefficients:\n")
    print.default(format(b, digits = digits), print.gap = 2L, quote = FALSE)
  } else {
    cat("No coefficients\n")
  }
  cat("\n")
  cat_inference(inference_info(x), always_standardized = FALSE)
  invisible(x)
}

#' @rdname dm_lm-summary
#' @export
summary.dm_lm <- function(object, vcov = NULL, cluster = NULL, ...) {
  check_dots_strict(..., .fun = "summary()")
  object <- revcov(object, vcov, substitute(cluster), parent.frame())
  tab <- lm_coef_table(object)
  overall <- lm_overall_test(object)
  few <- few_clusters_check(object, df = tab$df,
                            df2 = if (identical(overall$test, "HTZ")) overall$df2)
  warn_few_clusters(few, what = "the summary's")
  coefs <- cbind(Estimate = tab$estimate, `Std. Error` = tab$std.error,
                 `t value` = tab$statistic, `Pr(>|t|)` = tab$p.value)
  rownames(coefs) <- tab$term
  structure(c(list(
    call = object$call,
    residuals = object$residuals,
    weights = object$weights,
    coefficients = coefs,
    df_coef = stats::setNames(tab$df, tab$term),
    aliased = object$aliased,
    sigma = object$sigma,
    df = c(object$rank, object$df.residual, length(object$coefficients)),
    r.squared = object$r.squared,
    adj.r.squared = object$adj.r.squared,
    fstatistic = fstatistic_vector(overall),
    weighted = !is.null(object$weights),
    few_clusters = few
  ), inference_info(object)), class = "summary.dm_lm")
}

#' @rdname dm_lm-summary
#' @export
print.summary.dm_lm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  check_dots_strict(..., .fun = "print()")
  cat("\nCall:\n", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")

  r <- x$residuals
  if (x$weighted) r <- r * sqrt(x$weights)
  cat(if (x$weighted) "Weighted residuals:\n" else "Residuals:\n")
  if (length(r) > 5L) {
    q <- stats::setNames(stats::quantile(r), c("Min", "1Q", "Median", "3Q", "Max"))
    print(q, digits = digits)
  } else {
    print(r, digits = digits)
  }

  n_alias <- sum(x$aliased)
  cat("\nCoefficients:", if (n_alias)
    sprintf(" (%d not defined because of singularities)", n_alias), "\n", sep = "")
  print(format_coef_table(x$coefficients, x$df_coef, digits), quote = FALSE, right = TRUE)
  cat("---\n", stars_legend, "\n", sep = "")
  undefined <- !x$aliased[rownames(x$coefficients)] & is.na(x$coefficients[, "t value"])
  if (any(undefined)) {
    cat("t test not defined (", if (isTRUE(x$perfect_fit)) "essentially perfect fit" else
          "standard error 0 or not defined", ") for: ",
        paste(rownames(x$coefficients)[undefined], collapse = ", "), "\n", sep = "")
  }
  cat("\n")

  cat("Residual standard error: ", format(signif(x$sigma, digits)), " on ",
      x$df[2L], " degrees of freedom\n", sep = "")
  cat("Multiple R-squared: ", formatC(x$r.squared, digits = digits),
      ",\tAdjusted R-squared: ", formatC(x$adj.r.squared, digits = digits), "\n", sep = "")
  f <- x$fstatistic
  f_test <- attr(f, "test")
  f_p <- attr(f, "p.value")
  if (f[["numdf"]] == 0) {
    cat("Overall F test: none (no coefficients besides the intercept)\n")
  } else if (is.na(f[["value"]])) {
    cat(sprintf("F-statistic: not defined on %s and %s DF (test: %s; %s)\n",
                format(signif(f[["numdf"]], digits)), format(signif(f[["dendf"]], digits)), f_test,
                if (identical(f_test, "HTZ") && !isTRUE(f[["dendf"]] > 0)) "too few clusters?" else
                  "a variance of the tested coefficients is 0, not defined or singular"))
  } else {
    cat(sprintf("F-statistic: %s on %s and %s DF, p-value: %s (test: %s)\n",
                formatC(f[["value"]], digits = digits), format(signif(f[["numdf"]], digits)),
                format(signif(f[["dendf"]], digits)),
                format.pval(f_p, digits = digits, eps = .Machine$double.eps), f_test))
  }
  cat_inference(x, always_standardized = TRUE)
  if (!is.null(x$few_clusters)) cat(few_clusters_note(x$few_clusters), "\n", sep = "")
  cat("\n")
  invisible(x)
}

# ---- internal -------------------------------------------------------------------

stars_legend <- "Signif. codes: + p<.10, * p<.05, ** p<.01, *** p<.001"

# The study's significance stars: + p < .10, * p < .05, ** p < .01, *** p < .001.
signif_stars <- function(p) {
  out <- rep("", length(p))
  ok <- !is.na(p)
  out[ok & p < 0.10] <- "+"
  out[ok & p < 0.05] <- "*"
  out[ok & p < 0.01] <- "**"
  out[ok & p < 0.001] <- "***"
  out
}

# A character matrix of the coefficient table, with a column of stars.
format_coef_table <- function(coefs, df, digits) {
  fmt <- function(v, ...) {
    out <- format(v, ...)
    out[is.na(v)] <- "NA"
    out
  }
  df <- unname(df[rownames(coefs)])
  df_digits <- if (all(is.na(df) | df == round(df))) 0L else 1L
  p <- coefs[, "Pr(>|t|)"]
  pf <- format.pval(p, digits = max(1L, min(5L, digits - 1L)), eps = .Machine$double.eps)
  pf[is.na(p)] <- "NA"
  out <- cbind(
    Estimate = fmt(coefs[, "Estimate"], digits = digits),
    `Std. Error` = fmt(coefs[, "Std. Error"], digits = digits),
    `t value` = fmt(round(coefs[, "t value"], digits = max(1L, digits - 2L))),
    df = fmt(round(df, df_digits), nsmall = df_digits),
    `Pr(>|t|)` = pf,
    ` ` = format(signif_stars(p))
  )
  rownames(out) <- rownames(coefs)
  out
}

# lm's layout of the overall F test: c(value, numdf, dendf), with the test ("F
# (classical)", "Wald F", "HTZ" or "none") and its p-value as attributes.
fstatistic_vector <- function(f) {
  structure(c(value = f$statistic, numdf = f$df1, dendf = f$df2),
            test = f$test, p.value = f$p.value)
}

# The overall F test: classical (from R-squared) for the classical estimator,
# otherwise dm_wald() of all non-intercept, non-aliased coefficients.
lm_overall_test <- function(object) {
  nm <- names(object$coefficients)
  tested <- nm[!object$aliased[nm]]
  has_intercept <- attr(object$terms, "intercept") == 1L
  if (has_intercept) tested <- setdiff(tested, "(Intercept)")
  if (!length(tested)) {
    return(data.frame(statistic = NA_real_, df1 = 0, df2 = NA_real_, p.value = NA_real_,
                      test = "none", stringsAsFactors = FALSE))
  }
  if (identical(object$vcov_type, "classical")) {
    df1 <- length(tested)
    df2 <- object$df.residual
    r2 <- object$r.squared
    # no F for a constant response (R-squared NA) or a perfect fit (R-squared 1)
    f <- if (is.na(r2) || r2 >= 1) NA_real_ else (r2 / df1) / ((1 - r2) / df2)
    return(data.frame(statistic = f, df1 = df1, df2 = df2,
                      p.value = if (is.na(f)) NA_real_ else stats::pf(f, df1, df2, lower.tail = FALSE),
                      test = "F (classical)", stringsAsFactors = FALSE))
  }
  # the test itself, not the front end dm_wald(): the caller raises its own warnings
  h <- wald_hypothesis(object, tested, NULL)
  w <- wald_test(object, h$C, h$r, h$words, h$zero)
  data.frame(statistic = w[["statistic"]][1L], df1 = w[["df1"]][1L], df2 = w[["df2"]][1L],
             p.value = w[["p.value"]][1L], test = as.character(w[["test"]][1L]),
             stringsAsFactors = FALSE)
}

# "CR2 (default with a cluster)" and the like.
vcov_label <- function(object) vcov_print_label(object$vcov_type, !is.null(object$cluster))

# The cluster variable as the user gave it, e.g. "cyl" for `cluster = ~cyl`.
cluster_label <- function(object) {
  cl <- object$call$cluster
  if (is.null(cl) || is.null(object$cluster)) return(NA_character_)
  if (is.call(cl) && identical(cl[[1L]], as.name("~")) && length(cl) == 2L) cl <- cl[[2L]]
  paste(deparse(cl, width.cutoff = 500L), collapse = " ")
}

# Rows dropped: in total, per variable with missing values, and for zero weight.
dropped_rows <- function(object) {
  na <- object$na.action
  by_var <- attr(na, "by_variable")
  if (is.null(by_var)) by_var <- stats::setNames(integer(), character())
  zero_w <- attr(na, "zero_weight")
  list(n = length(na), by_variable = by_var[by_var > 0],
       zero_weight = if (is.null(zero_w)) 0L else as.integer(zero_w))
}

standardized_vars <- function(object) {
  s <- object$standardize
  if (is.list(s)) names(s$means) else character()
}

# What print() and summary() say about inference, clusters, dropped rows and
# standardisation (summary() stores these fields under the same names).
inference_info <- function(object) {
  na <- dropped_rows(object)
  list(vcov_type = object$vcov_type, vcov_label = vcov_label(object),
       df_rule = object$df_rule, n_clusters = object$n_clusters,
       cluster_label = cluster_label(object), nobs = object$nobs,
       dropped = na$by_variable, n_dropped = na$n, n_zero_weight = na$zero_weight,
       standardized = standardized_vars(object), perfect_fit = isTRUE(object$perfect_fit),
       fpc = if (!is.null(object$cluster)) attr(object$cluster, "fpc"),
       weights_label = weights_words(object))
}

# Print those lines; `always_standardized` also says when nothing was standardised.
cat_inference <- function(x, always_standardized) {
  cat("Standard errors: ", x$vcov_label, "; t-test df: ", x$df_rule, "\n", sep = "")
  if (isTRUE(x$perfect_fit)) {
    cat("Essentially perfect fit: standard errors, t tests and p-values are not reliable\n")
  }
  if (length(x$n_clusters) && !is.na(x$n_clusters)) {
    cat("Clusters: ", x$n_clusters,
        if (!is.na(x$cluster_label)) paste0(" (", x$cluster_label, ")"),
        if (!is.null(x$fpc)) sprintf(" of %s in the population; finite population correction 1 - G/N = %s",
                                     format(x$fpc), format(1 - x$n_clusters / x$fpc, digits = 3)),
        "\n", sep = "")
  }
  if (!is.null(x$weights_label)) cat("Weights: ", x$weights_label, "\n", sep = "")
  cat("Observations: ", x$nobs, sep = "")
  if (x$n_dropped > 0L) {
    why <- character()
    if (length(x$dropped)) {
      why <- paste0("missing in ", paste0(names(x$dropped), ": ", x$dropped, collapse = ", "))
    }
    if (x$n_zero_weight > 0L) why <- c(why, paste0("zero weight: ", x$n_zero_weight))
    cat("; ", x$n_dropped, " row", if (x$n_dropped > 1L) "s", " dropped",
        if (length(x$dropped)) " for missing values",
        if (length(why)) paste0(" (", paste(why, collapse = "; "), ")"), sep = "")
  }
  cat("\n")
  if (always_standardized || length(x$standardized)) {
    if (length(x$standardized)) {
      cat("Standardised (z-scored) variables: ", paste(x$standardized, collapse = ", "), "\n",
          sep = "")
    } else {
      cat("Variables not standardised\n")
    }
  }
  invisible()
}
