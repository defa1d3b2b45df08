#' Polychoric correlations of the items
#'
#' Two-step maximum-likelihood polychoric correlations (Olsson 1979), computed
#' in parallel C++: first the thresholds of each item from its margin, then
#' each correlation by maximising the bivariate-normal likelihood of the
#' pair's contingency table with the thresholds held fixed. The same estimator
#' as `lavaan::lavCor(data, ordered = names(data))` and `psych::polychoric()`,
#' many times faster (see `bench/README.md`).
#'
#' @inheritParams dm_score
#' @param missing `"pairwise"` (the default): each item's thresholds from all
#'   of its answers, each correlation from the respondents who answered both
#'   items; this is lavaan's `lavCor(missing = "pairwise")`. `"listwise"`: only
#'   the respondents who answered every item, `lavCor()`'s default.
#' @param keyed `TRUE` (the default): reverse-keyed items are reversed first
#'   (their correlations with the other items of their dimension are positive),
#'   as in [dm_reliability()]. `FALSE`: the codes as they are in the data.
#' @param std_errors `TRUE` (the default): standard errors of the correlations
#'   (see Details).
#' @param zero_add What is added to empty cells: `zero_add[1]` to the one empty
#'   cell of a 2 x 2 table, `zero_add[2]` to the empty cells of larger tables;
#'   lavaan's `zero.add`, whose default `c(0.5, 0)` this is.
#' @param zero_keep_margins `TRUE` (the default, lavaan's `zero.keep.margins`):
#'   in a 2 x 2 table, `zero_add[1]` is also added to the opposite cell and
#'   taken from the two others, so the margins stay as observed.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant.
#'
#' @return A symmetric matrix of class `dm_polychoric` (items in the order of
#'   `items`), with attributes `thresholds` (a named list: per item, its
#'   thresholds, named `"code|next code"` by the observed keyed codes they
#'   separate), `n` (a matrix: the respondents behind each correlation, on
#'   the diagonal those behind each item's thresholds), `se` (a matrix of
#'   standard errors, `NA` on the diagonal and where undefined), `empty_cells`
#'   (a matrix: empty cells of each pair's table before the correction),
#'   `missing`, `keyed`, `zero_add`, `zero_keep_margins`, `rows_used` (the
#'   rows that entered: all, or the complete ones under `"listwise"`), and the
#'   provenance `instrument` and `call`. `as.matrix()` gives the bare matrix.
#'
#' @details
#' **Categories.** The categories of an item are the codes observed in the
#' data (keyed); a code of the scale nobody chose gets no threshold, as in
#' lavaan, which turns each column into an ordered factor of the values
#' present. An item with a single observed category has no polychoric
#' correlation: it is an error of class `digimaturity_error_one_category`
#' naming the item.
#'
#' **Empty cells.** lavaan's default rule (`zero.add = c(0.5, 0)`,
#' `zero.keep.margins = TRUE`): in tables larger than 2 x 2 nothing is added
#' (an empty cell is a valid observation of a small probability); in a 2 x 2
#' table with one empty cell 0.5 is added to it and to the opposite cell and
#' taken from the two others; a 2 x 2 table with two empty cells gives +1 or
#' -1 (with a warning). `psych::polychoric()` corrects empty cells its own way
#' (`correct = 0.5`): on tables with empty cells it differs from lavaan and
#' from this function; on tables without, they agree to psych's optimiser
#' tolerance (about 1e-5).
#'
#' **Estimation.** The log-likelihood of a pair is maximised by Newton's method
#' on its exact first and second derivatives (the derivative of the bivariate
#' normal distribution function in the correlation is its density) inside a
#' shrinking bracket, to a step below 1e-10, within \[-0.999, 0.999\] as in
#' lavaan. The bivariate normal probabilities are Genz's algorithm (Drezner and
#' Wesolowsky's method with Gauss-Legendre rules of 6, 12 or 20 points),
#' accurate to about 1e-15. Pairs are estimated in parallel
#' ([dm_threads()]); each pair is computed by one thread, so the result does
#' not depend on the number of threads.
#'
#' **Standard errors.** Those of `lavaan::lavCor(se = "standard")` (its
#' `muthen1984()` weight matrix): the two-step sandwich, which includes the
#' sampling error of the two items' thresholds (under `"pairwise"` resting on
#' each item's own respondents), with its blocks estimated by outer products of
#' the per-respondent scores, times `N / (N - 1)` (`N` the rows used). They
#' are `NA` for a correlation at the bound. A simulation in the tests checks
#' that they match the sampling spread of the estimates.
#'
#' @references
#' Olsson, U. (1979). Maximum likelihood estimation of the polychoric
#' correlation coefficient. *Psychometrika*, 44, 443-460.
#'
#' Genz, A. (2004). Numerical computation of rectangular bivariate and
#' trivariate normal and t probabilities. *Statistics and Computing*, 14,
#' 251-260.
#'
#' @family measurement
#' @export
#' @examples
#' pc <- dm_polychoric(flanders_dm)
#' pc
#' attr(pc, "thresholds")[1:2]
#' round(attr(pc, "se")[1:4, 1:4], 3)
dm_polychoric <- function(data, items = dmm_items, missing = c("pairwise", "listwise"),
                          keyed = TRUE, std_errors = TRUE, zero_add = c(0.5, 0),
                          zero_keep_margins = TRUE, missing_codes = NULL, ...) {
  check_dots_spelling(..., .fun = "dm_polychoric()", .strict = TRUE)
  if (missing(items)) items <- bundled_items()
  check_data_frame(data)
  missing <- match_choice(missing, c("pairwise", "listwise"), "missing")
  check_flag(keyed, "keyed")
  check_flag(std_errors, "std_errors")
  check_flag(zero_keep_margins, "zero_keep_margins")
  if (!is.numeric(zero_add) || length(zero_add) != 2L || anyNA(zero_add) ||
      any(!is.finite(zero_add)) || any(zero_add < 0) || zero_add[1] >= 1) {
    dm_abort(sprintf(paste0("`zero_add` must be two numbers >= 0 (the first below 1): what is ",
                            "added to an empty cell of a 2 x 2 table and of larger tables; ",
                            "you passed %s."), show_values(zero_add)), type = "input")
  }
  resp <- dm_responses(data, items, missing_codes)
  out <- polychoric_core(resp, missing, keyed, std_errors, zero_add, zero_keep_margins)
  with_provenance(out, resp$items, match.call())
}

# Internal: the polychoric matrix of the items of dm_responses()'s `resp` (see
# dm_polychoric()); also used by dm_reliability(ordinal = TRUE).
polychoric_core <- function(resp, missing = "pairwise", keyed = TRUE, std_errors = TRUE,
                            zero_add = c(0.5, 0), zero_keep_margins = TRUE,
                            call = sys.call(-1)) {
  ins <- resp$items
  p <- nrow(ins)
  if (p < 2L) {
    dm_abort(sprintf(paste0("`items` must name at least 2 items for a polychoric correlation; ",
                            "it names %d%s."), p,
                     if (p) sprintf(" (%s)", show_values(ins$item)) else ""),
             type = "too_few_items", call = call)
  }
  spec <- resp$spec
  if (!keyed) spec$keyed <- rep(1L, p)
  cpp <- cpp_call(dm_polychoric_cpp(resp$columns, spec, missing == "listwise", zero_add[1],
                                    zero_add[2], zero_keep_margins, 0.999, std_errors,
                                    polychoric_threads(resp$n_rows, p)))
  raise_code_problems(cpp$problems, resp, call = call)
  ncat <- vapply(cpp$items, function(it) length(it$codes), integer(1))
  if (any(ncat < 2L)) one_category_error(ins$item, cpp$items, ncat, missing, resp$arg, call)
  names_ <- ins$item
  R <- polychoric_matrix(cpp$rho, p, names_, 1)
  n <- polychoric_matrix(cpp$n, p, names_, vapply(cpp$items, `[[`, numeric(1), "n"))
  se <- polychoric_matrix(cpp$se, p, names_, NA_real_)
  empty <- polychoric_matrix(as.double(cpp$empty_cells), p, names_, 0)
  polychoric_warnings(R, n, cpp, names_, call)
  thresholds <- lapply(cpp$items, function(it) {
    k <- length(it$codes)
    stats::setNames(it$thresholds, paste0(format(it$codes[-k]), "|", format(it$codes[-1])))
  })
  names(thresholds) <- names_
  structure(R, class = "dm_polychoric", thresholds = thresholds, n = n,
            se = if (std_errors) se, empty_cells = empty, missing = missing, keyed = keyed,
            zero_add = zero_add, zero_keep_margins = zero_keep_margins,
            rows_used = cpp$rows_used)
}

# Internal: threads for p items on n rows. A pair costs about 30 microseconds of
# likelihood plus its table (n rows): up to a few thousand rows the whole matrix takes
# milliseconds, and a second thread on a busy machine cost more than it saved (bench:
# 300 x 24 took 0.02-0.05 s on one thread, 0.05-0.16 s on two); from about 2,000 rows on
# 24 items the pairs run in parallel.
polychoric_threads <- function(n, p) threads_for(p * (p - 1) / 2 * n * 4)

# Internal: a symmetric p x p matrix from the values of the pairs (i < j, column-major
# order of the upper triangle, as the core returns them) and a diagonal.
polychoric_matrix <- function(values, p, names, diagonal) {
  M <- matrix(0, p, p, dimnames = list(names, names))
  M[upper.tri(M)] <- values
  M <- M + t(M)
  diag(M) <- diagonal
  M
}

one_category_error <- function(item_names, items, ncat, missing, arg, call) {
  bad <- which(ncat < 2L)
  what <- vapply(bad, function(j) {
    if (ncat[j] == 0L) sprintf("`%s$%s`: no answer%s", arg, item_names[j],
                               if (missing == "listwise") " among the complete rows" else "")
    else sprintf("`%s$%s`: every answer is %s (n = %s)", arg, item_names[j],
                 format(items[[j]]$codes), format(items[[j]]$n))
  }, character(1))
  dm_abort(c(sprintf(paste0(
    "%d item%s %s fewer than 2 observed categories: a polychoric correlation needs at ",
    "least 2 (a threshold). Leave %s out of `items`."), length(bad),
    if (length(bad) > 1) "s" else "", if (length(bad) > 1) "have" else "has",
    if (length(bad) > 1) "them" else "it"), paste0("* ", what)),
    type = "one_category", call = call, items = item_names[bad])
}

# Internal: warnings for pairs without common respondents, at the bound (|rho| = 0.999,
# or a 2 x 2 table with two empty cells) or whose maximisation did not converge.
polychoric_warnings <- function(R, n, cpp, item_names, call) {
  p <- length(item_names)
  idx <- which(upper.tri(matrix(0, p, p)), arr.ind = TRUE)
  label <- function(k) paste0(item_names[idx[k, 1]], " x ", item_names[idx[k, 2]])
  none <- which(cpp$n == 0)
  if (length(none)) {
    dm_warn(sprintf(paste0("%d pair%s of items %s no respondent who answered both: %s. ",
                           "%s correlation is NA."), length(none), if (length(none) > 1) "s" else "",
                    if (length(none) > 1) "have" else "has", show_values(label(none)),
                    if (length(none) > 1) "Their" else "Its"),
            type = "no_overlap", call = call, pairs = label(none))
  }
  bound <- which(cpp$at_bound & cpp$n > 0)
  if (length(bound)) {
    dm_warn(sprintf(paste0("%d polychoric correlation%s %s at the bound of +-0.999 (or +-1 from ",
                           "a 2 x 2 table with two empty cells): %s. The items are (nearly) ",
                           "redundant or their table too sparse; the value is a bound, not an ",
                           "estimate, and has no standard error."),
                    length(bound), if (length(bound) > 1) "s" else "",
                    if (length(bound) > 1) "lie" else "lies",
                    show_values(sprintf("%s (%.3f)", label(bound), cpp$rho[bound]))),
            type = "polychoric_bound", call = call, pairs = label(bound))
  }
  nc <- which(!cpp$converged & cpp$n > 0 & !cpp$at_bound)
  if (length(nc)) {
    dm_warn(sprintf("The maximisation did not converge for %d pair%s: %s.", length(nc),
                    if (length(nc) > 1) "s" else "", show_values(label(nc))),
            type = "convergence", call = call, pairs = label(nc))
  }
  invisible()
}

#' @export
as.matrix.dm_polychoric <- function(x, ...) {
  check_dots_strict(..., .fun = "as.matrix()")
  attributes(x) <- attributes(x)[c("dim", "dimnames")]
  x
}

#' @export
print.dm_polychoric <- function(x, digits = 2, ...) {
  check_dots_strict(..., .fun = "print()")
  n <- attr(x, "n")
  p <- ncol(x)
  miss <- attr(x, "missing")
  cat(sprintf("<dm_polychoric> %d items, two-step ML polychoric correlations%s\n", p,
              if (isTRUE(attr(x, "keyed"))) " (keyed)" else ""))
  if (!is.null(n) && !is.null(miss)) {
    off <- n[upper.tri(n)]
    cat(sprintf("%s; n per pair %s\n",
                if (miss == "pairwise") "pairwise-complete respondents, thresholds per item from all its answers"
                else sprintf("listwise: the %s respondents who answered every item", format(attr(x, "rows_used"))),
                if (min(off) == max(off)) format(min(off)) else sprintf("%s to %s", format(min(off)), format(max(off)))))
  }
  m <- as.matrix(x)
  shown <- formatC(m, format = "f", digits = digits)
  shown <- sub("^(-?)0\\.", "\\1.", shown)  # .36, -.12: correlations without the leading 0
  shown[upper.tri(shown)] <- ""
  diag(shown) <- "1"
  if (max(nchar(colnames(m))) > digits + 3L) {  # long item names: numbered columns
    colnames(shown) <- seq_len(p)
    rownames(shown) <- sprintf("%-*s %*d", max(nchar(rownames(m))), rownames(m), nchar(p), seq_len(p))
  }
  print(noquote(shown), right = TRUE)
  empty <- attr(x, "empty_cells")
  if (!is.null(empty)) {
    k <- sum(empty[upper.tri(empty)] > 0)
    if (k) cat(sprintf("%d pair%s with empty cells (zero_add = c(%s)): attr(x, \"empty_cells\")\n", k,
                       if (k > 1) "s" else "", paste(format(attr(x, "zero_add")), collapse = ", ")))
  }
  cat("Thresholds: attr(x, \"thresholds\"); n per pair: attr(x, \"n\")",
      if (!is.null(attr(x, "se"))) "; standard errors: attr(x, \"se\")", "\n", sep = "")
  invisible(x)
}

# Internal: ordinal alpha (Zumbo, Gadermann & Zeisser 2007) per dimension: the
# standardised alpha of the polychoric correlations of the dimension's keyed items,
# k / (k - 1) * (1 - k / sum(R)). Under use = "pairwise" the polychorics rest on
# pairwise-complete answers, under "complete" on the dimension's complete cases (as
# alpha in dm_reliability()). NA for a dimension with one item.
ordinal_alpha <- function(data, items, missing_codes, use, call = sys.call(-1)) {
  resp <- dm_responses(data, items, missing_codes, inform = FALSE)
  ins <- resp$items
  vapply(resp$dimensions, function(d) {
    keep <- ins$dimension == d
    k <- sum(keep)
    if (k < 2L) return(NA_real_)
    sub <- resp
    sub$items <- ins[keep, , drop = FALSE]
    sub$columns <- resp$columns[keep]
    sub$spec[c("dimension", "keyed", "scale_min", "scale_max", "missing_codes")] <-
      lapply(resp$spec[c("dimension", "keyed", "scale_min", "scale_max", "missing_codes")],
             function(v) v[keep])
    R <- polychoric_core(sub, if (use == "complete") "listwise" else "pairwise",
                         std_errors = FALSE, call = call)
    k / (k - 1) * (1 - k / sum(as.matrix(R)))
  }, numeric(1), USE.NAMES = FALSE)
}

#' One row per pair of items
#'
#' @param x A [dm_polychoric()] result.
#' @param conf.int `TRUE` (the default) adds the Wald interval
#'   `estimate -+ z * std.error` (lavaan's `ci.lower`, `ci.upper`).
#' @param conf.level Confidence level of the interval.
#' @param ... Nothing: an unknown argument is an error.
#' @return A data frame, one row per pair (in the order of the lower
#'   triangle): `item1`, `item2`, `estimate`, `std.error`, `statistic` (the z
#'   of `estimate = 0`), `p.value`, `conf.low`, `conf.high`, `n` (respondents
#'   who answered both) and `empty_cells`. Without standard errors
#'   (`std_errors = FALSE`) those columns are `NA`.
#' @family measurement
#' @export
#' @examples
#' head(tidy(dm_polychoric(flanders_dm)))
tidy.dm_polychoric <- function(x, conf.int = TRUE, conf.level = 0.95, ...) {
  check_dots_strict(..., .fun = "tidy()")
  check_flag(conf.int, "conf.int")
  check_share(conf.level, "conf.level", open = TRUE)
  m <- as.matrix(x)
  low <- which(lower.tri(m), arr.ind = TRUE)
  se <- attr(x, "se") %||% matrix(NA_real_, nrow(m), ncol(m))
  est <- m[low]
  s <- se[low]
  z <- stats::qnorm(1 - (1 - conf.level) / 2)
  out <- data.frame(item1 = rownames(m)[low[, 2]], item2 = rownames(m)[low[, 1]],
                    estimate = est, std.error = s, statistic = est / s,
                    p.value = 2 * stats::pnorm(-abs(est / s)),
                    conf.low = est - z * s, conf.high = est + z * s,
                    n = attr(x, "n")[low], empty_cells = as.integer(attr(x, "empty_cells")[low]),
                    stringsAsFactors = FALSE)
  if (!conf.int) out$conf.low <- out$conf.high <- NULL
  out
}
