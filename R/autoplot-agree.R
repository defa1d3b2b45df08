# autoplot() of dm_agree(): the slides' item bars as diverging stacked bars of the whole
# response distribution, and the distribution itself (computed by dm_agree()).

# Internal: per item (and group) the share of each keyed answer code among the valid
# answers, weighted when weights are given. A data frame: the `by` columns, item, code
# (keyed: 5 is the most favourable, for a reverse-keyed item too), share.
agree_distribution <- function(resp, w, gi) {
  ins <- resp$items
  G <- if (is.null(gi$code)) 1L else gi$n_groups
  if (G == 0L) {  # no rows, hence no groups: an empty distribution
    return(data.frame(item = character(), code = numeric(), share = numeric(),
                      stringsAsFactors = FALSE))
  }
  out <- lapply(seq_len(nrow(ins)), function(j) {
    x <- as.numeric(resp$columns[[j]])
    lo <- ins$scale_min[j]; hi <- ins$scale_max[j]
    ok <- !is.na(x) & !x %in% resp$spec$missing_codes[[j]] & x >= lo & x <= hi & x == round(x)
    if (!is.null(w)) ok <- ok & !is.na(w)
    k <- if (ins$keyed[j] < 0) lo + hi - x else x
    g <- if (is.null(gi$code)) rep(1L, length(x)) else gi$code
    K <- hi - lo + 1L
    idx <- (g[ok] - 1L) * K + (k[ok] - lo) + 1L
    tot <- if (is.null(w)) tabulate(idx, G * K) else
      vapply(split(w[ok], factor(idx, levels = seq_len(G * K))), sum, numeric(1))
    m <- matrix(tot, nrow = K)
    share <- sweep(m, 2L, pmax(colSums(m), .Machine$double.xmin), "/")
    share[, colSums(m) == 0] <- NA_real_
    data.frame(group = rep(seq_len(G), each = K), item = ins$item[j],
               code = rep(seq(lo, hi), G), share = as.vector(share), stringsAsFactors = FALSE)
  })
  d <- do.call(rbind, out)
  grp <- as.data.frame(gi$groups)
  if (ncol(grp)) d <- cbind(grp[d$group, , drop = FALSE], d)
  d$group <- NULL
  rownames(d) <- NULL
  d
}

#' Item bars: the response distribution per item, as on the slides
#'
#' Diverging stacked bars of the whole response distribution of each item,
#' favourable answers to the right of zero and unfavourable ones to the left
#' (a middle answer below the favourable threshold straddles zero), grouped
#' in the slides' "going well" and "challenges" per dimension
#' ([dm_highlights()], by default at the slides' cut of 60%) and ordered by
#' "% favourable" within each. The "% favourable" and n of each item are
#' printed at the right. Answers are keyed: a reverse-keyed item (marked with
#' a dagger) is shown with its answers reversed, so that right is favourable
#' for every item. With weights, the shares are weighted as in [dm_agree()].
#'
#' @param object A [dm_agree()] result.
#' @param lang `"en"` or `"nl"`: the language of the labels. Items, answers
#'   and dimensions are labelled from the result's own instrument
#'   (`attr(object, "instrument")`): a scale of your own shows its own
#'   answer labels.
#' @param dimensions Optional: the dimensions to show (all by default).
#' @param ... Passed to [dm_highlights()]: `cut` or `n`. Any other argument
#'   is an error (`digimaturity_error_argument_spelling`).
#' @return A ggplot object. With `by` groups, one column of panels per group.
#' @family plots
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' fav <- dm_agree(flanders_dm)
#' autoplot(fav)
#' autoplot(fav, lang = "nl", dimensions = "legacy")
autoplot.dm_agree <- function(object, lang = c("en", "nl"), dimensions = NULL, ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE, .allowed = c("n", "cut"))
  need_ggplot2()
  lang <- check_lang(lang)
  ins <- attr(object, "instrument")
  w <- plot_words[[lang]]
  dist <- attr(object, "distribution")
  if (is.null(dist)) {
    dm_abort("`object` has no response distribution: it must come from dm_agree() of this version.",
             type = "input")
  }
  by <- attr(object, "by")
  df <- object
  class(df) <- "data.frame"
  if (!is.null(dimensions)) {
    if (!is.character(dimensions) || !all(dimensions %in% df$dimension)) {
      dm_abort(sprintf("`dimensions` must be some of %s; you passed %s.",
                       paste0("'", unique(df$dimension), "'", collapse = ", "),
                       show_values(dimensions)), type = "input")
    }
    df <- df[df$dimension %in% dimensions, , drop = FALSE]
  }
  hl <- dm_highlights(object, lang = lang, ...)
  key <- function(d) do.call(paste, c(lapply(d[c(by, "item")], as.character), sep = "\r"))
  df$view <- hl$view[match(key(df), key(hl))]
  df$group <- if (length(by)) do.call(paste, c(lapply(df[by], as.character), sep = ", ")) else ""
  rev <- df$item %in% attr(object, "reverse_keyed")
  lab <- if (lang == "nl") df$label_nl else df$label_en
  lab[is.na(lab)] <- df$item[is.na(lab)]
  df$shown <- paste0(lab, ifelse(rev, " \u2020", ""))
  dims <- unique(df$dimension)
  views <- c("going well", "challenge")
  # with groups, an item can go well in one and be a challenge in another: the panels
  # are then the dimensions and the view is a mark beside the share
  df$panel <- if (length(by)) dimension_label(df$dimension, lang, ins) else
    paste0(dimension_label(df$dimension, lang, ins), "\n",
           ifelse(df$view %in% "going well", w[["going_well"]], w[["challenge"]]))
  panel_levels <- unique(df$panel[order(match(df$dimension, dims), match(df$view, views))])
  # items ordered by their share within each panel (the first group's share decides)
  ord <- df[df$group == df$group[1], ]
  ord <- ord[order(match(ord$panel, panel_levels), ord$favourable), ]
  item_levels <- unique(ord$shown)

  dist$group <- if (length(by)) do.call(paste, c(lapply(dist[by], as.character), sep = ", ")) else ""
  dist <- dist[paste(dist$group, dist$item) %in% paste(df$group, df$item), , drop = FALSE]
  m <- match(paste(dist$group, dist$item), paste(df$group, df$item))
  dist$shown <- df$shown[m]
  dist$panel <- df$panel[m]
  thr <- attr(object, "threshold")
  codes <- sort(unique(dist$code))
  mid <- if (length(codes) %% 2 == 1) stats::median(codes) else NA
  # stacked from zero outwards: unfavourable codes to the left, favourable to the right,
  # a middle code below the threshold split half and half around zero
  dist$share[is.na(dist$share)] <- 0
  parts <- lapply(split(dist, paste(dist$group, dist$item)), function(d) {
    d <- d[order(d$code), ]
    s <- d$share
    fav <- d$code >= thr
    half <- !fav & d$code %in% mid
    neg <- !fav & !half
    xmin <- xmax <- numeric(nrow(d))
    hs <- sum(s[half]) / 2
    right <- hs
    for (i in which(fav)) { xmin[i] <- right; xmax[i] <- right + s[i]; right <- xmax[i] }
    left <- -hs
    for (i in rev(which(neg))) { xmax[i] <- left; xmin[i] <- left - s[i]; left <- xmin[i] }
    xmin[half] <- -hs; xmax[half] <- hs
    d$xmin <- xmin; d$xmax <- xmax
    d
  })
  bars <- do.call(rbind, parts)
  resp_labels <- response_code_labels(codes, lang, ins)
  bars$answer <- factor(resp_labels[match(bars$code, codes)], levels = resp_labels)
  bars$y <- factor(bars$shown, levels = item_levels)
  bars$mid <- (bars$xmin + bars$xmax) / 2
  bars$width <- bars$xmax - bars$xmin
  right_end <- max(bars$xmax, 0.5)
  df$y <- factor(df$shown, levels = item_levels)
  df$text <- sprintf("%.0f%%  n = %d", 100 * df$favourable, df$n)
  if (length(by)) {
    df$text <- sprintf("%.0f%% %s\nn = %d", 100 * df$favourable,
                       ifelse(df$view %in% "going well", "\u25b2", "\u25bc"), df$n)
  }
  df$text[is.na(df$favourable)] <- sprintf("n = %d", df$n[is.na(df$favourable)])
  bars$panel <- factor(bars$panel, levels = panel_levels)
  df$panel <- factor(df$panel, levels = panel_levels)

  caption <- c(if (any(rev)) w[["reverse"]],
               if (length(by)) sprintf("\u25b2 %s, \u25bc %s", w[["going_well"]], w[["challenge"]]),
               if (isTRUE(attr(object, "weighted"))) w[["weighted"]],
               highlight_rule(list(...), lang))
  p <- ggplot2::ggplot(bars) +
    ggplot2::geom_tile(ggplot2::aes(x = .data$mid, width = .data$width, y = .data$y, fill = .data$answer),
                       height = 0.78, colour = "white", linewidth = 0.2) +
    ggplot2::geom_vline(xintercept = 0, colour = "grey20", linewidth = 0.4) +
    ggplot2::geom_text(data = df, ggplot2::aes(x = right_end + 0.03, y = .data$y, label = .data$text),
                       hjust = 0, size = if (length(by)) 3.8 else 4.6, lineheight = 0.9, colour = "grey10") +
    ggplot2::scale_fill_manual(values = answer_palette(length(codes)), name = NULL, drop = FALSE) +
    ggplot2::scale_x_continuous(labels = function(x) paste0(round(abs(100 * x)), "%"),
                                breaks = seq(-1, 1, 0.25),
                                expand = ggplot2::expansion(mult = c(0.02, if (length(by)) 0.45 else 0.3))) +
    ggplot2::scale_y_discrete(drop = TRUE) +
    ggplot2::labs(x = w[["share"]], y = NULL, caption = paste(caption, collapse = "\n")) +
    dm_theme() +
    ggplot2::theme(panel.grid.major.y = ggplot2::element_blank(),
                   strip.text.y = ggplot2::element_text(angle = 0, hjust = 0, face = "bold")) +
    ggplot2::guides(fill = ggplot2::guide_legend(nrow = 1, reverse = FALSE))
  if (length(by)) {
    p + ggplot2::facet_grid(ggplot2::vars(.data$panel), ggplot2::vars(.data$group), scales = "free_y", space = "free_y")
  } else {
    p + ggplot2::facet_grid(ggplot2::vars(.data$panel), scales = "free_y", space = "free_y")
  }
}
