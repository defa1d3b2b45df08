#' Least-squares regression with the inference a nested survey design needs
#'
#' Fits a linear model by ordinary (or weighted) least squares in a C++ core and
#' attaches a heteroskedasticity- or cluster-robust variance: respondents nested
#' in municipalities call for cluster-robust standard errors with the
#' bias-reduced linearization (CR2) of Bell and McCaffrey (2002) and
#' Satterthwaite degrees of freedom (Pustejovsky and Tipton 2018).
#'
#' @param formula A model formula as in [stats::lm()]: factors, interactions,
#'   `I()`, `poly()`, `log()` and the like. With several responses,
#'   `cbind(y1, y2, y3) ~ x`, one fit per response on the rows where all are
#'   present, returned as a `dm_mlm` (see [dm_mlm]).
#' @param data A data frame.
#' @param weights Optional case weights, as in [stats::lm()]: a column of `data`
#'   (unquoted or as a string) or a numeric vector with one value per row of
#'   `data`. Rows with weight 0 are excluded (and reported).
#' @param cluster Optional clustering, like `weights`: a one-sided formula
#'   naming a column of `data` (`~municipality`), a bare column name
#'   (`municipality`), a column name as a string, or a vector with one value
#'   per row of `data`. Empty or blank ids (how SPSS stores a missing string)
#'   are missing, and a missing id in a row used is an error naming the rows.
#'   With a non-cluster `vcov` (`"HC1"`, ...) the clustering is ignored with a
#'   warning of class `digimaturity_warning_cluster`.
#' @param vcov The variance estimator: `"classical"`, `"HC0"`, `"HC1"`,
#'   `"HC2"`, `"HC3"`, `"CR0"`, `"CR1"` (G/(G-1)), `"CR1S"` (Stata's
#'   G(N-1)/((G-1)(N-k))), `"CR2"` (Bell-McCaffrey) or `"CR3"` (jackknife);
#'   or a one-sided formula, `vcov = ~municipality` (the fixest/modelsummary
#'   habit), for CR2 clustered by that column. Default: `"CR2"` when `cluster`
#'   is given, `"HC2"` otherwise. The variance of a fit can be changed
#'   afterwards without refitting by hand: `vcov(fit, type = "HC1")`,
#'   `summary(fit, vcov = ~municipality)`, `tidy()`, `confint()`, `dm_wald()`
#'   and `anova()` accept the same `vcov` and `cluster`.
#' @param subset Optional rows to use, as in [stats::lm()]: a logical or index
#'   vector, evaluated in `data`.
#' @param standardize If `TRUE`, the response and the numeric variables of the
#'   model frame are z-scored (over the rows used) before fitting, so that
#'   slopes are standardised coefficients; factors are left as they are. The
#'   means and standard deviations are kept in the result.
#' @param fpc Optional finite population correction: the population number of
#'   clusters (e.g. `300` municipalities, of which the rows used come from G).
#'   The cluster-robust variance is multiplied by \eqn{1 - G/N}. Needs `cluster`
#'   and a cluster-robust `vcov`; see "Design-based variance" below.
#' @param ... Nothing: arguments of other packages' spelling (estimatr's
#'   `clusters` and `se_type`, fixest's `fixef`-like `fe`) give an error of
#'   class `digimaturity_error_argument_spelling` that says the `dm_lm`
#'   spelling, and any other unknown argument an error of that class with the
#'   argument most likely meant (`wieghts`: `weights`).
#'
#' @details
#' **Estimates and accuracy.** The coefficients come from a Cholesky or, for
#' ill-conditioned designs, an extended-precision QR factorisation, and every
#' variance is formed from its triangular factor without inverting X'WX: see
#' [dm_lm-accuracy] for the solvers, the digits to expect and the option that
#' forces a precision. A design too ill-conditioned for 6 digits gives a
#' warning of class `digimaturity_warning_ill_conditioned`.
#'
#' **Design-based variance.** With `weights` (e.g. from [dm_weights()]),
#' `cluster = ~municipality` and `vcov = "CR1"`, the variance is the linearization
#' variance of \pkg{survey}: `dm_lm(y ~ x, data, weights = w, cluster =
#' ~municipality, vcov = "CR1", fpc = 300)` gives the coefficients and standard
#' errors of `survey::svyglm(y ~ x, svydesign(ids = ~municipality, weights = ~w,
#' fpc = ~N))` with `N = 300` (without `fpc`: of `svydesign()` without `fpc`,
#' sampling with replacement). Both are
#' \eqn{(1 - G/N)\,G/(G-1)} times the CR0 sandwich. They answer a design-based
#' question: what the regression of the finite population of municipalities is,
#' from a sample of G of them; the fpc is right when the municipalities were
#' sampled (or responded) from that finite list, and the inference is about
#' that list only. CR2 (the default) instead targets the model (a
#' superpopulation of municipalities): it corrects the downward bias of CR0/CR1
#' with few or unbalanced clusters and comes with Satterthwaite df; use it when
#' the question is about the process that generates maturity, or when G is
#' small. With `fpc`, any cluster-robust type (CR2 too) is multiplied by
#' \eqn{1 - G/N}, which is exact for CR0/CR1/CR1S and an approximation for CR2 and
#' CR3; the wild bootstrap ([dm_wild()]) ignores it. When most municipalities
#' responded (183 of 300), \eqn{1 - G/N = 0.39}: standard errors shrink by
#' \eqn{\sqrt{0.39} = 0.62}.
#'
#' **Inference.** `"classical"` uses sigma^2 (X'WX)^-1 and t tests on n - k
#' df; the HC types are those of \pkg{sandwich}'s `vcovHC()` (also on n - k
#' df). The CR types are those of \pkg{clubSandwich}'s `vcovCR()`, including
#' its working model for weighted fits; CR0, CR1, CR1S and CR3 use t tests on
#' G - 1 df, CR2 per-coefficient Satterthwaite df as
#' `clubSandwich::coef_test(test = "Satterthwaite")`. CR2 is computed in
#' O(n k^2 + G k^3) time without any n_g x n_g matrix for large clusters.
#'
#' **Few clusters.** Cluster-robust t and F tests need enough clusters. With
#' fewer than 10 clusters (fewer than 30 for CR0, CR1, CR1S and CR3, whose
#' t(G - 1) reference over-rejects) the fit warns, with a warning of class
#' `digimaturity_warning_few_clusters` that points to [dm_wild()] and
#' [dm_cluster_summary()]; `summary()`, [dm_table()] and [dm_wald()] also
#' warn when a CR2 Satterthwaite (or HTZ) df they report is below 4. The rule
#' and its sources (Imbens and Kolesar 2016; Pustejovsky and Tipton 2018;
#' MacKinnon, Nielsen and Webb 2023) are in [few_clusters].
#'
#' **Labelled predictors.** A `haven_labelled` column (an SPSS or Stata
#' variable with value labels, as read by \pkg{haven}) used as a predictor
#' enters the model as its codes, one slope for a role coded 1-4; a warning
#' of class `digimaturity_warning_labelled` names it and says how to make it a
#' factor (`haven::as_factor()`, or `dm_read(labelled = "factor")`). Inside
#' `factor()` or `as_factor()` in the formula it does not warn.
#'
#' **Leverage one.** A row with leverage one (HC2, HC3) or a cluster whose
#' removal leaves the design singular (CR2, CR3; for instance a cluster with a
#' dummy of its own) makes the variance undefined in the direction it alone
#' identifies: the coefficients that load on it get `NA` variances (and no
#' test), the others keep theirs, and a warning of class
#' `digimaturity_warning_leverage` names the rows or clusters. (clubSandwich
#' returns numbers there through a generalised inverse; sandwich returns `NaN`
#' for every coefficient.)
#'
#' **Degenerate fits.** An essentially perfect fit, whose residual sum of
#' squares is at most 1e-28 times the (weighted) sum of squares of the response
#' (residuals at the rounding level of the response, as the "essentially
#' perfect fit" of [summary.lm()]), gives a warning of class
#' `digimaturity_warning_perfect_fit` (and `digimaturity_warning`); a response
#' without variation has R-squared `NA`. Its standard errors are rounding
#' noise, so t statistics, p-values, confidence limits and Wald tests are `NA`,
#' as they are wherever a standard error is 0 or not defined (`NA`).
#'
#' **Missing data.** Rows with a missing value in a model variable are dropped
#' and counted per variable (see `na.action` in the result and the printout);
#' missing weights or cluster ids, infinite or NaN values are errors.
#'
#' **Threads.** [dm_threads()] reports and sets the number of threads (default:
#' all cores, limited by `OMP_NUM_THREADS` and `OMP_THREAD_LIMIT`). Results do
#' not depend on the number of threads. Long computations stop within about a
#' second on a user interrupt (Ctrl-C), leaving R usable.
#'
#' @return An object of class `dm_lm`: a list with `coefficients`, `vcov`,
#'   `vcov_type`, `df_rule` (the rule of the t-test df: `"n - k"`, `"G - 1"`
#'   or `"Satterthwaite"`), `residuals`, `fitted.values`, `weights`, `rank`,
#'   `df.residual`, `nobs`, `sigma`, `r.squared`, `adj.r.squared`, `aliased`,
#'   `cluster`, `n_clusters`, `bread` ((X'WX)^-1), `call`, `formula`, `terms`,
#'   `model`, `xlevels`, `contrasts`, `na.action`, `standardize`, `solver`,
#'   `rcond`, `rinv` (R^-1; `rinv_lo` its low-order part on the QR path),
#'   `perfect_fit`, `cache` (an environment holding the CR2 df computed so
#'   far), `rows` (the rows of `data` used) and `n_data` (the rows of `data`);
#'   with a `cbind()` response, a `dm_mlm` (see [dm_mlm]). The t-test df per
#'   coefficient are no longer stored as `df_coef`: they are the `df` column
#'   of [tidy()][dm_lm-tidiers] and `summary(fit)$df_coef`, and for CR2 they are computed when first needed,
#'   only for the coefficients asked for, and kept in the fit.
#'
#' @references Bell, R. M. and McCaffrey, D. F. (2002). Bias reduction in
#'   standard errors for linear regression with multi-stage samples. *Survey
#'   Methodology* 28(2), 169-181.
#'
#'   Pustejovsky, J. E. and Tipton, E. (2018). Small-sample methods for
#'   cluster-robust variance estimation and hypothesis testing in fixed effects
#'   models. *Journal of Business & Economic Statistics* 36(4), 672-683.
#'
#' @family dm_lm
#' @seealso [dm_wald()] for joint tests, [dm_lm_fit()] for a design matrix,
#'   [dm_vcov_types()] for the variance types, [dm_lm-accuracy] for the numerics.
#' @export
#' @examples
#' # respondents nested in 183 municipalities (the bundled synthetic data)
#' scores <- dm_score(flanders_dm, keep = c("municipality", "role", "digital_strategy", "coercive"))
#' fit <- dm_lm(efficiency ~ digital_strategy + coercive + role, data = scores,
#'              cluster = ~municipality)
#' fit
#' # 3 clusters: a warning of class digimaturity_warning_few_clusters
#' dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)
#' dm_lm(mpg ~ wt + hp, data = mtcars, vcov = "HC1")
#' dm_lm(mpg ~ wt + factor(gear), data = mtcars, vcov = "classical",
#'       standardize = TRUE)
#' dm_lm(mpg ~ wt + hp, data = mtcars, vcov = ~cyl)     # CR2 by cyl
#' dm_lm(mpg ~ wt + hp, data = mtcars, cluster = cyl)   # a bare column name
#' try(dm_lm(mpg ~ wt, data = mtcars, clusters = cyl))  # estimatr's spelling
#' dm_lm(cbind(mpg, qsec) ~ wt + hp, data = mtcars, cluster = ~cyl)  # two outcomes
#' # weighted, design-based (survey's svyglm) variance with 183 of 300 municipalities
#' # (ILLUSTRATIVE size-class counts of the 300 municipalities; see dm_weights())
#' sizes <- list(population_class = c("<10000" = 66, "10000-19999" = 110,
#'               "20000-29999" = 57, "30000-49999" = 42, ">=50000" = 25))
#' scores$w <- dm_weights(flanders_dm, sizes)
#' dm_lm(efficiency ~ digital_strategy + coercive, data = scores, weights = w,
#'       cluster = ~municipality, vcov = "CR1", fpc = 300)
dm_lm <- function(formula, data, weights = NULL, cluster = NULL, vcov = NULL,
                  subset = NULL, standardize = FALSE, fpc = NULL, ...) {
  cl <- match.call()
  env <- parent.frame()
  if (missing(formula) || !inherits(formula, "formula")) {
    dm_abort(sprintf("`formula` must be a model formula such as y ~ x; you passed %s.",
                     if (missing(formula)) "nothing" else paste0("an object of class '", class(formula)[1], "'")),
             type = "input")
  }
  if (length(formula) != 3L) {
    dm_abort(sprintf("`formula` must have a response (y ~ x); you passed '%s'.",
                     paste(deparse(formula), collapse = " ")), type = "input")
  }
  if (missing(data)) dm_abort("`data` is missing: pass the data frame the formula refers to.", type = "input")
  check_data_frame(data, "data")
  if (nrow(data) == 0L) dm_abort("`data` has no rows.", type = "input")
  check_dots_strict(..., .fun = "dm_lm()", .formals = names(formals(dm_lm)))
  cluster_expr <- substitute(cluster)
  if (inherits(vcov, "formula")) {
    if (!is.null(cluster_expr)) {
      dm_abort(sprintf("`vcov` is a formula (%s), which already names the cluster; do not also pass `cluster`.",
                       paste(deparse(vcov), collapse = " ")), type = "input")
    }
    cluster_expr <- vcov
    cl$cluster <- vcov
    cl$vcov <- NULL
    vcov <- NULL
  }
  if (!is.null(vcov)) check_vcov_choice(vcov)
  if (!is.logical(standardize) || length(standardize) != 1L || is.na(standardize)) {
    dm_abort(sprintf("`standardize` must be TRUE or FALSE; you passed %s.",
                     show_values(standardize)), type = "input")
  }

  # the formula's own columns first: the first error names the real problem
  check_formula_columns(formula, data)
  warn_labelled_predictors(formula, data)
  inputs <- lm_inputs(substitute(weights), cluster_expr, substitute(subset), data, env)
  vcov <- resolve_vcov(vcov, !is.null(inputs$clus))
  if (!vcov_is_cluster(vcov)) inputs$clus <- NULL

  lhs <- formula[[2L]]
  if (is.call(lhs) && identical(lhs[[1L]], as.name("cbind"))) {
    if (!is.null(fpc)) {
      dm_abort("`fpc` is not supported with several outcomes (cbind()); fit each outcome on its own.",
               type = "input")
    }
    # several outcomes: one fit each on the same rows (R/mlm.R); the labelled and
    # few-clusters warnings once for them all (here), not once per response
    out <- muffle_warnings_of(dm_mlm_fit(formula, data, inputs$w, inputs$clus, inputs$keep, vcov,
                                         standardize, cl),
                              c("few_clusters", "labelled"))
    # each outcome's fit got the weights as a plain vector: they keep the caller's words
    out$fits <- lapply(out$fits, function(f) {
      f$weights_label <- inputs$w_label
      f
    })
    warn_few_clusters(few_clusters_check(out))
    return(out)
  }
  md <- lm_model_data(formula, data, inputs, standardize, env)
  md$cluster <- with_fpc(md$cluster, fpc, vcov)
  raw <- lm_engine(md$X, md$y, md$w, md$cluster, vcov)
  fit <- new_dm_lm(raw, md, vcov = vcov, call = cl, formula = formula)
  warn_fit(fit)
  fit
}

# What a new fit warns about, once, from the front end (dm_lm(), dm_lm_fit()): aliased
# coefficients (a message, as lm), an ill-conditioned design, a variance undefined in
# some directions, an essentially perfect fit, and too few clusters (the cluster count
# only: the CR2 df are computed when first needed, R/df.R).
warn_fit <- function(fit) {
  aliased <- fit$aliased
  if (any(aliased)) {
    message(sprintf("dm_lm: %d coefficient%s not defined because of singularities (aliased): %s",
                    sum(aliased), if (sum(aliased) > 1) "s" else "",
                    paste(names(aliased)[aliased], collapse = ", ")))
  }
  warn_ill_conditioned(fit$rcond, fit$solver)
  warn_undefined_vcov(fit)
  if (isTRUE(fit$perfect_fit)) {
    dm_warn(sprintf(paste0("essentially perfect fit (residual sum of squares %s, response's sum of squares %s): ",
                           "standard errors, t tests and p-values are not reliable%s."),
                    format(fit$rss, digits = 3), format(fit$ssy, digits = 3),
                    if (isTRUE(fit$constant_y)) "; the response is constant, so R-squared is not defined" else ""),
            type = "perfect_fit", call = NULL)
  }
  warn_few_clusters(few_clusters_check(fit))
  invisible(fit)
}

#' Numerical accuracy of `dm_lm()`
#'
#' How [dm_lm()] and [dm_lm_fit()] compute their estimates and variances, and
#' how many digits to expect.
#'
#' **Estimates.** The design is equilibrated (columns scaled to unit length).
#' When its Gram matrix is well conditioned (reciprocal condition number at
#' least 1e-6), the coefficients come from its Cholesky factor followed by one
#' step of iterative refinement with the residuals of the data; otherwise from
#' a Householder QR in extended precision: quadruple (`__float128`, small
#' designs), 80-bit long double where it is wider than double at run time, or
#' else portable double-double arithmetic (the solver is recorded in
#' `fit$solver`: `"cholesky"`, `"qr-quad"`, `"qr-extended"`,
#' `"qr-double-double"`, or `"qr-double"` in a build compiled with
#' `-DDIGIMATURITY_PLAIN_DOUBLE`). A column whose norm, after
#' orthogonalisation on the columns before it, is below 1e-11 of its original
#' norm is aliased: its coefficient is `NA`, as in [stats::lm()] (which uses the
#' looser tolerance 1e-7, so `lm()` can alias columns of a nearly collinear
#' design that `dm_lm()` still estimates).
#'
#' **Accuracy.** Every variance, robust or not, is formed in whitened
#' coordinates from the triangular factor of the fit: with X'WX = R'R and
#' Z = W^(1/2) X R^-1 (orthonormal columns), a sandwich is R^-1 S R^-T with S
#' built from the rows of Z, leverages are squared row norms of Z and cluster
#' blocks are Z_g'Z_g. No inverse of an ill-conditioned cross-product is ever
#' formed, so the standard errors, the CR2 adjustments, the Satterthwaite df
#' and the HTZ test keep the accuracy of the coefficients; R^-1 is carried in
#' double-double on the QR path. The sums of squares behind the Satterthwaite
#' df and the HTZ test are re-accumulated in double-double when they cancel
#' (weights spanning orders of magnitude). With the reciprocal condition number
#' `fit$rcond` of the equilibrated design, about -log10(u / rcond) digits hold,
#' u being the unit roundoff of the solver (2^-53 for Cholesky and plain double,
#' 2^-64 long double, 2^-104 double-double, 2^-113 quadruple), capped at double
#' precision. In the package's tests, against exact rational arithmetic on the
#' same double data, estimates and HC0/HC3/CR0 standard errors keep at least
#' 15 digits on Longley, Wampler-like degree-5 and Filip-like degree-10
#' polynomial designs on the extended paths (plain double: about 6 digits for
#' the degree-10 coefficients, 7.5 for their standard errors). When fewer than 6
#' digits can be expected, a warning of class
#' `digimaturity_warning_ill_conditioned` says so. Every variance, df and test
#' is invariant to rescaling a column or the weights (the leverage and rank
#' tests are relative). `options(digimaturity.qr_precision = )` (`"auto"`,
#' `"double"`, `"double-double"`, `"long-double"`, `"quad"`) forces a precision
#' of the QR path, for checking a result.
#'
#' @family dm_lm
#' @name dm_lm-accuracy
#' @examples
#' fit <- dm_lm(mpg ~ poly(wt, 3, raw = TRUE), data = mtcars, vcov = "HC1")
#' fit$solver   # "cholesky" or a QR path
#' fit$rcond    # reciprocal condition number of the equilibrated design
NULL

# The model matrix of the rows used; a factor (or text variable) with a single level in
# those rows cannot be coded by contrasts: a classed error that names it.
design_from_frame <- function(mt, mf, call = sys.call(-1)) {
  tryCatch(stats::model.matrix(mt, mf), error = function(e) {
    vars <- names(mf)[-1L]
    single <- vars[vapply(vars, function(v) {
      x <- mf[[v]]
      (is.factor(x) || is.character(x) || is.logical(x)) && length(unique(x[!is.na(x)])) < 2L
    }, logical(1))]
    if (length(single)) {
      x <- mf[[single[1L]]]
      dm_abort(sprintf(paste0("`%s` has a single level (%s) in the %d rows used, so it has no contrast ",
                              "to estimate; drop it from `formula` or use rows with several levels."),
                       single[1L], show_values(unique(as.character(x[!is.na(x)]))), nrow(mf)),
               type = "input", call = call)
    }
    dm_abort(sprintf("the model matrix of `formula` could not be built: %s", conditionMessage(e)),
             type = "input", call = call)
  })
}

# Response, design columns and weights must have magnitudes whose squares and products
# fit in double precision (see check_magnitude()).
# For a matrix `X`, `mags` are the largest magnitudes of its columns (from
# dm_column_magnitudes_cpp(): a column is copied only to name the row in an error).
check_design_magnitude <- function(X, y, w, resp_name, mags = NULL) {
  check_magnitude(y, resp_name)
  cols <- if (is.list(X)) names(X) else colnames(X)
  for (j in seq_along(cols)) {
    if (cols[j] == "(Intercept)") next
    if (is.list(X)) check_magnitude(X[[j]], cols[j])
    else check_magnitude(X[, j], cols[j], m = if (is.null(mags)) NULL else mags[j])
  }
  if (!is.null(w)) check_magnitude(w, "weights", type = "weights")
  invisible(NULL)
}

# The design matrix of a fit, rebuilt from its terms and model frame.
design_matrix <- function(fit) {
  if (!is.null(fit$design)) return(fit$design)  # a sub-model of anova()
  stats::model.matrix(fit$terms, fit$model, contrasts.arg = fit$contrasts)
}

# The precision of the QR path: option `digimaturity.qr_precision` ("auto", "double",
# "double-double", "long-double", "quad"), for tests and for checking a result.
qr_precision <- function() {
  p <- getOption("digimaturity.qr_precision", "auto")
  choices <- c("auto", "double", "double-double", "long-double", "quad")
  if (!is.character(p) || length(p) != 1L || !p %in% choices) {
    dm_abort(sprintf("option `digimaturity.qr_precision` must be one of %s; it is %s.",
                     show_values(choices), show_values(p)), type = "input")
  }
  match(p, choices) - 1L
}

solver_names <- c("cholesky", "qr-extended", "qr-quad", "qr-double-double", "qr-double")

# Unit roundoff of the arithmetic of each solver: with the reciprocal condition number
# rcond of the equilibrated design, estimates and variances keep about
# -log10(eps / rcond) digits (never more than double's 15.6).
solver_eps <- c(cholesky = 2^-53, "qr-extended" = 2^-64, "qr-quad" = 2^-113,
                "qr-double-double" = 2^-104, "qr-double" = 2^-53)

# A design too ill-conditioned for the precision of its solver: fewer than 6 digits can
# be trusted in the estimates and (robust) variances.
warn_ill_conditioned <- function(rcond, solver) {
  if (is.null(rcond) || !is.finite(rcond) || rcond <= 0) return(invisible())
  digits <- -log10(solver_eps[[solver]] / rcond)
  if (digits < 6) {
    dm_warn(sprintf("the design is too ill-conditioned for %s arithmetic (reciprocal condition number %s of the equilibrated design): estimates and variances may keep only about %d digits. Centre or rescale the predictors, use orthogonal polynomials (poly()), or a build with extended precision.",
                    if (solver %in% c("cholesky", "qr-double")) "double" else sub("^qr-", "", solver),
                    format(rcond, digits = 3), max(0L, floor(digits))),
            type = "ill_conditioned")
  }
  invisible()
}

# A robust variance that is undefined in some directions: rows with leverage one (HC2,
# HC3) or clusters whose removal leaves the design singular (CR2, CR3). The C++ gives NaN
# for the coefficients that load on them (kept in `fit$vcov_undefined`); say which rows
# and coefficients.
warn_undefined_vcov <- function(fit) {
  lev <- fit$vcov_undefined$rows
  if (!length(lev)) return(invisible())
  vcov <- fit$vcov_type
  clustered <- vcov_is_cluster(vcov)
  row_names <- rownames(fit$model)
  what <- if (!clustered) {
    sprintf("row%s %s of the model frame (row names %s) ha%s leverage one",
            if (length(lev) > 1) "s" else "", show_rows(lev),
            show_values(row_names[lev]), if (length(lev) > 1) "ve" else "s")
  } else {
    sprintf("cluster%s %s alone identif%s a combination of the coefficients (leverage one: removing %s leaves the design singular, as with one dummy per cluster)",
            if (length(lev) > 1) "s" else "", show_values(levels(fit$cluster)[lev]),
            if (length(lev) > 1) "y" else "ies", if (length(lev) > 1) "one" else "it")
  }
  kept_names <- names(fit$coefficients)[!fit$aliased]
  und <- kept_names[fit$vcov_undefined$coefs]
  dm_warn(sprintf("`vcov = '%s'` is not defined for every coefficient: %s. %s",
                  vcov, what,
                  if (length(und)) sprintf("The variance of %s is NA; use `vcov = '%s'` or drop the observations that identify %s alone.",
                                           show_values(und), vcov_fallback(vcov),
                                           if (length(und) > 1) "them" else "it")
                  else "No coefficient is affected."),
          type = "leverage")
}

# Threads for a job of about `work` flops: one for small jobs, where starting threads
# costs more than it saves (and much more on a busy machine); otherwise dm_threads().
threads_for <- function(work = Inf) {
  n <- dm_threads()
  if (work < 2e6) return(1L)
  n
}
