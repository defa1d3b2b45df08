# autoplot() of dm_score() and dm_aggregate(): score distributions per dimension, and one
# municipality's profile against all the others with its n and rwg(j).

#' Score distributions, and one municipality's profile
#'
#' For [dm_score()] (respondents) or [dm_aggregate()] (municipalities): the
#' distribution of the scores of each dimension (a histogram per dimension,
#' with the mean and the number of scored rows). For a [dm_aggregate()] result
#' with `unit`: that group's mean score per dimension (a large point) against
#' the means of all groups (small grey points and a box per dimension), with
#' the group's number of respondents and its within-group agreement rwg(j)
#' printed beside each point.
#'
#' @param object A [dm_score()] or [dm_aggregate()] result.
#' @param unit For a [dm_aggregate()] result: the group to profile, a value of
#'   its (first) `by` column, e.g. a municipality's id.
#' @param lang `"en"` or `"nl"`: the language of the labels. Dimensions are
#'   labelled from the result's own instrument (`attr(object, "instrument")`).
#' @param binwidth Width of the histogram bins on the score scale.
#' @param ... Nothing: any argument here is an error
#'   (`digimaturity_error_argument_spelling`, with the argument it most
#'   likely meant).
#' @return A ggplot object.
#' @family plots
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' autoplot(dm_score(flanders_dm))
#' agg <- dm_aggregate(flanders_dm)
#' autoplot(agg, lang = "nl")
#' # a municipality with three respondents, against all
#' autoplot(agg, unit = agg$municipality[which(agg$n == 3)[1]])
autoplot.dm_scores <- function(object, lang = c("en", "nl"), binwidth = 0.25, ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  lang <- check_lang(lang)
  check_scalar_number(binwidth, "binwidth", 0, lower_open = TRUE)
  dims <- score_dimensions(object)
  w <- if (is.null(object$.weight)) NULL else as.numeric(object$.weight)
  score_histogram(object, dims, lang, binwidth, plot_words[[lang]][["respondents"]], weights = w,
                  caption = if (!is.null(w)) wrap_caption(
                    sprintf(plot_words[[lang]][["weighted_hist"]],
                            weights_words(object, lang) %||% weights_provenance(w, quote(.weight))[[lang]])))
}

#' @rdname autoplot.dm_scores
#' @export
autoplot.dm_aggregate <- function(object, unit = NULL, lang = c("en", "nl"), binwidth = 0.25, ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  lang <- check_lang(lang)
  w <- plot_words[[lang]]
  dims <- attr(object, "dimensions")
  by <- attr(object, "by")[1]
  unit_word <- w[["groups"]]
  if (is.null(unit)) {
    check_scalar_number(binwidth, "binwidth", 0, lower_open = TRUE)
    return(score_histogram(object, dims, lang, binwidth, sprintf("%s (%s)", unit_word, by)))
  }
  if (length(unit) != 1L || is.na(unit) || !as.character(unit) %in% as.character(object[[by]])) {
    dm_abort(sprintf("`unit` must be one value of `%s` in `object`; you passed %s.", by,
                     show_values(unit)), type = "input")
  }
  row <- which(as.character(object[[by]]) == as.character(unit))[1]
  all <- do.call(rbind, lapply(dims, function(d) {
    data.frame(dimension = d, score = object[[d]], stringsAsFactors = FALSE)
  }))
  all <- all[!is.na(all$score), ]
  me <- data.frame(dimension = dims, score = vapply(dims, function(d) object[[d]][row], numeric(1)),
                   n = vapply(dims, function(d) as.numeric(object[[paste0(d, "_n")]][row] %||% object$n[row]), numeric(1)),
                   rwg = vapply(dims, function(d) as.numeric(object[[paste0(d, "_rwg")]][row] %||% NA), numeric(1)),
                   stringsAsFactors = FALSE)
  me$text <- sprintf("%s  (n = %d, rwg = %s)", ifelse(is.na(me$score), "-", formatC(me$score, format = "f", digits = 2)),
                     as.integer(me$n), ifelse(is.na(me$rwg), "-", sub("^0", "", formatC(me$rwg, format = "f", digits = 2))))
  levs <- rev(dimension_label(dims, lang, attr(object, "instrument")))
  all$dim <- factor(dimension_label(all$dimension, lang, attr(object, "instrument")), levels = levs)
  me$dim <- factor(dimension_label(me$dimension, lang, attr(object, "instrument")), levels = levs)
  sub_title <- sprintf(w[["profile"]], by, format(unit), nrow(object), unit_word)
  # wrapped to fit a 6.5 in page at the theme's 15 pt (wrap_caption() counts for 0.85 of it)
  sub_title <- wrap_caption(strsplit(sub_title, "\n", fixed = TRUE)[[1]], 15 / 0.85, capital = FALSE)
  ggplot2::ggplot(all, ggplot2::aes(x = .data$score, y = .data$dim)) +
    ggplot2::geom_boxplot(width = 0.5, outlier.shape = NA, colour = "grey45", fill = "grey92") +
    ggplot2::geom_point(position = ggplot2::position_jitter(height = 0.15, width = 0, seed = 1),
                        colour = "grey55", size = 1.2, alpha = 0.6) +
    ggplot2::geom_point(data = me[!is.na(me$score), ], colour = okabe_ito[6], size = 5, shape = 18) +
    ggplot2::geom_text(data = me[!is.na(me$score), ], ggplot2::aes(label = .data$text),
                       nudge_y = 0.38, size = 4.6, colour = "grey10") +
    ggplot2::labs(x = sprintf("%s (%s)", w[["score"]], w[["mean_group"]]),
                  y = NULL, subtitle = sub_title) +
    dm_theme()
}

score_dimensions <- function(object) {
  dims <- attr(object, "dimensions")
  if (is.null(dims)) {
    n_cols <- grep("_n$", names(object), value = TRUE)
    dims <- intersect(sub("_n$", "", n_cols), names(object))
  }
  if (!length(dims)) dims <- names(object)[vapply(object, is.numeric, logical(1))]
  dims
}

# With `weights` (one per row of `object`) the bars are sums of weights and the means
# weighted; `caption` says how.
score_histogram <- function(object, dims, lang, binwidth, what, weights = NULL, caption = NULL) {
  w <- plot_words[[lang]]
  d <- do.call(rbind, lapply(dims, function(dm) {
    data.frame(dimension = dm, score = as.numeric(object[[dm]]),
               weight = weights %||% rep(1, nrow(object)), stringsAsFactors = FALSE)
  }))
  d <- d[!is.na(d$score), ]
  levs <- dimension_label(dims, lang, attr(object, "instrument"))
  d$dim <- factor(dimension_label(d$dimension, lang, attr(object, "instrument")), levels = levs)
  s <- do.call(rbind, lapply(split(d, d$dim), function(x) {
    if (!nrow(x)) return(NULL)
    data.frame(dim = x$dim[1], mean = sum(x$weight * x$score) / sum(x$weight), n = nrow(x))
  }))
  s$text <- sprintf(w[["mean_n"]], s$mean, s$n)
  ggplot2::ggplot(d, ggplot2::aes(x = .data$score)) +
    ggplot2::geom_histogram(ggplot2::aes(weight = .data$weight), binwidth = binwidth, boundary = 0,
                            fill = okabe_ito[1], colour = "white") +
    ggplot2::geom_vline(data = s, ggplot2::aes(xintercept = .data$mean), colour = okabe_ito[6], linewidth = 1) +
    ggplot2::geom_text(data = s, ggplot2::aes(x = -Inf, y = Inf, label = .data$text),
                       hjust = -0.05, vjust = 1.4, size = 4.6, colour = "grey10") +
    ggplot2::facet_wrap(ggplot2::vars(.data$dim), ncol = 2) +
    ggplot2::labs(x = w[["score"]], y = if (is.null(weights)) sprintf("%s %s", w[["n"]], what) else
      sprintf(w[["weighted_n"]], what), caption = caption) +
    dm_theme()
}
