# autoplot() of dm_representativeness(): per margin, the population share of each
# category against the share of the responding units (and the weighted share).

#' Plot the representativeness of the response
#'
#' Dots of the population share, the share of the responding units and, with
#' weights, the weighted share of respondents, per category of each margin. The
#' caption gives the chi-square test and the R-indicator.
#'
#' @param object A [dm_representativeness()] result.
#' @param lang `"en"` or `"nl"`.
#' @param ... Not used; an unknown argument is an error.
#' @return A ggplot.
#' @family weights
#' @export
#' @examples
#' if (requireNamespace("ggplot2", quietly = TRUE)) {
#'   sizes <- list(population_class = c("<10000" = 66, "10000-19999" = 110,
#'                                      "20000-29999" = 57, "30000-49999" = 42,
#'                                      ">=50000" = 25))
#'   rep <- dm_representativeness(flanders_dm, sizes, by = "population_class", B = 0)
#'   ggplot2::autoplot(rep)
#' }
autoplot.dm_representativeness <- function(object, lang = c("en", "nl"), ...) {
  check_dots_strict(..., .fun = "autoplot()", .formals = c("object", "lang"))
  lang <- check_lang(lang)
  need_ggplot2()
  w <- representativeness_words[[lang]]
  s <- object$shares
  series <- c(population_share = w[["population"]], sample_share = w[["sample"]],
              weighted_share = w[["weighted"]])
  series <- series[names(series) %in% names(s)]
  long <- do.call(rbind, lapply(names(series), function(v) {
    data.frame(margin = s$margin, category = s$category, series = series[[v]], share = s[[v]],
               stringsAsFactors = FALSE)
  }))
  long$series <- factor(long$series, levels = unname(series))
  long$category <- factor(long$category, levels = rev(unique(s$category)))
  t <- object$tests
  r <- object$r_indicator
  caption <- c(vapply(seq_len(nrow(t)), function(i)
    sprintf("%s: \u03c7\u00b2 = %.2f, df = %d, p = %s; R = %.2f", t$margin[i], t$statistic[i],
            t$df[i], format.pval(t$p.value[i], digits = 2), r$R[match(t$margin[i], r$margins)]), ""),
    if (nrow(r) > nrow(t)) sprintf("R (%s) = %.2f [%.2f, %.2f]", r$margins[nrow(r)], r$R[nrow(r)],
                                   r$conf.low[nrow(r)], r$conf.high[nrow(r)]),
    if (!is.null(attr(object, "weights_label"))) attr(object, "weights_label")[[lang]])
  ggplot2::ggplot(long, ggplot2::aes(x = .data$share, y = .data$category,
                                     colour = .data$series, shape = .data$series)) +
    ggplot2::geom_point(size = 3) +
    ggplot2::facet_grid(ggplot2::vars(.data$margin), scales = "free_y", space = "free_y") +
    ggplot2::scale_x_continuous(labels = function(x) paste0(round(100 * x), "%"),
                                limits = c(0, NA)) +
    ggplot2::scale_colour_manual(values = c("grey30", "#1b9e77", "#d95f02")[seq_along(series)],
                                 name = NULL) +
    ggplot2::scale_shape_manual(values = c(1, 16, 17)[seq_along(series)], name = NULL) +
    # the title in two lines: dm_theme()'s 18 pt title holds about 50 characters in 7 in
    ggplot2::labs(x = w[["share"]], y = NULL, title = paste(strwrap(w[["caption"]], 40), collapse = "\n"),
                  caption = paste(caption, collapse = "\n")) +
    dm_theme() +
    ggplot2::theme(legend.position = "bottom", plot.caption = ggplot2::element_text(hjust = 0),
                   plot.caption.position = "plot", plot.title.position = "plot",
                   strip.text.y = ggplot2::element_text(angle = 0, hjust = 0, face = "bold"))
}
