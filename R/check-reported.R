# check_reported(): do the figures of a published regression table (and its
# percentages) hold together? Every printed number stands for the interval of values
# that round to it; a check fails only when no value in those intervals can give what
# is printed.

#' Check a published regression table for internal consistency
#'
#' Takes the figures of a published table as printed (estimates, standard
#' errors and stars per model and term; R\eqn{^2}, adjusted R\eqn{^2}, F and N
#' per model; optionally percentages or means of integer items with their n)
#' and checks whether they can all be true at once. Every printed number
#' stands for the interval of values that round to it at the printed digits
#' (`.567` for \[.5665, .5675\]); a check fails only when no value in those
#' intervals gives what is printed, so rounding alone never raises a flag.
#'
#' Per model (`term` is `NA`), with k predictors and the printed N:
#' \describe{
#'   \item{`adj_r_squared`}{the adjusted R\eqn{^2}, \eqn{1 - (1 - R^2)(N - 1)/(N - k - 1)},
#'     implied by the printed R\eqn{^2}, versus the printed one.}
#'   \item{`f_statistic`}{the classical F,
#'     \eqn{(R^2/k) / ((1 - R^2)/(N - k - 1))}, implied by R\eqn{^2}, versus
#'     the printed F. Only a classical F follows from R\eqn{^2}: a robust
#'     (Wald) F, as [glance()][dm_lm-tidiers] reports for a robust fit, cannot
#'     be checked this way, and the sentence says so.}
#'   \item{`f_stars`}{the stars of the printed F on (k, N - k - 1) df versus
#'     the printed ones (when `fit` has `f_stars_printed`).}
#'   \item{`nobs`}{the (N, k) pairs, for k - 2 to k + 2 predictors, with which
#'     the printed R\eqn{^2}, adjusted R\eqn{^2} and F hold together; the check
#'     fails when the printed N with k is not among them. `implied_low` and
#'     `implied_high` are the smallest and largest such N for k; all pairs
#'     are in `attr(result, "nk_pairs")`.}
#' }
#' Per term (`check = "stars"`): t = b / s.e. over the rounding intervals of
#' the printed estimate and s.e., its p-value on N - k - 1 df (two-sided, or
#' one-sided for \eqn{H_1: \beta > 0} with `alternative = "greater"`), and the
#' stars that p-value can have, versus the printed stars. The sentence of a
#' failed check also says what the other alternative gives (some tables use
#' one-sided tests without saying so). `implied_low` and `implied_high` are
#' the range of the p-value.
#'
#' Per item (`model` is `NA`, `term` the item): the GRIM test (Brown and
#' Heathers 2016). A percentage of n answers is a count over n; a mean of n
#' answers to an m-item scale of whole numbers is a sum over n m. `grim_percent`
#' and `grim_mean` check whether some count gives the printed value at the
#' printed precision, for the given n or for any n from `n_min` to `n_max`.
#' `implied_low` and `implied_high` are the achievable values nearest to the
#' printed one, below and above it.
#'
#' @section The long format of `x`:
#' A list (as [ugent_published]) with some of these data frames; numbers may be
#' numeric or the printed text (`".070"`, `"-.070"`); text keeps its decimals
#' (numeric columns cannot keep trailing zeros, see `digits`):
#' \describe{
#'   \item{regression}{one row per model and term: `model`, `term`,
#'     `estimate`, `std_error`, and `stars_printed` (the printed stars, `""`
#'     for none; without this column the stars are not checked). An intercept
#'     is a term named `"(Intercept)"`, `"Intercept"`, `"Constant"` or
#'     `"_cons"`.}
#'   \item{fit}{one row per model: `model`, `r_squared`, `nobs`, and any of
#'     `adj_r_squared`, `f_statistic`, `f_stars_printed`, `k` (the number of
#'     predictors, when the table does not list them all).}
#'   \item{items}{one row per printed percentage or mean: `item`,
#'     `pct_agree_printed` (percent, 0-100) and/or `mean_printed`, with `n`
#'     or `n_min` and `n_max`, and for means `n_items` (the number of items
#'     of the scale; 1 when missing). Without n the items are not checked.}
#' }
#' A data frame `x` is taken as `regression` (no fit statistics then).
#' A reviewer types a table in a minute:
#' \preformatted{
#' tab <- list(
#'   regression = data.frame(model = "m1",
#'     term = c("(Intercept)", "x1", "x2"),
#'     estimate = c("1.204", ".417", "-.070"),
#'     std_error = c(".310", ".057", ".029"),
#'     stars_printed = c("***", "***", "")),
#'   fit = data.frame(model = "m1", r_squared = ".312",
#'     adj_r_squared = ".306", f_statistic = "45.12", nobs = 202))
#' check_reported(tab)
#' }
#' or reads it with `read.csv(colClasses = "character")`, which keeps the
#' printed decimals.
#'
#' @param x The published figures in the long format below: a list with
#'   `regression`, `fit` and/or `items` data frames.
#' @param k The number of predictors (excluding the intercept): one number,
#'   or a vector named by model. By default the `k` column of `x$fit`, else
#'   the number of non-intercept terms of each model in `x$regression`.
#' @param alternative `"two.sided"` (the default) or `"greater"`: the t tests
#'   behind the stars.
#' @param digits The printed decimals of numbers given as numbers (a value
#'   with more decimals keeps them). Percentages given as numbers have their
#'   own decimals (0 for whole percents). Ignored for numbers given as text.
#' @param stars The star legend of the table: p-value thresholds named by
#'   their symbols, as in [dm_table()].
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant (`conf.level` -> `conf_level`, `language` -> `lang`).
#'
#' @return A data frame of class `dm_check_reported`, one row per check:
#'   `model`, `term` (`NA` for model-level checks), `check`, `printed` (the
#'   printed figure, as text), `implied_low`, `implied_high` (the range that
#'   the other printed figures imply), `implied` (that range in words, or the
#'   implied stars), `consistent` (`TRUE`, `FALSE`, or `NA` when the check
#'   could not be made) and `explanation` (a sentence; for a failed check
#'   it says what does not fit). Printing lists the sentences of the failed
#'   checks. `attr(, "nk_pairs")` holds the consistent (N, k) pairs.
#'
#' @references Brown, N. J. L. and Heathers, J. A. J. (2017). The GRIM test: a
#'   simple technique detects numerous anomalies in the reporting of results
#'   in psychology. *Social Psychological and Personality Science* 8(4),
#'   363-369 (preprint 2016).
#'
#'   Belsley, D. A., Kuh, E. and Welsch, R. E. (1980). *Regression
#'   Diagnostics*. Wiley, chapter 2 (the savings-ratio regression on
#'   Sterling's data, bundled with R as [datasets::LifeCycleSavings]).
#'
#' @family published
#' @export
#' @examples
#' # The study's slides: adjusted R2 and F do not follow from R2, N and the 13
#' # predictors; some stars do not follow from the printed estimate and s.e.
#' chk <- check_reported(ugent_published)
#' chk
#' subset(chk, check == "stars" & !consistent)
#' attr(chk, "nk_pairs")
#'
#' # Another published table, typed in: the savings-ratio regression of
#' # Belsley, Kuh and Welsch (1980, ch. 2) on Sterling's data, as a journal
#' # prints it to three decimals. The data are R's LifeCycleSavings, so every
#' # figure can be recomputed: summary(lm(sr ~ ., data = LifeCycleSavings)).
#' savings <- list(
#'   regression = data.frame(model = "sr",
#'     term = c("(Intercept)", "pop15", "pop75", "dpi", "ddpi"),
#'     estimate = c("28.566", "-.461", "-1.691", "-.000", ".410"),
#'     std_error = c("7.355", ".145", "1.084", ".001", ".196"),
#'     stars_printed = c("***", "**", "", "", "*")),
#'   fit = data.frame(model = "sr", r_squared = ".338", adj_r_squared = ".280",
#'     f_statistic = "5.756", f_stars_printed = "***", nobs = 50))
#' check_reported(savings)
#' # a typo in the stars and an F that is not the classical one are found
#' savings$regression$stars_printed[5] <- "**"
#' savings$fit$f_statistic <- "7.012"
#' check_reported(savings)
#'
#' # GRIM: 52% of 17 answers is impossible (8/17 = 47.1%, 9/17 = 52.9%)
#' check_reported(list(items = data.frame(item = c("a", "b"),
#'   pct_agree_printed = c(52, 53), n = 17)))
check_reported <- function(x, k = NULL, alternative = c("two.sided", "greater"),
                           digits = 3, stars = c("+" = 0.10, "*" = 0.05, "**" = 0.01,
                                                 "***" = 0.001), ...) {
  check_dots_spelling(..., .strict = TRUE)
  alternative <- match_choice(alternative, c("two.sided", "greater"), "alternative")
  check_scalar_number(digits, "digits", 0, 12)
  stars <- check_stars(stars)
  x <- reported_tables(x)
  reg <- x$regression
  fit <- x$fit
  models <- unique(c(if (!is.null(fit)) fit$model, if (!is.null(reg)) reg$model))
  ks <- resolve_k(k, models, reg, fit)

  rows <- list()
  nk <- list()
  if (!is.null(fit)) {
    for (i in seq_len(nrow(fit))) {
      m <- fit$model[i]
      res <- check_fit_consistency(fit[i, , drop = FALSE], ks[[m]], digits, stars)
      rows <- c(rows, list(res$checks))
      nk <- c(nk, list(res$nk_pairs))
    }
  }
  if (!is.null(reg) && "stars_printed" %in% names(reg)) {
    rows <- c(rows, list(check_reported_stars(reg, fit, ks, alternative, digits, stars)))
  }
  if (!is.null(x$items)) rows <- c(rows, list(check_reported_grim(x$items)))
  out <- do.call(rbind, c(list(empty_checks()), rows))
  rownames(out) <- NULL
  nk_pairs <- do.call(rbind, c(list(data.frame(model = character(), k = integer(),
                                                n_low = integer(), n_high = integer(),
                                                stringsAsFactors = FALSE)), nk))
  rownames(nk_pairs) <- NULL
  structure(out, class = c("dm_check_reported", "data.frame"), alternative = alternative,
            nk_pairs = nk_pairs, stars = stars)
}

#' @export
print.dm_check_reported <- function(x, ...) {
  check_dots_strict(..., .fun = "print()")
  df <- x
  class(df) <- "data.frame"
  alt <- attr(x, "alternative")
  bad <- which(df$consistent %in% FALSE)
  cat(sprintf("<check_reported> %d check%s of the printed figures; %d inconsistent%s\n",
              nrow(df), if (nrow(df) == 1L) "" else "s", length(bad),
              if (any(df$check == "stars")) sprintf(" (stars: %s t tests)",
                  if (identical(alt, "greater")) "one-sided" else "two-sided") else ""))
  if (nrow(df)) {
    tab <- table(factor(df$check, levels = unique(df$check)),
                 factor(ifelse(is.na(df$consistent), "not checked",
                               ifelse(df$consistent, "consistent", "inconsistent")),
                        levels = c("consistent", "inconsistent", "not checked")))
    cat(sprintf("  %-14s %3d consistent, %3d inconsistent%s\n", rownames(tab), tab[, 1], tab[, 2],
                ifelse(tab[, 3] > 0, sprintf(", %d not checked", tab[, 3]), "")), sep = "")
  }
  if (length(bad)) {
    cat("\nWhat does not hold together:\n")
    for (i in bad) {
      cat(strwrap(df$explanation[i], width = 0.9 * getOption("width"), initial = "- ",
                  exdent = 2), sep = "\n")
    }
  } else if (nrow(df)) {
    cat("Every printed figure is consistent with the others within rounding.\n")
  }
  invisible(x)
}
