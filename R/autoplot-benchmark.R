# autoplot() of dm_benchmark(): the caterpillar plot of the EB estimates with their
# intervals, one panel per dimension, a unit and its peer group highlighted.

#' Caterpillar plot of a benchmark
#'
#' Every unit's empirical-Bayes estimate with its interval (see
#' [dm_benchmark()]), ordered by estimate within each dimension, with the mean
#' over units (`mu` of the model) as a dashed line. With `unit`, that unit is
#' drawn in dark blue and the other units of its peer group in orange. The
#' plot shows every unit's estimate: it is for the organisation that holds
#' the data; what goes to others is [dm_report()] or [dm_table()], which
#' suppress small cells.
#'
#' @param object A [dm_benchmark()] result.
#' @param unit Optional unit to highlight (its id), with its peers.
#' @param dimensions Optional: the dimensions to show (all by default).
#' @param lang `"en"` or `"nl"`.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling`.
#' @return A ggplot object.
#' @family plots
#' @family benchmarks
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' set.seed(1)
#' bench <- dm_benchmark(flanders_dm, peers = ~population_class, draws = 500)
#' autoplot(bench, unit = 9)
#' autoplot(bench, unit = 9, dimensions = "legacy", lang = "nl")
autoplot.dm_benchmark <- function(object, unit = NULL, dimensions = NULL, lang = c("en", "nl"), ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  lang <- check_lang(lang)
  w <- benchmark_words[[lang]]
  ins <- attr(object, "instrument")
  u <- object$units[object$units$reportable, ]
  if (!is.null(dimensions)) {
    if (!is.character(dimensions) || !all(dimensions %in% u$dimension)) {
      dm_abort(sprintf("`dimensions` must be some of %s; you passed %s.",
                       paste0("'", unique(u$dimension), "'", collapse = ", "), show_values(dimensions)),
               type = "input")
    }
    u <- u[u$dimension %in% dimensions, ]
  }
  role <- rep(w[["other"]], nrow(u))
  if (!is.null(unit)) {
    id <- unique(object$units$unit)[report_unit_index(object, unit)]
    role[u$unit %in% object$peers[[id]]] <- w[["peers_label"]]
    role[u$unit == id] <- unit_name(id, object, lang)
  }
  levels_role <- unique(c(w[["other"]], w[["peers_label"]], role))
  u$role <- factor(role, levels = levels_role)
  u$order <- stats::ave(u$estimate, u$dimension, FUN = function(v) rank(v, ties.method = "first"))
  dims <- unique(object$units$dimension)
  u$panel <- factor(dimension_label(u$dimension, lang, ins),
                    levels = dimension_label(dims[dims %in% u$dimension], lang, ins))
  u <- u[order(u$role != w[["other"]]), ]  # highlighted drawn last
  mu <- object$model[object$model$dimension %in% u$dimension, ]
  mu$panel <- factor(dimension_label(mu$dimension, lang, ins), levels = levels(u$panel))
  cols <- stats::setNames(c("grey70", "#E69F00", "#0072B2")[seq_along(levels_role)], levels_role)
  ggplot2::ggplot(u, ggplot2::aes(x = .data$order, y = .data$estimate, colour = .data$role)) +
    ggplot2::geom_hline(data = mu, ggplot2::aes(yintercept = .data$mu), linetype = "dashed", colour = "grey40") +
    ggplot2::geom_linerange(ggplot2::aes(ymin = .data$conf.low, ymax = .data$conf.high),
                            linewidth = 0.5) +
    ggplot2::geom_point(size = 1.3) +
    ggplot2::facet_wrap(~panel, scales = "free_x") +
    ggplot2::scale_colour_manual(values = cols, name = NULL, drop = TRUE) +
    ggplot2::labs(x = w[["caterpillar_x"]],
                  y = sprintf(w[["caterpillar_y"]], format(100 * attr(object, "conf_level")))) +
    dm_theme() +
    ggplot2::theme(axis.text.x = ggplot2::element_blank(), panel.grid.major.x = ggplot2::element_blank())
}
