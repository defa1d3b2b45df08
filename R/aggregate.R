#' Aggregate respondents to municipalities, with within-group agreement
#'
#' Respondents are nested in municipalities (183 in the UGent survey).
#' `dm_aggregate()` gives one row per municipality (or any group): the mean
#' dimension score of its respondents and the agreement among them, rwg(j).
#'
#' @inheritParams dm_score
#' @param by The grouping column(s) of `data`: names (`"municipality"`, the
#'   default) or a one-sided formula (`~municipality`, `~province + size`),
#'   as `cluster` in [dm_lm()]. Respondents with a missing value are kept in
#'   a row of their own, which is no group: its count is printed and in
#'   `attr(, "n_no_group")`, and [dm_typology()] gives it no type. Empty
#'   strings or strings of spaces (how SPSS stores a missing string) are
#'   missing values, with a message giving their number. Ids that differ
#'   only in case, accents or surrounding spaces ("Gent", "gent ") stay
#'   different groups, with a warning of class `digimaturity_warning_ids`
#'   that lists them.
#' @param min_respondents Groups with fewer respondents get `NA` means and
#'   rwg(j) (the row is kept, with its `n`).
#' @param weights Optional respondent weights (from [dm_weights()], a column name or
#'   a vector with one value per row): the group means are weighted means of the
#'   group's respondents and a column `weight` gives the sum of their weights (the
#'   municipality's weight with [dm_weights()]); rwg(j), the agreement among a group's
#'   own respondents, stays unweighted. In `dm_agreement()` the ICCs come from the
#'   weighted one-way ANOVA (weights scaled to sum to the number of respondents, as
#'   `anova(lm(score ~ group, weights = w))`) and `rwg_mean`/`rwg_median` are the
#'   weighted mean and median over groups, each group weighing the sum of its
#'   respondents' weights.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant (`conf.level` -> `conf_level`, `language` -> `lang`).
#'
#' @return A data frame of class `dm_aggregate`, one row per group, sorted by
#'   the `by` columns: the `by` columns, `n` (respondents), one column per
#'   dimension with the mean score of the group's respondents that have one
#'   (keyed mean, `min_answered` rule of [dm_score()]), `<dimension>_rwg`
#'   and `<dimension>_n` (respondents with a score). A group without a
#'   scored respondent has an `NA` mean. `attr(, "n_no_group")` is the number
#'   of respondents without a group, `attr(, "id_variants")` the sets of ids
#'   that differ only in case, accents or spaces.
#'
#' @details rwg(j) is James, Demaree and Wolf's (1984) multi-item agreement
#'   index as `multilevel::rwg.j()`: with `J` items and `S` the mean of the
#'   item variances within the group (respondents who answered all the
#'   dimension's items), `rwg(j) = J (1 - S / s2) / (J (1 - S / s2) + S / s2)`
#'   with `S / s2` capped at 1, and `s2 = (A^2 - 1) / 12` the variance of the
#'   uniform null for `A = scale_max - scale_min + 1` options (2 for 5
#'   options; when a dimension mixes ranges, the mean of its items' `s2`).
#'   It needs two respondents who answered all the dimension's items;
#'   otherwise `NA`.
#'
#' @family scoring
#' @section Provenance:
#' The result keeps the instrument it was computed with,
#' `attr(x, "instrument")` (a [dm_instrument()]: item and dimension labels,
#' response labels), and the call that made it, `attr(x, "call")`.
#' [autoplot()] and [dm_table()] label from them, so a scale of your own is
#' shown with its own answer labels.
#' @export
#' @examples
#' set.seed(1)
#' resp <- as.data.frame(matrix(sample(1:5, 24 * 60, replace = TRUE), ncol = 24,
#'                              dimnames = list(NULL, dmm_items$item)))
#' resp$municipality <- rep(sprintf("m%02d", 1:15), each = 4)
#'
#' dm_aggregate(resp, dmm_items, by = "municipality")
#' dm_agreement(resp, dmm_items, by = "municipality")
dm_aggregate <- function(data, items = dmm_items, by = "municipality", min_respondents = 1,
                         min_answered = 0.5, missing_codes = NULL, weights = NULL, ...) {
  check_dots_spelling(..., .strict = TRUE)
  if (missing(items)) items <- bundled_items()
  check_data_frame(data)
  check_scalar_number(min_respondents, "min_respondents", 1)
  check_share(min_answered, "min_answered")
  check_has_rows(data, "no group to aggregate")
  by <- resolve_columns(by, data, "by")
  gi <- group_index(data, by)
  resp <- dm_responses(data, items, missing_codes)
  agg <- aggregate_core(resp, gi, min_answered)
  dims <- resp$dimensions
  n <- tabulate(gi$code, gi$n_groups)
  small <- n < min_respondents
  w <- respondent_weights(weights, data)
  if (!is.null(w)) agg$anova <- weighted_group_means(agg, w, gi)
  # a group without a scored respondent has no mean: NA, not the NaN of 0 / 0
  means <- lapply(agg$anova, function(a) replace(a$mean, small | is.nan(a$mean), NA_real_))
  rwg <- lapply(seq_along(dims), function(d) replace(agg$rwg[, d], small, NA_real_))
  n_scored <- lapply(agg$anova, function(a) as.integer(a$n))
  res <- c(as.list(gi$groups), list(n = n),
           if (!is.null(w)) list(weight = group_sums(w, gi)),
           stats::setNames(means, dims),
           stats::setNames(rwg, paste0(dims, "_rwg")),
           stats::setNames(n_scored, paste0(dims, "_n")))
  res <- new_scores_frame(res, gi$n_groups)
  attr(res, "dimensions") <- dims
  attr(res, "by") <- by
  attr(res, "min_respondents") <- min_respondents
  attr(res, "weights_label") <- weights_provenance(weights, substitute(weights))
  # respondents without a group (a missing `by` value): their row is kept, but it is no
  # municipality (dm_typology() gives it no type)
  attr(res, "n_no_group") <- sum(n[rowSums(is.na(as.data.frame(gi$groups))) > 0])
  # ids that differ only in case, accents or spaces (group_index() warned about them):
  # kept so that dm_typology() does not warn a second time
  attr(res, "id_variants") <- unlist(lapply(by, function(b) check_id_variants(res[[b]], b, warn = FALSE)),
                                     recursive = FALSE) %||% list()
  res <- with_provenance(res, resp$items, match.call())
  class(res) <- c("dm_aggregate", "data.frame")
  res
}

#' @rdname dm_aggregate
#' @return `dm_agreement()`: a data frame, one row per dimension:
#'   `dimension`, `icc1`, `icc2` (from the one-way ANOVA of respondents'
#'   scores on groups, as `multilevel::ICC1()` and `ICC2()`: with `k = N / G`
#'   the mean group size, `ICC1 = (MSB - MSW) / (MSB + (k - 1) MSW)` and
#'   `ICC2 = (MSB - MSW) / MSB`), `rwg_mean`, `rwg_median` (over groups
#'   with an rwg(j)), `n_groups` (groups with at least one scored respondent)
#'   and `n` (respondents with a score and a group). Respondents whose group
#'   is missing are left out of the ANOVA and counted in
#'   `attr(x, "n_no_group")`.
#' @export
dm_agreement <- function(data, items = dmm_items, by = "municipality", min_answered = 0.5,
                         missing_codes = NULL, weights = NULL, ...) {
  check_dots_spelling(..., .strict = TRUE)
  if (missing(items)) items <- bundled_items()
  check_data_frame(data)
  check_share(min_answered, "min_answered")
  check_has_rows(data, "no group to compare")
  by <- resolve_columns(by, data, "by")
  gi <- group_index(data, by)
  no_group <- rowSums(is.na(as.data.frame(gi$groups)))[gi$code] > 0
  resp <- dm_responses(data, items, missing_codes)
  agg <- aggregate_core(resp, gi, min_answered, exclude = no_group)
  real_group <- rowSums(is.na(as.data.frame(gi$groups))) == 0
  w <- respondent_weights(weights, data)
  if (!is.null(w)) agg$anova <- weighted_group_anova(agg, w, gi, no_group)
  gw <- if (is.null(w)) NULL else group_sums(w, gi)
  res <- do.call(rbind, lapply(seq_along(resp$dimensions), function(d) {
    a <- agg$anova[[d]]
    G <- a$groups_used
    N <- a$n_total
    msb <- a$ss_between / (G - 1)
    msw <- a$ss_within / (N - G)
    ok <- G >= 2 && N > G
    r <- agg$rwg[real_group, d]
    rw <- if (is.null(gw)) rep(1, sum(!is.na(r))) else gw[real_group][!is.na(r)]
    r <- r[!is.na(r)]
    data.frame(
      dimension = resp$dimensions[d],
      icc1 = if (ok) (msb - msw) / (msb + (N / G - 1) * msw) else NA_real_,
      icc2 = if (ok) (msb - msw) / msb else NA_real_,
      rwg_mean = if (length(r)) sum(rw * r) / sum(rw) else NA_real_,
      rwg_median = if (!length(r)) NA_real_ else if (is.null(gw)) stats::median(r) else weighted_median(r, rw),
      n_groups = as.integer(G), n = as.integer(N), stringsAsFactors = FALSE
    )
  }))
  attr(res, "n_no_group") <- sum(no_group)
  attr(res, "by") <- by
  attr(res, "weighted") <- !is.null(w)
  attr(res, "weights_label") <- weights_provenance(weights, substitute(weights))
  with_provenance(res, resp$items, match.call())
}

# Internal: per dimension the one-way ANOVA of respondents' scores on groups, and the
# rwg(j) of each group (a groups x dimensions matrix). Rows in `exclude` take no part.
aggregate_core <- function(resp, gi, min_answered, exclude = NULL) {
  sc <- dm_score_cpp(resp$columns, resp$spec, 0L, min_answered)
  raise_code_problems(sc$problems, resp, call = sys.call(-1))
  anova <- lapply(sc$scores, function(y) {
    if (!is.null(exclude) && any(exclude)) y[exclude] <- NA_real_
    dm_group_anova_cpp(y, gi$code, gi$n_groups)
  })
  gm <- dm_group_moments_cpp(resp$columns, resp$spec, gi$code, gi$n_groups)
  G <- gi$n_groups
  ins <- resp$items
  n_gd <- matrix(gm$n, G)                       # groups x dimensions
  s <- matrix(gm$sum, G)                        # groups x items
  ss <- matrix(gm$sum_sq, G)
  n_gi <- n_gd[, resp$spec$dimension, drop = FALSE]
  item_var <- (ss - s^2 / n_gi) / (n_gi - 1)    # exact sums of whole numbers
  A <- ins$scale_max - ins$scale_min + 1
  ranvar <- (A^2 - 1) / 12
  rwg <- vapply(seq_along(resp$dimensions), function(d) {
    its <- which(resp$spec$dimension == d)
    J <- length(its)
    r <- pmin(rowMeans(item_var[, its, drop = FALSE]) / mean(ranvar[its]), 1)
    out <- (J * (1 - r)) / (J * (1 - r) + r)
    out[n_gd[, d] < 2] <- NA_real_
    out
  }, numeric(G))
  list(anova = anova, rwg = matrix(rwg, G), scores = sc$scores, exclude = exclude)
}

#' @export
print.dm_aggregate <- function(x, n = 10L, ...) {
  by <- attr(x, "by")
  df <- x
  class(df) <- "data.frame"
  attr(df, "dimensions") <- attr(df, "by") <- attr(df, "min_respondents") <- NULL
  attr(df, "n_no_group") <- attr(df, "id_variants") <- NULL
  attr(df, "instrument") <- attr(df, "call") <- attr(df, "weights_label") <- NULL
  # rows of respondents without a group (a missing `by` value) are no group
  no_group <- if (length(by) && all(by %in% names(df))) rowSums(is.na(df[by])) > 0 else
    rep(FALSE, nrow(df))
  cat(sprintf("<dm_aggregate> %s groups by %s; %s respondents\n",
              format(sum(!no_group), big.mark = ","), paste(by, collapse = ", "),
              format(sum(x$n), big.mark = ",")))
  if (!is.null(attr(x, "weights_label"))) cat("Group means ", weights_words(x), "\n", sep = "")
  n_no_group <- attr(x, "n_no_group") %||% if ("n" %in% names(df)) sum(df$n[no_group]) else 0
  if (n_no_group > 0) {
    cat(sprintf("Respondents without a %s: %s (%s with NA: no group, no type)\n",
                paste(by, collapse = " or "), format(n_no_group, big.mark = ","),
                if (sum(no_group) > 1) sprintf("%d rows", sum(no_group)) else "the row"))
  }
  dims <- attr(x, "dimensions")
  if (!is.null(dims) && all(dims %in% names(x))) {
    cat("Groups without a mean score:",
        paste0(dims, " ", vapply(dims, function(d) sum(is.na(x[[d]][!no_group])), numeric(1)),
               collapse = ", "), "\n")
  }
  print(utils::head(df, n), ...)
  if (nrow(x) > n) cat(sprintf("# ... %s more rows\n", format(nrow(x) - n, big.mark = ",")))
  invisible(x)
}
