# dm_table() of a dm_representativeness() result: per margin and category the population
# and sample shares (and weighted shares), with the tests in the notes; rendered by
# R/table-render.R.

representativeness_table_spec <- function(x, lab, digits) {
  w <- representativeness_words[[lab$lang]]
  s <- x$shares
  weighted <- "weighted_share" %in% names(s)
  pct <- function(v) ifelse(is.na(v), "", sprintf("%.*f", digits, 100 * v))
  rows <- list()
  add <- function(kind, cells) rows[[length(rows) + 1L]] <<- list(kind = kind, cells = cells)
  for (m in unique(s$margin)) {
    add("heading", m)
    for (i in which(s$margin == m)) {
      add("term", c(s$category[i], format(s$population_n[i]), pct(s$population_share[i]),
                    format(s$sample_n[i]), pct(s$sample_share[i]), pct(s$respondent_share[i]),
                    if (weighted) pct(s$weighted_share[i]), pct(s$response_rate[i])))
    }
  }
  tests <- x$tests
  notes <- c(
    w[["note"]],
    vapply(seq_len(nrow(tests)), function(i) {
      sprintf(w[["chisq"]], tests$margin[i], tests$statistic[i], tests$df[i],
              format.pval(tests$p.value[i], digits = 3), 100 * tests$dissimilarity[i])
    }, ""),
    vapply(seq_len(nrow(x$r_indicator)), function(i) {
      r <- x$r_indicator[i, ]
      sprintf(w[["r_ind"]], r$margins, r$R, r$conf.low, r$conf.high,
              format(100 * attr(x, "conf_level")))
    }, ""),
    if (any(tests$min_expected < 5))
      sprintf(w[["small"]], paste(tests$margin[tests$min_expected < 5], collapse = ", ")),
    if (!is.null(attr(x, "weights_label"))) attr(x, "weights_label")[[lab$lang]])
  header <- c(w[["category"]], "N", w[["population"]], "n", w[["sample"]], w[["respondents"]],
              if (weighted) w[["weighted"]], w[["rate"]])
  list(header = header, rows = rows, notes = notes,
       align = c("l", rep("r", length(header) - 1L)))
}
