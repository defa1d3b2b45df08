# autoplot() of dm_agree(): the slides' item bars as diverging stacked bars of the whole
# response distribution (computed by dm_agree() in the C++ pass of the shares).

#' Item bars: the response distribution per item, as on the slides
#'
#' Diverging stacked bars of the whole response distribution of each item,
#' favourable answers to the right of zero and unfavourable ones to the left
#' (a middle answer below the favourable threshold straddles zero), grouped
#' in the slides' "going well" and "challenges" per dimension
#' ([dm_highlights()], by default at the slides' cut of 60%) and ordered by
#' "% favourable" within each. The "% favourable" and n of each item are
#' printed in a column at the right, as wide as its widest entry. Answers are
#' keyed: a reverse-keyed item (marked with a dagger) is shown with its
#' answers reversed, so that right is favourable for every item. With
#' weights, the shares are weighted as in [dm_agree()].
#'
#' The text is sized for print: all 24 items of the bundled instrument fit,
#' in English and Dutch and with nothing cut, on a 7 x 7 in figure
#' (`ggsave()`'s default), a 6.5 x 9 in journal page and a 10 x 5.6 in slide.
#' For a narrow column, or larger text on a slide, draw one dimension per
#' figure with `dimensions`, e.g.
#' `lapply(unique(fav$dimension), function(d) autoplot(fav, dimensions = d))`.
#'
#' @param object A [dm_agree()] result.
#' @param lang `"en"` or `"nl"`: the language of the labels. Items, answers
#'   and dimensions are labelled from the result's own instrument
#'   (`attr(object, "instrument")`): a scale of your own shows its own
#'   answer labels.
#' @param dimensions Optional: the dimensions to show (all by default), for
#'   one or some dimensions per figure.
#' @param label_width Item labels longer than this many characters are
#'   wrapped onto several lines (their rows are then taller).
#' @param base_size Size of the text in points (axis and legend text are
#'   slightly smaller). The default fits the pages above; raise it for a
#'   slide that shows one dimension.
#' @param ... Passed to [dm_highlights()]: `cut` or `n`. Any other argument
#'   is an error (`digimaturity_error_argument_spelling`).
#' @return A ggplot object. With `by` groups, one column of panels per group.
#' @family plots
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' fav <- dm_agree(flanders_dm)
#' autoplot(fav)
#' autoplot(fav, lang = "nl", dimensions = "legacy", base_size = 14)
autoplot.dm_agree <- function(object, lang = c("en", "nl"), dimensions = NULL, label_width = 40,
                              base_size = 9, ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE, .allowed = c("n", "cut"))
  need_ggplot2()
  lang <- check_lang(lang)
  check_scalar_number(label_width, "label_width", lower = 5)
  check_scalar_number(base_size, "base_size", lower = 4, upper = 60)
  if (is.null(attr(object, "distribution"))) {
    dm_abort("`object` has no response distribution: it must come from dm_agree() of this version.",
             type = "input")
  }
  rows <- agree_plot_rows(object, lang, dimensions, label_width, ...)
  bars <- agree_plot_bars(object, rows, lang)
  agree_plot_draw(object, rows, bars, lang, base_size, ...)
}

# Internal: one row per item (and group) of the plot: its panel (dimension and view), its
# wrapped label, the text of the right-hand column and its position. Rows are stacked
# downwards within each panel, a label of several lines taking a taller row; positions
# are unique over the panels (each panel is offset by 1000), so that one continuous scale
# can carry the labels of all panels.
agree_plot_rows <- function(object, lang, dimensions, label_width, ...) {
  ins <- attr(object, "instrument")
  w <- plot_words[[lang]]
  by <- attr(object, "by")
  df <- object
  class(df) <- "data.frame"
  if (!is.null(dimensions)) {
    if (!is.character(dimensions) || !length(dimensions) || !all(dimensions %in% df$dimension)) {
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
  lab <- paste0(lab, ifelse(rev, " \u2020", ""))
  df$shown <- vapply(lab, function(s) paste(strwrap(s, width = label_width), collapse = "\n"), "")
  df$lines <- lengths(regmatches(df$shown, gregexpr("\n", df$shown))) + 1L
  dims <- unique(df$dimension)
  views <- c("going well", "challenge")
  # with groups, an item can go well in one and be a challenge in another: the panels
  # are then the dimensions and the view is a mark beside the share
  df$panel <- if (length(by)) dimension_label(df$dimension, lang, ins) else
    paste0(dimension_label(df$dimension, lang, ins), "\n",
           ifelse(df$view %in% "going well", w[["going_well"]], w[["challenge"]]))
  panel_levels <- unique(df$panel[order(match(df$dimension, dims), match(df$view, views))])
  # items ordered by their share within each panel, highest on top (the first group's
  # share decides); a row of k lines is 1 + 0.85 (k - 1) units high
  ord <- df[df$group == df$group[1], ]
  ord <- ord[order(match(ord$panel, panel_levels), -ord$favourable), ]
  ord$h <- 1 + 0.85 * (ord$lines - 1)
  if (length(by)) ord$h <- pmax(ord$h, 1.85)  # the groups' text is two lines
  ord$pos <- NA_real_
  for (pn in panel_levels) {
    k <- ord$panel == pn
    ord$pos[k] <- -1000 * match(pn, panel_levels) - (cumsum(ord$h[k]) - ord$h[k] / 2)
  }
  m <- match(df$item, ord$item)
  df$pos <- ord$pos[m]
  df$h <- ord$h[m]
  df$text <- sprintf("%.0f%%  n = %d", 100 * df$favourable, df$n)
  if (length(by)) {
    df$text <- sprintf("%.0f%% %s\nn = %d", 100 * df$favourable,
                       ifelse(df$view %in% "going well", "\u25b2", "\u25bc"), df$n)
  }
  df$text[is.na(df$favourable)] <- sprintf("n = %d", df$n[is.na(df$favourable)])
  df$panel <- factor(df$panel, levels = panel_levels)
  df$rev <- rev
  df
}

# Internal: the stacked bars of each row, from zero outwards: unfavourable codes to the
# left, favourable ones to the right, a middle code below the threshold split half and
# half around zero.
agree_plot_bars <- function(object, rows, lang) {
  by <- attr(object, "by")
  dist <- attr(object, "distribution")
  dist$group <- if (length(by)) do.call(paste, c(lapply(dist[by], as.character), sep = ", ")) else ""
  dist <- dist[paste(dist$group, dist$item) %in% paste(rows$group, rows$item), , drop = FALSE]
  m <- match(paste(dist$group, dist$item), paste(rows$group, rows$item))
  dist$pos <- rows$pos[m]
  dist$panel <- rows$panel[m]
  thr <- attr(object, "threshold")
  codes <- sort(unique(dist$code))
  mid <- if (length(codes) %% 2 == 1) stats::median(codes) else NA
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
  resp_labels <- response_code_labels(codes, lang, attr(object, "instrument"))
  bars$answer <- factor(resp_labels[match(bars$code, codes)], levels = resp_labels)
  bars$ymin <- bars$pos - 0.36
  bars$ymax <- bars$pos + 0.36
  rownames(bars) <- NULL
  bars
}

# Internal: the figure. Item labels on the left axis; without groups the "% favourable,
# n" column is the right-hand (secondary) axis, so that the layout gives it the width of
# its widest entry; with groups it is text beside each group's bars, the panels drawn
# without clipping and the x scale extended to make room for it.
agree_plot_draw <- function(object, rows, bars, lang, base_size, ...) {
  w <- plot_words[[lang]]
  by <- attr(object, "by")
  pos <- rows$pos[!duplicated(rows$pos)]
  ylab <- rows$shown[!duplicated(rows$pos)]
  ytxt <- rows$text[!duplicated(rows$pos)]
  at <- function(lab) function(b) lab[match(round(b, 6), round(pos, 6))]
  in_range <- function(lim) pos[pos >= min(lim) & pos <= max(lim)]
  # each panel spans its rows exactly, at least 2.4 units (room for its two-line strip)
  lo <- tapply(rows$pos - rows$h / 2, rows$panel, min)
  hi <- tapply(rows$pos + rows$h / 2, rows$panel, max)
  pad <- pmax(0, 2.4 - (hi - lo)) / 2
  span <- data.frame(panel = factor(rep(names(lo), 2), levels = levels(rows$panel)),
                     y = c(lo - pad, hi + pad))
  caption <- c(if (any(rows$rev)) w[["reverse"]],
               if (!length(by)) w[["fav_n"]],
               if (length(by)) sprintf("\u25b2 %s, \u25bc %s", w[["going_well"]], w[["challenge"]]),
               if (isTRUE(attr(object, "weighted"))) sprintf(w[["weighted"]], weights_words(object, lang)),
               highlight_rule(list(...), lang))
  caption <- sub("[.]$", "", caption)
  caption <- paste0(toupper(substr(caption, 1, 1)), substring(caption, 2), ".")
  caption <- paste(strwrap(paste(caption, collapse = " "), width = round(110 * 9 / base_size)),
                   collapse = "\n")
  right_end <- max(bars$xmax, 0.5)
  p <- ggplot2::ggplot(bars) +
    ggplot2::geom_rect(ggplot2::aes(xmin = .data$xmin, xmax = .data$xmax, ymin = .data$ymin,
                                    ymax = .data$ymax, fill = .data$answer),
                       colour = "white", linewidth = 0.15) +
    ggplot2::geom_blank(data = span, ggplot2::aes(x = 0, y = .data$y)) +
    ggplot2::geom_vline(xintercept = 0, colour = "grey20", linewidth = 0.4) +
    ggplot2::scale_fill_manual(values = answer_palette(nlevels(bars$answer)), name = NULL, drop = FALSE) +
    ggplot2::scale_x_continuous(labels = function(x) paste0(round(abs(100 * x)), "%"),
                                breaks = seq(-1, 1, 0.5),
                                expand = ggplot2::expansion(mult = c(0.03, if (length(by)) 0.6 else 0.03))) +
    ggplot2::labs(x = w[["share"]], y = NULL, caption = caption) +
    dm_theme(base_size) +
    ggplot2::theme(panel.grid.major.y = ggplot2::element_blank(),
                   axis.text.y.left = ggplot2::element_text(size = base_size, colour = "grey10",
                                                           lineheight = 0.9, hjust = 1),
                   axis.text.y.right = ggplot2::element_text(size = base_size, colour = "grey10", hjust = 0),
                   axis.text.x = ggplot2::element_text(size = 0.85 * base_size),
                   legend.text = ggplot2::element_text(size = 0.9 * base_size),
                   legend.key.size = ggplot2::unit(0.9 * base_size, "pt"),
                   legend.margin = ggplot2::margin(0, 0, 0, 0),
                   plot.caption = ggplot2::element_text(size = 0.85 * base_size, hjust = 0, colour = "grey30"),
                   plot.caption.position = "plot",
                   strip.placement = "outside",
                   strip.text.y = ggplot2::element_text(angle = 0, hjust = 0, face = "bold",
                                                        size = base_size, lineheight = 0.9),
                   panel.spacing.y = ggplot2::unit(0.45 * base_size, "pt")) +
    ggplot2::guides(fill = ggplot2::guide_legend(nrow = 1))
  if (length(by)) {
    p <- p + ggplot2::geom_text(data = rows, ggplot2::aes(x = right_end + 0.04, y = .data$pos, label = .data$text),
                                hjust = 0, size = 0.85 * base_size / ggplot2::.pt, colour = "grey10",
                                lineheight = 0.9) +
      ggplot2::scale_y_continuous(breaks = in_range, labels = at(ylab), expand = c(0, 0)) +
      ggplot2::facet_grid(ggplot2::vars(.data$panel), ggplot2::vars(.data$group), scales = "free_y", space = "free_y")
  } else {
    p <- p + ggplot2::scale_y_continuous(breaks = in_range, labels = at(ylab), expand = c(0, 0),
                                         sec.axis = ggplot2::dup_axis(breaks = in_range, labels = at(ytxt), name = NULL)) +
      ggplot2::facet_grid(ggplot2::vars(.data$panel), scales = "free_y", space = "free_y")
  }
  p
}
