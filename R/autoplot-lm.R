# autoplot() of dm_lm fits, named lists of fits and dm_mlm: coefficient plots with each
# fit's own intervals (its variance estimator and per-coefficient df), grouped by block,
# and the comparison of one model under several variance estimators.

#' Coefficient plots of `dm_lm` fits
#'
#' Each estimate with its confidence interval, from [tidy()][dm_lm-tidiers] of
#' its own fit: the fit's variance estimator and its per-coefficient degrees
#' of freedom (n - k, G - 1 or Satterthwaite), so intervals of a classical and
#' a CR2 fit stand side by side as each would be reported. The terms are
#' grouped by block (the study's blocks, as in [dm_table()]) and labelled in
#' English or Dutch. Several fits (a named list, or a `dm_mlm` of several
#' outcomes) are dodged and coloured; the caption names each fit's variance
#' estimator, its df rule and the df used (the legend names only the fits).
#' `compare` shows one model under several variance estimators (e.g.
#' classical vs CR2), without refitting. Block titles are on one line
#' beside their terms.
#'
#' @param object A [dm_lm()] fit, a named list of fits or a `dm_mlm`.
#' @param compare Optional, for a single fit: variance estimators to compare,
#'   e.g. `c("classical", "HC2", "CR2")` (see [dm_lm()]); the fit's own
#'   `cluster` (or `cluster` here) is used for the CR types.
#' @param cluster Clustering for the CR types of `compare`: a one-sided
#'   formula such as `~municipality` (by default the fit's own).
#' @param conf_level Confidence level of the intervals.
#' @param lang `"en"` or `"nl"`: the language of the labels (with
#'   `blocks = "study"` the study's predictors get their labels).
#' @param labels Optional labels of terms, a character vector named by term
#'   id, as in [dm_table()].
#' @param blocks `"study"` (the default: the study's blocks; other terms
#'   under "Other"), `NULL` (no grouping) or a named list of term ids per
#'   block.
#' @param intercept If `TRUE`, show the intercept too.
#' @param base_size Size of the text in points.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant (`conf.level` -> `conf_level`, `language` -> `lang`).
#' @return A ggplot object.
#' @family plots
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' rep <- dm_replicate()
#' autoplot(rep$models$efficiency)
#' autoplot(rep$models, lang = "nl")
#' autoplot(rep$models$balance, compare = c("classical", "HC2", "CR2"),
#'          cluster = ~municipality)
#' autoplot(dm_lm(cbind(mpg, qsec) ~ wt + hp, data = mtcars), blocks = NULL)
autoplot.dm_lm <- function(object, compare = NULL, cluster = NULL, conf_level = 0.95,
                           lang = c("en", "nl"), labels = NULL, blocks = "study", intercept = FALSE,
                           base_size = 11, ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  if (is.null(compare)) {
    return(coef_plot(list(object), NULL, conf_level, lang, labels, blocks, intercept, base_size = base_size))
  }
  if (!is.character(compare) || !length(compare) || anyNA(compare) || !all(compare %in% vcov_type_names())) {
    dm_abort(sprintf("`compare` must be some of %s; you passed %s.",
                     paste0("'", vcov_type_names(), "'", collapse = ", "),
                     if (is.null(compare)) "NULL" else show_values(compare)), type = "input")
  }
  if (!is.null(cluster) && !inherits(cluster, "formula")) {
    dm_abort(sprintf("`cluster` must be a one-sided formula such as ~municipality; you passed an object of class '%s'.",
                     class(cluster)[1]), type = "input")
  }
  lang <- check_lang(lang)
  tabs <- lapply(compare, function(type) {
    f <- revcov(object, type, if (vcov_is_cluster(type)) cluster, parent.frame())
    tab <- tidy.dm_lm(f, conf.level = conf_level)
    tab$model <- type
    attr(tab, "caption") <- vcov_caption("", type, tab, lang, f$n_clusters %||% NA, f)
    tab
  })
  coef_plot(NULL, tabs, conf_level, lang, labels, blocks, intercept,
            legend = plot_words[[lang]][["vcov"]], base_size = base_size)
}

#' @rdname autoplot.dm_lm
#' @export
autoplot.dm_mlm <- function(object, conf_level = 0.95, lang = c("en", "nl"), labels = NULL,
                            blocks = "study", intercept = FALSE, base_size = 11, ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  coef_plot(table_models(object), NULL, conf_level, lang, labels, blocks, intercept, base_size = base_size)
}

#' @rdname autoplot.dm_lm
#' @export
autoplot.list <- function(object, conf_level = 0.95, lang = c("en", "nl"), labels = NULL,
                          blocks = "study", intercept = FALSE, base_size = 11, ...) {
  if (!length(object) || !all(vapply(object, inherits, logical(1), "dm_lm"))) {
    if (isNamespaceLoaded("ggplot2") && identical(environment(sys.function(-1)), asNamespace("ggplot2"))) {
      return(NextMethod())
    }
    dm_abort("`object` must be a dm_lm fit, a dm_mlm or a named list of dm_lm fits.", type = "input")
  }
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  if (is.null(names(object)) || any(!nzchar(names(object)))) {
    names(object) <- paste0("(", seq_along(object), ")")
  }
  coef_plot(object, NULL, conf_level, lang, labels, blocks, intercept, base_size = base_size)
}

vcov_legend <- function(type, tab) {
  df <- unique(round(tab$df[is.finite(tab$df)], 1))
  dfs <- if (length(df) == 1L) format(df) else sprintf("%s-%s", format(min(df)), format(max(df)))
  sprintf("%s (df %s)", type, dfs)
}

# Internal: one line of the caption for a fit (or a variance type of `compare`): its
# variance estimator and the df rule of its t intervals, with the df used; the `fit`'s
# finite population correction and weights, when it has them.
vcov_caption <- function(who, type, tab, lang, n_clusters = NA, fit = NULL) {
  reg <- dm_vcov_types()
  i <- match(type, reg$name)
  df <- unique(round(tab$df[is.finite(tab$df)], 1))
  dfs <- if (!length(df)) "-" else if (length(df) == 1L) format(df) else
    sprintf("%s-%s", format(min(df)), format(max(df)))
  rule <- if (is.na(i)) "" else reg$df_rule[i]
  G <- if (!is.na(n_clusters) && isTRUE(reg$cluster[i])) sprintf(", G = %d", as.integer(n_clusters)) else ""
  est <- if (lang == "nl" || is.na(i)) type else reg$label[i]
  pre <- if (nzchar(who)) paste0(who, ": ") else ""
  N <- if (!is.null(fit$cluster) && isTRUE(reg$cluster[i])) attr(fit$cluster, "fpc")
  ww <- if (!is.null(fit)) weights_words(fit, lang)
  paste0(sprintf(plot_words[[lang]][["vcov_caption"]], pre, est, G, rule, dfs),
         if (!is.null(N)) paste0("; ", sprintf(table_words[[lang]][["fpc"]], format(N))),
         if (!is.null(ww)) paste0("; ", ww))
}

# Internal: the coefficient plot of `fits` (a named list) or of prepared tidy tables
# (each with its `model` name and `caption` line).
coef_plot <- function(fits, tabs, conf_level, lang, labels, blocks, intercept, legend = NULL,
                      base_size = 11) {
  check_scalar_number(conf_level, "conf_level", 0, 1, lower_open = TRUE, upper_open = TRUE)
  check_flag(intercept, "intercept")
  check_scalar_number(base_size, "base_size", lower = 4, upper = 60)
  lab <- table_labels(lang, labels, study = identical(blocks, "study"))
  w <- plot_words[[lab$lang]]
  if (is.null(tabs)) {
    nms <- names(fits) %||% "(1)"
    tabs <- lapply(nms, function(nm) {
      f <- fits[[if (is.null(names(fits))) 1L else nm]]
      tab <- tidy.dm_lm(f, conf.level = conf_level)
      tab$model <- if (length(fits) == 1L) "" else nm
      attr(tab, "caption") <- vcov_caption(if (length(fits) == 1L) "" else nm, f$vcov_type, tab,
                                           lab$lang, f$n_clusters %||% NA, f)
      tab
    })
    if (is.null(legend)) legend <- w[["model"]]
  }
  caption <- wrap_caption(vapply(tabs, attr, "", "caption"), base_size, capital = FALSE)
  d <- do.call(rbind, lapply(tabs, function(t) t[c("term", "estimate", "conf.low", "conf.high", "model")]))
  if (!intercept) d <- d[d$term != "(Intercept)", , drop = FALSE]
  d <- d[!is.na(d$estimate), , drop = FALSE]
  # blocks
  bl <- plot_blocks(blocks, unique(d$term), lab$lang)
  d$block <- factor(bl$block[match(d$term, bl$term)], levels = unique(bl$block))
  d$label <- term_label(d$term, lab)
  terms <- bl$term[bl$term %in% d$term]
  d$label <- factor(d$label, levels = rev(unique(term_label(terms, lab))))
  d$model <- factor(d$model, levels = unique(d$model))
  nm <- nlevels(d$model)
  dodge <- ggplot2::position_dodge(width = if (nm > 1) 0.7 else 0)
  # the first fit on top of each term's group
  d$dodge <- factor(d$model, levels = rev(levels(d$model)))
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$estimate, y = .data$label, colour = .data$model,
                                       shape = .data$model, group = .data$dodge)) +
    ggplot2::geom_vline(xintercept = 0, colour = "grey40", linetype = "dashed") +
    ggplot2::geom_errorbarh(ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high),
                            height = 0, linewidth = 0.8, position = dodge) +
    ggplot2::geom_point(size = 2.2, position = dodge) +
    ggplot2::scale_colour_manual(values = rep(okabe_ito, length.out = nm), name = legend) +
    ggplot2::scale_shape_manual(values = rep(c(16, 17, 15, 18, 1, 2, 0, 5), length.out = nm), name = legend) +
    ggplot2::labs(x = sprintf("%s, %s", w[["estimate"]], sprintf(w[["ci"]], format(100 * conf_level))),
                  y = NULL, caption = caption) +
    dm_theme(base_size) +
    ggplot2::theme(plot.caption.position = "plot",
                   plot.caption = ggplot2::element_text(size = 0.85 * base_size, hjust = 0, colour = "grey30"),
                   legend.position = if (nm > 1) "bottom" else "none",
                   strip.text.y = ggplot2::element_text(angle = 0, hjust = 0, face = "bold")) +
    ggplot2::guides(colour = ggplot2::guide_legend(nrow = 1, title.position = "left"),
                    shape = ggplot2::guide_legend(nrow = 1, title.position = "left"))
  if (nlevels(d$block) > 1L) {
    # block titles on one line, beside their terms
    p <- p + ggplot2::facet_grid(ggplot2::vars(.data$block), scales = "free_y", space = "free_y")
  }
  p
}

# Internal: term -> block heading, in display order.
plot_blocks <- function(blocks, terms, lang) {
  other <- plot_words[[lang]][["other"]]
  if (is.null(blocks)) return(data.frame(term = terms, block = "", stringsAsFactors = FALSE))
  if (identical(blocks, "study")) {
    blocks <- study_block_terms()
    names(blocks) <- unname(study_blocks[[lang]][names(blocks)])
  }
  if (!is.list(blocks) || is.null(names(blocks))) {
    dm_abort("`blocks` must be \"study\", NULL or a named list of term ids per block.", type = "input")
  }
  b <- data.frame(term = unlist(blocks, use.names = FALSE),
                  block = rep(names(blocks), lengths(blocks)), stringsAsFactors = FALSE)
  b <- b[b$term %in% terms, , drop = FALSE]
  rest <- setdiff(terms, b$term)
  rbind(b, data.frame(term = rest, block = rep(other, length(rest)), stringsAsFactors = FALSE))
}
