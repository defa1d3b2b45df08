#' DiMiOS-style maturity type: digital capability crossed with digital legacy
#'
#' The DiMiOS model (Magnusson and Nilsson) places an organisation in one of
#' four types by crossing its digital capability with its digital legacy.
#' `dm_typology()` does this for each row of a score table: respondents
#' ([dm_score()]) or municipalities ([dm_aggregate()]).
#'
#' @param x A data frame with the score columns named in `capability` and
#'   `legacy`, such as a [dm_score()] or [dm_aggregate()] result.
#' @param capability The columns whose mean is the capability score (a row
#'   missing any of them has no capability score).
#' @param legacy The column with the legacy score. Legacy items are keyed so
#'   that a high score is a favourable legacy (the reverse-keyed
#'   `poor_past_it` included).
#' @param cut Where "low" ends and "high" begins: `"median"` (the median of
#'   each score over the rows that have it, the default) or numbers on the
#'   score scale, one for both scores or `c(capability, legacy)`; e.g. `3`,
#'   the midpoint of the assumed 1-5 scale. A score above the cut is high
#'   (enabling, for legacy); a score at or below it is low (constraining).
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant (`conf.level` -> `conf_level`, `language` -> `lang`).
#'
#' @return `x` with the columns `capability` (the capability score),
#'   `capability_level` (`"low"`, `"high"`), `legacy_level` (`"constraining"`,
#'   `"enabling"`), `type` (factor `A`-`D`) and `type_label`; rows missing a
#'   score have `NA` type. So has the row of respondents without a
#'   municipality in a [dm_aggregate()] result (a missing `by` value): it is
#'   no municipality, and it takes no part in the median cuts, the type
#'   counts or the plot. The cuts used are in `attr(, "cut")`. The class
#'   `dm_typology` is added in front of `x`'s own: it prints the type counts
#'   and cuts above the table, the type columns first, and
#'   [autoplot.dm_typology()] draws it.
#'
#' @section The types and their labels:
#' The crossing of capability with legacy is the DiMiOS model's; the letters,
#' their order and the labels below are ours (the slides show no typology
#' labels), as is the default median cut:
#' * `A` "mature": high capability, enabling legacy;
#' * `B` "held back by legacy": high capability, constraining legacy;
#' * `C` "untapped foundation": low capability, enabling legacy;
#' * `D` "starting out": low capability, constraining legacy.
#'
#' A median cut makes the types relative to the sample at hand: the same
#' municipality can change type when others are added. Use a numeric cut for
#' an absolute reading.
#'
#' @family scoring
#' @export
#' @examples
#' # municipalities of the bundled (synthetic) survey, cut at the medians
#' types <- dm_typology(dm_aggregate(flanders_dm))
#' types
#' table(types$type, useNA = "ifany")
#' # respondents, cut at the scale midpoint
#' head(dm_typology(dm_score(flanders_dm), cut = 3)[, c("capability", "legacy", "type", "type_label")])
dm_typology <- function(x, capability = c("efficiency", "innovation", "balance"),
                        legacy = "legacy", cut = "median", ...) {
  check_dots_spelling(..., .strict = TRUE)
  check_data_frame(x)
  if (!is.character(capability) || !length(capability) || anyNA(capability)) {
    dm_abort(sprintf("`capability` must name one or more score columns; you passed %s.",
                     show_values(capability)), type = "input")
  }
  if (!is.character(legacy) || length(legacy) != 1L || is.na(legacy)) {
    dm_abort(sprintf("`legacy` must name one score column; you passed %s.",
                     show_values(legacy)), type = "input")
  }
  check_columns_present(x, c(capability, legacy), arg = "x")
  for (col in c(capability, legacy)) {
    if (!is.numeric(x[[col]]) || !is.null(dim(x[[col]]))) {
      dm_abort(sprintf("`x$%s` must be a numeric score; it is of class '%s'.", col,
                       class(x[[col]])[1]), type = "input")
    }
  }
  cap <- rowMeans(as.matrix(as.data.frame(x)[capability]))
  cap[is.nan(cap)] <- NA_real_
  leg <- as.numeric(x[[legacy]])
  # rows of respondents without a municipality (a missing `by` value of dm_aggregate())
  # are no municipality: no type, and no part in the cuts and counts
  by <- attr(x, "by")
  by <- if (is.character(by) && length(by) && all(by %in% names(x))) by else character()
  no_group <- if (length(by)) rowSums(is.na(as.data.frame(x)[by])) > 0 else rep(FALSE, nrow(x))
  if (length(by) && is.null(attr(x, "id_variants"))) {
    for (b in by) check_id_variants(x[[b]], sprintf("x$%s", b))
  }
  if (is.character(cut)) {
    check_choice(cut, "median", "cut")
    cuts <- c(stats::median(cap[!no_group], na.rm = TRUE),
              stats::median(leg[!no_group], na.rm = TRUE))
    if (nrow(x) > 0L && anyNA(cuts)) {
      empty <- c(if (is.na(cuts[1])) sprintf("the capability score (%s)", show_values(capability)),
                 if (is.na(cuts[2])) sprintf("`x$%s`", legacy))
      dm_abort(sprintf(paste0("`cut = \"median\"` needs scores: %s %s no non-missing value in ",
                              "the %d rows of `x`; give `cut` as numbers or score the respondents first."),
                       paste(empty, collapse = " and "), if (length(empty) > 1) "have" else "has",
                       nrow(x)), type = "input")
    }
  } else {
    if (!is.numeric(cut) || !length(cut) %in% 1:2 || anyNA(cut) || any(!is.finite(cut))) {
      dm_abort(sprintf("`cut` must be \"median\" or one or two finite numbers; you passed %s.",
                       show_values(cut)), type = "input")
    }
    cuts <- rep_len(as.numeric(cut), 2L)
  }
  high_cap <- ifelse(no_group, NA, cap > cuts[1])
  high_leg <- ifelse(no_group, NA, leg > cuts[2])
  type <- ifelse(high_cap, ifelse(high_leg, "A", "B"), ifelse(high_leg, "C", "D"))
  labels <- c(A = "mature", B = "held back by legacy", C = "untapped foundation",
              D = "starting out")
  x$capability <- cap
  x$capability_level <- factor(ifelse(high_cap, "high", "low"), levels = c("low", "high"))
  x$legacy_level <- factor(ifelse(high_leg, "enabling", "constraining"),
                           levels = c("constraining", "enabling"))
  x$type <- factor(type, levels = names(labels))
  x$type_label <- unname(labels[type])
  attr(x, "cut") <- c(capability = cuts[1], legacy = cuts[2])
  attr(x, "cut_rule") <- if (is.character(cut)) "median" else "given"
  # the class tells autoplot() to draw capability x legacy and print() to show the types
  class(x) <- unique(c("dm_typology", class(x)))
  x
}

#' @export
print.dm_typology <- function(x, n = 10L, ...) {
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  if (!"type" %in% names(df)) {
    # a selection of columns without the types: an ordinary data frame
    print(df, ...)
    return(invisible(x))
  }
  by <- attr(x, "by")
  by <- if (is.character(by) && length(by) && all(by %in% names(df))) by else character()
  no_group <- if (length(by)) rowSums(is.na(df[by])) > 0 else rep(FALSE, nrow(df))
  rows <- if (identical(by, "municipality")) "municipalities"
    else if (length(by)) sprintf("groups by %s", paste(by, collapse = ", "))
    else if (inherits(x, "dm_scores")) "respondents" else "rows"
  counts <- table(factor(df$type[!no_group], levels = c("A", "B", "C", "D")))
  cat(sprintf("DiMiOS typology: %s %s, types A-D: %s\n", format(sum(!no_group), big.mark = ","),
              rows, paste(names(counts), as.integer(counts), collapse = ", ")))
  cuts <- attr(x, "cut")
  if (length(cuts) == 2L) {
    cat(sprintf("Cut%s: capability %s, legacy %s (a score above its cut is high / enabling)\n",
                if (identical(attr(x, "cut_rule"), "median")) " at the median" else "",
                format(cuts[[1]], digits = 3), format(cuts[[2]], digits = 3)))
  }
  no_score <- sum(is.na(df$type) & !no_group)
  if (no_score > 0 || any(no_group)) {
    n_resp <- if ("n" %in% names(df)) sprintf(" (%s respondents)", format(sum(df$n[no_group]), big.mark = ","))
      else ""
    cat(paste0("No type: ", paste(c(
      if (no_score > 0) sprintf("%s without a score", format(no_score, big.mark = ",")),
      if (any(no_group)) sprintf("%s%s without a %s, which %s no %s",
                                 if (sum(no_group) > 1) sprintf("%d rows", sum(no_group)) else "the row",
                                 n_resp, paste(by, collapse = " or "),
                                 if (sum(no_group) > 1) "are" else "is",
                                 if (identical(by, "municipality")) "municipality" else "group")),
      collapse = "; "), "\n"))
  }
  first <- intersect(c(by, "type", "type_label", "capability", "legacy", "capability_level",
                       "legacy_level"), names(df))
  df <- df[c(first, setdiff(names(df), first))]
  print(utils::head(df, n), ...)
  if (nrow(df) > n) cat(sprintf("# ... %s more rows\n", format(nrow(df) - n, big.mark = ",")))
  invisible(x)
}
