# dm_table() of summary(dm_score()): the descriptive table of a manuscript (per dimension
# n, mean, SD, standard error and interval), weighted and design-based as the summary
# is; rendered by R/table-render.R.

scores_summary_table_spec <- function(x, lab, digits) {
  w <- scores_table_words[[lab$lang]]
  num <- function(v) ifelse(is.na(v), "\u2014", sprintf("%.*f", digits, v))
  num3 <- function(v) ifelse(is.na(v), "\u2014", sprintf("%.*f", digits + 1L, v))  # SE: one more
  conf <- format(100 * attr(x, "conf_level"))
  label <- dimension_label(x$dimension, lab$lang, attr(x, "instrument"))
  over <- x$dimension %in% names(lab$terms)  # the user's `labels`
  label[over] <- lab$terms[x$dimension[over]]
  rows <- lapply(seq_len(nrow(x)), function(i) {
    list(kind = "term", cells = c(label[i], format(x$n[i]), num(x$mean[i]), num(x$sd[i]),
                                  num3(x$se[i]),
                                  if (is.na(x$se[i])) "\u2014" else
                                    sprintf("[%s, %s]", num(x$conf.low[i]), num(x$conf.high[i]))))
  })
  units <- if (is.null(attr(x, "cluster"))) w[["by_respondent"]] else
    sprintf(w[["by_cluster"]], attr(x, "cluster"), as.integer(attr(x, "n_clusters")))
  fpc <- attr(x, "fpc")
  notes <- c(
    sprintf(w[["note"]], units,
            if (is.null(fpc)) "" else sprintf(w[["fpc"]], format(fpc)),
            conf, paste(unique(x$df), collapse = ", ")),
    if (!is.null(attr(x, "weights_label")))
      sprintf(w[["weighted"]], weights_words(x, lab$lang),
              paste(sprintf("%s %.1f", label, x$n_eff), collapse = ", ")),
    if (identical(attr(x, "scale"), "z")) w[["z"]])
  list(header = c(w[["dimension"]], "n", w[["mean"]], w[["sd"]], w[["se"]],
                  sprintf(w[["interval"]], conf)),
       rows = rows, notes = notes, align = c("l", rep("r", 5L)), type = "scores")
}

scores_table_words <- list(
  en = c(dimension = "Dimension", mean = "Mean", sd = "SD", se = "SE", interval = "%s%% CI",
         note = "Standard errors design-based, %s%s; %s%% t intervals on %s df.",
         by_respondent = "respondents as sampled units",
         by_cluster = "clustered by %s (%d clusters)", fpc = ", finite population correction (N = %s)",
         weighted = "Means and SD %s (Kish's effective n: %s).",
         z = "Scores standardised (z)."),
  nl = c(dimension = "Dimensie", mean = "Gemiddelde", sd = "SD", se = "SE",
         interval = "%s%%-BI",
         note = "Standaardfouten designgebaseerd, %s%s; %s%%-t-intervallen met %s vrijheidsgraden.",
         by_respondent = "respondenten als steekproefeenheden",
         by_cluster = "geclusterd per %s (%d clusters)", fpc = ", eindigepopulatiecorrectie (N = %s)",
         weighted = "Gemiddelden en SD %s (Kish' effectieve n: %s).",
         z = "Scores gestandaardiseerd (z).")
)
