#' Reliability of each maturity dimension
#'
#' Cronbach's alpha (raw and standardised) with the Feldt and the Duhachek
#' intervals, McDonald's omega from a one-factor model, and item statistics,
#' per dimension, over the respondents who answered all of the dimension's
#' items (complete cases per dimension; their number is reported).
#'
#' @inheritParams dm_score
#' @param conf_level Confidence level of the intervals.
#'
#' @return A data frame of class `dm_reliability`, one row per dimension:
#'   `dimension`, `n_items`, `n` (complete cases), `n_incomplete` (the other
#'   respondents, not used), `alpha` (raw alpha from the covariances),
#'   `alpha_std` (from the correlations), `conf.low`, `conf.high` (Feldt's
#'   interval, as `psych::alpha()$feldt`), `ase`, `duhachek.low`,
#'   `duhachek.high` (Duhachek's asymptotic standard error and normal
#'   interval, as `psych::alpha()`'s "Duhachek" bounds), `omega` (McDonald's
#'   omega total, `sum(loadings)^2 / (sum(loadings)^2 + sum(uniquenesses))`,
#'   from a one-factor maximum-likelihood factor analysis of the item
#'   correlations with [stats::factanal()]; `NA` with fewer than 3 items or
#'   when the fit fails). `attr(x, "item_stats")` holds one row per item:
#'   `dimension`, `item`, `n`, `mean`, `sd` (keyed values), `r_rest` (the
#'   correlation of the item with the sum of the dimension's other items,
#'   psych's `r.drop`) and `alpha_drop` (raw alpha without the item).
#'
#' @details All statistics use the keyed values (reverse-keyed items
#'   reversed within their own range) of the complete cases, with the
#'   covariance matrix of [stats::cov()]. On complete data, `alpha`,
#'   `alpha_std`, the Feldt interval, `ase`, `r_rest` and `alpha_drop` equal
#'   those of `psych::alpha()`.
#'
#' @family scoring
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
dm_reliability <- function(data, items = dmm_items, conf_level = 0.95, missing_codes = NULL) {
  if (missing(items)) items <- bundled_items()
  check_data_frame(data)
  check_share(conf_level, "conf_level", open = TRUE)
  resp <- dm_responses(data, items, missing_codes)
  out <- dm_moments_cpp(resp$columns, resp$spec)
  raise_code_problems(out$problems, resp)
  ins <- resp$items
  p <- 1 - conf_level
  z <- stats::qnorm(1 - p / 2)
  rows <- list()
  stats_rows <- list()
  for (d in seq_along(resp$dimensions)) {
    m <- out$dimensions[[d]]
    k <- length(m$items)
    n <- m$n
    C <- m$cov
    a <- alpha_from_cov(C)
    R <- if (n >= 2 && all(diag(C) > 0)) stats::cov2cor(C) else matrix(NA_real_, k, k)
    a_std <- if (k >= 2) (1 - k / sum(R)) * k / (k - 1) else NA_real_
    df1 <- n - 1
    df2 <- (n - 1) * (k - 1)
    feldt_ok <- is.finite(a) && n >= 2 && k >= 2
    low <- if (feldt_ok) 1 - (1 - a) * stats::qf(1 - p / 2, df1, df2) else NA_real_
    high <- if (feldt_ok) 1 - (1 - a) * stats::qf(p / 2, df1, df2) else NA_real_
    ase <- if (is.finite(a)) sqrt(duhachek_q(C) / n) else NA_real_
    rows[[d]] <- data.frame(
      dimension = resp$dimensions[d], n_items = k, n = n,
      n_incomplete = resp$n_rows - n, alpha = a, alpha_std = a_std,
      conf.low = low, conf.high = high, ase = ase,
      duhachek.low = a - z * ase, duhachek.high = a + z * ase,
      omega = omega_one_factor(R, n), stringsAsFactors = FALSE
    )
    r_rest <- alpha_drop <- rep(NA_real_, k)
    if (k >= 2 && n >= 2) {
      for (i in seq_len(k)) {
        v_rest <- sum(C[-i, -i, drop = FALSE])
        r_rest[i] <- (sum(C[, i]) - C[i, i]) / sqrt(C[i, i] * v_rest)
        alpha_drop[i] <- alpha_from_cov(C[-i, -i, drop = FALSE])
      }
    }
    stats_rows[[d]] <- data.frame(
      dimension = resp$dimensions[d], item = ins$item[m$items], n = n,
      mean = m$mean, sd = sqrt(diag(C)), r_rest = r_rest, alpha_drop = alpha_drop,
      stringsAsFactors = FALSE
    )
  }
  res <- do.call(rbind, rows)
  item_stats <- do.call(rbind, stats_rows)
  rownames(item_stats) <- NULL
  attr(res, "item_stats") <- item_stats
  attr(res, "conf_level") <- conf_level
  class(res) <- c("dm_reliability", "data.frame")
  res
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
  cat(sprintf("<dm_reliability> %d dimension%s; complete cases per dimension; %s%% intervals\n",
              nrow(x), if (nrow(x) == 1L) "" else "s", format(100 * attr(x, "conf_level"))))
  df <- x
  class(df) <- "data.frame"
  attr(df, "item_stats") <- NULL
  num <- vapply(df, is.double, logical(1))
  df[num] <- lapply(df[num], round, 3)
  print(df, ...)
  cat("Item statistics: attr(x, \"item_stats\")\n")
  invisible(x)
}
