#' Share of favourable answers per item ("% favourable")
#'
#' For each item, the share of valid answers that are favourable: a keyed
#' value of at least `threshold`. For the reverse-keyed `poor_past_it` of
#' [dmm_items], keying turns 1 and 2 into 5 and 4, so with the default
#' `threshold = 4` disagreeing is favourable. These are the percentages the
#' slides print next to each item ("Informatiebeveiliging (90%)").
#'
#' @inheritParams dm_score
#' @param threshold The smallest keyed value that counts as favourable. With
#'   the assumed 1-5 agreement scale, `4` means "agree" or "strongly agree"
#'   (for a reverse-keyed item: "disagree" or "strongly disagree"). It must
#'   lie on every item's scale (`scale_min` to `scale_max`); outside it every
#'   item would be 0% favourable, so that is an error.
#' @param weights Optional survey weights: a column of `data` (`"w"` or
#'   `~w`) or a numeric vector with one finite, non-negative value per row. The
#'   favourable share is then weighted and the interval uses Kish's effective
#'   sample size `sum(w)^2 / sum(w^2)` over the item's valid answers.
#' @param conf_level Confidence level of the Wilson score intervals.
#' @param fpc Optional finite population correction: the population number of units
#'   the rows are a sample of (e.g. `300` municipalities for one row per
#'   municipality, as [dm_aggregate()] gives); with `by`, a vector named by the
#'   groups' values with each group's population size. The interval then uses
#'   the effective n divided by \eqn{1 - n/N} (n rows of the group): a census
#'   (n = N) has no sampling error.
#' @param by Optional grouping columns (e.g. a population class), as names or
#'   a one-sided formula (`~size`): one row per item and group. A missing
#'   value is a group of its own; empty strings are missing (with a message
#'   giving their number).
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant (`conf.level` -> `conf_level`, `language` -> `lang`).
#'
#' @return A data frame of class `dm_agree`, one row per item (and group, the
#'   `by` columns first): `item`, `dimension`, `label_en`, `label_nl`, `n`
#'   (valid answers: not missing, not a missing code), `n_eff` (Kish's
#'   effective n; equal to `n` without weights), `favourable` (a share, 0-1),
#'   `conf.low`, `conf.high` (Wilson score interval; without weights it is
#'   the interval of `prop.test(correct = FALSE)`; all three printed as
#'   percentages). Items nobody answered have
#'   `n = 0` and `NA` shares. Use [dm_highlights()] for the slides'
#'   "going well" / "challenges" view.
#'
#' @section Assumptions:
#' The slides do not state the response scale; "% favourable" is taken as
#' the share answering 4 or 5 on a 5-point agreement scale (1 or 2 for the
#' reverse-keyed item) among valid answers.
#'
#' @section Errors:
#' As for [dm_score()], plus `digimaturity_error_input` for invalid
#' `threshold`, `weights`, `conf_level` or `by`.
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
#' resp <- as.data.frame(matrix(sample(1:5, 24 * 40, replace = TRUE), ncol = 24,
#'                              dimnames = list(NULL, dmm_items$item)))
#' resp$size <- rep(c("small", "large"), each = 20)
#'
#' agree <- dm_agree(resp, dmm_items, threshold = 4)
#' agree
#' dm_highlights(agree)
#'
#' # Per group, and with weights
#' head(dm_agree(resp, by = "size"))
#' head(dm_agree(resp, weights = rep(c(1, 2), 20)))
dm_agree <- function(data, items = dmm_items, threshold = 4, weights = NULL,
                     conf_level = 0.95, by = NULL, missing_codes = NULL, fpc = NULL, ...) {
  check_dots_spelling(..., .strict = TRUE)
  if (missing(items)) items <- bundled_items()
  check_data_frame(data)
  check_scalar_number(threshold, "threshold")
  check_share(conf_level, "conf_level", open = TRUE)
  w <- check_weights(weights, data)
  resp <- dm_responses(data, items, missing_codes)
  check_threshold(threshold, resp$items)
  if (is.null(by)) {
    gi <- list(code = NULL, groups = data.frame(row.names = 1L), n_groups = 1L)
  } else {
    by <- resolve_columns(by, data, "by")
    gi <- group_index(data, by)
  }
  out <- dm_agree_cpp(resp$columns, resp$spec, threshold, w, gi$code, gi$n_groups)
  raise_code_problems(out$problems, resp)

  ins <- resp$items
  n_items <- nrow(ins)
  n <- out$n
  if (is.null(w)) {
    p <- out$favourable / n
    n_eff <- n
  } else {
    p <- out$sum_w_fav / out$sum_w
    n_eff <- out$sum_w^2 / out$sum_w2
  }
  p[n == 0 | !is.finite(p)] <- NA_real_
  n_eff[n == 0 | !is.finite(n_eff)] <- if (is.null(w)) 0 else NA_real_
  ci <- wilson_interval(p, n_eff / agree_fpc(fpc, gi, by, nrow(data), n_items), conf_level)
  item_rows <- rep(seq_len(n_items), gi$n_groups)
  group_rows <- rep(seq_len(gi$n_groups), each = n_items)
  res <- data.frame(
    gi$groups[group_rows, , drop = FALSE],
    item = ins$item[item_rows], dimension = ins$dimension[item_rows],
    label_en = ins$label_en[item_rows], label_nl = ins$label_nl[item_rows],
    n = as.integer(n), n_eff = n_eff, favourable = p,
    conf.low = ci$low, conf.high = ci$high,
    stringsAsFactors = FALSE, check.names = FALSE
  )
  rownames(res) <- NULL
  attr(res, "threshold") <- threshold
  attr(res, "conf_level") <- conf_level
  attr(res, "weighted") <- !is.null(w)
  attr(res, "weights_label") <- weights_provenance(weights, substitute(weights))
  attr(res, "fpc") <- fpc
  attr(res, "by") <- by
  attr(res, "n_rows") <- nrow(data)
  attr(res, "reverse_keyed") <- ins$item[ins$keyed < 0]
  # the whole response distribution per item (keyed codes), for autoplot()
  attr(res, "distribution") <- distribution_frame(out, ins, gi)
  res <- with_provenance(res, resp$items, match.call())
  class(res) <- c("dm_agree", "data.frame")
  res
}

# Internal: the keyed answer distribution per item (and group) from the counts of
# dm_agree_cpp()'s pass: the `by` columns, item, code, share (NA for a group without
# answers to the item), items in codebook order, within an item group by group, codes
# ascending.
distribution_frame <- function(out, ins, gi) {
  G <- if (is.null(gi$code)) 1L else gi$n_groups
  if (G == 0L) {  # no rows, hence no groups: an empty distribution
    return(data.frame(item = character(), code = numeric(), share = numeric(),
                      stringsAsFactors = FALSE))
  }
  # per item: a K x G matrix of counts (or weight sums), shares within each group
  parts <- lapply(seq_len(nrow(ins)), function(j) {
    lo <- ins$scale_min[j]
    hi <- ins$scale_max[j]
    K <- hi - lo + 1L
    m <- matrix(out$dist[out$dist_offset[j] + seq_len(G * K)], nrow = K)
    tot <- colSums(m)
    share <- sweep(m, 2L, pmax(tot, .Machine$double.xmin), "/")
    share[, tot == 0] <- NA_real_
    list(group = rep(seq_len(G), each = K), code = rep(seq(lo, hi), G),
         share = as.vector(share))
  })
  len <- vapply(parts, function(p) length(p$share), integer(1))
  d <- data.frame(group = unlist(lapply(parts, `[[`, "group")), item = rep(ins$item, len),
                  code = unlist(lapply(parts, `[[`, "code")),
                  share = unlist(lapply(parts, `[[`, "share")), stringsAsFactors = FALSE)
  grp <- as.data.frame(gi$groups)
  if (ncol(grp)) d <- cbind(grp[d$group, , drop = FALSE], d)
  d$group <- NULL
  rownames(d) <- NULL
  d
}

# Internal: `threshold` is a keyed code and must lie on every item's scale; outside it
# every item would be 0% (or 100%) favourable.
check_threshold <- function(threshold, ins) {
  bad <- threshold < ins$scale_min | threshold > ins$scale_max
  if (!any(bad)) return(invisible(threshold))
  rng <- unique(sprintf("%d to %d", ins$scale_min[bad], ins$scale_max[bad]))
  hint <- if (threshold > 1 && threshold <= 100 && all(ins$scale_max < threshold))
    " It is a code of the response scale, not a percentage (for a cut in shares see dm_highlights(cut = ))." else ""
  dm_abort(sprintf(paste0(
    "`threshold` must be a code on the items' response scale (%s), the smallest keyed ",
    "answer that counts as favourable, e.g. 4 (agree) on a 1-5 scale; you passed %s, ",
    "outside the scale of %d item%s (%s).%s"),
    paste(rng, collapse = ", "), format(threshold), sum(bad), if (sum(bad) > 1) "s" else "",
    show_values(ins$item[bad], 3L), hint), type = "input")
}

# Internal: Wilson score interval for a proportion p from n (possibly effective)
# observations; identical to prop.test(correct = FALSE) for whole n.
wilson_interval <- function(p, n, conf_level) {
  z <- stats::qnorm((1 + conf_level) / 2)
  z22n <- z^2 / (2 * n)
  half <- z * sqrt(p * (1 - p) / n + z22n / (2 * n))
  low <- (p + z22n - half) / (1 + 2 * z22n)
  high <- (p + z22n + half) / (1 + 2 * z22n)
  low[!is.na(p) & p <= 0] <- 0
  high[!is.na(p) & p >= 1] <- 1
  list(low = pmax(low, 0), high = pmin(high, 1))
}

# Internal: survey weights as a numeric vector (or NULL), checked.
check_weights <- function(weights, data) {
  if (is.null(weights)) return(NULL)
  arg <- "weights"
  if (inherits(weights, "formula") || (is.character(weights) && length(weights) == 1L && !is.na(weights))) {
    weights <- resolve_columns(weights, data, "weights", max = 1L, type = "weights")
    arg <- sprintf("data$%s", weights)
    weights <- data[[weights]]
  }
  check_case_weights(weights, nrow(data), arg)
  w <- as.numeric(weights)
  if (length(w) && max(w) == 0) {
    dm_abort(sprintf("`%s` are all zero: no answer would count; give the rows positive weights.",
                     arg), type = "weights")
  }
  # shares and Kish's n do not depend on the scale of the weights: w / max(w) keeps
  # their sums and sums of squares within double precision (weights of 1e300 or 1e-300)
  if (length(w)) w <- w / max(w)
  w
}

#' @export
print.dm_agree <- function(x, ...) {
  cat(sprintf(paste0("<dm_agree> %% favourable (keyed answer >= %s) for %d item%s%s; ",
                     "%s%% Wilson intervals%s\n"),
              format(attr(x, "threshold")), length(unique(x$item)),
              if (length(unique(x$item)) == 1L) "" else "s",
              if (length(attr(x, "by"))) paste0(" by ", paste(attr(x, "by"), collapse = ", ")) else "",
              format(100 * attr(x, "conf_level")),
              if (isTRUE(attr(x, "weighted")))
                sprintf(" with Kish's effective n; %s", weights_words(x)) else ""))
  df <- x
  class(df) <- "data.frame"
  df$label_nl <- NULL
  # shares printed as percentages, as the header announces ("59.7%")
  for (col in intersect(c("favourable", "conf.low", "conf.high"), names(df))) {
    if (is.numeric(df[[col]])) {
      df[[col]] <- ifelse(is.na(df[[col]]), NA_character_,
                          sprintf("%.1f%%", 100 * df[[col]]))
    }
  }
  # a subset has lost the attribute: then n_eff stays (it may be weighted)
  if (identical(attr(x, "weighted"), FALSE)) df$n_eff <- NULL
  else if (is.numeric(df$n_eff)) df$n_eff <- round(df$n_eff, 1)
  print(df, ...)
  invisible(x)
}

#' The slides' "going well" and "challenges" per dimension
#'
#' From a [dm_agree()] result, the items with the highest and the lowest share
#' of favourable answers in each dimension: the slides' "Wat gaat goed?"
#' (going well) and "Uitdagingen" (challenges) view.
#'
#' @param x A [dm_agree()] result.
#' @param n Instead of `cut`, the number of items to show as going well and
#'   as challenges per dimension. The two lists never overlap: a dimension
#'   with `k` items shows at most `ceiling(k / 2)` as going well and
#'   `floor(k / 2)` as challenges.
#' @param cut A share (0-1): items at or above it are going well, the others
#'   challenges. The default, `0.6`, is the slides' reading: the slides do not
#'   state their rule, but their split of the 21 printed items (54% and less
#'   a challenge, 61% and more going well, e.g. "Interne reputatie (69%)"
#'   going well) is consistent with a cut between 0.55 and 0.61 only, and no
#'   "highest and lowest n per dimension" rule reproduces it. Ignored when
#'   `n` is given. It is applied to the share as printed, in whole percents
#'   (0.597, printed "60%", is at a cut of 0.6).
#' @param lang `"en"` or `"nl"`: the language of the labels when printed.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant (`conf.level` -> `conf_level`, `language` -> `lang`).
#'
#' @return A data frame of class `dm_highlights`: the `by` columns of `x`,
#'   `dimension`, `view` (`"going well"` or `"challenge"`), `item`,
#'   `label_en`, `label_nl`, `n` and `favourable`, going-well items by
#'   decreasing and challenges by increasing share. Items without valid
#'   answers are left out of both lists. Printing shows the slides' layout,
#'   e.g. "Information security (90%)"; a reverse-keyed item is marked, its
#'   share being that of disagreeing answers.
#'
#' @family scoring
#' @export
#' @examples
#' set.seed(1)
#' resp <- as.data.frame(matrix(sample(1:5, 24 * 40, replace = TRUE), ncol = 24,
#'                              dimnames = list(NULL, dmm_items$item)))
#' agree <- dm_agree(resp)
#' dm_highlights(agree)                  # the slides' reading: cut = 0.6
#' dm_highlights(agree, n = 2)           # the two highest and lowest per dimension
#' dm_highlights(dm_agree(flanders_dm), lang = "nl")
dm_highlights <- function(x, n = NULL, cut = 0.6, lang = c("en", "nl"), ...) {
  check_dots_spelling(..., .strict = TRUE)
  if (!inherits(x, "dm_agree")) {
    dm_abort(sprintf("`x` must be a dm_agree() result; you passed an object of class '%s'.",
                     class(x)[1]), type = "input")
  }
  lang <- match_choice(lang, c("en", "nl"), "lang")
  by <- attr(x, "by")
  check_columns_present(x, c(by, "dimension", "item", "label_en", "label_nl", "n", "favourable"),
                        arg = "x")
  if (!is.numeric(x$favourable)) {
    dm_abort(sprintf("`x$favourable` must be the numeric shares of dm_agree(); it is of class '%s'.",
                     class(x$favourable)[1]), type = "input")
  }
  if (!is.null(n)) {
    check_scalar_number(n, "n", 1)
    if (n != round(n)) {
      dm_abort(sprintf("`n` must be a whole number of items; you passed %s.", show_values(n)),
               type = "input")
    }
    cut <- NULL
  } else {
    if (is.null(cut)) cut <- 0.6
    check_scalar_number(cut, "cut", 0, 1)
  }
  df <- x
  class(df) <- "data.frame"
  df <- df[!is.na(df$favourable), , drop = FALSE]
  key <- if (length(by)) do.call(paste, c(df[c(by, "dimension")], sep = "\r")) else df$dimension
  parts <- lapply(split(seq_len(nrow(df)), factor(key, levels = unique(key))), function(rows) {
    d <- df[rows, , drop = FALSE]
    d <- d[order(-d$favourable, d$item), , drop = FALSE]
    k <- nrow(d)
    if (is.null(cut)) {
      top <- seq_len(min(n, ceiling(k / 2)))
      bottom <- rev(seq_len(k))[seq_len(min(n, floor(k / 2)))]
    } else {
      # on the whole percent as printed: 59.7% prints as 60% and is at a cut of 60%
      at <- round(100 * d$favourable) >= round(100 * cut, 6)
      top <- which(at)
      bottom <- rev(which(!at))
    }
    rbind(cbind(d[top, , drop = FALSE], view = rep("going well", length(top))),
          cbind(d[bottom, , drop = FALSE], view = rep("challenge", length(bottom))))
  })
  res <- do.call(rbind, parts)
  if (is.null(res)) res <- cbind(df, view = character())
  res <- res[c(by, "dimension", "view", "item", "label_en", "label_nl", "n", "favourable")]
  rownames(res) <- NULL
  attr(res, "by") <- by
  attr(res, "lang") <- lang
  attr(res, "reverse_keyed") <- attr(x, "reverse_keyed")
  attr(res, "rule") <- if (is.null(cut)) sprintf("highest and lowest %s per dimension", n)
                       else sprintf("going well when at least %s%% favourable", 100 * cut)
  class(res) <- c("dm_highlights", "data.frame")
  res
}

#' @export
print.dm_highlights <- function(x, ...) {
  check_dots_strict(..., .fun = "print()")
  lang <- if (identical(attr(x, "lang"), "nl")) "nl" else "en"
  by <- attr(x, "by")
  w <- plot_words[[lang]]
  heads <- w[c("going_well", "challenge")]
  cat(sprintf("<dm_highlights> %% favourable; %s\n", attr(x, "rule")))
  label <- if (lang == "nl") x$label_nl else x$label_en
  rev <- x$item %in% attr(x, "reverse_keyed")
  shown <- sprintf("%s%s (%.0f%%)", label, ifelse(rev, "\u2020", ""), 100 * x$favourable)
  key <- if (length(by)) do.call(paste, c(lapply(x[by], as.character), sep = ", ")) else rep("", nrow(x))
  for (k in unique(key)) {
    if (nzchar(k)) cat(sprintf("\n== %s ==\n", k))
    for (d in unique(x$dimension[key == k])) {
      cat(sprintf("\n%s\n", d))
      rows <- key == k & x$dimension == d
      for (v in 1:2) {
        sel <- rows & x$view == c("going well", "challenge")[v]
        if (any(sel)) cat(sprintf("  %s: %s\n", heads[v], paste(shown[sel], collapse = "; ")))
      }
    }
  }
  if (any(rev)) {
    cat("\n", w[["reverse_share"]], "\n", sep = "")
  }
  invisible(x)
}
