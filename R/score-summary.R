# summary() of dm_score(): per dimension the (weighted) mean, standard deviation and the
# design-based standard error of the mean (respondents, or whole clusters such as
# municipalities, as primary sampling units; a finite population correction), as
# survey::svymean() computes them; the same weighted moments standardise `scale = "z"`.

#' Summaries of dimension scores, weighted and design-based
#'
#' One row per dimension of a [dm_score()] result: the number of respondents
#' with a score, the (weighted) mean and standard deviation, the standard error
#' of the mean and its confidence interval. With weights (`dm_score(weights =)`,
#' for example from [dm_weights()]) every statistic is weighted; with `cluster`
#' the standard error treats whole clusters (municipalities) as the sampled
#' units, and `fpc` applies the finite population correction.
#'
#' @section Methods:
#' With weights \eqn{w_i} and a score \eqn{x_i} for the respondents \eqn{i \in
#' D} of the dimension, the mean is \eqn{\bar x = \sum_D w_i x_i / W}, \eqn{W =
#' \sum_D w_i}; the standard deviation is that of [stats::cov.wt()] (`method =
#' "unbiased"`): \eqn{s^2 = \sum_D p_i (x_i - \bar x)^2 / (1 - \sum_D p_i^2)}
#' with \eqn{p_i = w_i / W}, which is [stats::sd()] for equal weights. The
#' standard error is the linearisation (Taylor) variance of a ratio mean:
#' with \eqn{z_i = w_i (x_i - \bar x) / W} (0 for respondents without a
#' score) summed per sampled unit \eqn{g} (a respondent, or a cluster) to
#' \eqn{t_g}, \eqn{se^2 = (1 - G/N) \, G/(G-1) \sum_g t_g^2} over the \eqn{G}
#' units of the data (\eqn{N} = `fpc`; without `fpc` the factor is 1). This is
#' `survey::svymean(~x, svydesign(ids = ~1 or ~cluster, weights = ~w, fpc =),
#' na.rm = TRUE)`: respondents without a score stay in the design (domain
#' estimation), so \eqn{G} counts every respondent or cluster. The interval is
#' \eqn{\bar x \pm t_{G-1} se}, as `confint(svymean(...), df = degf(design))`.
#' Without weights and clusters and with every score present, \eqn{se = s /
#' \sqrt n}. `n_eff` is Kish's effective sample size \eqn{W^2 / \sum_D w_i^2}.
#'
#' The design-based standard error describes how the mean would vary over
#' samples of municipalities (and of respondents within them); it is the right
#' one for a population figure ("the mean efficiency of Flemish
#' municipalities"). `fpc` is right when the municipalities were drawn (or
#' responded) without replacement from the `fpc` municipalities of the
#' population, as 183 of 300: the sampling fraction then shrinks the variance
#' by 39%.
#'
#' @param object A [dm_score()] result.
#' @param conf_level Confidence level of the intervals.
#' @param cluster Optional sampled units above respondents: a column of
#'   `object` (carry it with `dm_score(keep = "municipality")`), as a name or
#'   one-sided formula (`~municipality`), or a vector with one value per row.
#' @param fpc Optional population number of sampled units (clusters with
#'   `cluster`, else respondents), for the finite population correction.
#' @param ... Nothing: any argument here is an error
#'   (`digimaturity_error_argument_spelling`).
#' @return A data frame of class `dm_scores_summary`, one row per dimension:
#'   `dimension`, `n` (respondents with a score), `n_eff`, `mean`, `sd`, `se`,
#'   `df`, `conf.low`, `conf.high`, `min`, `max`; attributes `conf_level`,
#'   `weights_label` (how the scores were weighted, or `NULL`), `cluster`,
#'   `n_clusters`, `fpc`, `instrument` and `call`.
#' @family scoring
#' @export
#' @examples
#' s <- dm_score(flanders_dm, keep = "municipality")
#' summary(s)
#' # respondents nested in municipalities, 183 of 300 sampled
#' summary(s, cluster = ~municipality, fpc = 300)
#' # weighted to (illustrative) population margins
#' frame_margins <- list(population_class = c("<10000" = 66, "10000-19999" = 110,
#'                                            "20000-29999" = 57, "30000-49999" = 42,
#'                                            ">=50000" = 25))
#' w <- dm_weights(flanders_dm, frame_margins, unit = "municipality")
#' sw <- dm_score(flanders_dm, keep = "municipality", weights = w)
#' summary(sw, cluster = ~municipality, fpc = 300)
summary.dm_scores <- function(object, conf_level = 0.95, cluster = NULL, fpc = NULL, ...) {
  check_dots_strict(..., .fun = "summary()", .formals = c("object", "conf_level", "cluster", "fpc"))
  check_share(conf_level, "conf_level", open = TRUE)
  dims <- score_dimensions(object)
  n <- nrow(object)
  # the weights travel with the scores as their column .weight (rows subset with them)
  w <- if (is.null(object$.weight)) rep(1, n) else as.numeric(object$.weight)
  label <- attr(object, "weights_label") %||%
    (if (!is.null(object$.weight)) weights_provenance(object$.weight, quote(.weight)))
  psu <- summary_units(cluster, object)
  N <- summary_fpc(fpc, psu)
  rows <- lapply(dims, function(d) {
    m <- design_mean(as.numeric(object[[d]]), w, psu$code, N)
    q <- if (m$df > 0) stats::qt(1 - (1 - conf_level) / 2, m$df) else NA_real_
    x <- object[[d]][!is.na(object[[d]])]
    data.frame(dimension = d, n = m$n, n_eff = m$n_eff, mean = m$mean, sd = m$sd, se = m$se,
               df = m$df, conf.low = m$mean - q * m$se, conf.high = m$mean + q * m$se,
               min = if (length(x)) min(x) else NA_real_, max = if (length(x)) max(x) else NA_real_,
               stringsAsFactors = FALSE)
  })
  res <- do.call(rbind, rows)
  attr(res, "conf_level") <- conf_level
  attr(res, "weights_label") <- label
  attr(res, "cluster") <- psu$name
  attr(res, "n_clusters") <- if (is.null(psu$name)) NULL else psu$G
  attr(res, "fpc") <- fpc
  attr(res, "scale") <- attr(object, "scale")
  res <- with_provenance(res, attr(object, "instrument"), match.call())
  class(res) <- c("dm_scores_summary", "data.frame")
  res
}

# The sampled units of a summary: list(code (1..G per row), G, name (NULL: respondents)).
summary_units <- function(cluster, object) {
  n <- nrow(object)
  if (is.null(cluster)) return(list(code = seq_len(n), G = n, name = NULL))
  name <- NULL
  if (inherits(cluster, "formula") || (is.character(cluster) && length(cluster) == 1L && n != 1L)) {
    name <- resolve_columns(cluster, object, "cluster", max = 1L, type = "cluster")
    cluster <- object[[name]]
  } else if (length(cluster) != n) {
    dm_abort(sprintf("`cluster` must name a column of the scores (keep it with dm_score(keep =)) or have one value per row (%d); it has %d values.",
                     n, length(cluster)), type = "cluster")
  }
  cluster <- group_values(cluster, "cluster", type = "cluster")
  bad <- which(is.na(cluster))
  if (length(bad)) {
    dm_abort(sprintf("`cluster` is missing (NA, empty or blank) in row%s %s; every respondent needs a cluster id.",
                     if (length(bad) > 1) "s" else "", show_rows(bad)), type = "cluster")
  }
  code <- as.integer(factor(cluster))
  list(code = code, G = max(code), name = name %||% "cluster")
}

# The finite population correction's N, checked against the number of sampled units.
summary_fpc <- function(fpc, psu) {
  if (is.null(fpc)) return(NULL)
  if (!is.numeric(fpc) || length(fpc) != 1L || is.na(fpc) || !is.finite(fpc) || fpc < psu$G) {
    dm_abort(sprintf("`fpc` must be the population number of %s, a single number at least the %d in the data; you passed %s.",
                     if (is.null(psu$name)) "respondents" else "clusters", psu$G, show_scalar(fpc)),
             type = "input")
  }
  fpc
}

# The weighted mean of `x` (NA: not in the domain) with the weighted (cov.wt "unbiased")
# standard deviation, and the linearisation standard error with the units `code` as
# primary sampling units and the finite population `N` (or NULL), as survey::svymean().
design_mean <- function(x, w, code, N = NULL) {
  ok <- !is.na(x)
  G <- max(code)
  wx <- w[ok]
  W <- sum(wx)
  if (!any(ok) || W <= 0) {
    return(list(n = sum(ok), n_eff = 0, mean = NA_real_, sd = NA_real_, se = NA_real_,
                df = G - 1L))
  }
  p <- wx / W
  m <- sum(p * x[ok])
  dev <- x[ok] - m
  sp2 <- sum(p^2)
  sd <- if (sp2 < 1) sqrt(sum(p * dev^2) / (1 - sp2)) else NA_real_
  t_g <- rowsum(p * dev, code[ok], reorder = FALSE)[, 1]
  f <- if (is.null(N)) 1 else 1 - G / N
  se <- if (G > 1) sqrt(f * G / (G - 1) * sum(t_g^2)) else NA_real_
  list(n = sum(ok), n_eff = W^2 / sum(wx^2), mean = m, sd = sd, se = se, df = G - 1L)
}

#' @export
print.dm_scores_summary <- function(x, digits = 3L, ...) {
  check_dots_strict(..., .fun = "print()", .formals = c("x", "digits"))
  cat(sprintf("<dm_scores_summary> %d dimension%s; %s%% t intervals on %s df", nrow(x),
              if (nrow(x) == 1L) "" else "s", format(100 * attr(x, "conf_level")),
              paste(unique(x$df), collapse = ", ")))
  cat("\n")
  units <- if (is.null(attr(x, "cluster"))) "respondents as sampled units" else
    sprintf("clusters by %s (%d)", attr(x, "cluster"), attr(x, "n_clusters"))
  cat("Standard errors: design-based, ", units,
      if (!is.null(attr(x, "fpc"))) sprintf("; finite population correction (N = %s)", format(attr(x, "fpc"))),
      "\n", sep = "")
  if (!is.null(attr(x, "weights_label"))) cat("Weights: ", weights_words(x), "\n", sep = "")
  df <- x
  class(df) <- "data.frame"
  for (a in c("conf_level", "weights_label", "cluster", "n_clusters", "fpc", "scale",
              "instrument", "call")) attr(df, a) <- NULL
  num <- vapply(df, is.double, logical(1))
  df[num] <- lapply(df[num], function(v) signif(v, digits + 1L))
  print(df, row.names = FALSE)
  invisible(x)
}
