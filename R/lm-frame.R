# The formula front end of dm_lm(): evaluates weights, cluster and subset, builds the
# model frame, and checks every input once with messages that name rows and values.

# Evaluate an lm-style row argument (weights): NULL, a column (unquoted or as a string)
# or a vector.
eval_row_argument <- function(expr, data, env, arg) {
  if (is.null(expr)) return(NULL)
  val <- tryCatch(eval(expr, data, env), error = function(e) {
    dm_abort(sprintf("`%s` could not be evaluated: %s", arg, conditionMessage(e)),
             type = "input")
  })
  resolve_column_value(val, data, arg, type = arg)
}

# The cluster ids named by a `cluster` argument (the unevaluated `expr`), for dm_lm()
# and for every method that takes `cluster` (revcov()): evaluated in `data` (then
# `env`); a one-sided formula or a column name picks a column of `data`, or of `frame`
# (the model frame of a fit whose data cannot be found); empty or blank ids (how SPSS
# stores a missing string) are NA. Returns the ids over the rows of `data` (or
# `frame`), unchecked in length.
cluster_values <- function(expr, data, env, frame = NULL) {
  where <- if (!is.null(data)) data else as.list(frame)
  val <- tryCatch(eval(expr, where, env), error = function(e) {
    dm_abort(sprintf("`cluster` could not be evaluated: %s. Name a column of the data, as `cluster = ~municipality`, or pass a vector with one value per row.",
                     conditionMessage(e)),
             type = "cluster", call = NULL)
  })
  src <- if (!is.null(data)) data else as.data.frame(frame)
  if (!is.null(frame) && !is.null(data)) {
    var <- if (inherits(val, "formula")) all.vars(val) else if (is.character(val) && length(val) == 1L) val
    if (length(var) == 1L && !var %in% names(data) && var %in% names(frame)) src <- as.data.frame(frame)
  }
  named <- if (inherits(val, "formula") && length(val) == 2L) all.vars(val) else
    if (is.character(val) && length(val) == 1L && nrow(src) != 1L) val
  if (length(named) == 1L && !named %in% names(src)) {
    dm_abort(sprintf("`cluster` names the column '%s', which %s does not have.", named,
                     if (is.null(data)) "the data of the fit" else "`data`"),
             type = "missing_column", call = NULL)
  }
  val <- resolve_column_value(val, src, "cluster", type = "cluster")
  if (!is.atomic(val) && !is.factor(val)) {
    dm_abort(sprintf("`cluster` must be a one-sided formula, a column name or a vector; you passed an object of class '%s'.",
                     class(val)[1]), type = "cluster", call = NULL)
  }
  # a list or matrix column has no single id per row
  group_values(val, "cluster", type = "cluster")
}

subset_rows <- function(sub, n) {
  keep <- rep(FALSE, n)
  if (is.logical(sub)) {
    if (length(sub) != n) {
      dm_abort(sprintf("`subset` as a logical vector must have one value per row of `data` (%d); it has %d.",
                       n, length(sub)), type = "input")
    }
    keep <- !is.na(sub) & sub
  } else if (is.numeric(sub)) {
    bad <- sub[is.na(sub) | sub < 1 | sub > n | sub != round(sub)]
    if (length(bad)) {
      dm_abort(sprintf("`subset` holds row numbers outside 1..%d: %s.", n, show_values(bad)),
               type = "input")
    }
    keep[sub] <- TRUE
  } else {
    dm_abort(sprintf("`subset` must be a logical or numeric vector; you passed an object of class '%s'.",
                     class(sub)[1]), type = "input")
  }
  if (!any(keep)) dm_abort("`subset` selects no row of `data`.", type = "input")
  keep
}

check_formula_columns <- function(formula, data) {
  vars <- setdiff(all.vars(formula), ".")
  env <- environment(formula)
  miss <- vars[!vars %in% names(data) &
                 !vapply(vars, exists, logical(1), envir = env %||% globalenv())]
  if (length(miss)) {
    dm_abort(sprintf("`formula` refers to %s, which %s not a column of `data`.",
                     show_values(miss), if (length(miss) > 1) "are" else "is"),
             type = "missing_column")
  }
}

build_model_frame <- function(formula, data, keep, env) {
  d <- if (all(keep)) data else data[keep, , drop = FALSE]
  tryCatch(
    stats::model.frame(formula, data = d, na.action = stats::na.pass,
                       drop.unused.levels = TRUE),
    error = function(e) {
      dm_abort(sprintf("the model frame of `formula` could not be built: %s", conditionMessage(e)),
               type = "input")
    })
}

# Inf and NaN are errors (NA is missing and dropped).
check_finite <- function(mf) {
  for (nm in names(mf)) {
    v <- mf[[nm]]
    if (!is.numeric(v)) next
    bad <- if (is.matrix(v)) which(rowSums(is.nan(v) | is.infinite(v)) > 0) else
      which(is.nan(v) | is.infinite(v))
    if (length(bad)) {
      vals <- if (is.matrix(v)) v[bad, , drop = FALSE][!is.finite(v[bad, , drop = FALSE]) & !is.na(v[bad, , drop = FALSE]) | is.nan(v[bad, , drop = FALSE])] else v[bad]
      dm_abort(sprintf("`%s` has non-finite values (%s) in row%s %s; remove or recode them (NA is treated as missing).",
                       nm, show_values(vals), if (length(bad) > 1) "s" else "",
                       show_rows(rownames(mf)[bad])), type = "input")
    }
  }
}

# z-score the response and the numeric (non-matrix) variables of a model frame.
standardize_frame <- function(mf, w) {
  means <- sds <- numeric()
  for (nm in names(mf)) {
    if (nm == "(weights)") next
    v <- mf[[nm]]
    if (!is.numeric(v) || is.matrix(v) || is.factor(v)) next
    m <- mean(v)
    s <- stats::sd(v)
    if (!is.finite(s) || s == 0) {
      dm_abort(sprintf("`standardize = TRUE` needs variation in every numeric variable; `%s` is constant in the rows used.",
                       nm), type = "input")
    }
    mf[[nm]] <- (v - m) / s
    means[nm] <- m
    sds[nm] <- s
  }
  list(frame = mf, info = list(means = means, sds = sds))
}

# The fast path of dm_lm(): when the formula is a response and main effects that are
# all plain numeric columns of `data` without missing or infinite values, the columns
# themselves are the design (no model frame or model matrix is copied). NULL otherwise.
simple_design <- function(formula, data, w) {
  if (!is.null(w) && any(w == 0)) return(NULL)
  tt <- tryCatch(stats::terms(formula, data = data), error = function(e) NULL)
  if (is.null(tt) || !is.null(attr(tt, "offset")) || attr(tt, "response") != 1L) return(NULL)
  if (length(attr(tt, "order")) && any(attr(tt, "order") != 1L)) return(NULL)
  vars <- vapply(as.list(attr(tt, "variables"))[-1L], function(v) paste(deparse(v), collapse = ""), "")
  labels <- attr(tt, "term.labels")
  cols <- c(vars[1L], labels)
  if (!identical(vars[-1L], labels) || !all(cols %in% names(data))) return(NULL)
  for (v in cols) {
    x <- data[[v]]
    if (!(is.double(x) || is.integer(x)) || is.object(x) || !is.null(dim(x)) ||
        anyNA(x) || !is.finite(sum(x))) return(NULL)  # Inf (or overflow): general path
  }
  n <- nrow(data)
  attr(tt, "predvars") <- attr(tt, "variables")
  attr(tt, "dataClasses") <- stats::setNames(rep("numeric", length(cols)), cols)
  mf <- data[cols]
  attr(mf, "terms") <- tt
  X <- lapply(data[labels], as.double)
  if (attr(tt, "intercept") > 0L) X <- c(list(`(Intercept)` = rep(1, n)), X)
  list(mf = mf, X = X, y = as.double(data[[cols[1L]]]))
}

# A haven_labelled predictor (SPSS/Stata value labels) enters the model as its codes: one
# slope for a role coded 1-4. Warn, naming it, unless the formula makes it a factor.
warn_labelled_predictors <- function(formula, data) {
  rhs <- formula[[3L]]
  vars <- numeric_use_vars(rhs)
  if ("." %in% vars) vars <- c(vars, setdiff(names(data), all.vars(formula[[2L]])))
  vars <- unique(vars[vars %in% names(data)])
  labelled <- vars[vapply(vars, function(v) inherits(data[[v]], "haven_labelled"), logical(1))]
  for (v in labelled) {
    labs <- attr(data[[v]], "labels", exact = TRUE)
    shown <- if (length(labs)) {
      sprintf(" (value labels %s%s)",
              paste0(format(unname(utils::head(labs, 4L)), trim = TRUE), " = '",
                     names(utils::head(labs, 4L)), "'", collapse = ", "),
              if (length(labs) > 4L) ", ..." else "")
    } else ""
    dm_warn(sprintf(paste0("`%s` is a haven_labelled column%s: dm_lm() uses its codes as numbers, ",
                           "one slope. If it is a category, make it a factor first: ",
                           "data$%s <- haven::as_factor(data$%s), or read the file with ",
                           "dm_read(labelled = \"factor\")."),
                    v, shown, v, v),
            type = "labelled", call = NULL)
  }
  invisible(labelled)
}

# The variables of an expression used as they are, not inside factor() or as.factor()
# (which make them categories).
numeric_use_vars <- function(e) {
  if (is.name(e)) return(as.character(e))
  if (!is.call(e)) return(character())
  f <- e[[1L]]
  fname <- if (is.name(f)) as.character(f) else if (is.call(f) && length(f) == 3L) as.character(f[[3L]]) else ""
  if (fname %in% c("factor", "as.factor", "as_factor", "ordered", "as.ordered")) return(character())
  unlist(lapply(as.list(e)[-1L], numeric_use_vars), use.names = FALSE)
}
