# autoplot() of dm_cfa(): the standardised loadings with their intervals, by dimension.

cfa_plot_words <- list(
  en = c(loading = "Standardised loading", interval = "%s%% confidence intervals (delta method).",
         group = "Group", reversed = " (reverse-keyed)", estimator = "CFA (%s%s)%s.",
         ordered = ", ordered items", omega = "; omega in the titles"),
  nl = c(loading = "Gestandaardiseerde lading", interval = "%s%%-betrouwbaarheidsintervallen (deltamethode).",
         group = "Groep", reversed = " (omgekeerd gescoord)", estimator = "CFA (%s%s)%s.",
         ordered = ", ordinale items", omega = "; omega in de titels")
)

#' Plot the standardised loadings of a CFA
#'
#' One row per item: its standardised loading with the confidence interval,
#' in a panel per dimension whose title gives the dimension's omega. With
#' groups ([dm_cfa()] with `group`), one colour and shape per group.
#' Reverse-keyed items are marked; their loadings are those of the reversed
#' codes, so positive when the keying is right.
#'
#' @param object A [dm_cfa()] fit.
#' @param lang `"en"` or `"nl"`: the language of the labels.
#' @param conf_level Confidence level of the intervals; by default the fit's.
#' @param ... Nothing: any argument here is an error
#'   (`digimaturity_error_argument_spelling`, with the argument it most
#'   likely meant).
#' @return A ggplot object.
#' @family plots
#' @family measurement
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE) && requireNamespace("lavaan", quietly = TRUE)
#' fit <- dm_cfa(flanders_dm[flanders_dm$complete, ], estimator = "MLR")
#' autoplot(fit)
#' autoplot(fit, lang = "nl")
autoplot.dm_cfa <- function(object, lang = c("en", "nl"), conf_level = object$conf_level, ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  lang <- check_lang(lang)
  check_share(conf_level, "conf_level", open = TRUE)
  w <- cfa_plot_words[[lang]]
  ins <- attr(object, "instrument")
  td <- tidy(object, conf.level = conf_level)
  ld <- td[td$type == "loading", ]
  lab <- list(lang = lang, terms = character(), words = c(reverse_item = w[["reversed"]]))
  ld$label <- cfa_item_label(ld$item, lab, ins)
  ld$label <- factor(ld$label, levels = rev(unique(ld$label)))
  rel <- object$reliability
  dims <- unique(ld$dimension)
  om <- if (is.null(rel) || "group" %in% names(rel)) rep(NA_real_, length(dims)) else rel$omega[match(dims, rel$dimension)]
  title <- paste0(dimension_label(dims, lang, ins),
                  ifelse(is.na(om), "", sprintf(" (omega = %s)", formatC(om, format = "f", digits = 2))))
  ld$panel <- factor(title[match(ld$dimension, dims)], levels = title)
  has_group <- "group" %in% names(ld)
  aes_pt <- ggplot2::aes(colour = .data$group, shape = .data$group)
  dodge <- ggplot2::position_dodge(width = if (has_group) 0.6 else 0)
  p <- ggplot2::ggplot(ld, ggplot2::aes(x = .data$estimate, y = .data$label)) +
    ggplot2::geom_vline(xintercept = 0, colour = "grey60") +
    ggplot2::geom_errorbarh(ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high, group = if (has_group) .data$group else NULL),
                            height = 0.25, colour = "grey40", position = dodge) +
    (if (has_group) ggplot2::geom_point(mapping = aes_pt, size = 2.8, position = dodge) else
      ggplot2::geom_point(size = 2.8, colour = okabe_ito[1])) +
    ggplot2::facet_wrap(ggplot2::vars(.data$panel), ncol = 1L, scales = "free_y") +
    ggplot2::scale_x_continuous(limits = c(min(0, ld$conf.low, na.rm = TRUE), max(1, ld$conf.high, na.rm = TRUE)),
                                breaks = seq(-1, 1, 0.2)) +
    ggplot2::labs(x = w[["loading"]], y = NULL,
                  caption = paste(sprintf(w[["estimator"]], object$estimator,
                                          if (object$ordered) w[["ordered"]] else "",
                                          if (all(is.na(om))) "" else w[["omega"]]),
                                  sprintf(w[["interval"]], format(100 * conf_level)), sep = "\n")) +
    dm_theme()
  if (has_group) {
    p <- p + ggplot2::scale_colour_manual(values = unname(okabe_ito), name = w[["group"]]) +
      ggplot2::scale_shape_manual(values = c(16, 17, 15, 18, 8, 3, 4, 1)[seq_along(unique(ld$group))],
                                  name = w[["group"]])
  }
  p
}
