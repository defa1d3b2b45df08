# Another variance estimator for a fit, without the user refitting: every method that
# accepts `vcov =` / `cluster =` (vcov(), summary(), tidy(), confint(), dm_wald(),
# anova()) calls revcov(), which refits through the C++ engine with the same design,
# response and weights (cheap next to building the model frame) and returns a dm_lm
# with the new variance; the fit itself is left unchanged.

# `vcov`: NULL (keep the fit's), one of vcov_types, or a one-sided formula (~g: CR2
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
    vcov <- "CR2"
  }
  if (is.null(vcov) && is.null(cluster_expr)) return(fit)
  if (!is.null(vcov)) check_vcov_choice(vcov)

  clus <- fit$cluster
  call <- fit$call
  if (!is.null(cluster_expr)) {
    clus <- fit_cluster_rows(fit, cluster_expr, env)
    call$cluster <- cluster_expr
  }
  if (is.null(vcov)) vcov <- if (is.null(clus)) "HC2" else "CR2"
  if (vcov %in% cr_types && is.null(clus)) {
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

# Refit `fit` (same design, response, weights) with variance `vcov` and clusters
# `clus` (a factor over the rows used, or NULL).
refit_vcov <- function(fit, vcov, clus, call = fit$call) {
  G <- if (is.null(clus)) 0L else nlevels(clus)
  if (vcov %in% cr_types && G < 2L) {
    dm_abort(sprintf("`cluster` has a single cluster (%s) in the rows used; cluster-robust variances need at least 2.",
                     show_values(levels(clus))), type = "cluster")
  }
  X <- design_matrix(fit)
  y <- fit_response(fit)
  k <- ncol(X)
  out <- cpp_call(dm_lm_cpp(X, y, fit$weights, match(vcov, vcov_types) - 1L,
                            if (is.null(clus)) NULL else as.integer(clus), G,
                            threads_for(length(y) * k^2), 1e-11, 1e-6, qr_precision()))
  new <- suppressMessages(new_dm_lm(
    out, cn = colnames(X), contrasts = fit$contrasts, xlevels = fit$xlevels, y = y,
    w = fit$weights, mf = fit$model, mt = fit$terms, cluster = clus, vcov = vcov,
    call = call, formula = fit$formula, na_action = fit$na.action,
    standardize = fit$standardize, n = length(y)))
  new$rows <- fit$rows
  new$n_data <- fit$n_data
  new$design <- fit$design
  new
}

# The response of a fit as the engine saw it (z-scored when standardised).
fit_response <- function(fit) {
  y <- stats::model.response(fit$model)
  if (is.null(y)) y <- fit$fitted.values + fit$residuals
  as.double(y)
}

# The cluster ids of the rows a fit used, from the `cluster` argument of a method.
fit_cluster_rows <- function(fit, expr, env) {
  n <- fit$nobs
  mf <- fit$model
  data <- fit_data(fit, env)
  val <- tryCatch(
    if (!is.null(data)) eval(expr, data, env) else eval(expr, as.list(mf), env),
    error = function(e) {
      dm_abort(sprintf("`cluster` (%s) could not be evaluated: %s. Name a column of the data the fit used, as `cluster = ~municipality`, or pass a vector with one value per row.",
                       paste(deparse(expr), collapse = " "), conditionMessage(e)),
               type = "cluster")
    })
  if (inherits(val, "formula") || (is.character(val) && length(val) == 1L && n > 1L)) {
    var <- if (inherits(val, "formula")) all.vars(val) else val
    if (inherits(val, "formula") && (length(val) != 2L || length(var) != 1L)) {
      dm_abort(sprintf("`cluster` as a formula must be one-sided with one variable, like ~municipality; you passed '%s'.",
                       paste(deparse(val), collapse = " ")), type = "cluster")
    }
    if (!is.null(data) && var %in% names(data)) {
      val <- data[[var]]
    } else if (var %in% names(mf)) {
      val <- mf[[var]]
    } else {
      dm_abort(sprintf("`cluster` names the column '%s', which the data of the fit does not have.", var),
               type = "missing_column")
    }
  }
  if (!is.atomic(val) && !is.factor(val)) {
    dm_abort(sprintf("`cluster` must be a one-sided formula, a column name or a vector; you passed an object of class '%s'.",
                     class(val)[1]), type = "cluster")
  }
  val <- group_values(val, "cluster", type = "cluster")
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

# `vcov` as a string: one of vcov_types, with the dm_lm spelling of estimatr's and
# fixest's names.
check_vcov_choice <- function(vcov, arg = "vcov") {
  if (is.character(vcov) && length(vcov) == 1L && !is.na(vcov) && !vcov %in% vcov_types) {
    hint <- switch(tolower(vcov),
      hetero = , hc = , white = , robust = , stata = "`vcov = \"HC1\"` (Stata's robust) or \"HC2\"",
      iid = , const = , standard = "`vcov = \"classical\"`",
      cluster = , cr = "`cluster = ~municipality` (CR2 by default) or `vcov = ~municipality`",
      hc0 = , hc1 = , hc2 = , hc3 = , cr0 = , cr1 = , cr1s = , cr2 = , cr3 =
        sprintf("`vcov = \"%s\"` (upper case)", toupper(sub("s$", "S", vcov))),
      cr1p = , stata_cr = "`vcov = \"CR1S\"`",
      NULL)
    if (!is.null(hint)) {
      dm_abort(sprintf("`%s` must be one of %s; you passed '%s'. In dm_lm that is %s.", arg,
                       paste0("'", vcov_types, "'", collapse = ", "), vcov, hint),
               type = "input")
    }
  }
  check_choice(vcov, vcov_types, arg)
}
