#' Wald tests of linear hypotheses on the coefficients, with the fit's variance
#'
#' Tests H0: C b = r, using the variance estimator of the fit (or another one
#' given by `vcov` / `cluster`, without refitting by hand). The hypothesis is
#' written as the study's questions are asked: "do the institutional pressures
#' matter jointly?" (term names: their coefficients are all zero), "does
#' digital strategy matter more than financial resources?"
#' (`"digital_strategy = financial_resources"`), "do capacity and pressure
#' cancel?" (`"coercive + mimetic = 0"`).
#'
#' @param fit A [dm_lm()] fit, or a `dm_mlm` of several responses (see
#'   [dm_mlm]: restrictions across equations in the stacked names
#'   `response:term`, tested with the cross-equation covariance).
#' @param hypothesis One of
#'   * a character vector of coefficient names (`"wt"`, `"factor(gear)4"`) or
#'     term labels of the formula (`"factor(gear)"`, which stands for all its
#'     coefficients): H0 all of them are zero (aliased coefficients are left
#'     out);
#'   * a character vector of linear restrictions in the coefficient names,
#'     one per element: `"wt = hp"`, `"coercive + mimetic = 0"`,
#'     `"2*x1 - x2 = 1"`, `"x1 - x2"` (no `=`: equal to zero). Names that are
#'     not syntactic, such as `(Intercept)` or `factor(gear)4`, can be written
#'     as they are or in backticks. Each restriction must be linear: numbers
#'     times coefficients, added or subtracted (`*` and `/` by numbers only);
#'   * a numeric matrix `R` with one row per restriction and one column per
#'     coefficient (all of them, in the order of `coef(fit)`, or named by
#'     coefficient names), with `rhs`.
#' @param rhs For a matrix `hypothesis`, the right-hand side r (default 0),
#'   one value per row.
#' @param vcov,cluster Another variance estimator for the test, as in
#'   [vcov.dm_lm()]: a type such as `"HC1"` or `"CR1"`, or `~municipality` for
#'   CR2 clustered by that column; `cluster` a formula, a bare column name or a
#'   vector. By default the fit's.
#' @param ... Unused (estimatr's `clusters`/`se_type` give an error that says
#'   the `dm_lm` spelling).
#' @param terms Deprecated name of `hypothesis`.
#'
#' @details With q restrictions, Q = (C b - r)' (C V C')^-1 (C b - r) and
#'   * `"classical"` and HC types: F = Q / q on (q, n - k) df (for `"classical"`
#'     the F test of [anova()] of nested [lm()] fits and of
#'     `car::linearHypothesis()`);
#'   * CR0, CR1, CR1S, CR3: F = Q / q on (q, G - 1) df;
#'   * CR2: the HTZ test of Tipton and Pustejovsky (2015), as
#'     `clubSandwich::Wald_test(test = "HTZ")`: F = (nu - q + 1) / (nu q) Q on
#'     (q, nu - q + 1) df, with nu from a Hotelling's T-squared approximation
#'     that depends on C only (a non-zero r shifts Q alone).
#'     With too few clusters for the number of constraints, nu - q + 1 is not
#'     positive and the statistic and p-value are `NA` (clubSandwich reports
#'     F = 0 with an `NA` p-value).
#'
#'   With too few clusters for the F reference distribution (fewer than 10;
#'   fewer than 30 for CR0, CR1, CR1S and CR3; an HTZ denominator df below 4:
#'   see [few_clusters]), a warning of class
#'   `digimaturity_warning_few_clusters` says so, and the printout ends with a
#'   note that points to [dm_wild()].
#'
#'   When C V C' has an `NA` (a variance that is not defined) or a zero
#'   variance, or is numerically singular (reciprocal condition number of its
#'   correlation matrix below 1e-13, e.g. more constraints than clusters), the
#'   statistic and p-value are `NA`: no test is reported rather than an
#'   infinite or arbitrary F. So are they on an essentially perfect fit (see
#'   [dm_lm()]). Restrictions that are linearly dependent, or that involve an
#'   aliased coefficient, are an error (class
#'   `digimaturity_error_hypothesis`), as are non-linear restrictions and
#'   unknown names.
#'
#' @return A data frame of class `dm_wald` with one row: `test`, `terms` (the
#'   coefficients involved), `hypothesis` (the restrictions in words, `"; "`
#'   between them), `statistic`, `df1`, `df2`, `p.value`, `vcov`. It prints the
#'   restrictions back in words. With few clusters, the attribute
#'   `few_clusters` holds what the rule of [few_clusters] found.
#' @references Tipton, E. and Pustejovsky, J. E. (2015). Small-sample
#'   adjustments for tests of moderators and model fit using robust variance
#'   estimation in meta-regression. *Journal of Educational and Behavioral
#'   Statistics* 40(6), 604-634.
#' @family dm_lm
#' @export
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp + qsec, data = mtcars, cluster = ~carb)
#' dm_wald(fit, c("hp", "qsec"))                 # both zero
#' dm_wald(fit, "hp = qsec")                     # a contrast
#' dm_wald(fit, c("wt + 10*qsec = 0", "hp = 0")) # two restrictions
#' dm_wald(fit, rbind(c(0, 1, 0, -1)), rhs = 1)  # a matrix, H0 wt - qsec = 1
#' dm_wald(fit, "hp = qsec", vcov = "CR1")       # another variance
#' dm_wald(dm_lm(mpg ~ wt + hp + qsec, data = mtcars, vcov = "HC1"), c("hp", "qsec"))
dm_wald <- function(fit, hypothesis, rhs = NULL, vcov = NULL, cluster = NULL, ..., terms) {
  if (!inherits(fit, c("dm_lm", "dm_mlm"))) {
    dm_abort(sprintf("`fit` must be a dm_lm fit; you passed an object of class '%s'.",
                     class(fit)[1]), type = "input")
  }
  check_dots_strict(..., .fun = "dm_wald()")
  if (missing(hypothesis)) {
    if (missing(terms)) dm_abort("`hypothesis` is missing: pass coefficient or term names, restrictions such as \"x1 = x2\", or a matrix.", type = "input")
    hypothesis <- terms
  }
  if (inherits(fit, "dm_mlm")) {
    out <- wald_mlm(fit, hypothesis, rhs, vcov, substitute(cluster), parent.frame())
    G <- if (vcov_is_cluster(out$vcov[1L])) attr(out, "n_clusters") else NA_integer_
    few <- few_clusters_check(list(vcov_type = out$vcov[1L], n_clusters = G, fits = fit$fits),
                              df2 = if (out$test[1L] == "HTZ") out$df2[1L])
  } else {
    fit <- revcov(fit, vcov, substitute(cluster), parent.frame())
    h <- wald_hypothesis(fit, hypothesis, rhs)
    out <- wald_test(fit, h$C, h$r, h$words, h$zero)
    few <- few_clusters_check(fit, df2 = if (out$test[1L] == "HTZ") out$df2[1L])
  }
  if (!is.null(few)) {
    few$label <- cluster_label_of(fit)
    warn_few_clusters(few, what = "the test's")
    attr(out, "few_clusters") <- few
  }
  out
}

# The test of C b = r (C over all coefficients, named columns) on `fit`.
wald_test <- function(fit, C, r, words, zero = FALSE) {
  type <- fit$vcov_type
  htz_nu <- if (identical(vcov_df_rule_of(type), "Satterthwaite")) {
    function(C_used) cr2_htz_nu(fit, C[, names(fit$coefficients)[!fit$aliased], drop = FALSE])
  }
  wald_statistic(fit$coefficients, fit$vcov, C, r, words, zero, type,
                 n_clusters = fit$n_clusters, df_residual = fit$df.residual,
                 perfect_fit = isTRUE(fit$perfect_fit), htz_nu = htz_nu)
}

# The Wald test algebra, written once for one fit (wald_test()) and for the stacked
# coefficients of several outcomes (R/mlm.R): Q = (C b - r)' (C V C')^-1 (C b - r) on
# the columns involved, and its reference distribution by the df rule of the variance
# type (registry): F = Q / q on (q, n - k) or (q, G - 1) df, or for the Satterthwaite
# rule the HTZ test with Hotelling's nu from `htz_nu(C)` (a function, called only then).
# A data frame of class dm_wald with one row.
wald_statistic <- function(b, V, C, r, words, zero, type, n_clusters = NA, df_residual = NA,
                           perfect_fit = FALSE, htz_nu = NULL) {
  used <- colnames(C)[colSums(C != 0) > 0]
  q <- nrow(C)
  # only the columns involved: an NA variance of an untested coefficient does not spread
  Cu <- C[, used, drop = FALSE]
  CVC <- Cu %*% V[used, used, drop = FALSE] %*% t(Cu)
  cb <- drop(Cu %*% b[used]) - r
  Q <- if (perfect_fit) NA_real_ else wald_quadratic_form(CVC, cb)
  rule <- vcov_df_rule_of(type)
  if (identical(rule, "Satterthwaite") && !is.null(htz_nu)) {
    nu <- htz_nu(C)
    df2 <- nu - q + 1
    if (is.nan(df2)) df2 <- NA_real_
    # with too few clusters for q constraints the HTZ df are not positive: no test
    stat <- if (isTRUE(df2 > 0)) (nu - q + 1) / (nu * q) * Q else NA_real_
    test <- "HTZ"
  } else {
    df2 <- if (identical(rule, "G - 1")) n_clusters - 1 else df_residual
    stat <- Q / q
    test <- if (identical(type, "classical")) "F (classical)" else "Wald F"
  }
  if (!is.finite(stat)) stat <- NA_real_
  p <- if (!is.na(stat) && isTRUE(df2 > 0)) stats::pf(stat, q, df2, lower.tail = FALSE) else NA_real_
  out <- data.frame(test = test, terms = paste(used, collapse = ", "),
                    hypothesis = paste(words, collapse = "; "), statistic = stat,
                    df1 = q, df2 = df2, p.value = p, vcov = type, stringsAsFactors = FALSE)
  attr(out, "zero") <- zero
  class(out) <- c("dm_wald", "data.frame")
  out
}

# The df rule of a type, "n - k" for a variance matrix given by the user.
vcov_df_rule_of <- function(type) {
  if (is.character(type) && length(type) == 1L && type %in% vcov_type_names()) vcov_df_rule(type) else "n - k"
}

# The hypothesis of dm_wald() as list(C (q x all coefficients), r, words, zero = TRUE
# when it is "these coefficients are zero").
wald_hypothesis <- function(fit, hypothesis, rhs) {
  cn <- names(fit$coefficients)
  kept <- cn[!fit$aliased]
  if (is.matrix(hypothesis) && is.numeric(hypothesis)) {
    return(wald_matrix(fit, hypothesis, rhs))
  }
  if (!is.character(hypothesis) || !length(hypothesis) || anyNA(hypothesis)) {
    dm_abort(sprintf("`hypothesis` must be a character vector of coefficient names, term labels or restrictions (\"x1 = x2\"), or a numeric matrix; you passed %s.",
                     if (is.character(hypothesis)) "NA or nothing" else
                       paste0("an object of class '", class(hypothesis)[1], "'")),
             type = "input")
  }
  if (!is.null(rhs)) {
    dm_abort("`rhs` goes with a matrix `hypothesis`; write the right-hand side into the restriction instead (\"x1 - x2 = 1\").",
             type = "input")
  }
  labels <- attr(fit$terms, "term.labels")
  if (all(hypothesis %in% c(cn, labels))) {
    cols <- intersect(wald_columns(fit, hypothesis), kept)
    if (!length(cols)) {
      dm_abort(sprintf("`hypothesis` (%s) selects no estimable coefficient.", show_values(hypothesis)),
               type = "input")
    }
    C <- matrix(0, length(cols), length(cn), dimnames = list(cols, cn))
    C[cbind(seq_along(cols), match(cols, cn))] <- 1
    return(list(C = C, r = rep(0, length(cols)), words = paste(cols, "= 0"), zero = TRUE))
  }
  rows <- lapply(hypothesis, parse_restriction, cn = cn, labels = labels)
  C <- do.call(rbind, lapply(rows, `[[`, "coef"))
  dimnames(C) <- list(hypothesis, cn)
  r <- vapply(rows, `[[`, numeric(1), "rhs")
  check_restrictions(fit, C, r, hypothesis)
  list(C = C, r = r, words = vapply(seq_len(nrow(C)), function(i) restriction_words(C[i, ], r[i]), ""),
       zero = FALSE)
}

wald_matrix <- function(fit, R, rhs) {
  cn <- names(fit$coefficients)
  kept <- cn[!fit$aliased]
  if (!is.null(colnames(R))) {
    bad <- setdiff(colnames(R), cn)
    if (length(bad)) {
      dm_abort(sprintf("`hypothesis` has columns named %s, which are not coefficients of the fit (%s).",
                       show_values(bad), show_values(cn, 10L)), type = "hypothesis", call = NULL)
    }
    C <- matrix(0, nrow(R), length(cn), dimnames = list(NULL, cn))
    C[, colnames(R)] <- R
  } else if (ncol(R) == length(cn)) {
    C <- R
  } else if (ncol(R) == length(kept)) {
    C <- matrix(0, nrow(R), length(cn))
    C[, match(kept, cn)] <- R
  } else {
    dm_abort(sprintf("`hypothesis` as a matrix must have one column per coefficient (%d) or named columns; it has %d.",
                     length(cn), ncol(R)), type = "hypothesis", call = NULL)
  }
  colnames(C) <- cn
  if (nrow(C) == 0L || anyNA(C) || any(!is.finite(C))) {
    dm_abort("`hypothesis` as a matrix must have at least one row and finite values.", type = "hypothesis", call = NULL)
  }
  if (is.null(rhs)) rhs <- rep(0, nrow(C))
  if (!is.numeric(rhs) || length(rhs) != nrow(C) || anyNA(rhs) || any(!is.finite(rhs))) {
    dm_abort(sprintf("`rhs` must be finite numbers, one per row of `hypothesis` (%d); you passed %s.",
                     nrow(C), if (is.numeric(rhs)) show_values(rhs) else class(rhs)[1]),
             type = "hypothesis", call = NULL)
  }
  words <- vapply(seq_len(nrow(C)), function(i) restriction_words(C[i, ], rhs[i]), "")
  rownames(C) <- words
  check_restrictions(fit, C, as.double(rhs), words)
  list(C = C, r = as.double(rhs), words = words, zero = FALSE)
}

# Every restriction involves a coefficient, no aliased one, and they are independent.
check_restrictions <- function(fit, C, r, shown) {
  empty <- rowSums(C != 0) == 0
  if (any(empty)) {
    dm_abort(sprintf("`hypothesis` has a restriction without coefficients: %s.",
                     show_values(shown[empty])), type = "hypothesis", call = NULL)
  }
  al <- names(fit$aliased)[fit$aliased]
  hit <- al[colSums(C[, al, drop = FALSE] != 0) > 0]
  if (length(hit)) {
    dm_abort(sprintf("`hypothesis` involves the aliased (not estimable) coefficient%s %s.",
                     if (length(hit) > 1) "s" else "", show_values(hit)), type = "hypothesis", call = NULL)
  }
  if (nrow(C) > 1L && qr(C)$rank < nrow(C)) {
    dm_abort(sprintf("`hypothesis` has linearly dependent restrictions (%s): drop the redundant ones.",
                     show_values(shown, 10L)), type = "hypothesis", call = NULL)
  }
  invisible()
}

# A restriction such as "2*x1 - x2 = 1" as list(coef = named coefficient vector, rhs).
parse_restriction <- function(s, cn, labels) {
  parts <- strsplit(s, "=", fixed = TRUE)[[1L]]
  parts <- gsub("^\\s+|\\s+$", "", parts)
  if (length(parts) > 2L || any(!nzchar(parts)) || grepl("==|<|>|!", s)) {
    dm_abort(sprintf("`hypothesis` holds '%s', which is not a linear restriction such as \"x1 = x2\" or \"x1 + x2 = 0\".",
                     s), type = "hypothesis", call = NULL)
  }
  if (length(parts) == 1L && grepl("^[.A-Za-z][.A-Za-z0-9_]*$", parts)) {
    # a single name that is neither a coefficient nor a term: the old message
    dm_abort(sprintf("`hypothesis` holds '%s', which is neither a coefficient nor a term of the model (coefficients: %s).",
                     s, show_values(cn, 10L)), type = "input")
  }
  sides <- lapply(parts, function(p) linear_combination(protect_names(p, cn), cn, s))
  if (length(sides) == 1L) sides[[2L]] <- list(coef = stats::setNames(rep(0, length(cn)), cn), const = 0)
  list(coef = sides[[1L]]$coef - sides[[2L]]$coef, rhs = sides[[2L]]$const - sides[[1L]]$const)
}

# Backquote the non-syntactic coefficient names ("(Intercept)", "factor(gear)4") so
# that R's parser reads them as names; longest first, and not inside backquotes.
protect_names <- function(p, cn) {
  if (grepl("`", p, fixed = TRUE)) return(p)
  odd <- cn[make.names(cn) != cn]
  odd <- odd[order(-nchar(odd))]
  if (!length(odd)) return(p)
  keys <- sprintf("\001%d\002", seq_along(odd))
  for (i in seq_along(odd)) p <- gsub(odd[i], keys[i], p, fixed = TRUE)
  for (i in seq_along(odd)) p <- gsub(keys[i], paste0("`", odd[i], "`"), p, fixed = TRUE)
  p
}

# One side of a restriction as list(coef, const), by walking R's parse tree.
linear_combination <- function(text, cn, shown) {
  expr <- tryCatch(str2lang(text), error = function(e) {
    dm_abort(sprintf("`hypothesis` holds '%s', which cannot be read: %s", shown, conditionMessage(e)),
             type = "hypothesis", call = NULL)
  })
  zero <- stats::setNames(rep(0, length(cn)), cn)
  nonlinear <- function() {
    dm_abort(sprintf("`hypothesis` holds '%s', which is not linear in the coefficients: use numbers times coefficients, added or subtracted (e.g. \"2*x1 - x2 = 1\").",
                     shown), type = "hypothesis", call = NULL)
  }
  walk <- function(e) {
    if (is.numeric(e) && length(e) == 1L) return(list(coef = zero, const = as.double(e)))
    if (is.name(e)) {
      nm <- as.character(e)
      if (!nm %in% cn) {
        dm_abort(sprintf("`hypothesis` holds '%s', which names '%s', not a coefficient of the model (coefficients: %s).",
                         shown, nm, show_values(cn, 10L)), type = "hypothesis", call = NULL)
      }
      v <- zero
      v[nm] <- 1
      return(list(coef = v, const = 0))
    }
    if (!is.call(e)) nonlinear()
    op <- as.character(e[[1L]])
    args <- lapply(as.list(e)[-1L], walk)
    is_const <- function(a) all(a$coef == 0)
    switch(op,
      "(" = args[[1L]],
      "+" = if (length(args) == 1L) args[[1L]] else
        list(coef = args[[1L]]$coef + args[[2L]]$coef, const = args[[1L]]$const + args[[2L]]$const),
      "-" = if (length(args) == 1L) list(coef = -args[[1L]]$coef, const = -args[[1L]]$const) else
        list(coef = args[[1L]]$coef - args[[2L]]$coef, const = args[[1L]]$const - args[[2L]]$const),
      "*" = {
        if (is_const(args[[1L]])) {
          list(coef = args[[1L]]$const * args[[2L]]$coef, const = args[[1L]]$const * args[[2L]]$const)
        } else if (is_const(args[[2L]])) {
          list(coef = args[[2L]]$const * args[[1L]]$coef, const = args[[2L]]$const * args[[1L]]$const)
        } else nonlinear()
      },
      "/" = {
        if (!is_const(args[[2L]]) || args[[2L]]$const == 0) nonlinear()
        list(coef = args[[1L]]$coef / args[[2L]]$const, const = args[[1L]]$const / args[[2L]]$const)
      },
      nonlinear())
  }
  walk(expr)
}

# "2*x1 - x2 = 1" from a row of C and its right-hand side.
restriction_words <- function(coef, rhs) {
  nz <- which(coef != 0)
  num <- function(v) format(v, digits = 7)
  out <- ""
  for (j in seq_along(nz)) {
    v <- coef[[nz[j]]]
    nm <- names(coef)[nz[j]]
    mag <- if (abs(v) == 1) nm else paste0(num(abs(v)), "*", nm)
    out <- if (j == 1L) paste0(if (v < 0) "-", mag) else paste(out, if (v < 0) "-" else "+", mag)
  }
  paste(out, "=", num(rhs))
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
  check_dots_strict(..., .fun = "print()")
  zero <- isTRUE(attr(x, "zero")) || is.null(x$hypothesis)
  for (i in seq_len(nrow(x))) {
    if (zero) {
      cat(sprintf("Wald test (%s, vcov %s) that these coefficients are zero:\n  %s\n",
                  x$test[i], x$vcov[i], x$terms[i]))
    } else {
      cat(sprintf("Wald test (%s, vcov %s) of the hypothesis:\n%s\n", x$test[i], x$vcov[i],
                  paste0("  ", strsplit(x$hypothesis[i], "; ", fixed = TRUE)[[1L]], collapse = "\n")))
    }
    cat(sprintf("F = %s on %s and %s df, p = %s\n",
                format(x$statistic[i], digits = digits), format(x$df1[i]),
                format(x$df2[i], digits = digits), format.pval(x$p.value[i], digits = digits)))
  }
  few <- attr(x, "few_clusters")
  if (!is.null(few)) cat(few_clusters_note(few), "\n", sep = "")
  invisible(x)
}
