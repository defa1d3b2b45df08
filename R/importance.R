#' Relative importance of predictors or blocks: LMG shares of R-squared
#'
#' Splits the R-squared of a [dm_lm()] fit among its predictors, or among
#' named blocks of them ("capacity or pressure?"), by the LMG method of
#' Lindeman, Merenda and Gold (1980): the Shapley value of each block, its
#' R-squared increment averaged over all orders in which the blocks can enter
#' the model. Reports beside it the R-squared of each block entered first and
#' last, and its Wald test with the fit's variance ([dm_wald()]); with `B > 0`,
#' bootstrap intervals that resample whole clusters (municipalities).
#'
#' @param fit A [dm_lm()] fit with an intercept.
#' @param blocks `NULL`: one block per term of the formula (a factor's dummies
#'   stay together, as in \pkg{relaimpo}). Or a named list of blocks, each a
#'   character vector of coefficient names or term labels:
#'   `list(capacity = c("x1", "x2"), pressure = c("x3", "x4"))`. Terms in no
#'   block are in every model (\pkg{relaimpo}'s `always`): the shares then add
#'   up to the R-squared beyond theirs.
#' @param B Number of cluster-bootstrap draws for the intervals of `lmg`
#'   (0: none). Clusters (the fit's `cluster`; rows without one) are drawn
#'   with replacement; the draws come from R's random number generator, so
#'   [set.seed()] reproduces them, whatever the number of threads.
#' @param conf_level Level of the percentile intervals.
#'
#' @param ... Nothing: an unknown or misspelled argument is an error (class
#'   `digimaturity_error_argument_spelling`) that names the argument meant.
#' @details The R-squared of all 2^p subsets of the p blocks comes from the
#'   weighted, centred cross-product matrix of the predictors and the response
#'   alone, without refitting: a depth-first walk over the subsets appends each
#'   block's columns to the Cholesky factor of its parent model (O(p^2) per
#'   column), in C++. A bootstrap draw needs only the cluster sums of that
#'   matrix. Up to 20 blocks.
#'
#' @return A data frame of class `dm_importance`, one row per block: `term`
#'   (or `block`), `lmg` (shares adding up to the R-squared, or to the
#'   R-squared beyond the always-included terms), `delta_r2_first` (R-squared
#'   of the block alone, beyond the always-included terms), `delta_r2_last`
#'   (R-squared lost when dropping the block from the full model), the Wald
#'   test of the block (`statistic`, `df1`, `df2`, `p.value`, with the fit's
#'   `vcov`), and with `B > 0` `conf.low` and `conf.high` of `lmg`. Attributes:
#'   `r2`, `r2_always`, `always` (the terms in every model), `B` and, with
#'   `B > 0`, `boot` (the draws of `lmg`, blocks x B).
#' @section Progress and interrupts:
#' In an interactive session a run that lasts more than a few seconds shows a
#' progress bar (\pkg{cli}; drawn after cli's `cli.progress_show_after`, 2 s
#' by default); scripts, knitr documents and tests show none unless
#' `options(digimaturity.progress = TRUE)`, and `FALSE` turns the bars off
#' everywhere. Ctrl-C (an
#' interrupt) stops the run within about a second, between blocks of draws.
#' Neither changes the results: the draws are the same with or without a bar
#' and whatever the number of threads.
#' @references Lindeman, R. H., Merenda, P. F. and Gold, R. Z. (1980).
#'   *Introduction to Bivariate and Multivariate Analysis*. Glenview:
#'   Scott, Foresman.
#'
#'   Grömping, U. (2006). Relative importance for linear regression in R: the
#'   package relaimpo. *Journal of Statistical Software* 17(1).
#' @family dm_lm
#' @export
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp + qsec + factor(gear), data = mtcars, cluster = ~carb)
#' dm_importance(fit)
#' imp <- dm_importance(fit, blocks = list(size = c("wt", "hp"), speed = "qsec"))
#' imp
#' set.seed(1)
#' dm_importance(fit, blocks = list(size = c("wt", "hp"), speed = "qsec"), B = 200)
dm_importance <- function(fit, blocks = NULL, B = 0, conf_level = 0.95, ...) {
  check_dots_spelling(..., .strict = TRUE)
  check_wild_fit(fit, "the importance decomposition")
  check_scalar_number(B, "B", lower = 0)
  if (B != round(B)) {
    dm_abort(sprintf("`B` must be a whole number of draws (0 for none); you passed %s.",
                     show_values(B)), type = "input")
  }
  check_scalar_number(conf_level, "conf_level", 0, 1, lower_open = TRUE, upper_open = TRUE)
  if (attr(fit$terms, "intercept") == 0L) {
    dm_abort("`fit` has no intercept: R-squared and its decomposition need one.", type = "input")
  }
  bl <- importance_blocks(fit, blocks)
  cols <- bl$cols
  always <- bl$always
  by_term <- bl$by_term

  # weighted, centred cross-products of the predictors used and the response
  X <- design_matrix(fit)[, c(unlist(cols), always), drop = FALSE]
  y <- as.double(fit$fitted.values + fit$residuals)
  D <- cbind(X, .response = y)
  w <- if (is.null(fit$weights)) rep(1, nrow(D)) else fit$weights
  Dc <- sweep(D, 2L, colSums(D * w) / sum(w))
  C <- crossprod(Dc * sqrt(w))
  idx <- split(seq_along(unlist(cols)), rep(seq_along(cols), lengths(cols)))
  always_idx <- length(unlist(cols)) + seq_along(always)
  blocks_idx <- lapply(unname(idx), as.integer)
  res <- cpp_call(dm_importance_cpp(unname(C), blocks_idx, as.integer(always_idx)))

  walds <- warn_first_only(lapply(cols, function(v) dm_wald(fit, v)))  # one few-clusters warning
  out <- data.frame(term = names(cols), lmg = res$lmg, delta_r2_first = res$first,
                    delta_r2_last = res$last,
                    statistic = vapply(walds, `[[`, 0, "statistic"),
                    df1 = vapply(walds, `[[`, 0, "df1"), df2 = vapply(walds, `[[`, 0, "df2"),
                    p.value = vapply(walds, `[[`, 0, "p.value"), stringsAsFactors = FALSE)
  if (!by_term) names(out)[1] <- "block"
  rownames(out) <- NULL
  boot <- NULL
  if (B > 0) {
    boot <- importance_boot(fit, Dc, w, names(cols), blocks_idx, always_idx, B)
    a <- (1 - conf_level) / 2
    ci <- apply(boot, 1L, stats::quantile, probs = c(a, 1 - a), na.rm = TRUE, names = FALSE)
    out$conf.low <- ci[1, ]
    out$conf.high <- ci[2, ]
  }
  attr(out, "r2") <- res$r2[length(res$r2)]
  attr(out, "r2_always") <- res$r2[1]
  attr(out, "always") <- always
  attr(out, "B") <- B
  attr(out, "conf_level") <- conf_level
  attr(out, "boot") <- boot
  attr(out, "vcov") <- fit$vcov_type
  class(out) <- c("dm_importance", "data.frame")
  out
}

# The coefficient columns of each block of `blocks` (NULL: one block per term) and those
# always in the model; blocks that are empty, overlap or are too many are errors.
importance_blocks <- function(fit, blocks, call = sys.call(-1)) {
  cn <- names(fit$coefficients)
  usable <- setdiff(cn[!fit$aliased], "(Intercept)")
  labels <- attr(fit$terms, "term.labels")
  by_term <- is.null(blocks)
  if (by_term) {
    blocks <- stats::setNames(lapply(labels, function(t) t), labels)
  } else if (!is.list(blocks) || !length(blocks) || is.null(names(blocks)) ||
             any(!nzchar(names(blocks))) || anyDuplicated(names(blocks))) {
    dm_abort("`blocks` must be a named list of term sets, e.g. list(capacity = c(\"x1\", \"x2\"), pressure = \"x3\"), with distinct names.",
             type = "input", call = call)
  }
  cols <- lapply(names(blocks), function(b) {
    v <- blocks[[b]]
    if (!is.character(v) || !length(v)) {
      dm_abort(sprintf("`blocks$%s` must be coefficient names or term labels.", b), type = "input", call = call)
    }
    intersect(wald_columns(fit, v), usable)
  })
  names(cols) <- names(blocks)
  empty <- names(cols)[lengths(cols) == 0L]
  if (length(empty)) {
    if (!by_term) {
      dm_abort(sprintf("`blocks` has block%s without an estimable coefficient: %s.",
                       if (length(empty) > 1) "s" else "", show_values(empty)), type = "input", call = call)
    }
    cols <- cols[lengths(cols) > 0L]
  }
  dup <- unlist(cols)[duplicated(unlist(cols))]
  if (length(dup)) {
    dm_abort(sprintf("`blocks` overlap: %s in more than one block.", show_values(dup)), type = "input", call = call)
  }
  if (length(cols) > 20L) {
    dm_abort(sprintf("`blocks`: %d blocks, at most 20 (2^20 subsets); group the terms into blocks.",
                     length(cols)), type = "input", call = call)
  }
  always <- setdiff(usable, unlist(cols))
  list(cols = cols, always = always, by_term = by_term)
}

# The cluster bootstrap of the LMG shares: the clusters' moment sums once, then B
# resamples of whole clusters (rows without a cluster) as counts; one row per block.
# The draws run in chunks (of about 0.1 s each) for the progress bar and Ctrl-C: the
# clusters of draw b are R's draws G * (b - 1) + 1 .. G * b whatever the chunks, so the
# result does not depend on them (nor on the threads: each draw is computed alone).
importance_boot <- function(fit, Dc, w, block_names, blocks_idx, always_idx, B) {
  cl <- if (is.null(fit$cluster)) seq_len(nrow(Dc)) else as.integer(fit$cluster)
  G <- max(cl)
  q <- ncol(Dc)
  cross <- Dc[, rep(seq_len(q), q), drop = FALSE] * Dc[, rep(seq_len(q), each = q), drop = FALSE]
  mom <- unname(t(rowsum(cbind(w, Dc * w, cross * w), cl, reorder = TRUE)))
  work <- 2^length(block_names) * q^2 + G   # per draw
  threads <- threads_for(B * work)
  # about 2e8 flops a chunk (and G x chunk counts within an integer vector); the tests
  # set the draws per chunk to check that the chunks do not matter
  per_chunk <- min(2e8 / work, floor(.Machine$integer.max / G))
  chunks <- progress_chunks(B, getOption("digimaturity.importance_chunk", per_chunk),
                            max_chunks = Inf)
  bar <- progress_start(B, "LMG bootstrap draws")
  boot <- vector("list", length(chunks))
  for (i in seq_along(chunks)) {
    len <- chunks[[i]]
    draws <- sample.int(G, G * len, replace = TRUE)
    # the counts of each cluster in each draw (G x len), one tabulate() for the chunk
    counts <- tabulate(draws + G * rep(seq_len(len) - 1L, each = G), nbins = G * len)
    boot[[i]] <- cpp_call(dm_importance_boot_cpp(mom, counts, blocks_idx,
                                                 as.integer(always_idx), threads))
    progress_update(bar, inc = len)
  }
  progress_done(bar)
  boot <- do.call(cbind, boot)[seq_along(block_names), , drop = FALSE]
  rownames(boot) <- block_names
  boot
}

#' @export
print.dm_importance <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  check_dots_strict(..., .fun = "print()")
  r2 <- attr(x, "r2")
  cat(sprintf("Relative importance (LMG shares of R-squared = %s%s)\n",
              format(r2, digits = digits),
              if (length(attr(x, "always"))) sprintf("; always in the model: %s (R-squared %s)",
                                                     paste(attr(x, "always"), collapse = ", "),
                                                     format(attr(x, "r2_always"), digits = digits)) else ""))
  y <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  y$share <- y$lmg / (r2 - attr(x, "r2_always"))
  keep <- c(names(y)[1], "lmg", "share", intersect(c("conf.low", "conf.high"), names(y)),
            "delta_r2_first", "delta_r2_last", "statistic", "df1", "df2", "p.value")
  print(y[keep], digits = digits, row.names = FALSE)
  if (isTRUE(attr(x, "B") > 0)) {
    cat(sprintf("%g%% intervals of lmg: percentiles of %d cluster-bootstrap draws; Wald tests with vcov %s.\n",
                100 * attr(x, "conf_level"), attr(x, "B"), attr(x, "vcov")))
  } else {
    cat(sprintf("Wald tests with vcov %s.\n", attr(x, "vcov")))
  }
  invisible(x)
}
