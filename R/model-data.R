# The model data of the formula front end, built once: dm_lm() evaluates its row
# arguments with lm_inputs() (weights, cluster, subset over the rows of `data`) and
# builds the design with lm_model_data(): X, y, weights and clusters of the rows used,
# the rows used, what was dropped and why, the model frame and terms. The fitter
# (R/lm-fit.R) and the constructor take this list as it is. The helpers that evaluate
# and check single arguments are in R/lm-frame.R.

# weights, cluster and subset of dm_lm(), evaluated in `data` and checked: list(w (or
# NULL), clus (over all rows of `data`, or NULL), keep (logical), n_data).
lm_inputs <- function(weights_expr, cluster_expr, subset_expr, data, env) {
  n_data <- nrow(data)
  w <- eval_row_argument(weights_expr, data, env, "weights")
  clus <- if (is.null(cluster_expr)) NULL else cluster_values(cluster_expr, data, env)
  sub <- eval(subset_expr, data, env)
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
      dm_abort(sprintf("`cluster` is missing (NA, empty or blank) in row%s %s of `data`; every row used needs a cluster id (drop those rows with `subset`).",
                       if (length(bad) > 1) "s" else "", show_rows(bad)), type = "cluster")
    }
  }
  list(w = w, clus = clus, keep = keep, n_data = n_data,
       w_label = weights_provenance(w, weights_expr))
}

# The model data of a single-response formula: list(X (matrix, or list of columns on
# the fast path), y, w, cluster (factor over the rows used, or NULL), rows (of `data`),
# n_data, mf, mt, na_action, standardize, cn, xlevels, contrasts).
lm_model_data <- function(formula, data, inputs, standardize, env) {
  w <- inputs$w
  keep <- inputs$keep
  fast <- if (!standardize && all(keep)) simple_design(formula, data, w) else NULL
  md <- if (!is.null(fast)) {
    # plain numeric columns, nothing missing: the data's own columns are the design
    list(mf = fast$mf, mt = attr(fast$mf, "terms"), X = fast$X, y = fast$y,
         rows = seq_len(inputs$n_data), w = if (is.null(w)) NULL else as.double(w),
         na_action = NULL, standardize = FALSE)
  } else {
    frame_model_data(formula, data, w, keep, standardize, env)
  }
  X <- md$X
  md$cn <- if (is.list(X)) names(X) else colnames(X)
  if (!length(md$cn)) dm_abort("`formula` has no terms to estimate (not even an intercept).", type = "input")
  check_design_magnitude(X, md$y, md$w, paste(deparse(formula[[2L]]), collapse = " "))
  md$contrasts <- attr(X, "contrasts")
  md$xlevels <- if (is.list(X)) stats::setNames(list(), character()) else stats::.getXlevels(md$mt, md$mf)
  md$n_data <- inputs$n_data
  md$weights_label <- inputs$w_label
  md$cluster <- NULL
  if (!is.null(inputs$clus)) {
    cu <- inputs$clus[md$rows]
    md$cluster <- if (is.factor(cu)) droplevels(cu) else factor(cu)
  }
  md
}

# The general path: model frame, rows dropped for missing values (counted per variable,
# as lm's na.action) and zero weights, optional z-scores, model matrix.
frame_model_data <- function(formula, data, w, keep, standardize, env) {
  caller <- sys.call(-2)  # dm_lm(...), named by the errors of the model matrix
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
  list(mf = mf, mt = mt, X = design_from_frame(mt, mf, call = caller),
       y = as.double(stats::model.response(mf)), rows = used, w = w_used,
       na_action = na_action, standardize = std_info)
}
