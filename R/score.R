#' Score maturity dimensions from item responses
#'
#' Turns raw item responses into one maturity score per respondent and
#' dimension: each item is keyed (reverse-keyed items become
#' `scale_max + scale_min - x`, with the item's own range), and the score is
#' the mean of the keyed items a respondent answered, provided the answered
#' share reaches `min_answered`.
#'
#' @param data A data frame with one row per respondent and one column per
#'   item, named by `items$item` (see [dm_read()] to read and map a survey
#'   export). Item columns may be numeric or integer codes; factor, ordered or
#'   character columns of codes ("4") or of word answers ("Helemaal eens",
#'   "Agree"), matched to codes through the response labels of `items` (case,
#'   accents and spaces ignored; a factor is never scored by the position of
#'   its levels); or `haven_labelled` (SPSS exports: the values are used, and
#'   a code whose value label is a "no answer" label such as "weet niet" is
#'   missing; when the value labels name every code of the scale with other
#'   codes, the labels decide). "No answer" labels become missing and are
#'   counted in a message of class `digimaturity_message_no_answer`.
#' @param items The codebook: [dmm_items] (the default) or any data frame that
#'   [dm_instrument()] accepts.
#' @param min_answered The smallest share (0 to 1) of a dimension's items a
#'   respondent must have answered to get a score; `answered / items >=
#'   min_answered`. With `0`, one answered item is enough. It is a share, not
#'   a number of items: for at least 6 of 8 items use `0.75`.
#' @param scale `"mean"` (the mean of the keyed items, on the response
#'   scale), `"pomp"` (percent of maximum possible: each keyed item rescaled
#'   to 0-100 by its own range, then averaged) or `"z"` (the mean score
#'   standardised over the respondents that have a score, with the standard
#'   deviation of [stats::sd()]).
#' @param level `"dimension"` (score per `items$dimension`) or `"category"`
#'   (score per `items$category`; items without a category, such as the
#'   capability items of [dmm_items], keep their dimension).
#' @param missing_codes Numeric codes that mean "no answer", for example `9`
#'   for "weet niet" (don't know); they become missing. SPSS user-missing
#'   values (the `na_values` of `haven::read_sav(user_na = TRUE)`) are
#'   missing too.
#' @param keep Names of columns of `data` (identifiers, groups) to carry
#'   into the result.
#' @param id Optionally the respondent id column (`"respondent"` or
#'   `~respondent`): it is carried into the result and a duplicated id is an
#'   error. Empty strings (how SPSS stores a missing string) become `NA`,
#'   with a message giving their number.
#' @param weights Optional respondent weights: a [dm_weights()] result, a
#'   column of `data` (name or one-sided formula) or a vector with one
#'   non-negative value per row. The scores themselves do not change; the
#'   weights go into the result as its column `.weight` and are used by
#'   [summary()][summary.dm_scores] (weighted, design-based means), by `scale
#'   = "z"` (standardised with the weighted mean and standard deviation, so
#'   that 0 is the population's mean), by [autoplot()][autoplot.dm_scores]
#'   (weighted histograms) and by `dm_lm(weights = .weight)` on the scores.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant (`conf.level` -> `conf_level`, `language` -> `lang`).
#'
#' @return A data frame of class `dm_scores`, one row per respondent in the
#'   order of `data`: the `id` and `keep` columns, one column per dimension
#'   (named by the dimension id, e.g. `efficiency`) holding the score or `NA`,
#'   and `<dimension>_n`, the number of that dimension's items answered; with
#'   `weights`, `.weight` (the weights as given) and `attr(x, "weights_label")`
#'   (how they were made, e.g. "weighted to size_class x province margins").
#'   Nobody is dropped: the print method and `attr(x, "n_no_score")` give the
#'   number of respondents without a score per dimension. For `scale = "z"`,
#'   `attr(x, "z_center")` and `attr(x, "z_scale")` hold the means and
#'   standard deviations used (weighted with `weights`).
#'
#' @section Assumptions:
#' The slides do not state the response scale; [dmm_items] assumes a 5-point
#' agreement scale (1-5). Codes are whole numbers within each item's
#' `scale_min`-`scale_max`; anything else is an error unless declared in
#' `missing_codes`.
#'
#' @section Keying check:
#' An item whose keyed values correlate negatively with the rest of its
#' dimension gets a warning of class `digimaturity_warning_keying`, naming
#' it, its dimension and its corrected item-rest correlation (`r_rest` of
#' [dm_reliability()], from pairwise-complete covariances), with the two
#' likely causes: not reversed although reverse-keyed in the wording, or
#' reversed twice (already reversed in the data and `keyed = -1` in the
#' codebook). The scores are returned all the same. In a two-item dimension
#' both items are named (the check cannot tell which one is mis-keyed);
#' one-item dimensions are not checked. See [dm_reliability()].
#'
#' @section Errors:
#' All errors have class `digimaturity_error` and a subclass:
#' `digimaturity_error_missing_column` (item columns absent from `data`, all
#' listed; when few items are columns of `data`, the message says how to map
#' them with [dm_read()] and proposes a mapping where column names or labels
#' resemble the items), `digimaturity_error_response_type` (an item column
#' that is not numeric, factor, character or labelled),
#' `digimaturity_error_unmatched_label` (word answers that match no response
#' label: each label, its count and its item), `digimaturity_error_invalid_code` (codes
#' outside an item's range or not whole numbers: the message names each item,
#' its first offending rows and their values), `digimaturity_error_duplicate_id`
#' and `digimaturity_error_input` (other arguments).
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
#' # A small simulated survey with the items of the bundled instrument: answers
#' # driven by one latent maturity per respondent
#' set.seed(1)
#' latent <- rnorm(40)
#' resp <- as.data.frame(lapply(seq_len(nrow(dmm_items)), function(j)
#'   pmin(5, pmax(1, round(3 + latent + rnorm(40))))))
#' names(resp) <- dmm_items$item
#' resp$poor_past_it <- 6 - resp$poor_past_it  # reverse-keyed in its wording
#' resp$respondent <- 1:40
#' resp$sourcing_strategy[1:3] <- NA
#'
#' scores <- dm_score(resp, dmm_items, min_answered = 0.5, id = "respondent")
#' scores
#'
#' # Percent of maximum possible, and z-scores over respondents with a score
#' head(dm_score(resp, scale = "pomp"))
#' head(dm_score(resp, scale = "z"))
#'
#' # The legacy categories (our assumed mapping) instead of the dimensions
#' head(dm_score(resp, level = "category"))
#'
#' # Word answers are read through the response labels of the instrument
#' words <- resp
#' words$open_data <- c("Helemaal oneens", "Oneens", "Neutraal", "Eens",
#'                      "Helemaal eens")[resp$open_data]
#' words$open_data[5] <- "weet niet"
#' head(dm_score(words))
#'
#' # An item reversed twice (already reversed in the data, keyed = -1 in the
#' # codebook) correlates negatively with its dimension: a keying warning
#' twice <- resp
#' twice$poor_past_it <- 6 - twice$poor_past_it
#' head(dm_score(twice))
#'
#' # "Don't know" coded as 9 must be declared
#' resp$open_data[4] <- 9
#' try(dm_score(resp))
#' head(dm_score(resp, missing_codes = 9))
dm_score <- function(data, items = dmm_items, min_answered = 0.5,
                     scale = c("mean", "pomp", "z"), level = c("dimension", "category"),
                     missing_codes = NULL, keep = NULL, id = NULL, weights = NULL, ...) {
  check_dots_spelling(..., .strict = TRUE)
  if (missing(items)) items <- bundled_items()
  scale <- match_choice(scale, c("mean", "pomp", "z"), "scale")
  level <- match_choice(level, c("dimension", "category"), "level")
  check_data_frame(data)
  ins <- as_instrument(items)
  if (level == "category") {
    ins$dimension <- ifelse(is.na(ins$category), ins$dimension, ins$category)
  }
  check_min_answered(min_answered, ins)
  carry <- check_carried(data, id, keep)
  w <- respondent_weights(weights, data)
  if (!is.null(w) && ".weight" %in% names(carry)) {
    dm_abort("`keep` names a column `.weight`, the name of the weights' column of the result; rename it.",
             type = "input")
  }
  resp <- dm_responses(data, ins, missing_codes)
  # one pass: the scores and the keying check's item statistics (weighted z-scores are
  # standardised below, from the mean scores)
  code <- if (scale == "z" && !is.null(w)) 0L else match(scale, c("mean", "pomp", "z")) - 1L
  out <- dm_score_cpp(resp$columns, resp$spec, code, min_answered, moments = TRUE)
  if (scale == "z" && !is.null(w)) out <- weighted_z(out, w)
  raise_code_problems(out$problems, resp)
  resp$moments <- out$moments
  warn_keying(keying_check(resp))
  dims <- resp$dimensions
  res <- c(carry,
           stats::setNames(out$scores, dims),
           stats::setNames(out$counts, paste0(dims, "_n")),
           if (!is.null(w)) list(.weight = if (inherits(weights, "dm_weights")) weights else w))
  res <- new_scores_frame(res, nrow(data))
  n_items <- tabulate(resp$spec$dimension, length(dims))
  attr(res, "dimensions") <- dims
  attr(res, "n_items") <- stats::setNames(n_items, dims)
  attr(res, "n_no_score") <- stats::setNames(
    vapply(out$scores, function(s) sum(is.na(s)), numeric(1)), dims)
  attr(res, "scale") <- scale
  attr(res, "min_answered") <- min_answered
  if (scale == "z") {
    # The mean and sd of the raw scores that were standardised, to undo it.
    attr(res, "z_center") <- stats::setNames(out$z_center, dims)
    attr(res, "z_scale") <- stats::setNames(out$z_scale, dims)
  }
  attr(res, "weights_label") <- weights_provenance(weights, substitute(weights))
  res <- with_provenance(res, resp$items, match.call())
  class(res) <- c("dm_scores", "data.frame")
  res
}

# Internal: z-scores standardised with the weighted mean and (cov.wt) standard deviation
# of the mean scores, those of summary.dm_scores(); `out` as dm_score_cpp() returns it.
weighted_z <- function(out, w) {
  n <- length(w)
  mom <- lapply(out$scores, function(s) design_mean(s, w, seq_len(n)))
  out$z_center <- vapply(mom, `[[`, numeric(1), "mean")
  out$z_scale <- vapply(mom, `[[`, numeric(1), "sd")
  out$scores <- Map(function(s, m) (s - m$mean) / m$sd, out$scores, mom)
  out
}

# Internal: `min_answered` is a share; a whole number from 2 up to the largest number of
# items of a dimension is most likely a number of items: the error then gives the share
# that asks for that many items and what that one share asks of each dimension.
check_min_answered <- function(x, ins) {
  if (is.numeric(x) && length(x) == 1L && !is.na(x) && is.finite(x) && x > 1 &&
      x == round(x)) {
    dims <- unique(ins$dimension)
    k <- as.vector(table(factor(ins$dimension, levels = dims)))
    if (x <= max(k)) {
      # floored to 3 decimals, so that x of k answered items reach it
      share <- function(a, b) format(floor(1000 * a / b + 1e-9) / 1000)
      sizes <- sort(unique(k), decreasing = TRUE)
      name <- function(kk) paste(dims[k == kk], collapse = ", ")
      fits <- sizes[sizes >= x]
      of <- sprintf("%s of the %d items of %s", vapply(fits, share, "", a = x), fits,
                    vapply(fits, name, ""))
      short <- sizes[sizes < x]
      s <- as.numeric(share(x, max(k)))
      asks <- sprintf("%d of %d (%s)", ceiling(s * sizes - 1e-9), sizes,
                      vapply(sizes, name, ""))
      dm_abort(sprintf(paste0(
        "`min_answered` must be a share of a dimension's items in [0, 1], not a number of ",
        "items; you passed %s. %s answered items are %s%s. One share applies to every ",
        "dimension: min_answered = %s asks for at least %s items."),
        format(x), format(x), paste(of, collapse = "; "),
        if (length(short)) sprintf(" (%s %s fewer items)", paste(vapply(short, name, ""),
                                                                 collapse = ", "),
                                   if (sum(k < x) > 1) "have" else "has") else "",
        format(s), paste(asks, collapse = ", ")), type = "input", call = sys.call(-1))
    }
  }
  check_share(x, "min_answered")
}

# Internal: a data frame from a list of equal-length columns, without copying them.
new_scores_frame <- function(cols, n) {
  structure(cols, class = "data.frame", row.names = .set_row_names(n))
}

# Internal: check the id and keep columns; returns the columns to carry (id first, with
# empty strings as missing).
check_carried <- function(data, id, keep) {
  if (!is.null(id)) {
    id <- resolve_columns(id, data, "id", max = 1L)
    check_group_column(data[[id]], sprintf("data$%s", id))
    v <- blank_to_na(data[[id]], sprintf("data$%s", id))
    dup <- (duplicated(v) | duplicated(v, fromLast = TRUE)) & !is.na(v)
    if (any(dup)) {
      rows <- which(dup)
      dm_abort(sprintf("`data$%s` must identify respondents, but %s occur%s more than once (rows %s).",
                       id, show_values(v[rows]), if (length(unique(v[rows])) > 1) "" else "s",
                       show_rows(rows)), type = "duplicate_id")
    }
  }
  if (!is.null(keep)) {
    if (!is.character(keep) || anyNA(keep)) {
      dm_abort(sprintf("`keep` must be a character vector of column names; you passed %s.",
                       show_values(keep)), type = "input")
    }
    check_columns_present(data, keep)
  }
  cols <- as.list(data[unique(c(id, keep))])
  if (!is.null(id)) cols[[id]] <- v
  cols
}

#' @export
print.dm_scores <- function(x, n = 10L, ...) {
  # subsetting drops the attribute: then a score is a column with a "<name>_n" partner
  dims <- attr(x, "dimensions")
  if (is.null(dims)) dims <- names(x)
  dims <- dims[dims %in% names(x) & paste0(dims, "_n") %in% names(x)]
  if (!length(dims)) {
    # a selection of columns without the scores: an ordinary data frame
    print(structure(x, class = "data.frame", dimensions = NULL, n_items = NULL,
                    n_no_score = NULL, scale = NULL, min_answered = NULL), ...)
    return(invisible(x))
  }
  cat(sprintf("<dm_scores> %s respondents, %d dimension%s", format(nrow(x), big.mark = ","),
              length(dims), if (length(dims) == 1L) "" else "s"))
  if (!is.null(attr(x, "scale"))) {
    cat(sprintf("; scale '%s', min_answered %s", attr(x, "scale"), attr(x, "min_answered")))
  }
  cat("\n")
  no_score <- vapply(dims, function(d) sum(is.na(x[[d]])), numeric(1))
  cat("Without a score (too few items answered):",
      paste0(dims, " ", no_score, collapse = ", "), "\n")
  if (!is.null(x$.weight)) {
    cat("Weights (column .weight): ", weights_words(x) %||% "weighted", "\n", sep = "")
  }
  df <- x
  class(df) <- "data.frame"
  attr(df, "dimensions") <- attr(df, "n_items") <- attr(df, "n_no_score") <- NULL
  attr(df, "scale") <- attr(df, "min_answered") <- NULL
  attr(df, "z_center") <- attr(df, "z_scale") <- NULL
  attr(df, "instrument") <- attr(df, "call") <- attr(df, "weights_label") <- NULL
  if (!is.null(df$.weight)) df$.weight <- as.numeric(df$.weight)
  print(utils::head(df, n), ...)
  if (nrow(x) > n) cat(sprintf("# ... %s more rows\n", format(nrow(x) - n, big.mark = ",")))
  invisible(x)
}
