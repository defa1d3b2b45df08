# The matrix fitter of dm_lm(): lm_engine() is the only caller of the C++ fitter
# (dm_lm_cpp); dm_lm_fit() is its exported, validated face (as estimatr's
# lm_robust_fit() and RcppEigen's fastLmPure()); new_dm_lm() is the pure constructor
# that assembles a fit from the engine's result and the model data, without a warning,
# a message or an error. The front ends (dm_lm(), dm_lm_fit()) raise the warnings of a
# fit once, through warn_fit() (R/lm.R).

#' Fit a linear model from a design matrix
#'
#' The matrix fitter behind [dm_lm()]: least squares (or weighted least
#' squares) on a given design matrix `x` and response `y`, with the same C++
#' core, the same variance estimators and the same result class. Use it when
#' the design is already built (simulations, other front ends); use [dm_lm()]
#' for a formula and a data frame.
#'
#' @param x A numeric matrix, the design (as from [stats::model.matrix()]):
#'   one row per observation, one named column per coefficient, no missing or
#'   infinite values. A column named `(Intercept)` is the intercept (then
#'   R-squared and the overall F test are centred, as for [lm()]); otherwise the
#'   model has none.
#' @param y A numeric response, one value per row of `x`, without missing
#'   values.
#' @param weights Optional positive case weights, one per row of `x`.
#' @param cluster Optional cluster ids, one per row of `x`, without missing
#'   values.
#' @param vcov The variance estimator, one of [dm_vcov_types()]`$name`;
#'   default `"CR2"` with a cluster, `"HC2"` without.
#' @param ... Not used: a misspelled argument is an error.
#'
#' @return A [dm_lm()] fit (class `dm_lm`) without a formula: `coef()`,
#'   `vcov()` (also with another `type`), `confint()`, `summary()`, `tidy()`,
#'   `glance()`, `dm_wald()` and `predict()` (for the rows of `x`, or a
#'   `newdata` matrix with the columns of `x`) work as on a formula fit.
#' @family dm_lm
#' @export
#' @examples
#' X <- model.matrix(mpg ~ wt + hp, data = mtcars)
#' fit <- dm_lm_fit(X, mtcars$mpg, cluster = mtcars$carb, vcov = "CR2")
#' fit
#' # the same numbers as the formula front end
#' all.equal(coef(fit), coef(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb)))
#' vcov(fit, type = "CR1")
dm_lm_fit <- function(x, y, weights = NULL, cluster = NULL, vcov = NULL, ...) {
  check_dots_strict(..., .fun = "dm_lm_fit()", .formals = c("x", "y", "weights", "cluster", "vcov"))
  md <- matrix_model_data(x, y, weights, cluster)
  md$weights_label <- weights_provenance(weights, substitute(weights))
  vcov <- resolve_vcov(vcov, !is.null(md$cluster), what = "`cluster`")
  if (!vcov_is_cluster(vcov)) md$cluster <- NULL
  raw <- lm_engine(md$X, md$y, md$w, md$cluster, vcov)
  fit <- new_dm_lm(raw, md, vcov = vcov, call = match.call(), formula = NULL)
  fit$design <- md$X
  warn_fit(fit)
  fit
}

# The model data of a matrix fit, validated: the same fields as lm_model_data()
# (R/model-data.R) builds from a formula.
matrix_model_data <- function(x, y, weights, cluster) {
  if (is.data.frame(x)) x <- as.matrix(x)
  if (!is.matrix(x) || !(is.numeric(x) || is.logical(x)) || !nrow(x) || !ncol(x)) {
    dm_abort(sprintf("`x` must be a numeric matrix with rows and columns (a design, as from model.matrix()); you passed %s.",
                     if (is.matrix(x)) sprintf("a %d x %d %s matrix", nrow(x), ncol(x), typeof(x))
                     else paste0("an object of class '", class(x)[1], "'")), type = "input")
  }
  if (!is.double(x)) storage.mode(x) <- "double"  # else no copy of a large design
  n <- nrow(x)
  if (is.null(colnames(x))) colnames(x) <- paste0("x", seq_len(ncol(x)))
  mags <- dm_column_magnitudes_cpp(x)  # one pass, no copy of x
  bad <- if (all(is.finite(mags))) integer(0) else
    which(rowSums(!is.finite(x[, !is.finite(mags), drop = FALSE])) > 0)
  if (length(bad)) {
    dm_abort(sprintf("`x` has missing or non-finite values in row%s %s; drop those rows first.",
                     if (length(bad) > 1) "s" else "", show_rows(bad)), type = "input")
  }
  if (!(is.numeric(y) || is.logical(y)) || is.matrix(y) || length(y) != n) {
    dm_abort(sprintf("`y` must be a numeric vector with one value per row of `x` (%d); you passed %s.",
                     n, if (is.numeric(y)) sprintf("%d values", length(y)) else
                       paste0("an object of class '", class(y)[1], "'")), type = "input")
  }
  y <- as.double(y)
  bad <- which(!is.finite(y))
  if (length(bad)) {
    dm_abort(sprintf("`y` has missing or non-finite values (%s) in row%s %s; drop those rows first.",
                     show_values(y[bad]), if (length(bad) > 1) "s" else "", show_rows(bad)),
             type = "input")
  }
  if (!is.null(weights)) {
    check_case_weights(weights, n)
    if (any(weights == 0)) {
      bad <- which(weights == 0)
      dm_abort(sprintf("`weights` must be positive for dm_lm_fit(); row%s %s ha%s weight 0 (drop them first).",
                       if (length(bad) > 1) "s" else "", show_rows(bad),
                       if (length(bad) > 1) "ve" else "s"), type = "weights")
    }
    weights <- as.double(weights)
  }
  clus <- NULL
  if (!is.null(cluster)) {
    cluster <- group_values(cluster, "cluster", type = "cluster")
    if (length(cluster) != n) {
      dm_abort(sprintf("`cluster` must have one value per row of `x` (%d); it has %d.", n, length(cluster)),
               type = "cluster")
    }
    bad <- which(is.na(cluster))
    if (length(bad)) {
      dm_abort(sprintf("`cluster` is missing (NA, empty or blank) in row%s %s; every row needs a cluster id.",
                       if (length(bad) > 1) "s" else "", show_rows(bad)), type = "cluster")
    }
    clus <- if (is.factor(cluster)) droplevels(cluster) else factor(cluster)
  }
  check_design_magnitude(x, y, weights, "y", mags = mags)
  mf <- data.frame(y = y)
  if (!is.null(rownames(x))) row.names(mf) <- rownames(x)
  mf$x <- unname(x)
  has_int <- "(Intercept)" %in% colnames(x)
  mt <- stats::terms(y ~ 0 + x)
  attr(mt, "intercept") <- as.integer(has_int)
  attr(mf, "terms") <- mt
  list(X = x, y = y, w = weights, cluster = clus, rows = seq_len(n), n_data = n, mf = mf,
       mt = mt, na_action = NULL, standardize = FALSE, cn = colnames(x),
       xlevels = stats::setNames(list(), character()), contrasts = NULL)
}

# The variance type of a front end: the default for the clustering, the cluster
# ignored (with a warning) for a type that is not cluster-robust, and an error for a
# cluster-robust type without a cluster.
resolve_vcov <- function(vcov, clustered, what = "`cluster`") {
  if (is.null(vcov)) return(vcov_default(clustered))
  if (clustered && !vcov_is_cluster(vcov)) {
    dm_warn(sprintf(paste0("%s is ignored: `vcov = '%s'` is not cluster-robust. For ",
                           "standard errors that account for the clustering use vcov = '%s' ",
                           "(the default with a cluster)."), what, vcov, vcov_default(TRUE)),
            type = "cluster")
  }
  if (vcov_is_cluster(vcov) && !clustered) {
    dm_abort(sprintf("`vcov = '%s'` is cluster-robust and needs `cluster` (e.g. cluster = ~municipality).",
                     vcov), type = "cluster")
  }
  vcov
}

# The one call of the C++ fitter. X: a matrix or a list of columns (the fast path of
# dm_lm()); y, w (or NULL): doubles; clus: a factor over the rows (or NULL). Errors
# that the engine's result reveals (no estimable coefficient, no residual df) are
# raised here, so that the constructor is pure.
lm_engine <- function(X, y, w, clus, vcov) {
  G <- if (is.null(clus)) 0L else nlevels(clus)
  if (vcov_is_cluster(vcov) && G < 2L) {
    dm_abort(sprintf("`cluster` has a single cluster (%s) in the rows used; cluster-robust variances need at least 2.",
                     show_values(levels(clus))), type = "cluster")
  }
  n <- length(y)
  k <- if (is.list(X)) length(X) else ncol(X)
  raw <- cpp_call(dm_lm_cpp(X, y, w, vcov_code(vcov), if (is.null(clus)) NULL else as.integer(clus), G,
                            threads_for(n * k^2), 1e-11, 1e-6, qr_precision()))  # CR2 df: lazily, see R/df.R
  # finite population correction 1 - G/N of a cluster-robust variance (the population
  # number of clusters N travels with the clusters, so refits and rescalings keep it)
  if (vcov_is_cluster(vcov)) raw$vcov <- raw$vcov * fpc_factor(clus)
  if (raw$rank == 0L) {
    dm_abort("no coefficient is estimable: every column of the design is zero or collinear.",
             type = "input")
  }
  if (n - raw$rank <= 0L) {
    dm_abort(sprintf("no residual degrees of freedom: %d row%s for %d estimable coefficient%s (n must exceed k).",
                     n, if (n == 1) "" else "s", raw$rank, if (raw$rank == 1) "" else "s"),
             type = "input")
  }
  raw
}

# The clusters with the population number of clusters `fpc` attached (NULL: none),
# checked against the G clusters of the rows used.
with_fpc <- function(clus, fpc, vcov) {
  if (is.null(fpc)) return(clus)
  if (is.null(clus) || !vcov_is_cluster(vcov)) {
    dm_abort(sprintf("`fpc` (the population number of clusters) needs `cluster` and a cluster-robust `vcov`; the fit has vcov '%s' without clusters.",
                     vcov), type = "input")
  }
  G <- nlevels(clus)
  ok <- is.numeric(fpc) && length(fpc) == 1L && !is.na(fpc) && is.finite(fpc) && fpc >= G
  if (!ok) {
    dm_abort(sprintf("`fpc` must be the population number of clusters, a single number at least the %d clusters in the rows used; you passed %s.",
                     G, show_scalar(fpc)), type = "input")
  }
  attr(clus, "fpc") <- as.numeric(fpc)
  clus
}

# 1 - G/N for clusters that carry a population number N, else 1.
fpc_factor <- function(clus) {
  N <- attr(clus, "fpc")
  if (is.null(N)) 1 else 1 - nlevels(clus) / N
}

# Assemble the dm_lm object from the engine's result `raw` and the model data `md`
# (lm_model_data() or matrix_model_data()). Pure: no condition is signalled here; what
# a front end warns about is kept in the fit (aliased, rcond/solver, perfect_fit,
# vcov_undefined) and said by warn_fit().
new_dm_lm <- function(raw, md, vcov, call, formula) {
  cn <- md$cn
  k <- length(cn)
  n <- length(md$y)
  y <- md$y
  w <- md$w
  rank <- raw$rank
  rdf <- n - rank
  coef <- stats::setNames(raw$coefficients, cn)
  coef[is.nan(coef)] <- NA_real_
  aliased <- stats::setNames(is.na(coef), cn)
  kept <- raw$kept
  rn <- rownames(md$mf)
  resid <- stats::setNames(raw$residuals, rn)
  fitted <- stats::setNames(raw$fitted, rn)
  rss <- raw$rss
  sigma <- sqrt(rss / rdf)
  bread <- raw$bread
  dimnames(bread) <- list(cn[kept], cn[kept])
  V_kept <- if (identical(vcov, "classical")) sigma^2 * bread else raw$vcov
  V_kept[is.nan(V_kept)] <- NA_real_
  V <- matrix(NA_real_, k, k, dimnames = list(cn, cn))
  V[kept, kept] <- V_kept
  G <- if (is.null(md$cluster)) NA_integer_ else nlevels(md$cluster)

  mt <- md$mt
  has_int <- attr(mt, "intercept") > 0L
  ww <- if (is.null(w)) rep(1, n) else w
  mss <- if (has_int) {
    m <- sum(ww * fitted) / sum(ww)
    sum(ww * (fitted - m)^2)
  } else sum(ww * fitted^2)
  # An essentially perfect fit, as summary.lm's "essentially perfect fit": the residual
  # sum of squares is at the rounding level of the response, rss <= 1e-28 sum(w y^2)
  # (residuals below about 1e-14 of the response, i.e. within ~100 ulps). A response
  # without variation (constant with an intercept, or all zero) has no R-squared.
  perfect_fit_tol <- 1e-28
  ssy <- sum(ww * y^2)
  tss <- if (has_int) {
    my <- sum(ww * y) / sum(ww)
    sum(ww * (y - my)^2)
  } else ssy
  perfect <- rss <= perfect_fit_tol * ssy
  constant_y <- tss <= perfect_fit_tol * ssy
  r2 <- if (constant_y) NA_real_ else mss / (mss + rss)
  df_int <- if (has_int) 1L else 0L
  adj_r2 <- 1 - (1 - r2) * ((n - df_int) / rdf)

  structure(list(
    coefficients = coef, vcov = V, vcov_type = vcov, df_rule = vcov_df_rule(vcov),
    residuals = resid, fitted.values = fitted, weights = w, rank = rank,
    df.residual = rdf, nobs = n, sigma = sigma, r.squared = r2, adj.r.squared = adj_r2,
    aliased = aliased, cluster = md$cluster, n_clusters = G, bread = bread,
    call = call, formula = formula, terms = mt, model = md$mf,
    xlevels = md$xlevels, contrasts = md$contrasts,
    na.action = md$na_action, standardize = md$standardize,
    rinv = raw$rinv, rinv_lo = if (length(raw$rinv_lo)) raw$rinv_lo else NULL,
    solver = solver_names[raw$solver + 1L], rcond = raw$rcond,
    perfect_fit = perfect, constant_y = constant_y, rss = rss, ssy = ssy,
    vcov_undefined = list(rows = raw$leverage_one, coefs = raw$undefined),
    cache = new.env(parent = emptyenv()), rows = md$rows, n_data = md$n_data,
    weights_label = md$weights_label
  ), class = "dm_lm")
}
