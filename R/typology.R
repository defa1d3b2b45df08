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
#'
#' @return `x` with the columns `capability` (the capability score),
#'   `capability_level` (`"low"`, `"high"`), `legacy_level` (`"constraining"`,
#'   `"enabling"`), `type` (factor `A`-`D`) and `type_label`; rows missing a
#'   score have `NA` type. The cuts used are in `attr(, "cut")`. The class
#'   `dm_typology` is added in front of `x`'s own (for [autoplot.dm_typology()]).
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
#' set.seed(1)
#' resp <- as.data.frame(matrix(sample(1:5, 24 * 40, replace = TRUE), ncol = 24,
#'                              dimnames = list(NULL, dmm_items$item)))
#' types <- dm_typology(dm_score(resp))
#' table(types$type, useNA = "ifany")
#' head(dm_typology(dm_score(resp), cut = 3)[, c("capability", "legacy", "type", "type_label")])
dm_typology <- function(x, capability = c("efficiency", "innovation", "balance"),
                        legacy = "legacy", cut = "median") {
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
  leg <- as.numeric(x[[legacy]])
  if (is.character(cut)) {
    check_choice(cut, "median", "cut")
    cuts <- c(stats::median(cap, na.rm = TRUE), stats::median(leg, na.rm = TRUE))
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
  high_cap <- cap > cuts[1]
  high_leg <- leg > cuts[2]
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
  # the class tells autoplot() to draw capability x legacy; the rest (printing) is x's
  class(x) <- unique(c("dm_typology", class(x)))
  x
}
