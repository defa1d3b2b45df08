# Another variance estimator for a fit, without the user refitting: every method that
# accepts `vcov =` / `cluster =` (vcov(), summary(), tidy(), glance(), confint(),
# predict(), augment(), dm_wald(), anova()) calls revcov(), which returns a dm_lm with
# the new variance; the fit itself is left unchanged. Where the new variance is a
# multiple of the fit's (HC0/HC1, CR0/CR1/CR1S on the same clusters: the registry's
# small-sample factors) or the classical one (sigma^2 times the bread), no fitting is
# needed; otherwise a new meat is formed by the C++ core from the fit's own whitening and
# residuals (the same kernel as the stacked variance of several outcomes, R/mlm.R, with
# one residual column), without refitting. Only a fit without a stored whitening goes
# through the fitter (lm_engine(), R/lm-fit.R) and the pure constructor again.

# `vcov`: NULL (keep the fit's), a registered type (R/vcov-types.R), a matrix, or a one-sided formula (~g: CR2
# clustered by g). `cluster_expr`: the unevaluated `cluster` argument of the method
# (NULL, a formula, a bare column name, a column name as a string, or an expression
# giving a vector with one value per row of the data or per row used); `env` the
# caller's frame.
revcov <- function(fit, vcov = NULL, cluster_expr = NULL, env = parent.frame()) {
  if (is.matrix(vcov)) return(with_vcov_matrix(fit, vcov, cluster_expr))
  if (inherits(vcov, "formula")) {
    if (!is.null(cluster_expr)) {
      dm_abort(sprintf("`vcov` is a formula (%s), which already names the cluster; do not also pass `cluster`.",
                       paste(deparse(vcov), collapse = " ")), type = "input")
    }
    cluster_expr <- vcov
    vcov <- vcov_default(TRUE)
  }
  if (is.null(vcov) && is.null(cluster_expr)) return(fit)
  if (!is.null(vcov)) check_vcov_choice(vcov)

  clus <- fit$cluster
  call <- fit$call
  if (!is.null(cluster_expr)) {
    clus <- fit_cluster_rows(fit, cluster_expr, env)
    call$cluster <- cluster_expr
  }
  if (is.null(vcov)) vcov <- vcov_default(!is.null(clus))
  if (vcov_is_cluster(vcov) && is.null(clus)) {
    dm_abort(sprintf("`vcov = '%s'` is cluster-robust and needs a cluster: pass `cluster = ~municipality` (a column of the data) or `vcov = ~municipality`.",
                     vcov), type = "cluster")
  }
  if (identical(vcov, fit$vcov_type) && identical(clus, fit$cluster)) return(fit)
  call$vcov <- vcov
  refit_vcov(fit, vcov, clus, call)
}

# A variance matrix computed elsewhere (sandwich, clubSandwich, modelsummary's `vcov =`),
# used as given, with t tests on n - k df as lmtest::coeftest() and car do.
with_vcov_matrix <- function(fit, V, cluster_expr) {
  if (!is.null(cluster_expr)) {
    dm_abort("`vcov` is a matrix, which already holds the clustering; do not also pass `cluster`.",
             type = "input")
  }
  cn <- names(fit$coefficients)
  kept <- cn[!fit$aliased]
  if (!is.numeric(V) || nrow(V) != ncol(V)) {
    dm_abort(sprintf("`vcov` as a matrix must be a square numeric matrix; you passed a %s x %s %s matrix.",
                     nrow(V), ncol(V), typeof(V)), type = "input")
  }
  nm <- rownames(V)
  if (is.null(nm)) {
    if (nrow(V) == length(cn)) nm <- cn else if (nrow(V) == length(kept)) nm <- kept else {
      dm_abort(sprintf("`vcov` as a matrix must have one row and column per coefficient (%d, or %d without the aliased ones); it has %d.",
                       length(cn), length(kept), nrow(V)), type = "input")
    }
  }
  miss <- setdiff(kept, nm)
  if (length(miss) || length(setdiff(nm, cn))) {
    dm_abort(sprintf("`vcov` as a matrix must be named by the coefficients of the fit; %s.",
                     if (length(miss)) paste("it lacks", show_values(miss)) else
                       paste("it has", show_values(setdiff(nm, cn)))), type = "input")
  }
  dimnames(V) <- list(nm, nm)
  full <- matrix(NA_real_, length(cn), length(cn), dimnames = list(cn, cn))
  full[kept, kept] <- V[kept, kept]
  fit$vcov <- full
  fit$vcov_type <- "user-supplied"
  fit$df_rule <- "n - k"
  fit$cache <- new.env(parent = emptyenv())
  fit
}

# `fit` with variance `vcov` and clusters `clus` (a factor over the rows used, or NULL):
# rescaled when the registry says the new type is a multiple of the fit's, otherwise a
# new meat on the fit's whitening (no refit). The only condition raised is the one that
# is news for the new type: a variance undefined at leverage one.
refit_vcov <- function(fit, vcov, clus, call = fit$call, warn = TRUE) {
  new <- rescale_vcov(fit, vcov, clus, call)
  if (is.null(new)) new <- new_meat_vcov(fit, vcov, clus, call)
  if (is.null(new)) return(refit_design(fit, design_matrix(fit), vcov, clus, call, warn))
  if (warn) warn_undefined_vcov(new)
  new
}

# The fit with the variance `vcov` formed by the core from the fit's design, residuals,
# weights and whitening R^-1 (dm_mlm_vcov_cpp() with one residual column): the same
# numbers as a refit, without the factorisation. NULL when the fit keeps no whitening.
new_meat_vcov <- function(fit, vcov, clus, call) {
  if (is.null(fit$rinv) || identical(vcov, "classical")) return(NULL)
  kept <- colnames(fit$bread)
  X <- if (!is.null(fit$design)) fit$design[, kept, drop = FALSE] else design_for_cpp(fit, kept)
  n <- fit$nobs
  k <- length(kept)
  G <- if (is.null(clus)) 0L else nlevels(clus)
  if (vcov_is_cluster(vcov) && G < 2L) return(NULL)  # the fitter's error says why
  out <- cpp_call(dm_mlm_vcov_cpp(X, matrix(as.double(fit$residuals), n, 1L), fit$weights,
                                  vcov_code(vcov), if (vcov_is_cluster(vcov)) as.integer(clus),
                                  G, fit$rinv, fit$rinv_lo, threads_for(n * k^2)))
  Vk <- out$vcov * if (vcov_is_cluster(vcov)) fpc_factor(clus) else 1
  Vk[is.nan(Vk)] <- NA_real_
  V <- fit$vcov
  V[] <- NA_real_
  V[kept, kept] <- Vk
  with_new_vcov(fit, V, vcov, clus, call, list(rows = out$leverage_one, coefs = out$undefined))
}

# `fit` carrying the variance V of type `vcov` on the clusters `clus`; what was computed
# from the old variance (CR2 df, HTZ) is dropped with the cache.
with_new_vcov <- function(fit, V, vcov, clus, call,
                          undefined = list(rows = integer(), coefs = integer())) {
  fit$vcov <- V
  fit$vcov_type <- vcov
  fit$df_rule <- vcov_df_rule(vcov)
  fit$cluster <- clus
  fit$n_clusters <- if (is.null(clus)) NA_integer_ else nlevels(clus)
  fit$call <- call
  fit$vcov_undefined <- undefined
  fit$cache <- new.env(parent = emptyenv())
  fit
}

# `fit` refitted through the fitter on the design `X` (all its columns, or the columns
# of a sub-model for anova()), same response, weights and rows.
refit_design <- function(fit, X, vcov = fit$vcov_type, clus = fit$cluster, call = fit$call,
                         warn = TRUE) {
  md <- fit_model_data(fit, X, clus)
  raw <- lm_engine(md$X, md$y, md$w, clus, vcov)
  new <- new_dm_lm(raw, md, vcov = vcov, call = call, formula = fit$formula)
  # a sub-model of anova() (or a dm_lm_fit() fit) keeps its design: the terms do not give it
  if (!is.null(fit$design) || ncol(X) != length(fit$coefficients)) new$design <- X
  if (warn) warn_undefined_vcov(new)
  new
}

# The model data of an existing fit with design X, as lm_model_data() gave it to the
# fitter.
fit_model_data <- function(fit, X, clus) {
  list(X = X, y = fit_response(fit), w = fit$weights, cluster = clus, rows = fit$rows,
       n_data = fit$n_data, mf = fit$model, mt = fit$terms, na_action = fit$na.action,
       standardize = fit$standardize, cn = colnames(X), xlevels = fit$xlevels,
       contrasts = fit$contrasts)
}

# The fit with a variance that needs no new meat: the classical one (sigma^2 (X'WX)^-1
# from the stored bread), or a type of the same family as the fit's (HC0/HC1;
# CR0/CR1/CR1S on the same clusters) by the ratio of their small-sample factors.
# NULL when a new meat is needed.
rescale_vcov <- function(fit, vcov, clus, call) {
  from <- fit$vcov_type
  kept <- !fit$aliased
  if (identical(vcov, "classical")) {
    V <- fit$vcov
    V[] <- NA_real_
    V[kept, kept] <- fit$sigma^2 * fit$bread
  } else {
    if (vcov_is_cluster(vcov) && !identical(clus, fit$cluster)) return(NULL)
    G <- if (is.null(clus)) NA_real_ else nlevels(clus)
    f <- vcov_rescale_factor(from, vcov, fit$nobs, fit$rank, G)
    if (is.null(f)) return(NULL)
    V <- fit$vcov * f
  }
  with_new_vcov(fit, V, vcov, clus, call)
}

# The response of a fit as the engine saw it (z-scored when standardised).
fit_response <- function(fit) {
  y <- stats::model.response(fit$model)
  if (is.null(y)) y <- fit$fitted.values + fit$residuals
  as.double(y)
}

# The cluster ids of the rows a fit used, from the `cluster` argument of a method: the
# ids evaluated as dm_lm() evaluates them (cluster_values(), R/lm-frame.R) in the data
# of the fit (or its model frame), one per row of the data or per row used.
fit_cluster_rows <- function(fit, expr, env) {
  n <- fit$nobs
  val <- cluster_values(expr, fit_data(fit, env), env, frame = fit$model)
  rows <- fit$rows
  if (length(val) == n) {
    used <- val
  } else if (!is.null(rows) && length(val) == fit$n_data) {
    used <- val[rows]
  } else {
    dm_abort(sprintf("`cluster` must have one value per row of the data (%s) or per row the fit used (%d); it has %d.",
                     if (is.null(fit$n_data)) "unknown" else fit$n_data, n, length(val)),
             type = "cluster")
  }
  bad <- which(is.na(used))
  if (length(bad)) {
    dm_abort(sprintf("`cluster` is missing (NA) in row%s %s of the rows used; every row used needs a cluster id.",
                     if (length(bad) > 1) "s" else "", show_rows(bad)), type = "cluster")
  }
  if (is.factor(used)) droplevels(used) else factor(used)
}

# The data frame a fit was made from, found again through its call (in the formula's
# environment, then the caller's), or NULL when it cannot be found or has changed size.
fit_data <- function(fit, env) {
  expr <- fit$call$data
  if (is.null(expr) || is.null(fit$n_data)) return(NULL)
  for (e in list(environment(fit$formula), env)) {
    if (is.null(e)) next
    d <- tryCatch(eval(expr, e), error = function(err) NULL)
    if (is.data.frame(d) && nrow(d) == fit$n_data) return(d)
  }
  NULL
}
