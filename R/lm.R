#' Least-squares regression with the inference a nested survey design needs
#'
#' Fits a linear model by ordinary (or weighted) least squares in a C++ core and
#' attaches a heteroskedasticity- or cluster-robust variance: respondents nested
#' in municipalities call for cluster-robust standard errors with the
#' bias-reduced linearization (CR2) of Bell and McCaffrey (2002) and
#' Satterthwaite degrees of freedom (Pustejovsky and Tipton 2018).
#'
#' @param formula A model formula as in [stats::lm()]: factors, interactions,
#'   `I()`, `poly()`, `log()` and the like.
#' @param data A data frame.
#' @param weights Optional case weights, as in [stats::lm()]: a column of `data`
#'   (unquoted or as a string) or a numeric vector with one value per row of
#'   `data`. Rows with weight 0 are excluded (and reported).
#' @param cluster Optional clustering: a one-sided formula naming a column of
#'   `data` (`~municipality`), a column name as a string, or a vector with one
#'   value per row of `data`.
#' @param vcov The variance estimator: `"classical"`, `"HC0"`, `"HC1"`,
#'   `"HC2"`, `"HC3"`, `"CR0"`, `"CR1"` (G/(G-1)), `"CR1S"` (Stata's
#'   G(N-1)/((G-1)(N-k))), `"CR2"` (Bell-McCaffrey) or `"CR3"` (jackknife).
#'   Default: `"CR2"` when `cluster` is given, `"HC2"` otherwise.
#' @param subset Optional rows to use, as in [stats::lm()]: a logical or index
#'   vector, evaluated in `data`.
#' @param standardize If `TRUE`, the response and the numeric variables of the
#'   model frame are z-scored (over the rows used) before fitting, so that
#'   slopes are standardised coefficients; factors are left as they are. The
#'   means and standard deviations are kept in the result.
#'
#' @details
#' **Estimates.** The design is equilibrated (columns scaled to unit length).
#' When its Gram matrix is well conditioned (reciprocal condition number at
#' least 1e-6), the coefficients come from its Cholesky factor followed by one
#' step of iterative refinement with the residuals of the data; otherwise from
#' a Householder QR computed in quadruple precision (small designs) or 80-bit
#' extended precision, so that polynomial and near-collinear designs keep full
#' double accuracy. A column whose norm, after orthogonalisation on the columns
#' before it, is below 1e-11 of its original norm is aliased: its coefficient is
#' `NA`, as in [stats::lm()] (which uses the looser tolerance 1e-7, so `lm()` can
#' alias columns of a nearly collinear design that `dm_lm()` still estimates).
#'
#' **Inference.** `"classical"` uses sigma^2 (X'WX)^-1 and t tests on n - k
#' df; the HC types are those of \pkg{sandwich}'s `vcovHC()` (also on n - k
#' df). The CR types are those of \pkg{clubSandwich}'s `vcovCR()`, including
#' its working model for weighted fits; CR0, CR1, CR1S and CR3 use t tests on
#' G - 1 df, CR2 per-coefficient Satterthwaite df as
#' `clubSandwich::coef_test(test = "Satterthwaite")`. CR2 is computed in
#' O(n k^2 + G k^3) time without any n_g x n_g matrix for large clusters.
#'
#' **Missing data.** Rows with a missing value in a model variable are dropped
#' and counted per variable (see `na.action` in the result and the printout);
#' missing weights or cluster ids, infinite or NaN values are errors.
#'
#' **Threads.** `options(digimaturity.threads = n)` sets the number of threads
#' (default: all cores, at most 2 when `_R_CHECK_LIMIT_CORES_` is set). Results
#' do not depend on the number of threads.
#'
#' @return An object of class `dm_lm`: a list with `coefficients`, `vcov`,
#'   `vcov_type`, `df_coef` (t-test df per coefficient), `df_rule`,
#'   `residuals`, `fitted.values`, `weights`, `rank`, `df.residual`, `nobs`,
#'   `sigma`, `r.squared`, `adj.r.squared`, `aliased`, `cluster`,
#'   `n_clusters`, `bread` ((X'WX)^-1), `call`, `formula`, `terms`, `model`,
#'   `xlevels`, `contrasts`, `na.action`, `standardize`, `solver`.
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
#' @seealso [dm_wald()] for joint tests.
#' @export
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)
#' fit
#' dm_lm(mpg ~ wt + hp, data = mtcars, vcov = "HC1")
#' dm_lm(mpg ~ wt + factor(gear), data = mtcars, vcov = "classical",
#'       standardize = TRUE)
dm_lm <- function(formula, data, weights = NULL, cluster = NULL, vcov = NULL,
                  subset = NULL, standardize = FALSE) {
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
  if (!is.null(vcov)) check_choice(vcov, vcov_types, "vcov")
  if (!is.logical(standardize) || length(standardize) != 1L || is.na(standardize)) {
    dm_abort(sprintf("`standardize` must be TRUE or FALSE; you passed %s.",
                     show_values(standardize)), type = "input")
  }

  n_data <- nrow(data)
  w <- eval_row_argument(substitute(weights), data, env, "weights")
  clus <- eval_cluster(cluster, data, env)
  sub <- eval(substitute(subset), data, env)
  keep <- rep(TRUE, n_data)
  if (!is.null(sub)) keep <- subset_rows(sub, n_data)

  if (!is.null(w)) check_case_weights(w, n_data)
  if (!is.null(clus)) {
    if (length(clus) != n_data) {
      dm_abort(sprintf("`cluster` must have one value per row of `data` (%d); it has %d.",
                       n_data, length(clus)), type = "cluster")
    }
    bad <- which(is.na(clus) & keep)
    if (length(bad)) {
      dm_abort(sprintf("`cluster` is missing (NA) in row%s %s of `data`; every row used needs a cluster id.",
                       if (length(bad) > 1) "s" else "", show_rows(bad)), type = "cluster")
    }
  }
  if (is.null(vcov)) vcov <- if (is.null(clus)) "HC2" else "CR2"
  if (!is.null(clus) && !vcov %in% cr_types) {
    dm_warn(sprintf(paste0("`cluster` is ignored: `vcov = '%s'` is not cluster-robust. For ",
                           "standard errors that account for the clustering use vcov = 'CR2' ",
                           "(the default with a cluster)."), vcov), type = "cluster")
    clus <- NULL
  }
  if (vcov %in% cr_types && is.null(clus)) {
    dm_abort(sprintf("`vcov = '%s'` is cluster-robust and needs `cluster` (e.g. cluster = ~municipality).",
                     vcov), type = "cluster")
  }

  check_formula_columns(formula, data)
  fast <- if (!standardize && all(keep)) simple_design(formula, data, w) else NULL
  if (!is.null(fast)) {
    # plain numeric columns, nothing missing: the data's own columns are the design
    mf <- fast$mf
    mt <- attr(mf, "terms")
    X <- fast$X
    y <- fast$y
    used <- seq_len(n_data)
    w_used <- if (is.null(w)) NULL else as.double(w)
    na_action <- NULL
    std_info <- FALSE
  } else {
    mf <- build_model_frame(formula, data, keep, env)
    y <- stats::model.response(mf)
    resp_name <- deparse(formula[[2L]])
    if (is.null(y) || !(is.numeric(y) || is.logical(y)) || is.matrix(y)) {
      dm_abort(sprintf("the response `%s` must be a numeric vector; it is of class '%s'.",
                       resp_name, class(y)[1]), type = "input")
    }
    if (all(is.na(y))) {
      dm_abort(sprintf("the response `%s` has no non-missing value in the rows used.", resp_name),
               type = "input")
    }
    check_finite(mf)
    if (!is.null(stats::model.offset(mf))) {
      dm_abort("`formula` has an offset(), which dm_lm() does not support; subtract it from the response instead.",
               type = "input")
    }

    # rows dropped for missing values, per variable, as lm's na.action
    na_by_var <- vapply(mf, function(v) {
      if (is.matrix(v)) sum(rowSums(is.na(v)) > 0) else sum(is.na(v))
    }, numeric(1))
    row_ok <- stats::complete.cases(mf)
    used <- which(keep)[row_ok]
    w_used <- if (is.null(w)) NULL else as.double(w[used])
    zero_w <- if (is.null(w_used)) integer() else which(w_used == 0)
    if (length(zero_w)) {
      row_ok[row_ok][zero_w] <- FALSE
      used <- used[-zero_w]
      w_used <- w_used[-zero_w]
    }
    na_action <- NULL
    if (any(!row_ok)) {
      dropped <- which(!row_ok)
      na_action <- stats::setNames(dropped, rownames(mf)[dropped])
      class(na_action) <- "omit"
      attr(na_action, "by_variable") <- na_by_var[na_by_var > 0]
      attr(na_action, "zero_weight") <- length(zero_w)
    }
    mf <- mf[row_ok, , drop = FALSE]
    if (nrow(mf) == 0L) {
      dm_abort("no row is left after dropping rows with missing values (or zero weight).",
               type = "input")
    }

    std_info <- FALSE
    if (standardize) {
      z <- standardize_frame(mf, w_used)
      mf <- z$frame
      std_info <- z$info
    }

    mt <- attr(mf, "terms")
    X <- stats::model.matrix(mt, mf)
    y <- as.double(stats::model.response(mf))

  }
  n <- length(y)
  cn <- if (is.list(X)) names(X) else colnames(X)
  k <- length(cn)
  if (k == 0L) dm_abort("`formula` has no terms to estimate (not even an intercept).", type = "input")

  clus_used <- NULL
  G <- 0L
  if (!is.null(clus)) {
    clus_used <- clus[used]
    clus_used <- if (is.factor(clus_used)) droplevels(clus_used) else factor(clus_used)
    G <- nlevels(clus_used)
    if (G < 2L && vcov %in% cr_types) {
      dm_abort(sprintf("`cluster` has a single cluster (%s) in the rows used; cluster-robust variances need at least 2.",
                       show_values(levels(clus_used))), type = "cluster")
    }
  }

  fit <- dm_lm_cpp(X, y, w_used, match(vcov, vcov_types) - 1L,
                   if (is.null(clus_used)) NULL else as.integer(clus_used), G,
                   TRUE, dm_threads(n * k^2), 1e-11, 1e-6)
  xlevels <- if (is.list(X)) stats::setNames(list(), character()) else stats::.getXlevels(mt, mf)
  new_dm_lm(fit, cn = cn, contrasts = attr(X, "contrasts"), xlevels = xlevels, y = y, w = w_used, mf = mf, mt = mt, cluster = clus_used,
            vcov = vcov, call = cl, formula = formula, na_action = na_action,
            standardize = std_info, n = n)
}

# The design matrix of a fit, rebuilt from its terms and model frame.
design_matrix <- function(fit) {
  stats::model.matrix(fit$terms, fit$model, contrasts.arg = fit$contrasts)
}

vcov_types <- c("classical", "HC0", "HC1", "HC2", "HC3", "CR0", "CR1", "CR1S", "CR2", "CR3")
cr_types <- c("CR0", "CR1", "CR1S", "CR2", "CR3")

# Threads for a job of about `work` flops: one for small jobs, where starting threads
# costs more than it saves (and much more on a busy machine).
dm_threads <- function(work = Inf) {
  n <- getOption("digimaturity.threads")
  if (!is.null(n) && (!is.numeric(n) || length(n) != 1L || is.na(n) || n < 1)) {
    dm_abort(sprintf("option `digimaturity.threads` must be a positive whole number; it is %s.",
                     show_values(n)), type = "input")
  }
  if (work < 2e6) return(1L)
  if (is.null(n)) {
    n <- dm_num_procs()
    if (nzchar(Sys.getenv("_R_CHECK_LIMIT_CORES_"))) n <- min(n, 2L)
  }
  as.integer(max(1L, n))
}

# Assemble the dm_lm object from the C++ result.
new_dm_lm <- function(fit, cn, contrasts, xlevels, y, w, mf, mt, cluster, vcov, call, formula, na_action,
                      standardize, n) {
  k <- length(cn)
  rank <- fit$rank
  if (rank == 0L) {
    dm_abort("no coefficient is estimable: every column of the design is zero or collinear.",
             type = "input")
  }
  rdf <- n - rank
  if (rdf <= 0L) {
    dm_abort(sprintf("no residual degrees of freedom: %d row%s for %d estimable coefficient%s (n must exceed k).",
                     n, if (n == 1) "" else "s", rank, if (rank == 1) "" else "s"),
             type = "input")
  }
  coef <- stats::setNames(fit$coefficients, cn)
  coef[is.nan(coef)] <- NA_real_
  aliased <- stats::setNames(is.na(coef), cn)
  if (any(aliased)) {
    message(sprintf("dm_lm: %d coefficient%s not defined because of singularities (aliased): %s",
                    sum(aliased), if (sum(aliased) > 1) "s" else "",
                    paste(cn[aliased], collapse = ", ")))
  }
  kept <- fit$kept
  rn <- rownames(mf)
  resid <- stats::setNames(fit$residuals, rn)
  fitted <- stats::setNames(fit$fitted, rn)
  rss <- fit$rss
  sigma <- sqrt(rss / rdf)
  bread <- fit$bread
  dimnames(bread) <- list(cn[kept], cn[kept])

  V_kept <- switch(vcov, classical = sigma^2 * bread, fit$vcov)
  if (!is.null(fit$bad_cluster) && fit$bad_cluster > 0 && vcov == "CR3") {
    dm_abort(sprintf("`vcov = 'CR3'` is not defined: dropping cluster '%s' leaves the design rank deficient (a coefficient is identified by that cluster alone).",
                     levels(cluster)[fit$bad_cluster]), type = "cluster")
  }
  V <- matrix(NA_real_, k, k, dimnames = list(cn, cn))
  V[kept, kept] <- V_kept
  G <- if (is.null(cluster)) NA_integer_ else nlevels(cluster)
  df_coef <- stats::setNames(rep(NA_real_, k), cn)
  df_rule <- if (vcov %in% c("classical", "HC0", "HC1", "HC2", "HC3")) "n - k" else
    if (vcov == "CR2") "Satterthwaite" else "G - 1"
  df_coef[kept] <- switch(df_rule, "n - k" = rdf, "G - 1" = G - 1, Satterthwaite = fit$df)

  has_int <- attr(mt, "intercept") > 0L
  ww <- if (is.null(w)) rep(1, n) else w
  mss <- if (has_int) {
    m <- sum(ww * fitted) / sum(ww)
    sum(ww * (fitted - m)^2)
  } else sum(ww * fitted^2)
  r2 <- mss / (mss + rss)
  df_int <- if (has_int) 1L else 0L
  adj_r2 <- 1 - (1 - r2) * ((n - df_int) / rdf)

  structure(list(
    coefficients = coef, vcov = V, vcov_type = vcov, df_coef = df_coef, df_rule = df_rule,
    residuals = resid, fitted.values = fitted, weights = w, rank = rank,
    df.residual = rdf, nobs = n, sigma = sigma, r.squared = r2, adj.r.squared = adj_r2,
    aliased = aliased, cluster = cluster, n_clusters = G, bread = bread,
    call = call, formula = formula, terms = mt, model = mf,
    xlevels = xlevels, contrasts = contrasts,
    na.action = na_action, standardize = standardize,
    solver = c("cholesky", "qr-extended", "qr-quad")[fit$solver + 1L]
  ), class = "dm_lm")
}
