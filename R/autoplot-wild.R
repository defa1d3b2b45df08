# autoplot() of dm_wild(): each coefficient with its wild (cluster) bootstrap confidence
# set beside its CR2 (or another variance's) t interval.

#' Wild bootstrap and CR2 intervals side by side
#'
#' Each coefficient tested by [dm_wild()] as its estimate with two intervals:
#' the wild (cluster) bootstrap confidence set (test inversion; a set of
#' several intervals is drawn as its pieces, an unbounded end as an arrow to
#' the edge of the plot) and, from `fit`, the t interval of a variance
#' estimator (CR2 with Satterthwaite df by default), so that a reader sees
#' at once where the two disagree. Terms are grouped in blocks and labelled
#' as in [autoplot.dm_lm()]; the caption names the bootstrap (restricted or
#' not, the auxiliary weights, the draws or the full enumeration, the
#' clusters) and the variance estimator with its df rule.
#'
#' @param object A [dm_wild()] result (not a joint test).
#' @param fit The [dm_lm()] fit that `object` bootstrapped: its estimates
#'   must be those of `object`. `NULL` draws the bootstrap intervals only.
#' @param vcov The variance estimator of the t intervals beside the
#'   bootstrap ones (see [dm_lm()]); `"CR2"` by default.
#' @param cluster Clustering for a CR `vcov`: a one-sided formula such as
#'   `~municipality` (by default the fit's own).
#' @param lang `"en"` or `"nl"`: the language of the labels.
#' @param labels Optional labels of terms, a character vector named by term
#'   id, as in [dm_table()].
#' @param blocks `"study"` (the study's blocks; other terms under "Other"),
#'   `NULL` (no grouping) or a named list of term ids per block.
#' @param intercept If `TRUE`, show the intercept too.
#' @param base_size Size of the text in points.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant.
#' @return A ggplot object.
#' @family plots
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' fit <- dm_lm(mpg ~ wt + hp + qsec, data = mtcars, cluster = ~carb)
#' w <- dm_wild(fit)                 # 6 clusters: all 64 sign vectors
#' autoplot(w, fit = fit, blocks = NULL)
#' autoplot(w, fit = fit, vcov = "CR1", blocks = NULL, lang = "nl")
autoplot.dm_wild <- function(object, fit = NULL, vcov = "CR2", cluster = NULL, lang = c("en", "nl"),
                             labels = NULL, blocks = "study", intercept = FALSE, base_size = 11, ...) {
  check_dots_spelling(..., .fun = "autoplot()", .strict = TRUE)
  need_ggplot2()
  lang <- check_lang(lang)
  check_scalar_number(base_size, "base_size", lower = 4, upper = 60)
  if (isTRUE(attr(object, "joint"))) {
    dm_abort(sprintf("`object` is a joint test (of %s): it has no estimate or interval to draw; plot dm_wild(fit, joint = FALSE).",
                     object$term[1]), type = "input")
  }
  check_flag(intercept, "intercept")
  if (!intercept) {  # keep the bootstrap's attributes
    kept <- object[object$term != "(Intercept)", , drop = FALSE]
    for (a in c("bootstrap", "enumerated", "n_clusters", "conf_level", "joint")) attr(kept, a) <- attr(object, a)
    object <- kept
  }
  if (!nrow(object)) dm_abort("`object` has no coefficient to draw but the intercept: use `intercept = TRUE`.", type = "input")
  w <- plot_words[[lang]]
  lab <- table_labels(lang, labels, study = identical(blocks, "study"))
  cl <- attr(object, "conf_level")
  boot <- wild_pieces(object)
  boot$method <- w[["wild"]]
  cap <- wild_caption(object, lang)
  ref <- NULL
  if (!is.null(fit)) {
    ref <- wild_reference(object, fit, vcov, cluster, cl, lang)
    cap <- c(cap, attr(ref, "caption"))
  }
  d <- rbind(boot, ref)
  bl <- plot_blocks(blocks, unique(object$term), lab$lang)
  d$block <- factor(bl$block[match(d$term, bl$term)], levels = unique(bl$block))
  terms <- bl$term[bl$term %in% d$term]
  d$label <- factor(term_label(d$term, lab), levels = rev(unique(term_label(terms, lab))))
  d$method <- factor(d$method, levels = unique(d$method))
  # the rows of each term: the bootstrap on top, the t interval below
  d$y <- as.numeric(d$label) + ifelse(as.integer(d$method) == 1L & nlevels(d$method) > 1L, 0.17,
                                      ifelse(nlevels(d$method) > 1L, -0.17, 0))
  # unbounded ends: arrows to the edge of a range 1.5 times that of the finite ends
  fin <- c(d$low[is.finite(d$low)], d$high[is.finite(d$high)], d$estimate)
  span <- diff(range(fin)); if (!is.finite(span) || span == 0) span <- 1
  edge <- range(fin) + c(-0.25, 0.25) * span
  d$open_low <- d$low == -Inf; d$open_high <- d$high == Inf
  # an unbounded side is drawn as an arrow from the piece's finite end (or the estimate)
  arr <- rbind(data.frame(d[d$open_low, c("y", "method")], from = ifelse(is.finite(d$high[d$open_low]),
                                                                          d$high[d$open_low], d$estimate[d$open_low]),
                          to = rep(edge[1], sum(d$open_low))),
               data.frame(d[d$open_high, c("y", "method")], from = ifelse(is.finite(d$low[d$open_high]),
                                                                           d$low[d$open_high], d$estimate[d$open_high]),
                          to = rep(edge[2], sum(d$open_high))))
  pts <- d[!duplicated(d[c("term", "method")]), ]
  d <- d[!(d$open_low | d$open_high), , drop = FALSE]
  p <- ggplot2::ggplot(d, ggplot2::aes(y = .data$y, colour = .data$method, shape = .data$method)) +
    ggplot2::geom_vline(xintercept = 0, colour = "grey40", linetype = "dashed") +
    ggplot2::geom_segment(ggplot2::aes(x = .data$low, xend = .data$high, yend = .data$y), linewidth = 0.9)
  if (nrow(arr)) {
    p <- p + ggplot2::geom_segment(data = arr, ggplot2::aes(x = .data$from, xend = .data$to, yend = .data$y),
                                   linewidth = 0.9, arrow = ggplot2::arrow(length = ggplot2::unit(0.08, "in")))
  }
  p <- p + ggplot2::geom_point(data = pts,
                               ggplot2::aes(x = .data$estimate), size = 2.2) +
    ggplot2::scale_colour_manual(values = stats::setNames(okabe_ito[c(6, 1)][seq_len(nlevels(d$method))], levels(d$method)),
                                 breaks = levels(d$method), name = NULL) +
    ggplot2::scale_shape_manual(values = stats::setNames(c(16, 15)[seq_len(nlevels(d$method))], levels(d$method)),
                                breaks = levels(d$method), name = NULL) +
    ggplot2::scale_y_continuous(breaks = seq_len(nlevels(d$label)), labels = levels(d$label),
                                expand = ggplot2::expansion(add = 0.5)) +
    ggplot2::labs(x = sprintf("%s, %s", w[["estimate"]], sprintf(w[["ci"]], format(100 * cl))), y = NULL,
                  caption = wrap_caption(cap, base_size)) +
    dm_theme(base_size) +
    ggplot2::theme(plot.caption.position = "plot", panel.grid.minor.y = ggplot2::element_blank(),
                   plot.caption = ggplot2::element_text(size = 0.85 * base_size, hjust = 0, colour = "grey30"),
                   strip.text.y = ggplot2::element_text(angle = 0, hjust = 0, face = "bold"),
                   plot.margin = ggplot2::margin(5.5, 2 * base_size, 5.5, 5.5))
  if (nlevels(d$block) > 1L) {
    p <- p + ggplot2::facet_grid(ggplot2::vars(.data$block), scales = "free_y", space = "free_y")
  }
  p
}

# Internal: the pieces of the bootstrap confidence sets, one row per interval.
wild_pieces <- function(object) {
  do.call(rbind, lapply(seq_len(nrow(object)), function(i) {
    s <- object$conf.set[[i]]
    if (is.null(s) || !nrow(s)) s <- cbind(low = object$conf.low[i], high = object$conf.high[i])
    data.frame(term = object$term[i], estimate = object$estimate[i], low = s[, 1], high = s[, 2],
               stringsAsFactors = FALSE)
  }))
}

# Internal: the t intervals of `fit` under `vcov`, for the terms of `object`, with the
# caption line of that estimator; `fit` must be the fit that was bootstrapped.
wild_reference <- function(object, fit, vcov, cluster, conf_level, lang) {
  if (!inherits(fit, "dm_lm")) {
    dm_abort(sprintf("`fit` must be the dm_lm() fit that dm_wild() bootstrapped; you passed an object of class '%s'.",
                     class(fit)[1]), type = "input")
  }
  check_vcov_choice(vcov)
  if (!is.character(vcov) || length(vcov) != 1L || is.na(vcov)) {
    dm_abort(sprintf("`vcov` must be one of %s; you passed %s.", paste0("'", vcov_type_names(), "'", collapse = ", "),
                     show_values(vcov)), type = "input")
  }
  if (!is.null(cluster) && !inherits(cluster, "formula")) {
    dm_abort(sprintf("`cluster` must be a one-sided formula such as ~municipality; you passed an object of class '%s'.",
                     class(cluster)[1]), type = "input")
  }
  est <- fit$coefficients[object$term]
  bad <- is.na(est) | abs(est - object$estimate) > 1e-8 * pmax(1, abs(object$estimate))
  if (any(bad)) {
    dm_abort(sprintf("`fit` is not the fit that `object` bootstrapped: %s differ%s.",
                     show_values(object$term[bad]), if (sum(bad) == 1) "s" else ""), type = "input")
  }
  f <- revcov(fit, vcov, if (vcov_is_cluster(vcov)) cluster, parent.frame())
  tab <- tidy.dm_lm(f, conf.level = conf_level)
  tab <- tab[match(object$term, tab$term), ]
  out <- data.frame(term = tab$term, estimate = tab$estimate, low = tab$conf.low, high = tab$conf.high,
                    method = sprintf(plot_words[[lang]][["t_interval"]], vcov), stringsAsFactors = FALSE)
  attr(out, "caption") <- vcov_caption(vcov, vcov, tab, lang, f$n_clusters %||% NA)
  out
}

# Internal: the caption line of the bootstrap.
wild_caption <- function(object, lang) {
  w <- plot_words[[lang]]
  G <- attr(object, "n_clusters")
  draws <- if (isTRUE(attr(object, "enumerated"))) sprintf(w[["wild_enum"]], object$B[1]) else
    sprintf(w[["wild_draws"]], object$B[1])
  who <- if (is.na(G)) w[["wild_hc"]] else sprintf(w[["wild_cl"]], as.integer(G))
  aux <- c(rademacher = "Rademacher", webb = "Webb", mammen = "Mammen", normal = "normal")[object$auxiliary[1]]
  sprintf(w[["wild_caption"]], who, attr(object, "bootstrap"), aux, draws)
}
