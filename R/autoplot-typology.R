# autoplot() of dm_typology(): capability crossed with legacy, the four types.

#' The maturity types: digital capability x digital legacy
#'
#' Each row of a [dm_typology()] result (respondent or municipality) as a point
#' at its capability and legacy score, the cuts as lines, and the four types
#' (A-D) named in their quadrants with their counts. Colours and shapes of
#' the types are colour-blind safe (Okabe-Ito) and redundant.
#'
#' @param object A [dm_typology()] result.
#' @param lang `"en"` or `"nl"`: the language of the labels.
#' @param ... Nothing: any argument here is an error
#'   (`digimaturity_error_argument_spelling`, with the argument it most
#'   likely meant).
#' @return A ggplot object.
#' @family plots
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' autoplot(dm_typology(dm_aggregate(flanders_dm)))
#' autoplot(dm_typology(dm_score(flanders_dm), cut = 3), lang = "nl")
autoplot.dm_typology <- function(object, lang = c("en", "nl"), ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  lang <- check_lang(lang)
  w <- plot_words[[lang]]
  cuts <- unname(attr(object, "cut"))
  d <- data.frame(capability = object$capability, legacy = object[["legacy"]] %||% NA_real_,
                  type = object$type, stringsAsFactors = FALSE)
  d <- d[!is.na(d$type), ]
  type_names <- type_words[[lang]]
  counts <- table(factor(d$type, levels = names(type_names)))
  d$type_shown <- factor(type_names[as.character(d$type)], levels = unname(type_names))
  rx <- range(d$capability); ry <- range(d$legacy)
  quad <- data.frame(type = names(type_names),
                     x = c(rx[2], rx[2], rx[1], rx[1]), y = c(ry[2], ry[1], ry[2], ry[1]),
                     hjust = c(1, 1, 0, 0), vjust = c(1, 0, 1, 0), stringsAsFactors = FALSE)
  quad$label <- sprintf("%s (%s = %d)", type_names[quad$type], w[["n"]], as.integer(counts[quad$type]))
  cap_text <- sprintf(w[["cut"]], formatC(cuts[1], format = "f", digits = 2), formatC(cuts[2], format = "f", digits = 2))
  ggplot2::ggplot(d, ggplot2::aes(x = .data$capability, y = .data$legacy)) +
    ggplot2::geom_vline(xintercept = cuts[1], colour = "grey35", linetype = "dashed") +
    ggplot2::geom_hline(yintercept = cuts[2], colour = "grey35", linetype = "dashed") +
    ggplot2::geom_point(ggplot2::aes(colour = .data$type_shown, shape = .data$type_shown),
                        size = 2.4, alpha = 0.8,
                        position = ggplot2::position_jitter(width = 0.02, height = 0.02, seed = 1)) +
    ggplot2::geom_label(data = quad, ggplot2::aes(x = .data$x, y = .data$y, label = .data$label,
                                                  hjust = .data$hjust, vjust = .data$vjust),
                        size = 4.6, label.size = 0, fill = grDevices::adjustcolor("white", 0.85)) +
    ggplot2::scale_colour_manual(values = unname(okabe_ito[c(3, 2, 1, 6)]), name = w[["type"]], drop = FALSE) +
    ggplot2::scale_shape_manual(values = c(16, 17, 15, 18), name = w[["type"]], drop = FALSE) +
    ggplot2::scale_y_continuous(expand = ggplot2::expansion(mult = 0.12)) +
    ggplot2::labs(x = w[["capability"]], y = w[["legacy"]], caption = cap_text) +
    dm_theme() +
    ggplot2::guides(colour = ggplot2::guide_legend(nrow = 2), shape = ggplot2::guide_legend(nrow = 2))
}
