#' Reliability of each maturity dimension
#'
#' Cronbach's alpha (raw and standardised) with the Feldt and the Duhachek
#' intervals, McDonald's omega from a one-factor model, and item statistics,
#' per dimension, from pairwise-complete covariances (every answer counts, as
#' in `psych::alpha()`) or over the respondents who answered all of the
#' dimension's items (`use = "complete"`). The print method gives the number
#' of respondents each alpha rests on.
#'
#' @inheritParams dm_score
#' @param conf_level Confidence level of the intervals.
#' @param use `"pairwise"` (the default, as `psych::alpha()`): each covariance
#'   over the respondents who answered both items, each variance over those
#'   who answered the item (`stats::cov(use = "pairwise.complete.obs")`);
#'   or `"complete"`: the covariances over the respondents who answered every
#'   item of the dimension (listwise deletion; the only choice before `use`
#'   existed).
#' @param weights Optional respondent weights (from [dm_weights()], a column name or a
#'   vector with one value per row): alpha, the item statistics and omega then rest
#'   on weighted (unbiased, as `stats::cov.wt()`) covariances and means, and the
#'   intervals and omega on Kish's effective n instead of n.
#' @param ordinal `TRUE` adds `alpha_ordinal`, ordinal alpha (Zumbo et al.
#'   2007): standardised alpha from the polychoric correlations of the
#'   dimension's keyed items ([dm_polychoric()]; pairwise-complete under
#'   `use = "pairwise"`, the dimension's complete cases under `"complete"`).
#'   An item with one observed category is then an error.
#' @param B Number of bootstrap draws for an interval on ordinal alpha (0, the
#'   default: none). Only with `ordinal = TRUE` (the other statistics have
#'   their analytic intervals; `B > 0` with `ordinal = FALSE` is an error).
#'   Each draw resamples respondents (or whole clusters, see `cluster`) with
#'   replacement and recomputes every dimension's polychoric matrix and ordinal
#'   alpha on them, in C++ on [dm_threads()] threads, with a progress bar
#'   (\pkg{cli}) and interruptible with Ctrl-C. The streams derive from one
#'   seed drawn from R's generator: [set.seed()] reproduces the draws, whatever
#'   the number of threads.
#' @param cluster Optional clusters of respondents (such as municipalities) for
#'   the bootstrap: a one-sided formula (`~municipality`), a column name or a
#'   vector with one value per row. Each draw then resamples whole clusters and
#'   the BCa acceleration comes from the jackknife over clusters. A missing
#'   cluster is an error.
#' @param boot_type The bootstrap interval: `"perc"` (percentile, the default)
#'   or `"bca"` (bias-corrected and accelerated, Efron 1987, with the jackknife
#'   acceleration; it costs one more polychoric fit per respondent or cluster).
#'   An interval whose end needs a quantile beyond the extreme draws warns
#'   (class `digimaturity_warning_few_draws`): use `B` of at least 1000 (2000
#'   for BCa) in a report.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant (`conf.level` -> `conf_level`, `language` -> `lang`).
#'
#' @return A data frame of class `dm_reliability`, one row per dimension:
#'   `dimension`, `n_items`, `n` (the respondents alpha rests on: those with
#'   any answer to the dimension under `"pairwise"`, the complete cases under
#'   `"complete"`), `n_incomplete` (the other respondents, not used),
#'   `n_complete` (answered every item), `n_any` (answered at least one),
#'   `n_ci` (the sample size of the intervals and of omega: the complete cases,
#'   or under `"pairwise"` the smallest number of respondents who answered a
#'   pair of the dimension's items), `alpha` (raw alpha from the covariances),
#'   `alpha_std` (from the correlations), `alpha_ordinal` (only with
#'   `ordinal = TRUE`: from the polychoric correlations), `conf.low`, `conf.high` (Feldt's
#'   interval, as `psych::alpha()$feldt`), `ase`, `duhachek.low`,
#'   `duhachek.high` (Duhachek's asymptotic standard error and normal
#'   interval, as `psych::alpha()`'s "Duhachek" bounds), `omega` (McDonald's
#'   omega total, `sum(loadings)^2 / (sum(loadings)^2 + sum(uniquenesses))`,
#'   from a one-factor maximum-likelihood factor analysis of the item
#'   correlations with [stats::factanal()], under `"pairwise"` of the
#'   pairwise correlations as `psych::fa()`; `NA` with fewer than 3 items or
#'   when the fit fails, as it can on a pairwise correlation matrix that is
#'   not positive definite); with `B > 0` also `alpha_ordinal.se` (the standard
#'   deviation of the bootstrap replicates), `alpha_ordinal.low` and
#'   `alpha_ordinal.high` (the bootstrap interval at `conf_level`), and
#'   `attr(x, "boot")`: a list with `t0` (ordinal alpha per dimension), `t` (the
#'   B x dimensions matrix of replicates), `jack` (the jackknife values, units x
#'   dimensions, for `"bca"`; else `NULL`), `B`, `type`, `conf_level`, `seed`
#'   (the stream seed drawn from R's generator), `n_rows`, `cluster` (the
#'   integer cluster codes of the rows, or `NULL`) and `failed` (per dimension,
#'   the draws without a value, left out of the interval: a draw in which an
#'   item has a single category). `attr(x, "item_stats")` holds one row per item:
#'   `dimension`, `item`, `n` (the respondents behind its mean and sd),
#'   `mean`, `sd` (keyed values), `r_rest` (the correlation of the item with
#'   the sum of the dimension's other items, psych's `r.drop`; from
#'   pairwise covariances, which need not form a consistent matrix, it can
#'   leave \[-1, 1\] when few respondents answered) and `alpha_drop` (raw
#'   alpha without the item).
#'
#' @details All statistics use the keyed values (reverse-keyed items
#'   reversed within their own range). On complete data both choices of
#'   `use` give the same results, and `alpha`, `alpha_std`, the Feldt
#'   interval, `ase`, `r_rest` and `alpha_drop` equal those of
#'   `psych::alpha()`. With missing answers and `use = "pairwise"`, `alpha`,
#'   `alpha_std`, `r_rest`, `alpha_drop` and the item means and sds equal
#'   those of `psych::alpha()` (whose default is pairwise); the intervals
#'   differ on purpose: psych takes the number of rows of the data as their
#'   sample size, rows without any answer included, while here it is `n_ci`,
#'   the fewest respondents behind any covariance (a conservative choice: no
#'   covariance rests on fewer).
#'
#'   **Bootstrap of ordinal alpha** (Gadermann, Guhn & Zumbo 2012; Kelley &
#'   Pornprasertmanit 2016, as `MBESS::ci.reliability(type = "categorical")`).
#'   The percentile interval and BCa follow Davison & Hinkley (1997) as
#'   `boot::boot.ci()` computes them (order statistics interpolated on the
#'   normal quantile scale, eq. 5.8): the BCa bias correction is
#'   `qnorm(mean(t < t0))` and the acceleration `sum(L^3) / (6 sum(L^2)^1.5)` with
#'   `L` the jackknife influence values `(m - 1) (mean(jack) - jack)` over the `m`
#'   respondents (or clusters). Draws in which a dimension's alpha is undefined
#'   (an item with one observed category) are left out with a warning. With few
#'   clusters (say below 20) the cluster bootstrap interval is too narrow.
#'
#' @section Keying check:
#' An item whose keyed values correlate negatively with the rest of its
#' dimension (`r_rest < 0`) gets a warning of class
#' `digimaturity_warning_keying` naming it, its dimension and `r_rest`, with
#' the two likely causes: an item reverse-keyed in its wording but not
#' reversed (`keyed = 1` where it should be `-1`), or an item reversed twice
#' (already reversed in the data and `keyed = -1` in the codebook). Such an
#' item lowers alpha (in the bundled data, from .70 to .12 for the legacy
#' scale) and biases the scores. In a two-item dimension `r_rest` is the
#' correlation of the two items, so both are named: the check cannot tell
#' which one is mis-keyed. One-item dimensions are not checked. The warning
#' condition carries the suspect items in its field `suspects` (a data
#' frame: `dimension`, `item`, `r_rest`, `keyed`, `n_items`).
#'
#' @references
#' Zumbo, B. D., Gadermann, A. M., & Zeisser, C. (2007). Ordinal versions of
#' coefficients alpha and theta for Likert rating scales. *Journal of Modern
#' Applied Statistical Methods*, 6, 21-29.
#'
#' Gadermann, A. M., Guhn, M., & Zumbo, B. D. (2012). Estimating ordinal
#' reliability for Likert-type and ordinal item response data. *Practical
#' Assessment, Research & Evaluation*, 17(3).
#'
#' Kelley, K., & Pornprasertmanit, S. (2016). Confidence intervals for
#' population reliability coefficients: Evaluation of methods,
#' recommendations, and software for composite measures. *Psychological
#' Methods*, 21, 69-92.
#'
#' Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and their
#' Application*. Cambridge University Press.
#'
#' @family scoring
#' @section Provenance:
#' The result keeps the instrument it was computed with,
#' `attr(x, "instrument")` (a [dm_instrument()]: item and dimension labels,
#' response labels), and the call that made it, `attr(x, "call")`.
#' [autoplot()] and [dm_table()] label from them, so a scale of your own is
#' shown with its own answer labels.
#' @export
#' @examples
#' # Simulated answers driven by one latent maturity per respondent
#' set.seed(1)
#' latent <- rnorm(100)
#' resp <- as.data.frame(lapply(seq_len(nrow(dmm_items)), function(j)
#'   pmin(5, pmax(1, round(3 + latent + rnorm(100))))))
#' names(resp) <- dmm_items$item
#' resp$poor_past_it <- 6 - resp$poor_past_it  # reverse-keyed item
#'
#' rel <- dm_reliability(resp, ordinal = TRUE)  # with ordinal alpha
#' rel
#' attr(rel, "item_stats")
#'
#' # a bootstrap interval on ordinal alpha, resampling municipalities
#' set.seed(1)
#' dm_reliability(flanders_dm[1:300, ], ordinal = TRUE, B = 200,
#'                cluster = ~municipality)
dm_reliability <- function(data, items = dmm_items, conf_level = 0.95, missing_codes = NULL,
                           use = c("pairwise", "complete"), weights = NULL, ordinal = FALSE,
                           B = 0, cluster = NULL, boot_type = c("perc", "bca"), ...) {
  check_dots_spelling(..., .strict = TRUE)
  check_flag(ordinal, "ordinal")
  boot_type <- match_choice(boot_type, c("perc", "bca"), "boot_type")
  check_boot_draws(B, ordinal, cluster)
  if (ordinal && !is.null(weights)) {
    dm_abort("`ordinal = TRUE` cannot be combined with `weights`: the polychoric correlations of ordinal alpha are unweighted (dm_polychoric() takes no weights). Drop one of them.",
             type = "input")
  }
  if (missing(items)) items <- bundled_items()
  check_data_frame(data)
  check_share(conf_level, "conf_level", open = TRUE)
  use <- match_choice(use, c("pairwise", "complete"), "use")
  w <- respondent_weights(weights, data)
  resp <- dm_responses(data, items, missing_codes)
  out <- dm_moments_cpp(resp$columns, resp$spec)
  raise_code_problems(out$problems, resp)
  ins <- resp$items
  p <- 1 - conf_level
  z <- stats::qnorm(1 - p / 2)
  rows <- list()
  stats_rows <- list()
  for (d in seq_along(resp$dimensions)) {
    mm <- out$dimensions[[d]]
    m <- if (is.null(w)) dimension_covariance(mm, use) else
      weighted_dimension_covariance(resp, mm, use, w)
    k <- length(mm$items)
    n <- m$n_ci
    C <- m$cov
    a <- alpha_from_cov(C)
    R <- if (n >= 2 && !anyNA(C) && all(diag(C) > 0)) stats::cov2cor(C) else matrix(NA_real_, k, k)
    a_std <- if (k >= 2) (1 - k / sum(R)) * k / (k - 1) else NA_real_
    df1 <- n - 1
    df2 <- (n - 1) * (k - 1)
    feldt_ok <- is.finite(a) && n >= 2 && k >= 2
    low <- if (feldt_ok) 1 - (1 - a) * stats::qf(1 - p / 2, df1, df2) else NA_real_
    high <- if (feldt_ok) 1 - (1 - a) * stats::qf(p / 2, df1, df2) else NA_real_
    ase <- if (is.finite(a)) sqrt(duhachek_q(C) / n) else NA_real_
    rows[[d]] <- data.frame(
      dimension = resp$dimensions[d], n_items = k, n = m$n,
      n_incomplete = resp$n_rows - m$n, n_complete = mm$n, n_any = mm$n_any, n_ci = n,
      alpha = a, alpha_std = a_std,
      conf.low = low, conf.high = high, ase = ase,
      duhachek.low = a - z * ase, duhachek.high = a + z * ase,
      omega = omega_one_factor(if (is.null(m$cor)) R else m$cor, n), stringsAsFactors = FALSE
    )
    ir <- item_rest(C, n)
    stats_rows[[d]] <- data.frame(
      dimension = resp$dimensions[d], item = ins$item[mm$items], n = m$item_n,
      mean = m$mean, sd = sqrt(diag(C)), r_rest = ir$r_rest, alpha_drop = ir$alpha_drop,
      stringsAsFactors = FALSE
    )
  }
  res <- do.call(rbind, rows)
  if (ordinal) {
    pos <- seq_len(match("alpha_std", names(res)))
    res <- cbind(res[pos], alpha_ordinal = ordinal_alpha(data, items, missing_codes, use),
                 res[-pos])
    if (B > 0) {
      boot <- ordinal_alpha_boot(resp, data, use, B, cluster, boot_type, conf_level)
      res$alpha_ordinal.se <- boot$se
      res$alpha_ordinal.low <- boot$ci[, 1]
      res$alpha_ordinal.high <- boot$ci[, 2]
      attr(res, "boot") <- boot$boot
    }
  }
  item_stats <- do.call(rbind, stats_rows)
  rownames(item_stats) <- NULL
  attr(res, "item_stats") <- item_stats
  attr(res, "conf_level") <- conf_level
  attr(res, "use") <- use
  attr(res, "weighted") <- !is.null(w)
  res <- with_provenance(res, resp$items, match.call())
  class(res) <- c("dm_reliability", "data.frame")
  warn_keying(keying_suspects(item_stats, ins))
  res
}

# Internal: the covariance matrix of one dimension's keyed values from the moments of
# dm_moments_cpp(), complete cases or pairwise-complete, with the respondents it rests
# on (n), the n of the intervals (n_ci: the complete cases, or the smallest number of
# respondents who answered a pair of the items), and per item its n and mean. Under
# "pairwise", cor is the pairwise correlation matrix (each pair with its own sds, as
# cor(use = "pairwise") and psych::fa()) for omega; under "complete" cov2cor(cov) is.
dimension_covariance <- function(mm, use) {
  if (use == "complete") {
    k <- length(mm$items)
    return(list(cov = mm$cov, cor = NULL, n = mm$n, n_ci = mm$n, item_n = rep(mm$n, k),
                mean = mm$mean))
  }
  list(cov = mm$pair_cov, cor = mm$pair_cor, n = mm$n_any,
       n_ci = if (length(mm$pair_n)) min(mm$pair_n) else 0,
       item_n = diag(mm$pair_n), mean = mm$pair_mean)
}

# Internal: per item of a dimension with covariance matrix C (keyed values), the
# corrected item-rest correlation (the item against the sum of the other items,
# psych's r.drop) and the raw alpha without the item. NA with fewer than two items or
# fewer than two respondents (n). The one computation of r_rest: dm_reliability()'s item
# statistics and the keying check both use it.
item_rest <- function(C, n) {
  k <- ncol(C)
  r_rest <- alpha_drop <- rep(NA_real_, k)
  if (k >= 2 && n >= 2) {
    for (i in seq_len(k)) {
      v_rest <- sum(C[-i, -i, drop = FALSE])
      r_rest[i] <- (sum(C[, i]) - C[i, i]) / sqrt(C[i, i] * v_rest)
      alpha_drop[i] <- alpha_from_cov(C[-i, -i, drop = FALSE])
    }
  }
  list(r_rest = r_rest, alpha_drop = alpha_drop)
}

# Internal: the keying check. Items whose keyed values correlate negatively with the
# rest of their dimension (item_rest()'s r_rest < 0, on the covariances of `use`), from
# the result of dm_responses(): a data frame with one row per suspect item, columns
# dimension, item, r_rest, keyed (the codebook's keying) and n_items (of the dimension),
# possibly with no rows.
# In a two-item dimension r_rest is the correlation of its two items: both are listed
# (the check cannot tell which one is mis-keyed). One-item dimensions have no r_rest.
# warn_keying() turns the result into the warning; dm_score() and dm_reliability() call
# them, and so can a read report.
keying_check <- function(resp, use = "pairwise") {
  # the moments of the caller's own pass (dm_score()), else a pass of their own
  out <- resp$moments
  if (is.null(out)) out <- dm_moments_cpp(resp$columns, resp$spec)
  stats_rows <- lapply(seq_along(resp$dimensions), function(d) {
    mm <- out$dimensions[[d]]
    m <- dimension_covariance(mm, use)
    data.frame(dimension = resp$dimensions[d], item = resp$items$item[mm$items],
               r_rest = item_rest(m$cov, m$n_ci)$r_rest, stringsAsFactors = FALSE)
  })
  keying_suspects(do.call(rbind, stats_rows), resp$items)
}

# Internal: the suspect rows of an item-statistics frame (dimension, item, r_rest).
keying_suspects <- function(item_stats, ins) {
  bad <- !is.na(item_stats$r_rest) & item_stats$r_rest < 0
  s <- item_stats[bad, c("dimension", "item", "r_rest"), drop = FALSE]
  s$keyed <- as.integer(ins$keyed[match(s$item, ins$item)])
  s$n_items <- as.integer(table(item_stats$dimension)[s$dimension])
  rownames(s) <- NULL
  s
}

# Internal: the lines of the keying message for the suspects of keying_check()
# (character(0) when there are none), for a warning or a read report.
keying_message <- function(suspects) {
  if (!NROW(suspects)) return(character(0))
  k <- nrow(suspects)
  two <- unique(suspects$dimension[suspects$n_items == 2L])
  items <- sprintf("  %s (%s, keyed = %d): r = %.2f", suspects$item, suspects$dimension,
                   suspects$keyed, suspects$r_rest)
  c(sprintf(paste0("%d item%s correlate%s negatively with the rest of %s dimension ",
                   "(corrected item-rest r on the keyed values):"),
            k, if (k > 1) "s" else "", if (k > 1) "" else "s", if (k > 1) "their" else "its"),
    items,
    paste0("Likely causes: not reversed although reverse-keyed in the wording (`keyed` ",
           "should be -1 in the codebook), or reversed twice (already reversed in the data ",
           "and keyed = -1 in the codebook). A mis-keyed item biases the scores and lowers ",
           "alpha."),
    if (length(two))
      sprintf(paste0("In a two-item dimension (%s) r is the correlation of its two items: ",
                     "either one may be mis-keyed."), paste(two, collapse = ", ")))
}

# Internal: the keying warning (class digimaturity_warning_keying) for the suspects of
# keying_check(); nothing when there are none.
warn_keying <- function(suspects, call = sys.call(-1)) {
  msg <- keying_message(suspects)
  if (length(msg)) dm_warn(msg, "keying", call = call, suspects = suspects)
  invisible(suspects)
}

# Internal: raw alpha from a covariance matrix (NA with fewer than two items).
alpha_from_cov <- function(C) {
  k <- ncol(C)
  if (k < 2 || anyNA(C)) return(NA_real_)
  (1 - sum(diag(C)) / sum(C)) * k / (k - 1)
}

# Internal: Duhachek's Q (n times the sampling variance of alpha), as psych::alpha.
duhachek_q <- function(C) {
  k <- ncol(C)
  s <- sum(C)
  tr <- sum(diag(C))
  CC <- C %*% C
  (2 * k^2 / ((k - 1)^2 * s^3)) * (s * (sum(diag(CC)) + tr^2) - 2 * tr * sum(CC))
}

# Internal: McDonald's omega total of a one-factor ML model of the correlations R.
omega_one_factor <- function(R, n) {
  k <- ncol(R)
  if (k < 3 || anyNA(R) || n <= k) return(NA_real_)
  fit <- tryCatch(stats::factanal(covmat = R, factors = 1, n.obs = n),
                  error = function(e) NULL)
  if (is.null(fit)) return(NA_real_)
  lam <- as.vector(fit$loadings)
  psi <- fit$uniquenesses
  sum(lam)^2 / (sum(lam)^2 + sum(psi))
}

#' @export
print.dm_reliability <- function(x, ...) {
  # a column subset loses the attributes: then the header says only what it knows
  use <- attr(x, "use")
  if (is.null(use) && !is.null(attr(x, "conf_level"))) use <- "complete"  # before `use`
  cl <- attr(x, "conf_level")
  cat(paste0(paste(c(
    sprintf("<dm_reliability> %d dimension%s", nrow(x), if (nrow(x) == 1L) "" else "s"),
    if (identical(use, "pairwise")) "pairwise-complete covariances"
    else if (identical(use, "complete")) "complete cases per dimension",
    if (!is.null(cl)) sprintf("%s%% intervals", format(100 * cl)),
    boot_header(attr(x, "boot"))), collapse = "; "), "\n"))
  df <- x
  class(df) <- "data.frame"
  attr(df, "item_stats") <- attr(df, "use") <- attr(df, "conf_level") <- NULL
  attr(df, "instrument") <- attr(df, "call") <- attr(df, "boot") <- NULL
  counts <- !is.null(use) && all(c("n_complete", "n_any", "n_ci") %in% names(df))
  if (counts) df$n <- df$n_incomplete <- df$n_ci <- NULL
  num <- vapply(df, is.double, logical(1))
  df[num] <- lapply(df[num], round, 3)
  print(df, ...)
  if (counts) {
    note <- if (use == "pairwise") {
      sprintf(paste("n_complete: respondents who answered every item of the dimension;",
                    "n_any: at least one. Alpha rests on the n_any respondents' answers;",
                    "the intervals and omega on the fewest who answered a pair of items (%s)."),
              paste(x$dimension, x$n_ci, collapse = ", "))
    } else {
      paste("n_complete: respondents who answered every item of the dimension, on whom alpha",
            "rests; n_any: at least one (use = \"pairwise\" uses all their answers).")
    }
    writeLines(strwrap(note, width = getOption("width")))
  }
  if (!is.null(attr(x, "item_stats"))) cat("Item statistics: attr(x, \"item_stats\")\n")
  invisible(x)
}

# Internal: checks `B` (whole number >= 0) and that a bootstrap has something to do
# (ordinal = TRUE); `cluster` without B is an error too (it would be silently unused).
check_boot_draws <- function(B, ordinal, cluster, call = sys.call(-1)) {
  if (!is.numeric(B) || length(B) != 1L || is.na(B) || !is.finite(B) || B < 0 ||
      B != round(B) || B > .Machine$integer.max) {
    dm_abort(sprintf("`B` must be a whole number of bootstrap draws (0 for none); you passed %s.",
                     show_values(B)), type = "input", call = call)
  }
  if (B > 0 && !ordinal) {
    dm_abort(sprintf(paste0("`B = %s` bootstraps ordinal alpha only: set `ordinal = TRUE`. ",
                            "Alpha itself has the Feldt and Duhachek intervals."), format(B)),
             type = "input", call = call)
  }
  if (!is.null(cluster) && B == 0) {
    dm_abort("`cluster` is used by the bootstrap of ordinal alpha only: set `B` (and `ordinal = TRUE`), or drop `cluster`.",
             type = "input", call = call)
  }
  invisible(B)
}

# Internal: the integer codes 1..G of the bootstrap clusters of the rows of `data`
# (`cluster` a one-sided formula, a column name or a vector); a missing cluster, a
# length that is not nrow(data) or fewer than 2 clusters is an error.
boot_cluster_codes <- function(cluster, data, call = sys.call(-1)) {
  val <- resolve_column_value(cluster, data, "cluster", type = "cluster")
  if (!(is.atomic(val) || is.factor(val)) || !is.null(dim(val))) {
    dm_abort(sprintf("`cluster` must be a one-sided formula, a column name or a vector; you passed %s.",
                     describe_value(val)), type = "cluster", call = call)
  }
  if (length(val) != nrow(data)) {
    dm_abort(sprintf("`cluster` must have one value per row of `data` (%d); it has %d.",
                     nrow(data), length(val)), type = "cluster", call = call)
  }
  val <- group_values(val, "cluster", type = "cluster")
  if (anyNA(val)) {
    dm_abort(sprintf(paste0("`cluster` is missing in %d row%s (%s): every respondent needs a ",
                            "cluster to be resampled with it. Drop those rows or give them one."),
                     sum(is.na(val)), if (sum(is.na(val)) > 1) "s" else "",
                     show_values(paste("row", which(is.na(val))))), type = "cluster", call = call)
  }
  codes <- as.integer(factor(val))
  if (max(codes) < 2L) {
    dm_abort(sprintf("`cluster` has a single cluster (%s): a cluster bootstrap needs at least 2.",
                     show_values(unique(val))), type = "cluster", call = call)
  }
  codes
}

# Internal: the bootstrap of ordinal alpha for dm_reliability(): replicates (and the
# jackknife for BCa) from the C++ core, their sd and the intervals of `type` per
# dimension. `resp` from dm_responses() (codes already checked).
ordinal_alpha_boot <- function(resp, data, use, B, cluster, type, conf_level,
                               call = sys.call(-1)) {
  codes <- if (!is.null(cluster)) boot_cluster_codes(cluster, data, call = call)
  G <- if (is.null(codes)) 0L else max(codes)
  units <- if (is.null(codes)) resp$n_rows else G
  seed <- floor(stats::runif(2) * 2^32)
  jack <- type == "bca"
  p <- nrow(resp$items)
  total <- B + if (jack) units else 0
  bar <- progress_start(total, "Ordinal alpha bootstrap draws")
  threads <- threads_for(as.double(total) * resp$n_rows * p * 4)
  out <- cpp_call(dm_ordinal_alpha_boot_cpp(resp$columns, resp$spec, use == "complete",
                                            as.integer(B), seed, codes, as.integer(G), jack,
                                            threads, progress_callback(bar)))
  progress_done(bar)
  dims <- resp$dimensions
  colnames(out$t) <- names(out$t0) <- dims
  if (jack) colnames(out$jack) <- dims else out$jack <- NULL
  failed <- as.integer(colSums(!is.finite(out$t)))
  names(failed) <- dims
  warn_failed_draws(failed, out$t0, B, call)
  ci <- matrix(NA_real_, length(dims), 2L)
  se <- rep(NA_real_, length(dims))
  extreme <- character()
  for (d in seq_along(dims)) {
    td <- out$t[, d]
    td <- td[is.finite(td)]
    if (!is.finite(out$t0[d]) || length(td) < 2L) next
    se[d] <- stats::sd(td)
    q <- boot_interval(td, out$t0[d], conf_level, type,
                       if (jack) jackknife_influence(out$jack[, d]), dims[d], call)
    if (isTRUE(attr(q, "extreme"))) extreme <- c(extreme, dims[d])
    ci[d, ] <- q
  }
  if (length(extreme)) {
    dm_warn(sprintf(paste0("The bootstrap interval of ordinal alpha of %s uses the most ",
                           "extreme of the %s draws as an end: too few draws for this level. ",
                           "Increase `B` (at least 1000, or 2000 for BCa)."),
                    show_values(extreme), format(B)), type = "few_draws", call = call)
  }
  list(se = se, ci = ci,
       boot = list(t0 = out$t0, t = out$t, jack = out$jack, B = B, type = type,
                   conf_level = conf_level, seed = seed, n_rows = resp$n_rows,
                   cluster = codes, failed = failed))
}

# Internal: a warning for draws without a value of ordinal alpha (an item with a single
# category among the draw's respondents), per dimension.
warn_failed_draws <- function(failed, t0, B, call) {
  bad <- failed > 0 & is.finite(t0)
  if (!any(bad)) return(invisible())
  dm_warn(sprintf(paste0("Ordinal alpha is undefined in some bootstrap draws (an item with a ",
                         "single answer category, or a pair of items without common ",
                         "respondents, among the draw's respondents): %s of %s draws. The ",
                         "interval rests on the other draws; it is less trustworthy."),
                  show_values(sprintf("%s: %d", names(failed)[bad], failed[bad])), format(B)),
          type = "bootstrap_failed", call = call, failed = failed)
}

# Internal: the jackknife influence values (m - 1) (mean(jack) - jack) of m leave-one-out
# values (boot::empinf(type = "jack")); NULL when one of them is undefined.
jackknife_influence <- function(jack) {
  if (!all(is.finite(jack))) return(NULL)
  (length(jack) - 1) * (mean(jack) - jack)
}

# Internal: the percentile or BCa interval of the replicates `t` around `t0`, as
# boot::boot.ci() forms them (Davison & Hinkley 1997, section 5.3): the ends are order
# statistics interpolated on the normal quantile scale (boot_quantiles()); BCa moves
# their levels by the bias correction w = qnorm(mean(t < t0)) and the acceleration
# a = sum(L^3) / (6 sum(L^2)^1.5) of the influence values L. NA (with a warning) where
# BCa is undefined: every replicate on one side of t0, or no jackknife.
boot_interval <- function(t, t0, conf_level, type, L, dimension, call = sys.call(-1)) {
  alpha <- (1 + c(-conf_level, conf_level)) / 2
  if (type == "perc") return(boot_quantiles(t, alpha))
  w <- stats::qnorm(sum(t < t0) / length(t))
  if (!is.finite(w) || is.null(L) || sum(L^2) == 0) {
    dm_warn(sprintf(paste0("The BCa interval of ordinal alpha of %s is undefined (%s); it is NA. ",
                           "Use `boot_type = \"perc\"`."), dimension,
                    if (!is.finite(w)) "every bootstrap replicate lies on one side of the estimate"
                    else "the jackknife has undefined values"),
            type = "bootstrap_failed", call = call)
    return(c(NA_real_, NA_real_))
  }
  a <- sum(L^3) / (6 * sum(L^2)^1.5)
  z <- stats::qnorm(alpha)
  boot_quantiles(t, stats::pnorm(w + (w + z) / (1 - a * (w + z))))
}

# Internal: the `alpha` quantiles of replicates t as boot's norm.inter(): with R
# replicates, the order statistic k = (R + 1) alpha when whole, else interpolated between
# k and k + 1 on the normal quantile scale; the extreme replicate beyond them (then
# attr(, "extreme") is TRUE, boot's "extreme order statistics used as endpoints").
boot_quantiles <- function(t, alpha) {
  R <- length(t)
  ts <- sort(t)
  rk <- (R + 1) * alpha
  extreme <- !all(rk > 1 & rk < R)
  k <- trunc(rk)
  out <- vapply(seq_along(alpha), function(i) {
    if (k[i] == rk[i] && k[i] >= 1 && k[i] <= R) return(ts[k[i]])
    if (k[i] <= 0) return(ts[1L])
    if (k[i] >= R) return(ts[R])
    z <- stats::qnorm(c(alpha[i], k[i] / (R + 1), (k[i] + 1) / (R + 1)))
    ts[k[i]] + (z[1] - z[2]) / (z[3] - z[2]) * (ts[k[i] + 1L] - ts[k[i]])
  }, numeric(1))
  structure(out, extreme = extreme)
}

# Internal: the print header's note on the bootstrap of ordinal alpha (NULL without).
boot_header <- function(b) {
  if (is.null(b)) return(NULL)
  sprintf("ordinal alpha: %s interval from %s bootstrap draws of %s",
          if (identical(b$type, "bca")) "BCa" else "percentile", format(b$B, big.mark = ","),
          if (is.null(b$cluster)) "respondents" else sprintf("%d clusters", max(b$cluster)))
}
