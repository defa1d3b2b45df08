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
#'   `alpha_std` (from the correlations), `conf.low`, `conf.high` (Feldt's
#'   interval, as `psych::alpha()$feldt`), `ase`, `duhachek.low`,
#'   `duhachek.high` (Duhachek's asymptotic standard error and normal
#'   interval, as `psych::alpha()`'s "Duhachek" bounds), `omega` (McDonald's
#'   omega total, `sum(loadings)^2 / (sum(loadings)^2 + sum(uniquenesses))`,
#'   from a one-factor maximum-likelihood factor analysis of the item
#'   correlations with [stats::factanal()], under `"pairwise"` of the
#'   pairwise correlations as `psych::fa()`; `NA` with fewer than 3 items or
#'   when the fit fails, as it can on a pairwise correlation matrix that is
#'   not positive definite). `attr(x, "item_stats")` holds one row per item:
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
#' rel <- dm_reliability(resp)
#' rel
#' attr(rel, "item_stats")
dm_reliability <- function(data, items = dmm_items, conf_level = 0.95, missing_codes = NULL,
                           use = c("pairwise", "complete"), weights = NULL, ...) {
  check_dots_spelling(..., .strict = TRUE)
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
    if (!is.null(cl)) sprintf("%s%% intervals", format(100 * cl))), collapse = "; "), "\n"))
  df <- x
  class(df) <- "data.frame"
  attr(df, "item_stats") <- attr(df, "use") <- attr(df, "conf_level") <- NULL
  attr(df, "instrument") <- attr(df, "call") <- NULL
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
