# dm_weights(): calibration of nonresponse weights to population margins (raking by
# iterative proportional fitting, linear/GREG and bounded logit calibration of Deville &
# Sarndal 1992), first for the responding units (municipalities), then for their
# respondents. The algebra is in src/calibrate.cpp; here: targets, cells, checks, report.

#' Calibrate nonresponse weights to population margins
#'
#' Weights the responding municipalities (or any units) so that their weighted counts
#' equal the population's on several margins (size class, province, ...), then shares
#' each municipality's weight among its respondents, optionally calibrating the
#' respondents further to respondent-level margins (such as role). Raking by iterative
#' proportional fitting, linear (GREG) and bounded logit calibration (Deville & Sarndal
#' 1992) are computed in C++; the result equals `survey::rake()` and
#' `survey::calibrate(calfun = "raking" | "linear" | "logit")`.
#'
#' @section Methods:
#' Calibrated weights are \eqn{w_i = d_i g_i} with \eqn{\sum_i w_i x_i = T} (the
#' population totals) and \eqn{g_i = F(x_i'\lambda)}: \eqn{F(u) = 1 + u} for `"linear"`
#' (the GREG weights; they can be negative without bounds), \eqn{F(u) = e^u} for
#' `"raking"` (positive; iterative proportional fitting when there are only
#' categorical margins and no bounds, else Newton's method), and for `"logit"` the
#' function of Deville & Sarndal that keeps every \eqn{g_i} strictly inside `bounds`.
#' With `bounds` (for `"linear"` and `"raking"`) or `cap`, a unit whose \eqn{g_i} would
#' leave its bounds is trimmed to the bound and the other units are re-calibrated, until
#' the totals hold with every weight in bounds (survey's truncated calibration). When
#' that is impossible (bounds too tight for the margins) the function stops: it never
#' returns weights that miss the totals.
#'
#' @section Two levels:
#' With `unit = "municipality"` the units calibrated are the responding municipalities
#' (one row each; margins must be constant within a municipality), to the counts of
#' municipalities in `population`. Each municipality's weight is then divided equally
#' among its respondents, so the respondents of a municipality together carry its
#' weight and the respondent weights sum to the population number of municipalities.
#' With `respondent_margins` the respondent weights are calibrated once more, to the
#' respondent-level shares given (for example of `role`) while the municipality margins
#' are kept. With `unit = NULL` the rows of `data` are the units.
#'
#' @section The population frame:
#' A real frame has one row per population unit (the 300 Flemish municipalities) with
#' the unit id (the `unit` column, used to check that every responding unit is in the
#' frame) and the margin columns, coded as in `data` (factor or text categories, or
#' numbers whose population total is then a calibration target). A named list of
#' target counts (or shares, which are scaled to `population_size`) works as well. No
#' frame ships with the package: the examples use illustrative margins.
#'
#' @param data A data frame of respondents (or units, with `unit = NULL`).
#' @param population The population: a data frame with one row per population unit and
#'   the margin columns, or a named list with one element per margin: a named vector of
#'   counts (or shares summing to 1) per category, or a single number, the population
#'   total of a numeric column.
#' @param margins Column names of `data` to calibrate on (default: the names of the
#'   list `population`, or the columns shared by `data` and the frame other than
#'   `unit`).
#' @param unit The column of `data` naming the sampled unit (the municipality), or
#'   `NULL` when each row is a unit.
#' @param method `"raking"`, `"linear"` (GREG) or `"logit"` (bounded).
#' @param bounds `c(L, U)`: bounds on the adjustment \eqn{g = w / d} of each unit's
#'   initial weight; required for `"logit"` (with `L < 1 < U`), optional for the others.
#' @param cap Optional largest weight as a multiple of the mean weight (e.g. `5`): larger
#'   weights are trimmed and the others re-calibrated.
#' @param respondent_margins Optional named list of respondent-level targets (counts or
#'   shares per category of a column of `data`, such as `role`), used after the
#'   municipality weights are shared among respondents.
#' @param base_weights Optional initial (design) weights: a column name or a vector with
#'   one value per row of `data`, constant within `unit`. By default every unit starts
#'   at the mean weight (population size / number of responding units), so that
#'   `bounds` and `cap` are relative to it.
#' @param population_size Population number of units, for targets given as shares (by
#'   default the number of rows of the frame, or the sum of counts in the list, or the
#'   number of responding units when every target is a share).
#' @param tol Convergence tolerance: the largest margin error relative to
#'   `1 + |target|`.
#' @param max_iter Largest number of Newton steps or raking sweeps.
#' @param ... Not used; a misspelled argument is an error.
#' @return A numeric vector of class `dm_weights`, one weight per row of `data`, to pass
#'   as `weights =` to [dm_agree()], [dm_lm()], [dm_aggregate()], [dm_reliability()] ...
#'   Its attributes: `unit_weights` (a data frame of the units and their weights),
#'   `margins` (per margin and category: population target, sample count, weighted
#'   count, Kish design effect `deff` and effective sample size `n_eff`), `kish` (the
#'   design effect and effective n over all units and all respondents), `convergence`
#'   (method, iterations, maximum margin error, trimmed units per level), `label` (e.g.
#'   "weighted to size_class x province margins", used in table notes and plot
#'   captions) and `call`.
#' @references Deville, J.-C. & Sarndal, C.-E. (1992). Calibration estimators in survey
#'   sampling. *Journal of the American Statistical Association*, 87(418), 376-382.
#'
#'   Kish, L. (1965). *Survey Sampling*. Wiley.
#' @family weights
#' @export
#' @examples
#' # ILLUSTRATIVE margins: no population frame of Flemish municipalities ships with the
#' # package. The counts below are made up for the example (300 municipalities).
#' frame_margins <- list(population_class = c("<10000" = 66, "10000-19999" = 110,
#'                                            "20000-29999" = 57, "30000-49999" = 42,
#'                                            ">=50000" = 25))
#' w <- dm_weights(flanders_dm, frame_margins, unit = "municipality")
#' w
#' # respondents: each municipality's weight shared, then calibrated to an
#' # (illustrative) 50/50 split of roles
#' w2 <- dm_weights(flanders_dm, frame_margins, unit = "municipality",
#'                  respondent_margins = list(role = c("general director" = 0.5,
#'                                                     "staff" = 0.5)))
#' attr(w2, "margins")
#' # bounded alternatives
#' dm_weights(flanders_dm, frame_margins, method = "logit", bounds = c(0.5, 2))
#' # the weights flow into the other functions
#' head(dm_agree(flanders_dm, weights = w))
dm_weights <- function(data, population, margins = NULL, unit = "municipality",
                       method = c("raking", "linear", "logit"), bounds = NULL, cap = NULL,
                       respondent_margins = NULL, base_weights = NULL,
                       population_size = NULL, tol = 1e-12, max_iter = 1000L, ...) {
  check_dots_spelling(..., .strict = TRUE)
  check_data_frame(data)
  check_has_rows(data, "to weigh")
  method <- match_choice(method, c("raking", "linear", "logit"), "method")
  check_scalar_number(tol, "tol", lower = 0, upper = 1, lower_open = TRUE)
  check_scalar_number(max_iter, "max_iter", lower = 1)
  bounds <- check_bounds(bounds, method)
  if (!is.null(cap)) check_scalar_number(cap, "cap", lower = 1, lower_open = TRUE)
  margins <- weight_margins(margins, population, data, unit)
  data <- margins_from_frame(data, population, margins, unit)
  units <- weight_units(data, unit, margins, base_weights)
  targets <- population_targets(population, margins, units, data, unit, population_size)
  targets <- match_cells(targets, units$table, "population")
  # without design weights every unit starts at the mean weight N / n, so that `bounds`
  # and `cap` are relative to it
  if (is.null(base_weights)) units$d <- rep(targets_total(targets, units$d) / length(units$d), length(units$d))
  ctrl <- list(method = method, bounds = bounds, cap = cap, tol = tol, max_iter = max_iter)
  fit <- calibrate_level(units$table[margins], units$d, targets, ctrl, unit %||% "unit")
  w_unit <- units$d * fit$g
  w <- if (is.null(unit)) w_unit else (w_unit / units$size)[units$index]
  fit2 <- NULL
  if (!is.null(respondent_margins)) {
    if (is.null(unit)) {
      dm_abort("`respondent_margins` needs `unit` (the units whose respondents they describe); with `unit = NULL` put them in `margins`.",
               type = "input")
    }
    resp <- respondent_targets(respondent_margins, data, sum(w))
    rt <- c(targets, resp)
    rdat <- cbind(units$table[units$index, margins, drop = FALSE],
                  data[names(resp)])
    fit2 <- calibrate_level(rdat, w, rt, ctrl, "respondent")
    w <- w * fit2$g
  }
  if (any(w <= 0)) {
    dm_warn(sprintf("%d weight%s not positive (linear calibration without bounds can give negative weights); the other functions refuse them. Use `bounds = c(0, Inf)` (or a positive lower bound), or `method = \"raking\"` or \"logit\".",
                    sum(w <= 0), if (sum(w <= 0) > 1) "s are" else " is"), type = "negative_weights")
  }
  new_dm_weights(w, data, unit, units, w_unit, targets, respondent_margins, fit, fit2,
                 ctrl, match.call())
}

# `bounds` checked: NULL (none) or c(L, U) with 0 <= L < 1 < U; logit needs finite ones.
check_bounds <- function(bounds, method) {
  if (is.null(bounds)) {
    if (method == "logit") {
      dm_abort("`bounds` are required for `method = \"logit\"`: give c(L, U) with 0 <= L < 1 < U < Inf, e.g. c(0.5, 2) (weights between half and twice their initial value).",
               type = "input")
    }
    return(c(-Inf, Inf))
  }
  ok <- is.numeric(bounds) && length(bounds) == 2L && !anyNA(bounds) &&
    bounds[1] < 1 && bounds[2] > 1 && bounds[1] >= (if (method == "linear") -Inf else 0)
  if (ok && method == "logit") ok <- all(is.finite(bounds)) && bounds[1] >= 0
  if (!ok) {
    dm_abort(sprintf("`bounds` must be c(L, U) with %s L < 1 < U%s (bounds on the ratio of calibrated to initial weight); you passed %s.",
                     if (method == "linear") "" else "0 <=",
                     if (method == "logit") " < Inf" else "", show_values(bounds)),
             type = "input")
  }
  as.numeric(bounds)
}

# The margins: given, or the list's names, or the frame's columns shared with `data`.
weight_margins <- function(margins, population, data, unit) {
  if (is.null(margins)) {
    margins <- if (is.data.frame(population)) {
      setdiff(intersect(names(population), names(data)), unit)
    } else if (is.list(population)) names(population)
  }
  if (!is.character(margins) || !length(margins) || anyNA(margins) || any(!nzchar(margins))) {
    dm_abort(sprintf("`margins` must name columns of `data` to calibrate on; you passed %s.",
                     show_values(margins)), type = "input")
  }
  cols <- c(names(data), if (is.data.frame(population) && !is.null(unit) &&
                             unit %in% names(population)) names(population))
  check_columns_present(stats::setNames(vector("list", length(cols)), cols), margins)
  unique(margins)
}

# Margins that only the frame has are looked up there by unit; margins in both must
# agree for every responding unit.
margins_from_frame <- function(data, frame, margins, unit) {
  if (!is.data.frame(frame) || is.null(unit) || !unit %in% names(frame)) {
    check_columns_present(data, margins)
    return(data)
  }
  check_columns_present(data, unit)
  at <- match(as.character(data[[unit]]), as.character(frame[[unit]]))
  for (m in margins) {
    if (!m %in% names(frame) || all(is.na(at))) next
    v <- frame[[m]][at]
    if (!m %in% names(data)) {
      data[[m]] <- v
      next
    }
    bad <- which(!is.na(at) & as.character(data[[m]]) != as.character(v))
    if (length(bad)) {
      dm_abort(sprintf("`data$%s` disagrees with the frame `population` for %s %s (row%s %s: %s in the data, %s in the frame).",
                       m, unit, show_values(data[[unit]][bad]), if (length(bad) > 1) "s" else "",
                       show_rows(bad), show_values(data[[m]][bad]), show_values(v[bad])),
               type = "weights")
    }
  }
  data
}

# The units of the first level: one row per responding unit with its margins and base
# weight (constant within the unit), the unit of each row and the unit sizes.
weight_units <- function(data, unit, margins, base_weights) {
  d <- if (is.null(base_weights)) rep(1, nrow(data)) else {
    b <- if (is.character(base_weights) && length(base_weights) == 1L)
      data[[resolve_columns(base_weights, data, "base_weights", max = 1L)]] else base_weights
    check_case_weights(b, nrow(data), "base_weights")
    if (any(b == 0)) {
      dm_abort(sprintf("`base_weights` must be positive; row%s %s ha%s weight 0.",
                       if (sum(b == 0) > 1) "s" else "", show_rows(which(b == 0)),
                       if (sum(b == 0) > 1) "ve" else "s"), type = "weights")
    }
    as.numeric(b)
  }
  for (m in margins) {
    bad <- which(is.na(data[[m]]))
    if (length(bad)) {
      dm_abort(sprintf("`data$%s` (a margin) is missing in row%s %s: every respondent needs a category (impute or drop them first).",
                       m, if (length(bad) > 1) "s" else "", show_rows(bad)), type = "weights")
    }
  }
  if (is.null(unit)) {
    return(list(table = data[margins], d = d, index = seq_len(nrow(data)),
                size = rep(1L, nrow(data)), ids = seq_len(nrow(data))))
  }
  check_columns_present(data, unit)
  u <- data[[unit]]
  if (anyNA(u)) {
    dm_abort(sprintf("`data$%s` (the unit) is missing in row%s %s.", unit,
                     if (sum(is.na(u)) > 1) "s" else "", show_rows(which(is.na(u)))),
             type = "weights")
  }
  ids <- unique(u)
  index <- match(u, ids)
  first <- match(seq_along(ids), index)
  for (col in c(margins, if (!is.null(base_weights)) ".d")) {
    v <- if (col == ".d") d else data[[col]]
    same <- tapply(as.character(v), index, function(z) length(unique(z)) == 1L)
    if (!all(same)) {
      bad <- ids[!same]
      what <- if (col == ".d") "`base_weights`" else sprintf("margin `%s`", col)
      dm_abort(sprintf("%s must be constant within each %s; it varies within %s %s. Municipality-level margins describe the municipality; put respondent-level variables in `respondent_margins`.",
                       what, unit, unit, show_values(bad)), type = "weights")
    }
  }
  tab <- data[first, margins, drop = FALSE]
  rownames(tab) <- NULL
  list(table = tab, d = d[first], index = index, size = tabulate(index, length(ids)),
       ids = ids)
}

# Targets per margin from the frame or the list: list(counts = named numeric) for a
# categorical margin, list(total = number) for a numeric one; shares scaled to the size.
population_targets <- function(population, margins, units, data, unit, population_size) {
  if (!is.null(population_size)) check_scalar_number(population_size, "population_size", lower = 0, lower_open = TRUE)
  if (is.data.frame(population)) {
    return(frame_targets(population, margins, units, data, unit, population_size))
  }
  if (!is.list(population) || is.null(names(population))) {
    dm_abort(sprintf("`population` must be a data frame (one row per population unit) or a named list of target counts per margin; you passed %s.",
                     describe_value(population)), type = "input")
  }
  miss <- setdiff(margins, names(population))
  if (length(miss)) {
    dm_abort(sprintf("`population` has no targets for the margin%s %s.",
                     if (length(miss) > 1) "s" else "", show_values(miss)), type = "weights")
  }
  out <- lapply(margins, function(m) list_target(population[[m]], m, data[[m]]))
  names(out) <- margins
  is_share <- vapply(out, function(t) isTRUE(t$share), logical(1))
  counts <- out[!is_share & vapply(out, function(t) !is.null(t$counts), logical(1))]
  size <- population_size %||%
    (if (length(counts)) sum(counts[[1]]$counts) else sum(units$d))
  for (m in names(out)[is_share]) out[[m]]$counts <- out[[m]]$counts * size
  out
}

# One element of a list of targets, checked.
list_target <- function(v, m, column, arg = sprintf("population$%s", m)) {
  if (!is.numeric(v) || !length(v) || anyNA(v) || any(!is.finite(v)) || any(v < 0)) {
    dm_abort(sprintf("`%s` must be non-negative finite counts (or shares) per category; you passed %s.",
                     arg, show_values(v)), type = "weights")
  }
  if (is.numeric(column) && !is.factor(column)) {
    if (length(v) != 1L) {
      dm_abort(sprintf("`data$%s` is numeric: `%s` must be its population total (one number); you passed %d values.",
                       m, arg, length(v)), type = "weights")
    }
    return(list(total = as.numeric(v)))
  }
  if (is.null(names(v)) || anyNA(names(v)) || any(!nzchar(names(v))) || anyDuplicated(names(v))) {
    dm_abort(sprintf("`%s` must be named by the categories of `data$%s` (each once); its names are %s.",
                     arg, m, show_values(names(v))), type = "weights")
  }
  list(counts = stats::setNames(as.numeric(v), names(v)),
       share = abs(sum(v) - 1) < 1e-8)
}

# Targets from a frame with one row per population unit.
frame_targets <- function(frame, margins, units, data, unit, population_size) {
  check_columns_present(frame, margins, "population")
  if (!is.null(unit) && unit %in% names(frame)) {
    dup <- frame[[unit]][duplicated(frame[[unit]])]
    if (length(dup)) {
      dm_abort(sprintf("`population` must have one row per %s; %s occurs more than once.",
                       unit, show_values(dup)), type = "weights")
    }
    out <- setdiff(as.character(units$ids), as.character(frame[[unit]]))
    if (length(out)) {
      dm_abort(sprintf("Responding %s%s %s %s not in the frame `population`.", unit,
                       if (length(out) > 1) "s" else "", show_values(out),
                       if (length(out) > 1) "are" else "is"), type = "weights")
    }
  }
  res <- lapply(margins, function(m) {
    v <- frame[[m]]
    if (anyNA(v)) {
      dm_abort(sprintf("`population$%s` is missing in row%s %s of the frame: every population unit needs a category.",
                       m, if (sum(is.na(v)) > 1) "s" else "", show_rows(which(is.na(v)))),
               type = "weights")
    }
    if (is.numeric(data[[m]]) && !is.factor(data[[m]])) return(list(total = sum(as.numeric(v))))
    lv <- if (is.factor(v)) levels(v) else sort(unique(as.character(v)))
    tab <- table(factor(as.character(v), levels = lv))
    list(counts = stats::setNames(as.numeric(tab), lv))
  })
  if (!is.null(population_size) && abs(population_size - nrow(frame)) > 0.5) {
    dm_abort(sprintf("`population_size` (%s) differs from the %d rows of the frame `population`.",
                     format(population_size), nrow(frame)), type = "weights")
  }
  stats::setNames(res, margins)
}

# The cells of the categorical targets against the sample (`tab`, one row per unit):
# a sample category without target, an empty target cell with units, a target cell
# without units are errors naming the cell; empty cells without units are dropped; the
# categorical margins must agree on the total.
match_cells <- function(targets, tab, what) {
  for (m in names(targets)) {
    t <- targets[[m]]$counts
    if (is.null(t)) next
    s <- count_values(tab[[m]])
    extra <- setdiff(names(s), names(t))
    if (length(extra)) {
      dm_abort(sprintf("Margin `%s`: the categor%s %s %s respondents but no target in `%s` (its categories: %s).",
                       m, if (length(extra) > 1) "ies" else "y", show_values(extra),
                       if (length(extra) > 1) "have" else "has", what, show_values(names(t), 20L)),
               type = "empty_cell", margin = m, cell = extra)
    }
    empty <- names(t)[t == 0 & names(t) %in% names(s)]
    if (length(empty)) {
      dm_abort(sprintf("Empty target cell: `%s` = %s has a population count of 0 but %d responding unit%s; correct the target or the data.",
                       m, show_values(empty), sum(s[empty]), if (sum(s[empty]) > 1) "s" else ""),
               type = "empty_cell", margin = m, cell = empty)
    }
    absent <- names(t)[t > 0 & !names(t) %in% names(s)]
    if (length(absent)) {
      dm_abort(sprintf("Cell without respondents: no responding unit has `%s` = %s (population count %s); no weight can represent it. Collapse it with a neighbouring category.",
                       m, show_values(absent), show_values(t[absent])),
               type = "empty_cell", margin = m, cell = absent)
    }
    targets[[m]]$counts <- t[t > 0]
  }
  totals <- vapply(Filter(function(x) !is.null(x$counts), targets),
                   function(x) sum(x$counts), numeric(1))
  if (length(totals) > 1 && diff(range(totals)) > 1e-8 * max(totals)) {
    dm_abort(sprintf("The margins' targets sum to different totals (%s): raking to them cannot converge. Give every margin the same population.",
                     paste(sprintf("%s: %s", names(totals), format(totals)), collapse = ", ")),
             type = "weights")
  }
  targets
}

# Counts of the values of a column, named by the values (as text); faster than table().
count_values <- function(v) {
  v <- as.character(v)
  u <- unique(v)
  stats::setNames(tabulate(match(v, u), length(u)), u)
}

# Respondent-level targets (shares, or counts used as proportions) scaled to `total`.
respondent_targets <- function(rm, data, total) {
  if (!is.list(rm) || is.null(names(rm)) || any(!nzchar(names(rm)))) {
    dm_abort(sprintf("`respondent_margins` must be a named list of target shares per category; you passed %s.",
                     describe_value(rm)), type = "input")
  }
  check_columns_present(data, names(rm))
  out <- lapply(names(rm), function(m) {
    bad <- which(is.na(data[[m]]))
    if (length(bad)) {
      dm_abort(sprintf("`data$%s` (a respondent margin) is missing in row%s %s.", m,
                       if (length(bad) > 1) "s" else "", show_rows(bad)), type = "weights")
    }
    t <- list_target(rm[[m]], m, as.character(data[[m]]),
                     arg = sprintf("respondent_margins$%s", m))
    list(counts = t$counts / sum(t$counts) * total)
  })
  out <- stats::setNames(out, names(rm))
  match_cells(out, data, "respondent_margins")
}

# The population total of the targets: that of the categorical margins, else the sum of
# the initial weights.
targets_total <- function(targets, d) {
  cat_m <- Filter(function(t) !is.null(t$counts), targets)
  if (length(cat_m)) sum(cat_m[[1]]$counts) else sum(d)
}

# One calibration: the units' margins `tab`, initial weights `d`, targets; IPF for
# unbounded raking on categorical margins, else Newton on the auxiliary matrix
# (one full set of dummies for the first categorical margin, treatment dummies for the
# others, numeric columns as they are). Non-convergence is an error.
calibrate_level <- function(tab, d, targets, ctrl, level) {
  cat_m <- names(targets)[vapply(targets, function(t) !is.null(t$counts), logical(1))]
  n <- length(d)
  total <- targets_total(targets, d)
  upper <- rep(ctrl$bounds[2], n)
  lower <- rep(ctrl$bounds[1], n)
  if (!is.null(ctrl$cap)) upper <- pmin(upper, ctrl$cap * total / n / d)
  ipf <- ctrl$method == "raking" && length(cat_m) == length(targets) &&
    all(is.infinite(c(lower, upper)))
  if (ipf) {
    codes <- vapply(cat_m, function(m) match(as.character(tab[[m]]), names(targets[[m]]$counts)),
                    integer(n))
    dim(codes) <- c(n, length(cat_m))
    out <- cpp_call(dm_rake_cpp(codes, lapply(targets[cat_m], function(t) t$counts), d,
                                ctrl$tol, as.integer(ctrl$max_iter)))
  } else {
    aux <- calibration_matrix(tab, targets, cat_m)
    logit <- ctrl$method == "logit"
    out <- cpp_call(dm_calibrate_cpp(
      aux$X, d, aux$totals, match(ctrl$method, c("linear", "raking", "logit")) - 1L,
      if (logit) rep(-Inf, n) else lower, upper, if (logit) ctrl$bounds[1] else 0,
      if (logit) ctrl$bounds[2] else 2, ctrl$tol, as.integer(ctrl$max_iter)))
  }
  if (!isTRUE(out$converged)) {
    hint <- if (any(is.finite(c(lower, upper))) || ctrl$method == "logit")
      "The bounds or the cap may be too tight for these margins: widen them, or collapse small categories."
      else "Raise `max_iter`, or check that the margins can be met together (a cell implied empty by the others)."
    dm_abort(sprintf("Calibration of the %s weights (%s) did not converge: after %d %s the largest margin error is %s (relative; tolerance %s). %s",
                     level, ctrl$method, out$iterations, if (ipf) "sweeps" else "Newton steps",
                     format(out$max_error, digits = 3), format(ctrl$tol), hint),
             type = "convergence")
  }
  g <- out$g
  trimmed <- if (ctrl$method == "logit" && is.null(ctrl$cap)) 0L else
    sum(is.finite(upper) & abs(g - upper) <= 1e-12 * abs(upper) |
          is.finite(lower) & abs(g - lower) <= 1e-12 * abs(lower))
  list(g = g, iterations = out$iterations, max_error = out$max_error,
       algorithm = if (ipf) "IPF" else "Newton", trimmed = trimmed)
}

# The auxiliary matrix and its population totals.
calibration_matrix <- function(tab, targets, cat_m) {
  cols <- list()
  totals <- numeric()
  for (m in names(targets)) {
    t <- targets[[m]]
    if (is.null(t$counts)) {
      cols[[m]] <- as.numeric(tab[[m]])
      totals[m] <- t$total
      next
    }
    lv <- names(t$counts)
    keep <- if (identical(m, cat_m[1])) lv else lv[-1]
    for (k in keep) {
      nm <- paste0(m, "=", k)
      cols[[nm]] <- as.numeric(as.character(tab[[m]]) == k)
      totals[nm] <- t$counts[[k]]
    }
  }
  X <- matrix(unlist(cols, use.names = FALSE), nrow = nrow(tab))
  colnames(X) <- names(cols)
  list(X = X, totals = totals)
}

# Kish's design effect n sum(w^2) / (sum w)^2 and effective n = n / deff.
kish <- function(w) {
  n <- length(w)
  deff <- n * sum(w^2) / sum(w)^2
  c(n = n, deff = deff, n_eff = n / deff)
}

# The report of the weights per margin and category.
margin_report <- function(tab, w, targets, level) {
  rows <- lapply(names(targets), function(m) {
    t <- targets[[m]]
    if (is.null(t$counts)) {
      k <- kish(w)
      return(data.frame(level = level, margin = m, category = "(total)", target = t$total,
                        n = length(w), weighted = sum(w * as.numeric(tab[[m]])),
                        deff = k[["deff"]], n_eff = k[["n_eff"]], stringsAsFactors = FALSE))
    }
    cat <- names(t$counts)
    # every category has units (match_cells()), so the groups are 1..K in order
    s <- rowsum(cbind(1, w, w^2), match(as.character(tab[[m]]), cat), reorder = TRUE)
    data.frame(level = level, margin = m, category = cat, target = unname(t$counts),
               n = as.integer(s[, 1]), weighted = s[, 2], deff = s[, 1] * s[, 3] / s[, 2]^2,
               n_eff = s[, 2]^2 / s[, 3], stringsAsFactors = FALSE)
  })
  out <- do.call(rbind, rows)
  rownames(out) <- NULL
  out
}

new_dm_weights <- function(w, data, unit, units, w_unit, targets, rm, fit, fit2, ctrl, call) {
  margins <- names(targets)
  rep_unit <- margin_report(units$table, w_unit, targets, if (is.null(unit)) "unit" else unit)
  rep_resp <- if (is.null(fit2)) NULL else
    margin_report(data, w, respondent_targets_report(fit2, rm, data, w), "respondent")
  ut <- data.frame(unit = units$ids, units$table, n_respondents = units$size,
                   base_weight = units$d, weight = w_unit, stringsAsFactors = FALSE,
                   check.names = FALSE)
  if (!is.null(unit)) names(ut)[1] <- unit
  conv <- data.frame(level = c("unit", if (!is.null(fit2)) "respondent"),
                     method = ctrl$method,
                     algorithm = c(fit$algorithm, fit2$algorithm),
                     iterations = c(fit$iterations, fit2$iterations),
                     max_error = c(fit$max_error, fit2$max_error),
                     trimmed = c(fit$trimmed, fit2$trimmed), stringsAsFactors = FALSE)
  all_m <- c(margins, names(rm))
  structure(as.numeric(w), class = "dm_weights",
            unit_weights = ut, margins = rbind(rep_unit, rep_resp),
            kish = rbind(units = kish(w_unit), respondents = kish(w)),
            convergence = conv, unit = unit, method = ctrl$method,
            label = weights_label(all_m), call = call)
}

# The respondent targets as they were met (for the report).
respondent_targets_report <- function(fit2, rm, data, w) {
  stats::setNames(lapply(names(rm), function(m) {
    v <- rm[[m]]
    list(counts = v / sum(v) * sum(w))
  }), names(rm))
}

# "weighted to size_class x province margins", in English and Dutch.
weights_label <- function(margins) {
  m <- paste(margins, collapse = " x ")
  c(en = sprintf("weighted to %s margins", m), nl = sprintf("gewogen naar de marges %s", m))
}

#' @export
print.dm_weights <- function(x, ...) {
  check_dots_strict(..., .fun = "print()", .formals = "x")
  conv <- attr(x, "convergence")
  k <- attr(x, "kish")
  cat(sprintf("<dm_weights> %d weights, %s (%s)\n", length(x), attr(x, "label")[["en"]],
              attr(x, "method")))
  for (i in seq_len(nrow(conv))) {
    cat(sprintf("  %s level: %s converged in %d %s, max margin error %s%s\n",
                conv$level[i], conv$algorithm[i], conv$iterations[i],
                if (conv$algorithm[i] == "IPF") "sweeps" else "steps",
                format(conv$max_error[i], digits = 2),
                if (conv$trimmed[i] > 0) sprintf(", %d units at a bound", conv$trimmed[i]) else ""))
  }
  cat(sprintf("  Kish deff %.3f (effective n %.1f of %d units); respondents: deff %.3f (effective n %.1f of %d)\n",
              k["units", "deff"], k["units", "n_eff"], as.integer(k["units", "n"]),
              k["respondents", "deff"], k["respondents", "n_eff"], as.integer(k["respondents", "n"])))
  cat(sprintf("  weights: min %s, median %s, max %s, sum %s\n",
              format(min(x), digits = 4), format(stats::median(x), digits = 4),
              format(max(x), digits = 4), format(sum(x), digits = 6)))
  m <- attr(x, "margins")
  m$target <- round(m$target, 2)
  m$weighted <- round(m$weighted, 2)
  m$deff <- round(m$deff, 3)
  m$n_eff <- round(m$n_eff, 1)
  print(m, row.names = FALSE)
  invisible(x)
}

# ---- weights in the functions of respondents and groups ---------------------------

# Respondent weights as given (not rescaled), checked as dm_agree() checks them: NULL, a
# column name or one-sided formula, or a vector with one value per row.
respondent_weights <- function(weights, data) {
  if (is.null(weights)) return(NULL)
  check_weights(weights, data)
  raw <- if (inherits(weights, "formula") || (is.character(weights) && length(weights) == 1L)) {
    data[[resolve_columns(weights, data, "weights", max = 1L, type = "weights")]]
  } else weights
  as.numeric(raw)
}

# Sum of `x` per group code 1..G of `gi` (0 for a group without rows).
group_sums <- function(x, gi, ok = rep(TRUE, length(x))) {
  s <- rowsum(x[ok], gi$code[ok], reorder = TRUE)
  out <- numeric(gi$n_groups)
  out[as.integer(rownames(s))] <- s[, 1]
  out
}

# The groups' weighted mean scores (the `mean` of aggregate_core()'s ANOVA per dimension).
weighted_group_means <- function(agg, w, gi) {
  lapply(seq_along(agg$anova), function(d) {
    a <- agg$anova[[d]]
    y <- agg$scores[[d]]
    ok <- !is.na(y) & w > 0
    a$mean <- group_sums(w * replace(y, !ok, 0), gi, ok) / group_sums(w, gi, ok)
    a
  })
}

# The weighted one-way ANOVA of scores on groups (weights scaled to sum to the number of
# scored respondents, as anova(lm(y ~ group, weights = w))), in aggregate_core()'s form.
weighted_group_anova <- function(agg, w, gi, exclude) {
  lapply(seq_along(agg$anova), function(d) {
    a <- agg$anova[[d]]
    y <- agg$scores[[d]]
    ok <- !is.na(y) & w > 0 & !exclude
    wn <- w / sum(w[ok]) * sum(ok)
    W <- group_sums(wn, gi, ok)
    m <- group_sums(wn * replace(y, !ok, 0), gi, ok) / W
    grand <- sum(wn[ok] * y[ok]) / sum(ok)
    used <- W > 0
    a$ss_between <- sum(W[used] * (m[used] - grand)^2)
    a$ss_within <- sum(wn[ok] * (y[ok] - m[gi$code[ok]])^2)
    a$n_total <- sum(ok)
    a$groups_used <- sum(used)
    a$mean <- m
    a
  })
}

# The weighted median: the smallest value whose cumulative weight reaches half the
# total (the mean of the two middle values when it is exactly half, as median()).
weighted_median <- function(x, w) {
  o <- order(x)
  x <- x[o]
  cw <- cumsum(w[o]) / sum(w)
  i <- which(cw >= 0.5 - 1e-12)[1]
  if (abs(cw[i] - 0.5) < 1e-12 && i < length(x)) (x[i] + x[i + 1]) / 2 else x[i]
}

# The weighted covariance of one dimension's keyed item values, in the form of
# dimension_covariance() (R/reliability.R): "complete" on the respondents who answered
# every item, "pairwise" per pair of items on those who answered both (means of the
# pair's rows, as cov(use = "pairwise")); unbiased weighted moments (cov.wt()'s
# "unbiased", equal to cov() with equal weights). The n of the intervals is Kish's
# effective n (the smallest over the pairs under "pairwise").
weighted_dimension_covariance <- function(resp, mm, use, w) {
  its <- mm$items
  ins <- resp$items
  X <- vapply(its, function(j) {
    x <- as.numeric(resp$columns[[j]])
    x[x %in% resp$spec$missing_codes[[j]]] <- NA_real_
    if (ins$keyed[j] < 0) ins$scale_min[j] + ins$scale_max[j] - x else x
  }, numeric(length(w)))
  X <- matrix(X, nrow = length(w))
  X[w <= 0, ] <- NA_real_
  k <- length(its)
  n_eff <- function(v) sum(v)^2 / sum(v^2)
  wmom <- function(a, b, v) {
    v <- v / sum(v)
    ma <- sum(v * a)
    mb <- sum(v * b)
    sum(v * (a - ma) * (b - mb)) / (1 - sum(v^2))
  }
  if (use == "complete") {
    ok <- rowSums(is.na(X)) == 0
    C <- if (sum(ok) >= 2) stats::cov.wt(X[ok, , drop = FALSE], wt = w[ok] / sum(w[ok]))$cov else
      matrix(NA_real_, k, k)
    mean <- if (any(ok)) colSums(X[ok, , drop = FALSE] * w[ok]) / sum(w[ok]) else rep(NA_real_, k)
    return(list(cov = unname(C), cor = NULL, n = sum(ok),
                n_ci = if (any(ok)) n_eff(w[ok]) else 0, item_n = rep(sum(ok), k), mean = mean))
  }
  C <- R <- matrix(NA_real_, k, k)
  ne <- matrix(Inf, k, k)
  for (a in seq_len(k)) for (b in a:k) {
    ok <- !is.na(X[, a]) & !is.na(X[, b])
    if (sum(ok) < 2) next
    v <- w[ok]
    C[a, b] <- C[b, a] <- wmom(X[ok, a], X[ok, b], v)
    R[a, b] <- R[b, a] <- C[a, b] / sqrt(wmom(X[ok, a], X[ok, a], v) * wmom(X[ok, b], X[ok, b], v))
    ne[a, b] <- ne[b, a] <- n_eff(v)
  }
  answered <- !is.na(X)
  list(cov = C, cor = R, n = sum(rowSums(answered) > 0), n_ci = if (k) min(ne) else 0,
       item_n = colSums(answered),
       mean = colSums(replace(X, is.na(X), 0) * w) / colSums(answered * w))
}

# dm_agree(fpc =): 1 - n/N per row of the result (items within groups), n the rows of
# the group and N its population size (a number, or one per group named by its value).
agree_fpc <- function(fpc, gi, by, n_rows, n_items) {
  if (is.null(fpc)) return(1)
  G <- if (is.null(gi$code)) 1L else gi$n_groups
  n <- if (is.null(gi$code)) n_rows else tabulate(gi$code, G)
  if (!is.numeric(fpc) || anyNA(fpc) || any(!is.finite(fpc))) {
    dm_abort(sprintf("`fpc` must be the population number of units (a number, or one per group named by its value); you passed %s.",
                     show_values(fpc)), type = "input")
  }
  N <- if (length(by) && (length(fpc) > 1L || !is.null(names(fpc)))) {
    if (length(by) > 1L || is.null(names(fpc))) {
      dm_abort("`fpc` per group needs a single `by` column and a vector named by its values.",
               type = "input")
    }
    keys <- as.character(gi$groups[[by]])
    miss <- setdiff(keys, names(fpc))
    if (length(miss)) {
      dm_abort(sprintf("`fpc` has no population size for the group%s %s of `%s`.",
                       if (length(miss) > 1) "s" else "", show_values(miss), by), type = "input")
    }
    unname(fpc[keys])
  } else if (length(fpc) == 1L) {
    if (length(by)) {
      dm_abort("With `by`, `fpc` must give each group's population size (a vector named by the groups' values).",
               type = "input")
    }
    fpc
  } else {
    dm_abort(sprintf("`fpc` must be a single number without `by`; you passed %d values.", length(fpc)),
             type = "input")
  }
  bad <- which(N < n)
  if (length(bad)) {
    dm_abort(sprintf("`fpc` (%s) is smaller than the %s rows sampled%s: it is the population size.",
                     show_values(N[bad]), show_values(n[bad]),
                     if (length(by)) sprintf(" in group %s", show_values(gi$groups[[by[1]]][bad])) else ""),
             type = "input")
  }
  rep(1 - n / N, each = n_items)
}

# ---- how a result was weighted, in words (table notes, plot captions, print) ----------

# The words that say how a result was weighted, c(en =, nl =), or NULL without weights:
# a dm_weights() result says its margins ("weighted to size_class x province margins");
# weights named by a column, or passed as a variable, say their name ("weighted by w");
# any other vector "weighted (case weights)". `expr` is the unevaluated argument.
weights_provenance <- function(weights, expr = NULL) {
  if (is.null(weights)) return(NULL)
  if (inherits(weights, "dm_weights")) return(attr(weights, "label"))
  name <- if (inherits(weights, "formula")) all.vars(weights)[1L] else
    if (is.character(weights) && length(weights) == 1L) weights else expr_name(expr)
  if (length(name) == 1L && !is.na(name) && nzchar(name)) {
    c(en = sprintf("weighted by %s", name), nl = sprintf("gewogen met %s", name))
  } else {
    c(en = "weighted (case weights)", nl = "gewogen (gevalsgewichten)")
  }
}

# The name an argument's expression gives a column or variable: "w" for w, "w", ~w or
# d$w; NULL for anything else (a computed vector has no name).
expr_name <- function(expr) {
  if (is.character(expr) && length(expr) == 1L) return(expr)
  if (is.call(expr) && identical(expr[[1L]], as.name("~"))) return(all.vars(expr)[1L])
  if (is.name(expr) || (is.call(expr) && identical(expr[[1L]], as.name("$")))) {
    return(paste(deparse(expr), collapse = ""))
  }
  NULL
}

# The weighting words of a result in `lang`, or NULL (results made before the words were
# kept say "weighted").
weights_words <- function(x, lang = "en") {
  lab <- if (is.list(x) && !is.data.frame(x)) x$weights_label else attr(x, "weights_label")
  if (!is.null(lab)) return(unname(lab[[lang]]))
  weighted <- if (is.list(x) && !is.data.frame(x)) !is.null(x$weights) else isTRUE(attr(x, "weighted"))
  if (weighted) c(en = "weighted", nl = "gewogen")[[lang]]
}
