# anova() of dm_lm fits: sequential sums of squares (classical) or sequential robust
# Wald tests of each term, and Wald tests of nested fits; every refit of a sub-model goes
# through the fitter (refit_vcov(), R/revcov.R) and every test through wald_test()
# (R/wald.R).

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
  named <- names(dots)[nzchar(names(dots) %||% rep("", length(dots)))]
  for (nm in named) {
    guess <- did_you_mean(nm, c("vcov", "cluster"))
    dm_abort(sprintf("anova() has no argument `%s`%s; its arguments after the first fit are further dm_lm fits, `vcov` and `cluster`.",
                     nm, if (nzchar(guess)) sprintf(" (did you mean `%s`?)", guess) else ""),
             type = "argument_spelling", call = NULL)
  }
  if (length(fits) != length(dots)) {
    dm_abort("the arguments of anova() after the first must be dm_lm fits (or `vcov`/`cluster`).",
             type = "input")
  }
  for (f in c(list(object), fits)) {
    if (is.null(f$formula)) {
      dm_abort("anova() tests the terms of a formula; a dm_lm_fit() fit has none: test its columns with dm_wald().",
               type = "input")
    }
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
    Xj <- X[, asgn <= j, drop = FALSE]
    sub <- refit_design(fit, Xj)
    tested <- colnames(X)[asgn == j]
    tested <- tested[!sub$aliased[tested]]
    if (!length(tested)) return(c(0, NA, NA, NA))
    C <- matrix(0, length(tested), ncol(Xj), dimnames = list(tested, colnames(Xj)))
    C[cbind(seq_along(tested), match(tested, colnames(C)))] <- 1
    w <- wald_test(sub, C, rep(0, length(tested)), tested, zero = TRUE)
    c(w$df1, w$statistic, w$df2, w$p.value)
  })
  tab <- as.data.frame(do.call(rbind, rows))
  dimnames(tab) <- list(labels, c("Df", "F", "Df.den", "Pr(>F)"))
  test <- if (identical(vcov_df_rule_of(fit$vcov_type), "Satterthwaite")) "HTZ" else "Wald F"
  structure(tab, heading = c(sprintf("Sequential Wald tests (%s, vcov %s): each term after those above it\n",
                                     test, fit$vcov_type),
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

