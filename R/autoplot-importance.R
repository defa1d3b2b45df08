# autoplot() of dm_importance(): the LMG shares of R-squared per block with their
# cluster-bootstrap intervals ("capacity or pressure?").

#' Relative importance: LMG shares of R-squared per block
#'
#' Each block (or term) of a [dm_importance()] result as a bar of its LMG
#' share of R-squared, with its cluster-bootstrap percentile interval when
#' the result has one (`B > 0`), largest on top, and its share and percentage
#' of the explained R-squared written beside it. The caption gives the
#' R-squared, the terms that are in every model and how the intervals were
#' drawn.
#'
#' @param object A [dm_importance()] result.
#' @param lang `"en"` or `"nl"`: the language of the labels.
#' @param labels Optional labels of the blocks or terms, a character vector
#'   named by block name or term id (the study's predictors are labelled
#'   already).
#' @param base_size Size of the text in points.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant.
#' @return A ggplot object.
#' @family plots
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' fit <- dm_lm(mpg ~ wt + hp + qsec + factor(gear), data = mtcars, cluster = ~carb)
#' set.seed(1)
#' imp <- dm_importance(fit, blocks = list(size = c("wt", "hp"), speed = "qsec"), B = 200)
#' autoplot(imp, labels = c(size = "Size (weight, power)", speed = "Speed"))
#' autoplot(dm_importance(fit), lang = "nl")
autoplot.dm_importance <- function(object, lang = c("en", "nl"), labels = NULL, base_size = 11, ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  lang <- check_lang(lang)
  check_scalar_number(base_size, "base_size", lower = 4, upper = 60)
  w <- plot_words[[lang]]
  lab <- table_labels(lang, labels, study = TRUE)
  d <- as.data.frame(unclass(object), stringsAsFactors = FALSE)
  d$name <- d[[1]]
  r2 <- attr(object, "r2")
  explained <- r2 - (attr(object, "r2_always") %||% 0)
  fmt <- function(x) formatC(x, format = "f", digits = 3)
  d$text <- sprintf(w[["lmg_share"]], fmt(d$lmg), formatC(100 * d$lmg / explained, format = "f", digits = 0))
  # user labels first, then the study's block headings and term labels, else the name
  sb <- study_blocks[[lang]]
  d$shown <- ifelse(d$name %in% names(labels), term_label(d$name, lab),
                    ifelse(d$name %in% names(sb), sb[d$name], term_label(d$name, lab)))
  d$shown <- vapply(d$shown, function(s) paste(strwrap(s, 32), collapse = "\n"), "")
  d$shown <- factor(d$shown, levels = d$shown[order(d$lmg)])
  has_ci <- all(c("conf.low", "conf.high") %in% names(d))
  right <- max(c(d$lmg, if (has_ci) d$conf.high), na.rm = TRUE)
  d$at <- if (has_ci) pmax(d$lmg, d$conf.high, na.rm = TRUE) else d$lmg
  always <- attr(object, "always")
  cap <- sprintf(w[["lmg_caption"]], fmt(r2),
                 if (length(always)) sprintf(w[["lmg_always"]], paste(term_label(always, lab), collapse = ", "),
                                             fmt(attr(object, "r2_always"))) else "")
  B <- attr(object, "B") %||% 0
  cl <- attr(object, "conf_level") %||% 0.95
  cap <- c(cap, if (B > 0) sprintf(w[["lmg_boot"]], format(100 * cl), as.integer(B)) else w[["lmg_noboot"]])
  cap <- wrap_caption(paste0(cap, "."), base_size)
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$lmg, y = .data$shown)) +
    ggplot2::geom_col(fill = okabe_ito[5], width = 0.6) +
    ggplot2::geom_vline(xintercept = 0, colour = "grey30")
  if (has_ci) {
    p <- p + ggplot2::geom_errorbarh(ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high),
                                     height = 0.25, linewidth = 0.7, colour = "grey10")
  }
  p + ggplot2::geom_text(ggplot2::aes(x = .data$at, label = .data$text), hjust = 0, nudge_x = 0.02 * right,
                         size = 0.85 * base_size / ggplot2::.pt, colour = "grey10") +
    ggplot2::scale_x_continuous(expand = ggplot2::expansion(mult = c(0, 0.55))) +
    ggplot2::labs(x = w[["lmg"]], y = NULL, caption = cap) +
    dm_theme(base_size) +
    ggplot2::theme(plot.caption.position = "plot", panel.grid.major.y = ggplot2::element_blank(),
                   plot.margin = ggplot2::margin(5.5, 2 * base_size, 5.5, 5.5),
                   plot.caption = ggplot2::element_text(size = 0.85 * base_size, hjust = 0, colour = "grey30"))
}
