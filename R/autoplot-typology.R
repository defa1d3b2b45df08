# autoplot() of dm_typology(): capability crossed with legacy, the four types.

#' The maturity types: digital capability x digital legacy
#'
#' Each row of a [dm_typology()] result (respondent or municipality) as a point
#' at its capability and legacy score, the cuts as dashed lines, and the four
#' types (A-D) named with their counts in the corners of the plot, in bands
#' above and below the data where no point can be. The types differ in colour
#' (Okabe-Ito: blue, vermilion, orange, black, four clearly different greys
#' when printed in greyscale) and in shape (filled circle, open triangle,
#' filled square, cross), so that each can be told apart without colour.
#'
#' @param object A [dm_typology()] result.
#' @param lang `"en"` or `"nl"`: the language of the labels.
#' @param base_size Size of the text in points.
#' @param ... Nothing: any argument here is an error
#'   (`digimaturity_error_argument_spelling`, with the argument it most
#'   likely meant).
#' @return A ggplot object.
#' @family plots
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' autoplot(dm_typology(dm_aggregate(flanders_dm)))
#' autoplot(dm_typology(dm_score(flanders_dm), cut = 3), lang = "nl")
autoplot.dm_typology <- function(object, lang = c("en", "nl"), base_size = 11, ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  lang <- check_lang(lang)
  check_scalar_number(base_size, "base_size", lower = 4, upper = 60)
  w <- plot_words[[lang]]
  cuts <- unname(attr(object, "cut"))
  d <- data.frame(capability = object$capability, legacy = object[["legacy"]] %||% NA_real_,
                  type = object$type, stringsAsFactors = FALSE)
  d <- d[!is.na(d$type), ]
  type_names <- type_words[[lang]]
  counts <- table(factor(d$type, levels = names(type_names)))
  d$type_shown <- factor(type_names[as.character(d$type)], levels = unname(type_names))
  # jitter (scores are means of a few items and coincide), but never across a cut: a
  # point shows on its type's side of both lines. Deterministic (golden-ratio offsets),
  # so that the plot neither uses nor changes R's random numbers.
  i <- seq_len(nrow(d))
  jx <- ((i * 0.6180339887) %% 1 - 0.5) * 0.04
  jy <- ((i * 0.7548776662) %% 1 - 0.5) * 0.04
  right <- d$type %in% c("A", "B"); top <- d$type %in% c("A", "C")
  # high is above the cut, low at or below it (dm_typology())
  wrong_x <- ifelse(right, d$capability + jx <= cuts[1], d$capability + jx > cuts[1])
  wrong_y <- ifelse(top, d$legacy + jy <= cuts[2], d$legacy + jy > cuts[2])
  jx[wrong_x] <- ifelse(right[wrong_x], 1, -1) * abs(jx[wrong_x])
  jy[wrong_y] <- ifelse(top[wrong_y], 1, -1) * abs(jy[wrong_y])
  d$x_shown <- d$capability + jx
  d$y_shown <- d$legacy + jy
  # the corners: A top right (capable, enabling legacy), B bottom right, C top left,
  # D bottom left; drawn at the panel's corners, in the bands that the y scale adds
  # above and below the data (expansion 0.16: 12% of the panel's height each)
  quad <- data.frame(type = names(type_names), x = c(Inf, Inf, -Inf, -Inf), y = c(Inf, -Inf, Inf, -Inf),
                     hjust = c(1, 1, 0, 0), vjust = c(1, 0, 1, 0), stringsAsFactors = FALSE)
  quad$label <- sprintf("%s (%s = %d)", type_names[quad$type], w[["n"]], as.integer(counts[quad$type]))
  cap_text <- sprintf(w[["cut"]], formatC(cuts[1], format = "f", digits = 2), formatC(cuts[2], format = "f", digits = 2))
  ggplot2::ggplot(d, ggplot2::aes(x = .data$capability, y = .data$legacy)) +
    ggplot2::geom_vline(xintercept = cuts[1], colour = "grey35", linetype = "dashed") +
    ggplot2::geom_hline(yintercept = cuts[2], colour = "grey35", linetype = "dashed") +
    ggplot2::geom_point(ggplot2::aes(x = .data$x_shown, y = .data$y_shown, colour = .data$type_shown,
                                     shape = .data$type_shown), size = 2, stroke = 0.8, alpha = 0.85) +
    ggplot2::geom_label(data = quad, ggplot2::aes(x = .data$x, y = .data$y, label = .data$label,
                                                  hjust = .data$hjust, vjust = .data$vjust),
                        size = 0.9 * base_size / ggplot2::.pt, fontface = "bold", label.size = 0,
                        fill = NA, label.padding = ggplot2::unit(0.35, "lines")) +
    ggplot2::scale_colour_manual(values = type_palette, name = w[["type"]], drop = FALSE) +
    ggplot2::scale_shape_manual(values = type_shapes, name = w[["type"]], drop = FALSE) +
    ggplot2::scale_x_continuous(expand = ggplot2::expansion(mult = 0.04)) +
    ggplot2::scale_y_continuous(expand = ggplot2::expansion(mult = 0.16)) +
    ggplot2::labs(x = w[["capability"]], y = w[["legacy"]], caption = cap_text) +
    dm_theme(base_size) +
    ggplot2::guides(colour = ggplot2::guide_legend(nrow = 2), shape = ggplot2::guide_legend(nrow = 2))
}

# The types' colours (Okabe-Ito; greys 87, 119, 162 and 0 of 255 in greyscale) and shapes.
type_palette <- unname(okabe_ito[c(1, 6, 2, 8)])
type_shapes <- c(16, 2, 15, 4)
