# dm_cfa(): does the instrument measure its dimensions? The model is written as lavaan
# syntax (dm_cfa_syntax()), fitted by lavaan (Suggests; no SEM estimation here), and
# summarised: tidy() / glance() / print(), with reliability per dimension from the fit
# (omega, categorical omega of Green and Yang 2009, alpha and ordinal alpha).

#' lavaan syntax of the instrument's measurement model
#'
#' One factor per dimension of the codebook, measured by the dimension's
#' items, factors correlated (lavaan's default for `cfa()`). Reverse-keyed
#' items (`keyed = -1`) are fitted on their reversed codes by [dm_cfa()]
#' (`scale_min + scale_max - x`), so every loading is expected to be
#' positive; a comment in the syntax names them. Edit the text (a cross-
#' loading, a residual covariance) and pass it back as `model` of
#' [dm_cfa()].
#'
#' @param items The codebook ([dmm_items] or your own, see
#'   [dm_instrument()]).
#' @return A single character string of class `dm_cfa_syntax` (printing
#'   shows it as it is).
#' @section Errors:
#' A dimension with one item gives `digimaturity_error_single_item_dimension`:
#' a factor with a single indicator is not identified (its loading and
#' residual variance cannot both be estimated).
#' @family measurement
#' @export
#' @examples
#' dm_cfa_syntax()
#' # a residual covariance added by hand
#' model <- paste(dm_cfa_syntax(), "open_data ~~ external_collaboration", sep = "\n")
dm_cfa_syntax <- function(items = dmm_items) {
  if (missing(items)) items <- bundled_items()
  ins <- as_instrument(items)
  check_cfa_dimensions(ins)
  dims <- unique(ins$dimension)
  fac <- cfa_factor_names(dims)
  lines <- vapply(seq_along(dims), function(d) {
    paste0(fac[d], " =~ ", paste(ins$item[ins$dimension == dims[d]], collapse = " + "))
  }, character(1))
  rev <- ins$item[ins$keyed < 0]
  head <- c("# digimaturity: one factor per dimension, factors correlated",
            if (length(rev)) paste0("# reverse-keyed, fitted on reversed codes: ", paste(rev, collapse = ", ")))
  structure(paste(c(head, lines), collapse = "\n"), class = "dm_cfa_syntax")
}

#' @export
print.dm_cfa_syntax <- function(x, ...) {
  check_dots_strict(...)
  cat(unclass(x), "\n", sep = "")
  invisible(x)
}

# Factor names that lavaan accepts (letters, digits, dots, underscores; not starting
# with a digit), one per dimension, distinct from each other.
cfa_factor_names <- function(dims) {
  fac <- make.names(dims, unique = TRUE)
  gsub(".", "_", fac, fixed = TRUE)
}

check_cfa_dimensions <- function(ins, call = sys.call(-1)) {
  k <- table(factor(ins$dimension, levels = unique(ins$dimension)))
  if (any(k < 2L)) {
    one <- names(k)[k < 2L]
    dm_abort(sprintf(paste0(
      "`items` has %s with a single item (%s): a factor with one indicator is not identified ",
      "(its loading and residual variance cannot both be estimated). Drop the dimension from ",
      "the codebook, merge it into another, or write the model yourself (`model =`), e.g. ",
      "fixing the residual variance."),
      if (length(one) > 1) "dimensions" else "the dimension",
      paste0("'", one, "' (item ", ins$item[ins$dimension %in% one], ")", collapse = ", ")),
      type = "single_item_dimension", call = call, dimensions = one)
  }
  invisible(ins)
}

need_measurement <- function(fun, pkgs = "lavaan", call = sys.call(-1)) {
  miss <- pkgs[!vapply(pkgs, requireNamespace, logical(1), quietly = TRUE)]
  if (length(miss)) {
    dm_abort(sprintf("%s needs the package%s %s: install.packages(%s).", fun,
                     if (length(miss) > 1) "s" else "", paste(miss, collapse = " and "),
                     paste(deparse(miss), collapse = "")),
             type = "missing_package", call = call, package = miss)
  }
  invisible(TRUE)
}

#' Confirmatory factor analysis of the instrument
#'
#' Fits the instrument's measurement model ([dm_cfa_syntax()]: one factor
#' per dimension, correlated factors, reverse-keyed items reversed) with
#' \pkg{lavaan} and reports the standardised loadings, thresholds and factor
#' correlations ([tidy()][dm_cfa-tidiers]), the fit indices
#' ([glance()][dm_cfa-tidiers]) and the reliability of each dimension from
#' the fit: omega, alpha and, for ordered items, categorical omega and
#' ordinal alpha.
#'
#' @section Estimators:
#' * `"WLSMV"` (the default): the items are ordered categories; lavaan
#'   estimates polychoric correlations and thresholds and fits them by
#'   diagonally weighted least squares, with robust standard errors and the
#'   mean-and-variance adjusted ("scaled") test. Missing answers:
#'   pairwise (each polychoric over the respondents who answered both items).
#'   Categories nobody chose are dropped (they have no threshold); with
#'   `group`, a category empty in some group is merged with its neighbour
#'   in every group (warning `digimaturity_warning_collapsed_categories`),
#'   since lavaan needs the same categories in all groups; see
#'   `min_category` for sparse categories.
#' * `"MLR"`: the items as continuous, maximum likelihood with robust
#'   (Huber-White) standard errors and the Yuan-Bentler scaled test; missing
#'   answers by full-information ML. With `cluster`, the standard errors and
#'   test are cluster-robust.
#' * `"ML"`: normal-theory maximum likelihood (full-information ML for
#'   missing answers).
#'
#' @section Respondents nested in municipalities:
#' In the survey, 260 respondents come from 183 municipalities, 1.4 per
#' municipality on average and most municipalities with a single
#' respondent. A two-level CFA splits each item's covariance into a
#' between-municipality and a within-municipality part and fits a factor
#' model to each. The within part is estimated only from the differences
#' between respondents of the same municipality, and a municipality with one
#' respondent contributes none: here that leaves some 80 within-municipality
#' contrasts for the 24 x 25 / 2 = 300 variances and covariances of the
#' within level (and for ordered items lavaan has no two-level estimator at
#' all). The two levels cannot be told apart: the model is not identified
#' empirically, and a fit that "converges" does so on noise.
#'
#' `cluster` does what the data can support instead: a single-level model
#' for the item covariances of respondents (the population-averaged
#' measurement model), estimated as if respondents were independent, with
#' standard errors and the test statistic corrected for the dependence of
#' respondents within a municipality (the sandwich variance summed over
#' clusters, as `vcov = "CR1"` in [dm_lm()]; the Yuan-Bentler statistic
#' with the clustered information). The estimates are those of `"MLR"`
#' without `cluster`; only their uncertainty and the test change. This is
#' lavaan's `cluster =` with a single-level model (estimator `"MLR"` only:
#' lavaan 0.6 has no cluster-robust WLSMV).
#'
#' @inheritParams dm_score
#' @param estimator `"WLSMV"`, `"MLR"` or `"ML"` (see Estimators).
#' @param cluster Optional column of `data` (a name or a one-sided formula
#'   such as `~municipality`) whose values are clusters of respondents: the
#'   standard errors and test become cluster-robust (`"MLR"` only).
#' @param group Optional column of `data` (a name or one-sided formula) to
#'   fit the model in each group (the configural model: the same structure,
#'   all parameters free). For the tests of equal loadings and thresholds see
#'   [dm_invariance()].
#' @param model Optional lavaan syntax to fit instead of [dm_cfa_syntax()]
#'   (for example the syntax edited); its observed variables must be items
#'   of `items`. Reliability is then computed for the factors measured only
#'   by items (as `semTools::compRelSEM()` does).
#' @param conf_level Confidence level of the intervals in `tidy()`.
#' @param min_category Ordered items (WLSMV): a category chosen by fewer
#'   respondents than this (in any group) is merged with its neighbour (the
#'   next category toward the middle), with a warning of class
#'   `digimaturity_warning_collapsed_categories`. The default 1 merges only
#'   empty categories; a category of one or two answers gives a threshold
#'   that rests on them alone (and, when the same respondents fill the rare
#'   category of two items, a singular information matrix), so 5 or 10 is a
#'   common choice.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` with the argument it most likely
#'   meant.
#'
#' @return An object of class `dm_cfa`, a list: `fit` (the lavaan fit),
#'   `syntax`, `estimator`, `ordered` (whether items were fitted as ordered),
#'   `n` (respondents used per group), `n_dropped` (rows left out: without
#'   any answer, or with a missing `group`/`cluster`), `n_clusters`,
#'   `categories` (per item the codes that remain categories, after dropping
#'   or merging empty ones), `reliability` (a data frame, one row per
#'   dimension and group: `n_items`, `omega` (categorical omega of Green and
#'   Yang 2009 for ordered items, else omega from the loadings; both over the
#'   observed total variance, as `semTools::compRelSEM()` with its
#'   defaults), `omega_type`, `alpha` (Cronbach's alpha of the keyed codes,
#'   pairwise covariances), `alpha_ordinal` (alpha of the polychoric
#'   correlations, Zumbo et al. 2007; `NA` for continuous items)), and
#'   `conf_level`; with `attr(, "instrument")` and `attr(, "call")`.
#'
#' @section Errors and warnings:
#' Classed errors: `digimaturity_error_missing_package` (lavaan or pbivnorm
#' not installed), `digimaturity_error_single_item_dimension` (a dimension
#' with one item), `digimaturity_error_constant_item` (an item with a single
#' observed category among the respondents used, or in a group),
#' `digimaturity_error_small_group` (a group with no more respondents than
#' items: its correlation matrix cannot be positive definite),
#' `digimaturity_error_invalid_code` (a code off the item's scale, or not
#' whole under WLSMV), `digimaturity_error_input` (e.g. `cluster` with an
#' estimator other than MLR), `digimaturity_error_lavaan` (lavaan could not
#' fit the model; its message is kept). lavaan's own warnings (no
#' convergence, a negative variance) are raised again with class
#' `digimaturity_warning_lavaan`.
#'
#' @references
#' Green, S. B., & Yang, Y. (2009). Reliability of summed item scores using
#' structural equation modeling: An alternative to coefficient alpha.
#' *Psychometrika*, 74(1), 155-167.
#'
#' Zumbo, B. D., Gadermann, A. M., & Zeisser, C. (2007). Ordinal versions of
#' coefficients alpha and theta for Likert rating scales. *Journal of Modern
#' Applied Statistical Methods*, 6(1), 21-29.
#'
#' Rosseel, Y. (2012). lavaan: An R package for structural equation
#' modeling. *Journal of Statistical Software*, 48(2), 1-36.
#'
#' @family measurement
#' @export
#' @examplesIf requireNamespace("lavaan", quietly = TRUE) && requireNamespace("pbivnorm", quietly = TRUE)
#' complete <- flanders_dm[flanders_dm$complete, ]
#' fit <- dm_cfa(complete, estimator = "MLR", cluster = ~municipality)
#' fit
#' glance(fit)
#' \donttest{
#' # ordered items (the default), all 348 records, pairwise polychorics
#' ord <- dm_cfa(flanders_dm)
#' ord$reliability
#' head(tidy(ord))
#' }
dm_cfa <- function(data, items = dmm_items, estimator = c("WLSMV", "MLR", "ML"), cluster = NULL,
                   group = NULL, model = NULL, conf_level = 0.95, min_category = 1,
                   missing_codes = NULL, ...) {
  check_dots_spelling(..., .fun = "dm_cfa()", .strict = TRUE)
  if (missing(items)) items <- bundled_items()
  estimator <- match_choice(estimator, c("WLSMV", "MLR", "ML"), "estimator")
  check_share(conf_level, "conf_level", open = TRUE)
  need_measurement("dm_cfa()", c("lavaan", if (estimator == "WLSMV") "pbivnorm"))
  check_min_category(min_category)
  prep <- cfa_data(data, items, estimator, cluster = cluster, group = group,
                   missing_codes = missing_codes, min_category = min_category)
  syntax <- if (is.null(model)) dm_cfa_syntax(prep$ins) else check_cfa_model(model, prep$ins)
  fit <- lavaan_fit(syntax, prep, estimator)
  res <- list(fit = fit, syntax = syntax, estimator = estimator, ordered = prep$ordered,
              n = prep$n, n_dropped = prep$n_dropped, n_clusters = prep$n_clusters,
              cluster = prep$cluster, group = prep$group, categories = prep$categories,
              conf_level = conf_level)
  res$reliability <- cfa_reliability(fit, prep)
  res <- with_provenance(res, prep$ins, match.call())
  class(res) <- "dm_cfa"
  res
}

# User syntax: a single string whose observed variables are items of the codebook.
check_cfa_model <- function(model, ins, call = sys.call(-1)) {
  if (!is.character(model) || length(model) != 1L || is.na(model) || !nzchar(model)) {
    dm_abort(sprintf("`model` must be NULL or lavaan syntax as a single string (see dm_cfa_syntax()); you passed %s.",
                     show_scalar(model)), type = "input", call = call)
  }
  pt <- tryCatch(lavaan::lavaanify(model), error = function(e) {
    dm_abort(sprintf("`model` is not valid lavaan syntax: %s", conditionMessage(e)),
             type = "input", call = call)
  })
  lv <- unique(pt$lhs[pt$op == "=~"])
  ov <- setdiff(unique(c(pt$rhs[pt$op == "=~"], pt$lhs[pt$op %in% c("~~", "~", "|")],
                         pt$rhs[pt$op %in% c("~~", "~")])), c(lv, ""))
  bad <- setdiff(ov, ins$item)
  if (length(bad)) {
    dm_abort(sprintf("`model` names %s, not item%s of `items`; the model's observed variables must be items of the codebook.",
                     show_values(bad), if (length(bad) > 1) "s" else ""), type = "input", call = call)
  }
  structure(model, class = "dm_cfa_syntax")
}

# ---- data -------------------------------------------------------------------------

# Internal: the keyed item columns, group and cluster of the rows used, for lavaan.
# Validates codes (on the scale; whole under WLSMV), keys reverse items, drops rows
# without any answer (or with a missing group/cluster, with a warning), checks group
# sizes and items with a single category, and turns items into ordered factors of
# their observed (or, across groups, commonly observed) categories.
cfa_data <- function(data, items, estimator, cluster = NULL, group = NULL, missing_codes = NULL,
                     min_group = NULL, min_category = 1L, call = sys.call(-1)) {
  check_data_frame(data)
  ins <- as_instrument(items)
  check_cfa_dimensions(ins, call = call)
  ordered <- estimator == "WLSMV"
  if (!is.null(cluster) && estimator != "MLR") {
    dm_abort(sprintf(paste0("`cluster` needs `estimator = \"MLR\"` (cluster-robust standard errors and test ",
                            "of a single-level model); you passed estimator = \"%s\". lavaan has no ",
                            "cluster-robust %s."), estimator, estimator), type = "input", call = call)
  }
  resp <- dm_responses(data, ins, missing_codes)
  cols <- lapply(seq_len(nrow(ins)), function(j) {
    cfa_item_values(resp$columns[[j]], ins[j, ], ordered, missing_codes, call)
  })
  names(cols) <- ins$item
  df <- as.data.frame(cols, optional = TRUE)
  keep <- rowSums(!is.na(df)) > 0L
  n_empty <- sum(!keep)
  extra <- list(group = group, cluster = cluster)
  vals <- list()
  for (a in names(extra)) {
    if (is.null(extra[[a]])) next
    col <- resolve_columns(extra[[a]], data, a, max = 1L, call = call)
    v <- group_values(data[[col]], sprintf("data$%s", col))
    if (inherits(v, "haven_labelled")) v <- unclass(v)
    miss <- keep & is.na(v)
    if (any(miss)) {
      dm_warn(sprintf("%d row%s with answers but a missing `%s` (data$%s) %s left out (rows %s).",
                      sum(miss), if (sum(miss) > 1) "s" else "", a, col,
                      if (sum(miss) > 1) "are" else "is", show_rows(which(miss))),
              type = "dropped_rows", call = call, rows = which(miss))
    }
    keep <- keep & !is.na(v)
    vals[[a]] <- list(name = col, values = v)
  }
  if (!any(keep)) {
    dm_abort("`data` has no row with an answer to any item (and a group/cluster where asked): nothing to fit.",
             type = "input", call = call)
  }
  df <- df[keep, , drop = FALSE]
  rows <- which(keep)
  g <- if (!is.null(vals$group)) vals$group$values[keep]
  if (!is.null(g)) {
    g <- if (is.factor(g)) droplevels(g) else factor(g)
    check_group_sizes(g, df, vals$group$name, min_group %||% (ncol(df) + 1L), call)
  }
  cats <- cfa_categories(df, g, ordered, ins, call, min_category)
  if (ordered) {
    for (j in names(df)) df[[j]] <- cats$recode[[j]]
  }
  if (!is.null(g)) df$.group <- as.character(g)
  n_clusters <- NA_integer_
  if (!is.null(vals$cluster)) {
    df$.cluster <- as.character(vals$cluster$values[keep])
    n_clusters <- length(unique(df$.cluster))
  }
  n <- if (is.null(g)) c(all = nrow(df)) else c(table(g))
  list(data = df, rows = rows, ins = ins, ordered = ordered, items = ins$item,
       group = vals$group$name, cluster = vals$cluster$name, n = n, n_clusters = n_clusters,
       n_dropped = nrow(data) - nrow(df), n_empty = n_empty, categories = cats$categories,
       group_values = g, any_missing = anyNA(df[ins$item]))
}

# One item's values: numeric codes on the item's scale (whole numbers for ordered
# items), the reverse-keyed ones reversed within the scale.
cfa_item_values <- function(x, it, ordered, missing_codes, call) {
  if (!is.numeric(x)) x <- suppressWarnings(as.numeric(x))
  x <- as.numeric(x)
  x[x %in% missing_codes] <- NA
  bad <- which(!is.na(x) & (x < it$scale_min | x > it$scale_max | !is.finite(x) |
                              (ordered & x != round(x))))
  if (length(bad)) {
    dm_abort(sprintf(paste0("`data$%s` has %s (row%s %s) %s; its codes are %s to %s%s."),
                     it$item, show_values(x[bad]), if (length(bad) > 1) "s" else "", show_rows(bad),
                     if (ordered && all(x[bad] >= it$scale_min & x[bad] <= it$scale_max))
                       "that are not whole numbers" else "off the item's scale",
                     it$scale_min, it$scale_max,
                     if (ordered) " (whole numbers: estimator WLSMV treats them as ordered categories)" else ""),
             type = "invalid_code", call = call, items = it$item, rows = bad)
  }
  if (it$keyed < 0) x <- it$scale_min + it$scale_max - x
  x
}

check_group_sizes <- function(g, df, name, min_n, call) {
  n <- table(g)
  small <- n < min_n
  if (any(small)) {
    dm_abort(sprintf(paste0(
      "`group` (data$%s) has %s with fewer than %d respondents (%s): with no more respondents than ",
      "the %d items, a group's correlation matrix cannot be positive definite and its model is not ",
      "estimable. Merge small groups (e.g. adjacent size classes) or leave them out."),
      name, if (sum(small) > 1) "groups" else "a group", min_n,
      paste0("'", names(n)[small], "': ", n[small], collapse = ", "), ncol(df)),
      type = "small_group", call = call, groups = names(n)[small])
  }
}

# The categories of each item. Continuous items: only the check for a constant item.
# Ordered items: categories nobody chose are dropped; with groups, a category empty in
# some group is merged with its neighbour (the next one toward the middle of the
# observed codes) in all groups, until every group has every category.
cfa_categories <- function(df, g, ordered, ins, call, min_category = 1L) {
  recode <- list()
  categories <- list()
  merged <- character()
  for (j in names(df)) {
    x <- df[[j]]
    obs <- sort(unique(x[!is.na(x)]))
    if (length(obs) < 2L) {
      dm_abort(sprintf("Item '%s' has a single observed %s (%s) among the %d respondents used: it carries no information on its factor. Drop it from `items`.",
                       j, if (ordered) "category" else "value", show_values(obs), nrow(df)),
               type = "constant_item", call = call, items = j)
    }
    if (!is.null(g)) {
      one <- tapply(x, g, function(v) length(unique(v[!is.na(v)])) < 2L)
      if (any(one)) {
        dm_abort(sprintf("Item '%s' has a single observed %s in group%s %s: its loading cannot be estimated there. Merge groups or drop the item.",
                         j, if (ordered) "category" else "value", if (sum(one) > 1) "s" else "",
                         show_values(names(one)[one])), type = "constant_item", call = call, items = j)
      }
    }
    if (!ordered) next
    map <- stats::setNames(obs, obs)  # code -> category (the code it is merged into)
    gg <- if (is.null(g)) factor(rep("all", length(x))) else g
    if (!is.null(g) || min_category > 1) {
      repeat {
        cur <- sort(unique(map))
        tab <- table(factor(map[as.character(x)], levels = cur), gg)
        empty <- which(rowSums(tab < min_category) > 0)
        if (!length(empty) || length(cur) <= 2L) break
        k <- empty[1]
        to <- if (k == 1L) 2L else if (k == length(cur)) k - 1L else
          if (k <= length(cur) / 2) k + 1L else k - 1L
        merged <- c(merged, sprintf("'%s': %s into %s", j, cur[k], cur[to]))
        map[map == cur[k]] <- cur[to]
      }
    }
    cur <- sort(unique(map))
    categories[[j]] <- vapply(cur, function(cc) paste(names(map)[map == cc], collapse = "+"), character(1))
    recode[[j]] <- ordered(match(map[as.character(x)], cur), levels = seq_along(cur))
  }
  if (length(merged)) {
    dm_warn(sprintf(paste0("Categories chosen by fewer than %d respondent%s%s were merged with their neighbour%s: %s."),
                    min_category, if (min_category > 1) "s" else "",
                    if (is.null(g)) "" else " in some group", if (is.null(g)) "" else
                      " in every group (lavaan needs the same categories in all groups)",
                    paste(merged, collapse = "; ")), type = "collapsed_categories", call = call)
  }
  list(recode = recode, categories = categories)
}

# ---- fitting ----------------------------------------------------------------------

# Internal: fit lavaan syntax to the prepared data. lavaan's warnings come back classed
# (digimaturity_warning_lavaan) and its errors as digimaturity_error_lavaan.
lavaan_fit <- function(syntax, prep, estimator, ..., call = sys.call(-1)) {
  args <- list(model = unclass(syntax), data = prep$data, estimator = estimator, std.lv = TRUE,
               missing = if (!prep$any_missing) "listwise" else if (prep$ordered) "pairwise" else "ml")
  if (prep$ordered) args$ordered <- prep$items
  if (!is.null(prep$group)) args$group <- ".group"
  if (!is.null(prep$cluster)) args$cluster <- ".cluster"
  args <- utils::modifyList(args, list(...))
  fun <- if (is.null(args$model.type)) "cfa" else "lavaan"
  args$model.type <- NULL
  # lavaan reads its own call (match.call()): call it by name, not as a closure
  lav_call <- as.call(c(list(call("::", as.name("lavaan"), as.name(fun))), args))
  withCallingHandlers(
    tryCatch(eval(lav_call), error = function(e) {
      dm_abort(sprintf("lavaan could not fit the model: %s", sub("^lavaan ERROR: ", "", conditionMessage(e))),
               type = "lavaan", call = call)
    }),
    warning = function(w) {
      if (inherits(w, "digimaturity_warning")) return()
      # small clusters are this survey's design, explained in ?dm_cfa and in print()
      if (grepl("mean cluster size is", conditionMessage(w), fixed = TRUE)) invokeRestart("muffleWarning")
      dm_warn(sprintf("lavaan: %s", sub("^lavaan WARNING: ", "", conditionMessage(w))),
              type = "lavaan", call = call)
      invokeRestart("muffleWarning")
    })
}

# ---- reliability ------------------------------------------------------------------

# Internal: per group (block) and factor measured only by items: omega (categorical omega
# of Green & Yang 2009 for ordered items; both over the observed total variance, as
# semTools::compRelSEM() with obs.var = TRUE, ord.scale = TRUE), alpha of the keyed codes
# (pairwise covariances) and ordinal alpha (alpha of the polychoric correlations).
cfa_reliability <- function(fit, prep) {
  est <- lavaan::lavInspect(fit, "est", drop.list.single.group = FALSE)
  phi <- lavaan::lavInspect(fit, "cov.lv", drop.list.single.group = FALSE)
  samp <- lavaan::lavInspect(fit, "sampstat", drop.list.single.group = FALSE)
  glabels <- lavaan::lavInspect(fit, "group.label")
  if (!length(glabels)) glabels <- NA_character_
  fac_to_dim <- stats::setNames(unique(prep$ins$dimension), cfa_factor_names(unique(prep$ins$dimension)))
  out <- list()
  for (b in seq_along(est)) {
    L <- est[[b]]$lambda
    S <- samp[[b]]$cov
    rows <- if (is.na(glabels[b])) rep(TRUE, nrow(prep$data)) else prep$data$.group == glabels[b]
    for (f in colnames(L)) {
      ind <- rownames(L)[L[, f] != 0]
      if (length(ind) < 2L || !all(ind %in% prep$items)) next
      lam <- L[ind, f, drop = FALSE]
      common <- lam %*% phi[[b]][f, f, drop = FALSE] %*% t(lam)
      total <- S[ind, ind, drop = FALSE]
      omega <- if (prep$ordered) {
        omega_categorical(common, total, lapply(ind, function(i) est[[b]]$tau[grep(paste0("^", i, "\\|"), rownames(est[[b]]$tau)), 1]))
      } else sum(common) / sum(total)
      codes <- vapply(ind, function(i) as.numeric(prep$data[[i]][rows]), numeric(sum(rows)))
      out[[length(out) + 1L]] <- data.frame(
        group = glabels[b], dimension = if (f %in% names(fac_to_dim)) unname(fac_to_dim[f]) else f,
        n_items = length(ind), omega = omega,
        omega_type = if (prep$ordered) "categorical (Green & Yang)" else "continuous",
        alpha = alpha_of(stats::cov(codes, use = "pairwise.complete.obs")),
        alpha_ordinal = if (prep$ordered) alpha_of(stats::cov2cor(total)) else NA_real_,
        stringsAsFactors = FALSE)
    }
  }
  res <- do.call(rbind, out)
  if (is.null(res)) return(NULL)
  if (all(is.na(res$group))) res$group <- NULL
  rownames(res) <- NULL
  res
}

alpha_of <- function(C) {
  k <- ncol(C)
  if (anyNA(C) || k < 2L) return(NA_real_)
  k / (k - 1) * (1 - sum(diag(C)) / sum(C))
}

# Green & Yang (2009): the reliability of the sum of ordered item codes,
# sum_jj' sum_cc' [Phi2(t_jc, t_j'c', r*_jj') - Phi(t_jc) Phi(t_j'c')] over the same sum
# with the polychoric correlations r_jj' (1 on the diagonal) instead of the common-factor
# part r*_jj' of the latent responses (delta parameterization: unit variances).
omega_categorical <- function(common, total, thresholds) {
  R <- stats::cov2cor(total)
  k <- ncol(R)
  num <- 0
  den <- 0
  for (j in seq_len(k)) {
    for (jp in seq_len(k)) {
      t1 <- thresholds[[j]]
      t2 <- thresholds[[jp]]
      a <- rep(t1, times = length(t2))
      b <- rep(t2, each = length(t1))
      marg <- sum(stats::pnorm(t1)) * sum(stats::pnorm(t2))
      num <- num + sum(pbiv(a, b, common[j, jp])) - marg
      den <- den + sum(pbiv(a, b, R[j, jp])) - marg
    }
  }
  num / den
}

# The bivariate standard normal distribution function; at |rho| = 1 its limit.
pbiv <- function(a, b, rho) {
  if (rho >= 1 - 1e-12) return(stats::pnorm(pmin(a, b)))
  if (rho <= -1 + 1e-12) return(pmax(0, stats::pnorm(a) + stats::pnorm(b) - 1))
  pbivnorm::pbivnorm(a, b, rho = rho)
}

# ---- methods ----------------------------------------------------------------------

#' Tidy a `dm_cfa` fit
#'
#' `tidy()` gives one row per parameter of the measurement model, fully
#' standardised (lavaan's `standardizedSolution(type = "std.all")`, with its
#' delta-method standard errors): the loadings (`type = "loading"`), the
#' thresholds of ordered items (`"threshold"`, the cut between the codes in
#' `between`), the factor correlations (`"correlation"`) and, for continuous
#' items, the residual variances (`"residual_variance"`). `glance()` gives
#' one row of fit measures, named as lavaan's `fitMeasures()` names them:
#' `chisq`, `df`, `pvalue`, `cfi`, `tli`, `rmsea` with `rmsea.ci.lower` and
#' `rmsea.ci.upper` (90% interval), `srmr`; under WLSMV and MLR also the
#' scaled test (`chisq.scaled`, `df.scaled`, `pvalue.scaled`,
#' `chisq.scaling.factor`) and the scaled and robust versions of CFI, TLI and
#' RMSEA (`cfi.scaled`, `cfi.robust`, ...; the robust ones are the ones to
#' report, Brosseau-Liard & Savalei 2014, Savalei 2021).
#'
#' @param x A [dm_cfa()] fit.
#' @param conf.int If `TRUE`, add `conf.low` and `conf.high`.
#' @param conf.level Confidence level; by default the fit's `conf_level`.
#' @param ... Nothing: an unknown or misspelled argument is an error of class
#'   `digimaturity_error_argument_spelling`.
#' @return A data frame. `tidy()`: `group` (with groups), `type`,
#'   `dimension`, `item`, `term` (lavaan's parameter, e.g.
#'   `"efficiency =~ standards"`), `between` (thresholds), `reversed`
#'   (the item is reverse-keyed and was fitted on reversed codes),
#'   `estimate` (standardised), `std.error`, `statistic` (z), `p.value`,
#'   `conf.low`, `conf.high`, `estimate_unstd` (the estimate as fitted, factor
#'   variances fixed at 1). `glance()`: `estimator`, `nobs`, `n_groups`,
#'   `n_clusters`, `npar`, `converged` and the fit measures.
#' @name dm_cfa-tidiers
#' @family measurement
#' @examplesIf requireNamespace("lavaan", quietly = TRUE)
#' fit <- dm_cfa(flanders_dm[flanders_dm$complete, ], estimator = "ML")
#' tidy(fit)[1:5, ]
#' glance(fit)
NULL

#' @rdname dm_cfa-tidiers
#' @export
tidy.dm_cfa <- function(x, conf.int = TRUE, conf.level = x$conf_level, ...) {
  check_dots_strict(...)
  check_flag(conf.int, "conf.int")
  check_share(conf.level, "conf.level", open = TRUE)
  ss <- lavaan::standardizedSolution(x$fit, type = "std.all", level = conf.level)
  pe <- lavaan::parameterEstimates(x$fit, standardized = FALSE)
  key <- function(d) paste(d$lhs, d$op, d$rhs, d$group %||% 1L)
  ss$est_unstd <- pe$est[match(key(ss), key(pe))]
  lv <- lavaan::lavNames(x$fit, "lv")
  ins <- attr(x, "instrument")
  fac_to_dim <- stats::setNames(unique(ins$dimension), cfa_factor_names(unique(ins$dimension)))
  dim_of <- function(f) ifelse(f %in% names(fac_to_dim), fac_to_dim[f], f)
  type <- ifelse(ss$op == "=~", "loading",
                 ifelse(ss$op == "|", "threshold",
                        ifelse(ss$op == "~~" & ss$lhs != ss$rhs & ss$lhs %in% lv & ss$rhs %in% lv, "correlation",
                               ifelse(ss$op == "~~" & ss$lhs == ss$rhs & !ss$lhs %in% lv, "residual_variance",
                                      ifelse(ss$op == "~~" & ss$lhs != ss$rhs, "residual_covariance", NA)))))
  if (x$ordered) type[type == "residual_variance"] <- NA  # fixed by the delta parameterization
  keep <- !is.na(type) & !(ss$op == "~~" & ss$lhs == ss$rhs & ss$se == 0 & type != "residual_variance")
  ss <- ss[keep, , drop = FALSE]
  type <- type[keep]
  item <- ifelse(type == "loading", ss$rhs, ifelse(type %in% c("threshold", "residual_variance"), ss$lhs, NA))
  between <- rep(NA_character_, nrow(ss))
  th <- type == "threshold"
  if (any(th)) {
    k <- as.integer(sub("^t", "", ss$rhs[th]))
    between[th] <- vapply(seq_along(k), function(i) {
      cc <- x$categories[[ss$lhs[th][i]]]
      paste0(cc[k[i]], "|", cc[k[i] + 1L])
    }, character(1))
  }
  out <- data.frame(
    type = type,
    dimension = ifelse(type %in% c("loading", "correlation"), dim_of(ss$lhs), NA_character_),
    item = item,
    term = ifelse(type == "threshold", paste0(ss$lhs, "|", ss$rhs), paste(ss$lhs, ss$op, ss$rhs)),
    between = between,
    reversed = !is.na(item) & item %in% ins$item[ins$keyed < 0],
    estimate = ss$est.std, std.error = ss$se, statistic = ss$z, p.value = ss$pvalue,
    stringsAsFactors = FALSE)
  out$dimension[type == "correlation"] <- paste(dim_of(ss$lhs), dim_of(ss$rhs), sep = " ~~ ")[type == "correlation"]
  if (conf.int) {
    out$conf.low <- ss$ci.lower
    out$conf.high <- ss$ci.upper
  }
  out$estimate_unstd <- ss$est_unstd
  if (!is.null(x$group)) {
    out <- cbind(group = lavaan::lavInspect(x$fit, "group.label")[ss$group], out, stringsAsFactors = FALSE)
  }
  out$std.error[out$std.error == 0 & out$estimate %in% c(0, 1)] <- NA_real_
  rownames(out) <- NULL
  out
}

# The fit measures of glance(), in lavaan's names; those lavaan does not report for the
# estimator are left out.
cfa_fit_measures <- c(
  "npar", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
  "chisq.scaling.factor", "cfi", "tli", "cfi.scaled", "tli.scaled", "cfi.robust", "tli.robust",
  "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.scaled", "rmsea.ci.lower.scaled",
  "rmsea.ci.upper.scaled", "rmsea.robust", "rmsea.ci.lower.robust", "rmsea.ci.upper.robust", "srmr")

#' @rdname dm_cfa-tidiers
#' @export
glance.dm_cfa <- function(x, ...) {
  check_dots_strict(...)
  lavaan_glance(x$fit, x$estimator, x$n_clusters)
}

lavaan_glance <- function(fit, estimator, n_clusters = NA_integer_) {
  fm <- suppressWarnings(lavaan::fitMeasures(fit))
  fm <- fm[intersect(cfa_fit_measures, names(fm))]
  out <- data.frame(estimator = estimator, nobs = sum(lavaan::lavInspect(fit, "nobs")),
                    n_groups = lavaan::lavInspect(fit, "ngroups"), n_clusters = n_clusters,
                    converged = lavaan::lavInspect(fit, "converged"), stringsAsFactors = FALSE)
  cbind(out, as.data.frame(as.list(unclass(fm))))
}

# The preferred (reported) version of an index: robust, else scaled, else plain.
pick_index <- function(g, name) {
  for (v in paste0(name, c(".robust", ".scaled", ""))) if (v %in% names(g) && !is.na(g[[v]])) return(c(v, g[[v]]))
  c(name, NA)
}

#' @export
print.dm_cfa <- function(x, digits = 3, ...) {
  check_dots_strict(...)
  g <- glance(x)
  cat(sprintf("<dm_cfa> %d factors, %d items, estimator %s%s, %d respondents%s\n",
              length(lavaan::lavNames(x$fit, "lv")), length(lavaan::lavNames(x$fit, "ov")),
              x$estimator, if (x$ordered) " (ordered items)" else "", sum(x$n),
              if (x$n_dropped) sprintf(" (%d rows left out: no answer, or no group/cluster)", x$n_dropped) else ""))
  if (!is.null(x$cluster)) {
    cat(sprintf("Cluster-robust by %s (%d clusters, %.2f respondents each on average; see ?dm_cfa)\n",
                x$cluster, x$n_clusters, sum(x$n) / x$n_clusters))
  }
  if (!is.null(x$group)) cat(sprintf("Groups (%s): %s\n", x$group, paste0(names(x$n), " (", x$n, ")", collapse = ", ")))
  chi <- if ("chisq.scaled" %in% names(g)) c("chisq.scaled", "df.scaled", "pvalue.scaled") else c("chisq", "df", "pvalue")
  f <- function(v) formatC(as.numeric(v), format = "f", digits = digits)
  cat(sprintf("Chi-square%s = %s, df = %s, p = %s\n", if (chi[1] == "chisq") "" else " (scaled)",
              f(g[[chi[1]]]), format(g[[chi[2]]]), format.pval(g[[chi[3]]], digits = digits, eps = 0.001)))
  ix <- lapply(c("cfi", "tli", "rmsea"), function(n) pick_index(g, n))
  lo <- sub("rmsea", "rmsea.ci.lower", ix[[3]][1]); hi <- sub("rmsea", "rmsea.ci.upper", ix[[3]][1])
  cat(sprintf("%s = %s, %s = %s, %s = %s [90%% CI %s, %s], SRMR = %s\n",
              toupper(ix[[1]][1]), f(ix[[1]][2]), toupper(ix[[2]][1]), f(ix[[2]][2]),
              toupper(ix[[3]][1]), f(ix[[3]][2]), f(g[[lo]] %||% NA), f(g[[hi]] %||% NA), f(g$srmr %||% NA)))
  if (!isTRUE(g$converged)) cat("lavaan did NOT converge: the estimates are not to be used.\n")
  td <- tidy(x, conf.int = FALSE)
  ld <- td[td$type == "loading", ]
  cat("\nStandardised loadings (range per dimension):\n")
  for (d in unique(ld$dimension)) {
    v <- ld$estimate[ld$dimension == d]
    cat(sprintf("  %-12s %d items  %s to %s\n", d, length(unique(ld$item[ld$dimension == d])), f(min(v)), f(max(v))))
  }
  if (any(ld$estimate < 0)) {
    cat(sprintf("Negative loadings (check the keying): %s\n", paste(unique(ld$item[ld$estimate < 0]), collapse = ", ")))
  }
  if (!is.null(x$reliability)) {
    cat("\nReliability:\n")
    r <- x$reliability
    r$omega_type <- NULL
    num <- vapply(r, is.numeric, logical(1)) & names(r) != "n_items"
    r[num] <- lapply(r[num], function(v) ifelse(is.na(v), "", f(v)))
    print(r, row.names = FALSE)
    cat(sprintf("omega: %s\n", if (x$ordered) "categorical omega (Green & Yang 2009) of the summed codes" else
      "omega from the loadings over the observed variance"))
  }
  invisible(x)
}

check_min_category <- function(x, call = sys.call(-1)) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < 1 || x != round(x)) {
    dm_abort(sprintf("`min_category` must be a whole number of at least 1; you passed %s.", show_scalar(x)),
             type = "input", call = call)
  }
  invisible(x)
}
