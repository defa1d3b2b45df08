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
                                                 "***" = 0.001)) {
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

# ---- internal ---------------------------------------------------------------------

classical_f <- function(r2, n, k) (r2 / k) / ((1 - r2) / (n - k - 1))
adjusted_r2 <- function(r2, n, k) 1 - (1 - r2) * (n - 1) / (n - k - 1)

intercept_names <- c("(Intercept)", "Intercept", "Constant", "const", "_cons")

empty_checks <- function() {
  data.frame(model = character(), term = character(), check = character(),
             printed = character(), implied_low = numeric(), implied_high = numeric(),
             implied = character(), consistent = logical(), explanation = character(),
             stringsAsFactors = FALSE)
}

check_row <- function(model, term, check, printed, low, high, implied, consistent, explanation) {
  data.frame(model = model, term = term, check = check, printed = printed,
             implied_low = low, implied_high = high, implied = implied,
             consistent = consistent, explanation = explanation, stringsAsFactors = FALSE)
}

# Do the closed intervals [a1, a2] and [b1, b2] share a point (up to floating-point
# noise of the arithmetic that produced them)?
overlaps <- function(a1, a2, b1, b2) {
  tol <- 1e-9 * pmax(1, abs(a1), abs(a2), abs(b1), abs(b2))
  a1 <= b2 + tol & b1 <= a2 + tol
}

# The star legend: thresholds in (0, 1) named by distinct symbols.
check_stars <- function(stars, arg = "stars") {
  ok <- is.numeric(stars) && length(stars) >= 1L && !is.null(names(stars)) &&
    all(nzchar(names(stars))) && !anyDuplicated(names(stars)) &&
    all(!is.na(stars) & stars > 0 & stars < 1) && !anyDuplicated(stars)
  if (!ok) {
    dm_abort(sprintf(paste0("`%s` must be distinct p-value thresholds in (0, 1) named by distinct ",
                            "symbols, e.g. c(\"*\" = 0.05, \"**\" = 0.01); you passed %s."),
                     arg, if (is.null(stars)) "NULL" else if (is.numeric(stars) && !is.null(names(stars)))
                       paste0(names(stars), " = ", stars, collapse = ", ") else show_values(stars)),
             type = "input")
  }
  sort(stars, decreasing = TRUE)
}

# Stars of p-values under a legend sorted by decreasing threshold ("" when none).
stars_of <- function(p, stars) {
  out <- rep("", length(p))
  for (s in names(stars)) out[!is.na(p) & p < stars[[s]]] <- s
  out
}

# Level of a star symbol: 0 for none, i for the i-th largest threshold.
star_level <- function(s, stars, arg) {
  s <- ifelse(is.na(s), "", trimws(s))
  lev <- match(s, c("", names(stars))) - 1L
  if (anyNA(lev)) {
    dm_abort(sprintf("`%s` must hold the symbols of `stars` (%s) or \"\"; it has %s.", arg,
                     paste0("'", names(stars), "'", collapse = ", "), show_values(s[is.na(lev)])),
             type = "input")
  }
  lev
}

# Printed numbers: the value, its printed decimals and its text. Text keeps its
# decimals; a number has at least `digits` (more when it needs them).
printed_number <- function(v, arg, digits) {
  if (is.factor(v)) v <- as.character(v)
  if (is.character(v)) {
    s <- trimws(v)
    s[s %in% c("", "NA", "-", "n/a")] <- NA
    s <- sub("%$", "", s)
    val <- suppressWarnings(as.numeric(s))
    bad <- !is.na(s) & is.na(val)
    if (any(bad)) {
      dm_abort(sprintf("`%s` must hold printed numbers; %s cannot be read as one.", arg,
                       show_values(s[bad])), type = "input")
    }
    dec <- ifelse(is.na(s), NA_integer_, nchar(sub("^[^.]*\\.?", "", s)))
    return(list(value = val, decimals = dec, text = s))
  }
  if (!is.numeric(v) && !all(is.na(v))) {
    dm_abort(sprintf("`%s` must be numeric or the printed text; you passed an object of class '%s'.",
                     arg, class(v)[1]), type = "input")
  }
  v <- as.numeric(v)
  own <- vapply(v, function(a) {
    if (is.na(a)) return(NA_integer_)
    for (d in 0:12) if (abs(a * 10^d - round(a * 10^d)) < 1e-8 * max(1, abs(a * 10^d))) return(d)
    12L
  }, integer(1))
  dec <- pmax(own, digits)
  text <- ifelse(is.na(v), NA_character_, sprintf("%.*f", as.integer(ifelse(is.na(dec), 0L, dec)), v))
  # as tables print them: ".070", "-.070"
  text <- sub("^(-?)0\\.", "\\1.", text)
  list(value = v, decimals = dec, text = text)
}

half_unit <- function(dec) 0.5 * 10^(-dec)

# The list of published tables, checked and with plain character model/term columns.
reported_tables <- function(x) {
  if (is.data.frame(x)) x <- list(regression = x)
  if (!is.list(x) || !any(c("regression", "fit", "items") %in% names(x))) {
    dm_abort(sprintf(paste0("`x` must be a list with data frames `regression`, `fit` and/or `items` ",
                            "(the long format of ugent_published); you passed %s."),
                     if (is.list(x)) sprintf("a list with elements %s", show_values(names(x)))
                     else sprintf("an object of class '%s'", class(x)[1])), type = "input")
  }
  need <- list(regression = c("model", "term", "estimate", "std_error"),
               fit = c("model", "r_squared", "nobs"), items = "item")
  for (el in names(need)) {
    if (is.null(x[[el]])) next
    check_data_frame(x[[el]], paste0("x$", el))
    check_columns_present(x[[el]], need[[el]], paste0("x$", el))
    if ("model" %in% need[[el]]) x[[el]]$model <- as.character(x[[el]]$model)
  }
  if (!is.null(x$regression)) x$regression$term <- as.character(x$regression$term)
  if (!is.null(x$fit)) {
    dup <- x$fit$model[duplicated(x$fit$model)]
    if (length(dup)) {
      dm_abort(sprintf("`x$fit` must have one row per model; %s appear%s more than once.",
                       show_values(dup), if (length(unique(dup)) > 1) "" else "s"), type = "input")
    }
    n <- printed_number(x$fit$nobs, "x$fit$nobs", 0)$value
    bad <- !is.na(n) & (n != round(n) | n < 2 | n > .Machine$integer.max)
    if (any(bad)) {
      dm_abort(sprintf("`x$fit$nobs` must be whole numbers from 2 to %d; you passed %s.",
                       .Machine$integer.max,
                       show_values(n[bad])), type = "input")
    }
  }
  x
}

# k per model: the argument, else the fit's k column, else the non-intercept terms.
resolve_k <- function(k, models, reg, fit) {
  out <- stats::setNames(rep(NA_real_, length(models)), models)
  if (!is.null(reg)) {
    cnt <- tapply(!reg$term %in% intercept_names, reg$model, sum)
    out[names(cnt)] <- cnt
  }
  if (!is.null(fit) && "k" %in% names(fit)) {
    fk <- as.numeric(fit$k)
    out[fit$model[!is.na(fk)]] <- fk[!is.na(fk)]
  }
  if (!is.null(k)) {
    ok <- is.numeric(k) && is.null(dim(k)) && length(k) >= 1L &&
      all(!is.na(k) & k >= 1 & k == round(k) & k <= .Machine$integer.max)
    if (!ok) {
      dm_abort(sprintf("`k` must be whole numbers of at least 1 (one, or one per model named by model); you passed %s.",
                       if (is.null(k)) "NULL" else if (!is.atomic(k))
                         sprintf("an object of class '%s'", class(k)[1]) else show_values(k)),
               type = "input")
    }
    if (is.null(names(k))) {
      if (length(k) != 1L) {
        dm_abort(sprintf("`k` must be one number or a vector named by model; you passed %d unnamed values.",
                         length(k)), type = "input")
      }
      out[] <- k
    } else {
      bad <- setdiff(names(k), models)
      if (length(bad)) {
        dm_abort(sprintf("`k` names model%s that `x` does not have: %s. The models are %s.",
                         if (length(bad) > 1) "s" else "", show_values(bad), show_values(models, 50L)),
                 type = "input")
      }
      out[names(k)] <- k
    }
  }
  as.list(out)
}

# Runs of whole numbers as text: c(227, 228, 229, 240) -> "227-229, 240".
show_runs <- function(v) {
  if (!length(v)) return("none")
  v <- sort(unique(v))
  brk <- c(0L, which(diff(v) != 1L), length(v))
  paste(vapply(seq_len(length(brk) - 1L), function(i) {
    a <- v[brk[i] + 1L]
    b <- v[brk[i + 1L]]
    if (a == b) format(a) else paste0(a, "-", b)
  }, character(1)), collapse = ", ")
}

fmt_num <- function(v, dec) sub("^(-?)0\\.", "\\1.", formatC(v, format = "f", digits = dec))

# What a model's printed R2, N and k imply for its adjusted R2 and F, the stars of
# the printed F, and the (N, k) pairs consistent with all of them. `f` is one row of
# the fit table.
check_fit_consistency <- function(f, k, digits, stars) {
  m <- f$model
  r2 <- printed_number(f$r_squared, "x$fit$r_squared", digits)
  n <- printed_number(f$nobs, "x$fit$nobs", 0)$value
  get <- function(col) if (col %in% names(f)) printed_number(f[[col]], paste0("x$fit$", col), digits) else
    list(value = NA_real_, decimals = NA_integer_, text = NA_character_)
  adj <- get("adj_r_squared")
  fs <- get("f_statistic")
  rows <- list()
  no_k <- is.na(k)
  r2_lo <- max(0, r2$value - half_unit(r2$decimals))
  r2_hi <- min(1, r2$value + half_unit(r2$decimals))
  df2 <- n - k - 1
  if (!is.na(adj$value)) {
    lo <- adjusted_r2(r2_lo, n, k)
    hi <- adjusted_r2(r2_hi, n, k)
    ok <- if (no_k || is.na(r2$value) || df2 < 1) NA else
      overlaps(lo, hi, adj$value - half_unit(adj$decimals), adj$value + half_unit(adj$decimals))
    expl <- if (is.na(ok)) sprintf("%s: the adjusted R2 cannot be checked without R2, N and k.", m) else
      if (ok) sprintf("%s: the printed adjusted R2 %s follows from R2 %s, N = %d and k = %d (%s to %s).",
                      m, adj$text, r2$text, n, k, fmt_num(lo, 4), fmt_num(hi, 4)) else
      sprintf(paste0("%s: the printed adjusted R2 %s does not follow from R2 %s, N = %d and k = %d as printed, ",
                     "which imply %s to %s (over the rounding interval of R2)."),
              m, adj$text, r2$text, n, k, fmt_num(lo, 4), fmt_num(hi, 4))
    rows <- c(rows, list(check_row(m, NA_character_, "adj_r_squared", adj$text, lo, hi,
                                   sprintf("%s to %s", fmt_num(lo, 4), fmt_num(hi, 4)), ok, expl)))
  }
  if (!is.na(fs$value)) {
    lo <- classical_f(r2_lo, n, k)
    hi <- classical_f(r2_hi, n, k)
    ok <- if (no_k || is.na(r2$value) || df2 < 1) NA else
      overlaps(lo, hi, fs$value - half_unit(fs$decimals), fs$value + half_unit(fs$decimals))
    expl <- if (is.na(ok)) sprintf("%s: the F cannot be checked without R2, N and k.", m) else
      if (ok) sprintf("%s: the printed F %s is the classical F(%d, %d) implied by R2 %s (%s to %s).",
                      m, fs$text, k, df2, r2$text, fmt_num(lo, 2), fmt_num(hi, 2)) else
      sprintf(paste0("%s: the printed F %s is not the classical F(%d, %d) = %s to %s implied by the printed ",
                     "R2 %s and N = %d. A robust (Wald) F does not follow from R2 and cannot be ",
                     "checked this way; if the table's F is robust, say so beside it."),
              m, fs$text, k, df2, fmt_num(lo, 2), fmt_num(hi, 2), r2$text, n)
    rows <- c(rows, list(check_row(m, NA_character_, "f_statistic", fs$text, lo, hi,
                                   sprintf("%s to %s", fmt_num(lo, 2), fmt_num(hi, 2)), ok, expl)))
    if ("f_stars_printed" %in% names(f) && !no_k && df2 >= 1) {
      lev <- star_level(f$f_stars_printed, stars, "x$fit$f_stars_printed")
      p_lo <- stats::pf(fs$value + half_unit(fs$decimals), k, df2, lower.tail = FALSE)
      p_hi <- stats::pf(max(0, fs$value - half_unit(fs$decimals)), k, df2, lower.tail = FALSE)
      levs <- star_level(stars_of(c(p_hi, p_lo), stars), stars, "stars")
      ok <- lev >= levs[1] && lev <= levs[2]
      implied <- stars_of(p_lo, stars)
      expl <- sprintf("%s: the printed F %s%s on (%d, %d) df has %s, which gives %s.", m, fs$text,
                      show_star(f$f_stars_printed), k, df2, p_range_text(p_lo, p_hi),
                      stars_words(stars_of(c(p_hi, p_lo), stars)))
      rows <- c(rows, list(check_row(m, NA_character_, "f_stars", paste0(fs$text, f$f_stars_printed),
                                     p_lo, p_hi, implied, ok, expl)))
    }
  }
  # the (N, k) pairs with which everything printed holds together
  nk_pairs <- NULL
  if ((!is.na(adj$value) || !is.na(fs$value)) && !no_k && !is.na(r2$value)) {
    ks <- seq(max(1, k - 2), k + 2)
    found <- lapply(ks, function(kk) {
      ns <- seq(kk + 2, max(2000, 3 * n))
      ok <- rep(TRUE, length(ns))
      if (!is.na(adj$value)) {
        ok <- ok & overlaps(adjusted_r2(r2_lo, ns, kk), adjusted_r2(r2_hi, ns, kk),
                            adj$value - half_unit(adj$decimals), adj$value + half_unit(adj$decimals))
      }
      if (!is.na(fs$value)) {
        ok <- ok & overlaps(classical_f(r2_lo, ns, kk), classical_f(r2_hi, ns, kk),
                            fs$value - half_unit(fs$decimals), fs$value + half_unit(fs$decimals))
      }
      ns[ok]
    })
    names(found) <- ks
    nk_pairs <- do.call(rbind, lapply(seq_along(ks), function(i) {
      v <- found[[i]]
      if (!length(v)) return(NULL)
      brk <- c(0L, which(diff(v) != 1L), length(v))
      data.frame(model = m, k = as.integer(ks[i]), n_low = as.integer(v[brk[-length(brk)] + 1L]),
                 n_high = as.integer(v[brk[-1L]]), stringsAsFactors = FALSE)
    }))
    at_k <- found[[as.character(k)]]
    ok <- n %in% at_k
    what <- paste(c(if (!is.na(adj$value)) paste("adjusted R2", adj$text),
                    if (!is.na(fs$value)) paste("F", fs$text)), collapse = " and ")
    pairs <- vapply(seq_along(ks), function(i) if (length(found[[i]]))
      sprintf("N = %s with k = %d", show_runs(found[[i]]), ks[i]) else NA_character_, character(1))
    pairs <- pairs[!is.na(pairs)]
    expl <- if (ok) sprintf("%s: the printed R2, %s hold together with the printed N = %d and k = %d.",
                            m, what, n, k) else
      sprintf("%s: the printed R2 %s, %s do not hold together with the printed N = %d and k = %d; they fit %s.",
              m, r2$text, what, n, k, if (length(pairs)) paste(pairs, collapse = ", or ") else
                sprintf("no N with k = %d to %d", min(ks), max(ks)))
    rows <- c(rows, list(check_row(m, NA_character_, "nobs", format(n),
                                   if (length(at_k)) min(at_k) else NA_real_,
                                   if (length(at_k)) max(at_k) else NA_real_,
                                   sprintf("N = %s", show_runs(at_k)), ok, expl)))
  }
  list(checks = do.call(rbind, c(list(empty_checks()), rows)), nk_pairs = nk_pairs)
}

show_star <- function(s) if (is.na(s) || !nzchar(trimws(s))) " (no stars)" else trimws(s)
stars_words <- function(s) {
  s <- unique(s)
  w <- ifelse(nzchar(s), s, "no stars")
  if (length(w) == 1L) w else paste(w, collapse = " or ")
}
format_p <- function(p) ifelse(p < 0.0001, "<.0001", sub("^0", "", formatC(p, format = "f", digits = 4)))
# "p < .0001" or "p = .0140 to .0192"
p_range_text <- function(lo, hi) {
  if (hi < 0.0001) return("p < .0001")
  if (lo < 0.0001) return(sprintf("p < .0001 to %s", format_p(hi)))
  sprintf("p = %s to %s", format_p(lo), format_p(hi))
}

# p-value range of t = b / se over the rounding box of the printed b and se.
t_p_range <- function(b_lo, b_hi, se_lo, se_hi, df, alternative) {
  se_lo <- max(se_lo, .Machine$double.xmin)
  corners <- c(b_lo / se_lo, b_lo / se_hi, b_hi / se_lo, b_hi / se_hi)
  if (alternative == "greater") {
    return(c(stats::pt(max(corners), df, lower.tail = FALSE),
             stats::pt(min(corners), df, lower.tail = FALSE)))
  }
  amax <- max(abs(corners))
  amin <- if (b_lo <= 0 && b_hi >= 0) 0 else min(abs(corners))
  c(2 * stats::pt(amax, df, lower.tail = FALSE), 2 * stats::pt(amin, df, lower.tail = FALSE))
}

# The printed stars of each term against t tests of its printed estimate and s.e.
check_reported_stars <- function(reg, fit, ks, alternative, digits, stars) {
  b <- printed_number(reg$estimate, "x$regression$estimate", digits)
  se <- printed_number(reg$std_error, "x$regression$std_error", digits)
  lev <- star_level(reg$stars_printed, stars, "x$regression$stars_printed")
  other <- if (alternative == "greater") "two.sided" else "greater"
  alt_words <- c(two.sided = "two-sided", greater = "one-sided (beta > 0)")
  out <- lapply(seq_len(nrow(reg)), function(i) {
    m <- reg$model[i]
    st <- trimws(ifelse(is.na(reg$stars_printed[i]), "", reg$stars_printed[i]))
    cell <- sprintf("%s%s (%s)", b$text[i], st, se$text[i])
    n <- if (!is.null(fit) && m %in% fit$model) printed_number(fit$nobs[fit$model == m], "x$fit$nobs", 0)$value else NA
    df <- n - ks[[m]] - 1
    if (is.na(df) || df < 1 || is.na(b$value[i]) || is.na(se$value[i])) {
      return(check_row(m, reg$term[i], "stars", cell, NA_real_, NA_real_, NA_character_, NA,
                       sprintf("%s, %s: the stars of %s cannot be checked without N and k of the model.",
                               m, reg$term[i], cell)))
    }
    hb <- half_unit(b$decimals[i])
    hs <- half_unit(se$decimals[i])
    box <- c(b$value[i] - hb, b$value[i] + hb, se$value[i] - hs, se$value[i] + hs)
    p <- t_p_range(box[1], box[2], box[3], box[4], df, alternative)
    levs <- star_level(stars_of(p, stars), stars, "stars")   # p[1] smallest p: most stars
    ok <- lev[i] >= levs[2] && lev[i] <= levs[1]
    if (!ok && lev[i] == 0L && reg$term[i] %in% intercept_names) {
      # many tables print the constant without stars: not a claim about its test
      return(check_row(m, reg$term[i], "stars", cell, p[1], p[2], stars_words(stars_of(p, stars)), NA,
                       sprintf("%s, %s: %s, the constant, is printed without stars (not checked).",
                               m, reg$term[i], cell)))
    }
    t_pt <- b$value[i] / se$value[i]
    implied <- stars_words(stars_of(p, stars))
    expl <- if (ok) {
      sprintf("%s, %s: %s fits t = %.2f on %d df (%s %s).", m, reg$term[i], cell, t_pt, df,
              alt_words[[alternative]], p_range_text(p[1], p[2]))
    } else {
      p2 <- t_p_range(box[1], box[2], box[3], box[4], df, other)
      sprintf(paste0("%s, %s: %s is printed with %s, but t = %.2f on %d df (N - k - 1) gives a %s %s ",
                     "within rounding: %s. A %s test gives %s."),
              m, reg$term[i], cell, if (nzchar(st)) st else "no stars", t_pt, df, alt_words[[alternative]],
              p_range_text(p[1], p[2]), implied, alt_words[[other]],
              stars_words(stars_of(p2, stars)))
    }
    check_row(m, reg$term[i], "stars", cell, p[1], p[2], implied, ok, expl)
  })
  do.call(rbind, out)
}

# GRIM: can a count over n (or a sum over n * n_items) give the printed value?
check_reported_grim <- function(items) {
  has_n <- "n" %in% names(items)
  has_range <- all(c("n_min", "n_max") %in% names(items))
  if (!has_n && !has_range) return(NULL)
  nmin <- if (has_n) items$n else items$n_min
  nmax <- if (has_n) items$n else items$n_max
  if (has_n && has_range) {
    nmin <- ifelse(is.na(items$n), items$n_min, items$n)
    nmax <- ifelse(is.na(items$n), items$n_max, items$n)
  }
  bad <- !is.na(nmin) & (!is.numeric(nmin) | nmin < 1 | nmin != round(nmin) | is.na(nmax) | nmax < nmin |
                           nmax != round(nmax))
  if (any(bad)) {
    dm_abort(sprintf("`x$items` must give whole n >= 1 (`n`, or `n_min` <= `n_max`); rows %s have %s.",
                     show_rows(which(bad)), show_values(paste0(nmin[bad], "-", nmax[bad]))), type = "input")
  }
  n_items <- if ("n_items" %in% names(items)) ifelse(is.na(items$n_items), 1, items$n_items) else rep(1, nrow(items))
  out <- list()
  for (what in c("pct_agree_printed", "mean_printed")) {
    if (!what %in% names(items)) next
    v <- printed_number(items[[what]], paste0("x$items$", what), 0)
    pct <- what == "pct_agree_printed"
    for (i in seq_len(nrow(items))) {
      if (is.na(v$value[i]) || is.na(nmin[i])) next
      h <- half_unit(v$decimals[i])
      scale <- if (pct) 100 else 1
      ns <- seq(nmin[i], nmax[i])
      den <- ns * (if (pct) 1 else n_items[i])
      # integer counts c with c / den * scale within [v - h, v + h]
      c_lo <- ceiling((v$value[i] - h) * den / scale - 1e-9)
      c_hi <- floor((v$value[i] + h) * den / scale + 1e-9)
      if (pct) {
        c_lo <- pmax(c_lo, 0)
        c_hi <- pmin(c_hi, den)
      }
      works <- c_lo <= c_hi
      below <- max(floor(v$value[i] * den / scale + 1e-9) / den * scale)
      above <- min(ceiling(v$value[i] * den / scale - 1e-9) / den * scale)
      ok <- any(works)
      nn <- if (nmin[i] == nmax[i]) sprintf("n = %d", nmin[i]) else sprintf("n from %d to %d", nmin[i], nmax[i])
      unit <- if (pct) "%" else ""
      kind <- if (pct) "percentage" else if (n_items[i] > 1) sprintf("mean of %d whole-number items", n_items[i]) else
        "mean of whole numbers"
      expl <- if (ok) {
        sprintf("%s: %s%s is a possible %s of %s%s.", items$item[i], v$text[i], unit, kind, nn,
                if (nmin[i] < nmax[i]) sprintf(" (for %d of the %d values of n)", sum(works), length(ns)) else "")
      } else if (nmin[i] == nmax[i]) {
        j <- 1L
        sprintf("%s: %s%s is not a possible %s of %s (GRIM): the nearest are %s%s (%d/%d) and %s%s (%d/%d).",
                items$item[i], v$text[i], unit, kind, nn,
                formatC(below, format = "f", digits = v$decimals[i] + 1), unit,
                as.integer(round(below * den[j] / scale)), den[j],
                formatC(above, format = "f", digits = v$decimals[i] + 1), unit,
                as.integer(round(above * den[j] / scale)), den[j])
      } else {
        sprintf("%s: %s%s is not a possible %s for any %s (GRIM).", items$item[i], v$text[i], unit, kind, nn)
      }
      out <- c(out, list(check_row(NA_character_, items$item[i], if (pct) "grim_percent" else "grim_mean",
                                   paste0(v$text[i], unit), below, above,
                                   if (ok) "achievable" else "not achievable", ok, expl)))
    }
  }
  do.call(rbind, c(list(empty_checks()), out))
}
