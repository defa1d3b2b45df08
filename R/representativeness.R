# dm_representativeness(): do the responding municipalities (and respondents) look like
# the population? Shares per margin, the chi-square goodness-of-fit test, the
# dissimilarity index and the R-indicator of Schouten, Cobben & Bethlehem (2009).

#' Representativeness of the responding municipalities
#'
#' Compares the responding units (municipalities) and respondents with the
#' population on each margin (size class, province, ...): the population and sample
#' shares, the weighted shares when `weights` are given, the chi-square
#' goodness-of-fit test of the sample counts against the population shares, the
#' dissimilarity index, and the R-indicator of representativeness with its
#' interval.
#'
#' @section R-indicator:
#' The R-indicator (Schouten, Cobben & Bethlehem 2009) is \eqn{R = 1 - 2 S(\rho)},
#' with \eqn{S(\rho)} the standard deviation over the population units of their
#' response propensities: 1 when every unit responds with the same propensity, lower as
#' response depends more on the auxiliaries. Per margin the propensities are the
#' response rates of its categories (\eqn{n_k / N_k}); with a frame (one row per
#' population unit with the `unit` id) the row "all margins" has the propensities of a
#' logistic regression of response on all margins (main effects), as in the paper.
#' The interval is \eqn{R \pm z\,se}, with the standard error from `B` bootstrap
#' replicates: the frame's units resampled with replacement and the model refitted
#' (with a list of counts: the responding counts redrawn as binomials of the
#' categories' sizes and rates). The replicates use R's random numbers: call
#' [set.seed()] first for a reproducible interval. With few units per category the
#' R-indicator is biased downwards (more so for many categories); compare indicators
#' on the same margins only.
#'
#' @section Progress and interrupts:
#' In an interactive session a bootstrap that lasts more than a few seconds
#' shows a progress bar over the `B` draws of each margin and of the frame's
#' model (\pkg{cli}; drawn after cli's `cli.progress_show_after`, 2 s by
#' default); scripts, knitr documents and tests show none unless
#' `options(digimaturity.progress = TRUE)`, and `FALSE` turns the bars off
#' everywhere. Ctrl-C (an interrupt) stops the run between two blocks of
#' draws. Neither changes the results: for a given seed the draws are the
#' same with or without a bar.
#'
#' @param data Respondents (one row each), with the `unit` column and, unless the frame
#'   gives them, the margin columns.
#' @param population A frame (one row per population unit, with the `unit` id and the
#'   margin columns; margins missing from `data` are looked up in it) or a named list
#'   of population counts per category of each margin, as in [dm_weights()].
#' @param by The margins: column names.
#' @param unit The column identifying the sampled unit (the municipality), or `NULL`
#'   when each row is a unit.
#' @param weights Optional weights (from [dm_weights()], or a column name or vector, one
#'   per row of `data`): the weighted shares of respondents are added.
#' @param head_counts Optional column of the frame with the number of eligible persons
#'   per population unit (e.g. staff in scope): then the population shares of persons are
#'   compared with the shares of respondents.
#' @param conf_level Level of the R-indicator's interval.
#' @param B Bootstrap replicates of the R-indicator's standard error (a whole
#'   number; 0: none).
#' @param ... Not used; a misspelled argument is an error.
#' @return An object of class `dm_representativeness`: a list with `shares` (per margin
#'   and category: `population_n`, `population_share`, `sample_n` (responding units),
#'   `sample_share`, `response_rate`, `respondents`, `respondent_share`, and
#'   `weighted_share` with weights, `population_head_share` with `head_counts`),
#'   `tests` (per margin: chi-square `statistic`, `df`, `p.value`, the smallest expected
#'   count `min_expected`, the dissimilarity index `dissimilarity` = half the sum of the
#'   absolute differences of the unit shares) and `r_indicator` (per margin and for all
#'   margins: `R`, `se`, `conf.low`, `conf.high`, `response_rate`, `N`, `n`), with
#'   `attr(, "call")`.
#' @references Schouten, B., Cobben, F. & Bethlehem, J. (2009). Indicators for the
#'   representativeness of survey response. *Survey Methodology*, 35(1), 101-113.
#' @family weights
#' @export
#' @examples
#' # ILLUSTRATIVE population counts of the 300 municipalities per size class
#' sizes <- list(population_class = c("<10000" = 66, "10000-19999" = 110,
#'                                    "20000-29999" = 57, "30000-49999" = 42,
#'                                    ">=50000" = 25))
#' set.seed(1)
#' rep <- dm_representativeness(flanders_dm, sizes, by = "population_class", B = 200)
#' rep
#' dm_table(rep)
dm_representativeness <- function(data, population, by = c("size_class", "province"),
                                  unit = "municipality", weights = NULL, head_counts = NULL,
                                  conf_level = 0.95, B = 500, ...) {
  check_dots_spelling(..., .fun = "dm_representativeness()", .strict = TRUE)
  check_data_frame(data)
  check_has_rows(data, "to compare with the population")
  check_share(conf_level, "conf_level", open = TRUE)
  check_whole(B, "B", lower = 0)
  margins <- weight_margins(by, population, data, unit)
  data <- margins_from_frame(data, population, margins, unit)
  units <- weight_units(data, unit, margins, NULL)
  targets <- population_targets(population, margins, units, data, unit, NULL)
  for (m in margins) {
    if (is.null(targets[[m]]$counts)) {
      dm_abort(sprintf("`by` must name categorical margins; `%s` is numeric.", m), type = "input")
    }
  }
  targets <- match_cells(targets, units$table, "population")
  w <- if (is.null(weights)) NULL else check_weights(weights, data)
  heads <- head_count_shares(population, head_counts, margins)
  shares <- do.call(rbind, lapply(margins, function(m)
    margin_shares(m, targets[[m]]$counts, units$table[[m]], data[[m]], w, heads[[m]])))
  tests <- do.call(rbind, lapply(margins, function(m) gof_test(shares[shares$margin == m, ])))
  frame_ok <- is.data.frame(population) && !is.null(unit) && unit %in% names(population)
  r_ind <- r_indicators(shares, margins, if (frame_ok) population, units, unit, B, conf_level)
  structure(list(shares = shares, tests = tests, r_indicator = r_ind),
            class = "dm_representativeness", conf_level = conf_level, by = margins,
            unit = unit, weighted = !is.null(w),
            weights_label = if (inherits(weights, "dm_weights")) attr(weights, "label"),
            call = match.call())
}

# Population shares of persons per category from a head-count column of the frame.
head_count_shares <- function(population, head_counts, margins) {
  if (is.null(head_counts)) return(list())
  if (!is.data.frame(population)) {
    dm_abort("`head_counts` needs a frame `population` (one row per unit) with that column.",
             type = "input")
  }
  check_columns_present(population, head_counts, "population")
  h <- population[[head_counts]]
  if (!is.numeric(h) || anyNA(h) || any(h < 0)) {
    dm_abort(sprintf("`population$%s` (head counts) must be non-negative numbers; you passed %s.",
                     head_counts, show_values(h)), type = "input")
  }
  stats::setNames(lapply(margins, function(m) {
    s <- tapply(h, as.character(population[[m]]), sum)
    s / sum(s)
  }), margins)
}

# One margin's shares: population units, responding units, respondents, weighted.
margin_shares <- function(m, counts, unit_values, resp_values, w, heads) {
  cat <- names(counts)
  n_units <- as.numeric(tabulate(match(as.character(unit_values), cat), length(cat)))
  code <- match(as.character(resp_values), cat)
  n_resp <- as.numeric(tabulate(code, length(cat)))
  out <- data.frame(margin = m, category = cat, population_n = unname(counts),
                    population_share = unname(counts) / sum(counts), sample_n = n_units,
                    sample_share = n_units / sum(n_units),
                    response_rate = n_units / unname(counts), respondents = n_resp,
                    respondent_share = n_resp / sum(n_resp), stringsAsFactors = FALSE)
  if (!is.null(w)) {
    sw <- vapply(seq_along(cat), function(k) sum(w[code == k]), numeric(1))
    out$weighted_share <- sw / sum(sw)
  }
  if (!is.null(heads)) out$population_head_share <- unname(heads[cat])
  out
}

# Chi-square goodness of fit of the responding units' counts to the population shares,
# and the dissimilarity index.
gof_test <- function(s) {
  n <- sum(s$sample_n)
  expected <- n * s$population_share
  stat <- sum((s$sample_n - expected)^2 / expected)
  df <- nrow(s) - 1L
  data.frame(margin = s$margin[1], statistic = stat, df = df,
             p.value = stats::pchisq(stat, df, lower.tail = FALSE),
             min_expected = min(expected),
             dissimilarity = sum(abs(s$sample_share - s$population_share)) / 2,
             stringsAsFactors = FALSE)
}

# R = 1 - 2 S(rho) from category rates, per margin (binomial bootstrap), and from a
# logistic model on the frame for all margins (bootstrap of the frame's units).
r_indicators <- function(shares, margins, frame, units, unit, B, conf_level) {
  z <- stats::qnorm((1 + conf_level) / 2)
  one <- function(name, R, reps, N, n) {
    se <- if (length(reps) > 1) stats::sd(reps) else NA_real_
    data.frame(margins = name, R = R, se = se, conf.low = max(0, R - z * se),
               conf.high = min(1, R + z * se), response_rate = n / N, N = N, n = n,
               stringsAsFactors = FALSE)
  }
  use_frame <- !is.null(frame) && length(margins) > 1L
  # one bar over all the bootstrap draws: B per margin, and B for the frame's model
  bar <- progress_start(B * (length(margins) + use_frame), "R-indicator bootstrap draws")
  rows <- lapply(margins, function(m) {
    s <- shares[shares$margin == m, ]
    Nk <- s$population_n
    r_of <- function(nk) r_from_rates(nk / Nk, Nk)
    reps <- boot_draws(B, function() r_of(stats::rbinom(length(Nk), Nk, s$sample_n / Nk)), bar, 100)
    one(m, r_of(s$sample_n), reps, sum(Nk), sum(s$sample_n))
  })
  if (use_frame) {
    resp <- as.numeric(as.character(frame[[unit]]) %in% as.character(units$ids))
    X <- stats::model.matrix(stats::reformulate(margins),
                             as.data.frame(lapply(frame[margins], as.character)))
    r_fit <- function(idx) {
      fit <- suppressWarnings(stats::glm.fit(X[idx, , drop = FALSE], resp[idx],
                                             family = stats::binomial()))
      p <- fit$fitted.values
      1 - 2 * stats::sd(p)
    }
    all_i <- seq_len(nrow(frame))
    reps <- boot_draws(B, function() r_fit(sample(all_i, replace = TRUE)), bar, 10)
    rows[[length(rows) + 1L]] <- one(paste(margins, collapse = " + "), r_fit(all_i), reps,
                                     nrow(frame), sum(resp))
  }
  progress_done(bar)
  out <- do.call(rbind, rows)
  rownames(out) <- NULL
  out
}

# Internal: B bootstrap replicates of draw() (a function of no arguments that uses R's
# random numbers), in chunks of about `per_chunk` draws with a bar step after each chunk
# (an interrupt point). The draws are made one after the other whatever the chunks, so
# the replicates are those of replicate(B, draw()), with or without the bar.
boot_draws <- function(B, draw, bar, per_chunk) {
  chunks <- progress_chunks(B, getOption("digimaturity.representativeness_chunk", per_chunk))
  out <- vector("list", length(chunks))
  for (i in seq_along(chunks)) {
    out[[i]] <- vapply(seq_len(chunks[[i]]), function(b) draw(), numeric(1))
    progress_update(bar, inc = chunks[[i]])
  }
  as.numeric(unlist(out))
}

# The R-indicator of propensities `rho` per category of sizes Nk: 1 - 2 sd over the units.
r_from_rates <- function(rho, Nk) {
  N <- sum(Nk)
  m <- sum(Nk * rho) / N
  1 - 2 * sqrt(sum(Nk * (rho - m)^2) / (N - 1))
}

# The words of the representativeness print, table and plot, in English and Dutch.
representativeness_words <- list(
  en = c(title = "Representativeness of the response", margin = "Margin",
         category = "Category", population = "Population", sample = "Responding units",
         respondents = "Respondents", weighted = "Weighted", rate = "Response rate",
         chisq = "Chi-square goodness of fit: %s = %.2f, df = %d, p = %s; dissimilarity %.1f%%",
         r_ind = "R-indicator (Schouten et al. 2009) on %s: %.3f [%.3f, %.3f] (%s%% interval)",
         share = "Share", caption = "Shares of the population and of the response per margin",
         note = "Shares in %.", small = "Expected counts below 5 in %s: the chi-square p-value is approximate."),
  nl = c(title = "Representativiteit van de respons", margin = "Marge",
         category = "Categorie", population = "Populatie", sample = "Responderende eenheden",
         respondents = "Respondenten", weighted = "Gewogen", rate = "Responsgraad",
         chisq = "Chi-kwadraattoets van aanpassing: %s = %.2f, vg = %d, p = %s; dissimilariteit %.1f%%",
         r_ind = "R-indicator (Schouten e.a. 2009) op %s: %.3f [%.3f, %.3f] (%s%%-interval)",
         share = "Aandeel", caption = "Aandelen van de populatie en van de respons per marge",
         note = "Aandelen in %.", small = "Verwachte aantallen onder 5 in %s: de p-waarde van de chi-kwadraattoets is bij benadering.")
)

#' @export
print.dm_representativeness <- function(x, lang = c("en", "nl"), ...) {
  check_dots_strict(..., .fun = "print()", .formals = c("x", "lang"))
  lang <- check_lang(lang)
  w <- representativeness_words[[lang]]
  cat(sprintf("<dm_representativeness> %s\n", w[["title"]]))
  s <- x$shares
  num <- vapply(s, is.double, logical(1))
  s[num] <- lapply(s[num], round, 3)
  print(s, row.names = FALSE)
  for (i in seq_len(nrow(x$tests))) {
    t <- x$tests[i, ]
    cat(sprintf(w[["chisq"]], t$margin, t$statistic, t$df, format.pval(t$p.value, digits = 3),
                100 * t$dissimilarity), "\n", sep = "")
  }
  r <- x$r_indicator
  for (i in seq_len(nrow(r))) {
    cat(sprintf(w[["r_ind"]], r$margins[i], r$R[i], r$conf.low[i], r$conf.high[i],
                format(100 * attr(x, "conf_level"))), "\n", sep = "")
  }
  invisible(x)
}
