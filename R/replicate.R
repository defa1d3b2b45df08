#' Reproduce the UGent study's tables from the bundled synthetic data
#'
#' Runs the whole chain on [flanders_dm]: item responses -> "% favourable"
#' ([dm_agree()]) -> maturity scores ([dm_score()], z-standardised) -> the three
#' regressions of maturity on pressures and capacities ([dm_lm()]) -> tables in
#' the slides' layout, each beside the published figure of [ugent_published]
#' with a column that flags any difference.
#'
#' **The data are synthetic.** `flanders_dm` was generated from the published
#' aggregates only; it reproduces the published figures, it is not the
#' survey's responses.
#'
#' @param lang `"en"` or `"nl"`: the language of the labels.
#' @param vcov The variance estimator of the regressions (see [dm_lm()]). The
#'   slides' figures are classical OLS standard errors (`"classical"`, the
#'   default); `"CR2"` clusters respondents by municipality, which the design
#'   calls for.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant (`conf.level` -> `conf_level`, `language` -> `lang`).
#'
#' @return An object of class `dm_replication`, a list of data frames:
#'   \describe{
#'     \item{sample}{published and replicated sample figures.}
#'     \item{items}{per item: dimension, label, the slide ("going well" or
#'       "challenge"), published and replicated "% favourable", `match`.}
#'     \item{regression}{per model and term, in the slides' layout (`half`:
#'       pressures or capacity): published and replicated estimate, s.e. and
#'       stars, `match` (estimate and s.e. equal at the printed 3 decimals),
#'       `stars_from_printed` and `stars_one_sided` (the stars that a
#'       two-sided and a one-sided (\eqn{\beta > 0}) t test of the printed
#'       estimate and s.e. give on the printed N - 14 df, over their rounding
#'       intervals, by [check_reported()]; `"* or +"` where rounding allows
#'       both) and `stars_match`.}
#'     \item{fit}{per model: published and replicated R-squared and N, the
#'       printed adjusted R-squared and F beside the values that R-squared, N
#'       and k imply, and the explanation of each difference by
#'       [check_reported()].}
#'     \item{checks}{`check_reported(ugent_published)`: every consistency
#'       check of the published table.}
#'   }
#'   plus `tally` (per kind of published figure, how many there are and how
#'   many the replication reproduces: the one count behind "N of M published
#'   figures reproduced" in the printout and in the HTML report), `agree`
#'   (the [dm_agree()] result), `models` (the three [dm_lm()] fits), `scores`
#'   (the z-standardised scores of [dm_score()] with `scale = "z"`), `vcov`
#'   and `lang`. Printing shows the models with [dm_table()] and the checks
#'   of the published table.
#' @family replication
#' @export
#' @examples
#' rep <- dm_replicate()
#' rep
#' rep$fit
#' # the same models with CR2 standard errors clustered by municipality
#' dm_replicate(vcov = "CR2")$regression[1:6, ]
dm_replicate <- function(lang = c("en", "nl"), vcov = "classical", ...) {
  check_dots_spelling(..., .strict = TRUE)
  lang <- check_lang(lang)
  check_vcov_choice(vcov)
  data <- bundled_data("flanders_dm")
  items <- bundled_data("dmm_items")
  pub <- bundled_data("ugent_published")
  lab <- paste0("label_", lang)

  # "% favourable"
  agree <- dm_agree(data, items, threshold = 4)
  items_tab <- replicate_items(agree, pub, lab)

  # scores, z-standardised over the records that have one (mean 0, sd 1 with n - 1)
  dims <- c("efficiency", "innovation", "balance")
  sc <- dm_score(data, items, min_answered = 0.5, scale = "z")
  z <- stats::setNames(lapply(dims, function(dm) sc[[dm]]), paste0("dm_", dims))
  model_data <- cbind(data, as.data.frame(z))

  reg <- pub$regression
  predictors <- setdiff(unique(reg$term), "(Intercept)")
  models <- lapply(dims, function(dm) {
    fml <- stats::reformulate(predictors, response = paste0("dm_", dm))
    if (vcov_is_cluster(vcov)) {
      dm_lm(fml, model_data, cluster = ~municipality, vcov = vcov)
    } else {
      dm_lm(fml, model_data, vcov = vcov)
    }
  })
  names(models) <- dims

  # the published table checked against itself: stars from t tests of the printed
  # estimate and s.e. (two-sided and one-sided), adj. R2 and F from R2, N and k
  k <- length(predictors)
  checks <- check_reported(pub, k = k)
  reg_tab <- replicate_regression(models, pub, lab, checks,
                                  check_reported(pub, k = k, alternative = "greater"))
  fit_tab <- replicate_fit(models, pub, checks, k)
  sample_tab <- replicate_sample(data, pub, fit_tab)

  structure(list(sample = sample_tab, items = items_tab, regression = reg_tab,
                 fit = fit_tab, checks = checks,
                 tally = replication_tally(reg_tab, items_tab, fit_tab, sample_tab),
                 agree = agree, models = models, scores = sc, vcov = vcov, lang = lang),
            class = "dm_replication")
}

# "% favourable" per item, published against replicated.
replicate_items <- function(agree, pub, lab) {
  ag <- as.data.frame(agree)
  pi <- pub$items
  items_tab <- data.frame(
    item = pi$item, dimension = pi$dimension, label = pi[[lab]], slide = pi$slide,
    published = pi$pct_agree_printed,
    replicated = round(100 * ag$favourable[match(pi$item, ag$item)]),
    n = ag$n[match(pi$item, ag$item)], stringsAsFactors = FALSE)
  items_tab$match <- ifelse(is.na(items_tab$published), NA,
                            items_tab$published == items_tab$replicated)
  items_tab
}

# The regression table in the slides' layout: each published estimate, s.e. and stars
# beside the replicated ones and the stars the printed numbers imply (`checks`,
# `one_sided`: check_reported() two-sided and one-sided).
replicate_regression <- function(models, pub, lab, checks, one_sided) {
  reg <- pub$regression
  reg$half <- ifelse(reg$block == "pressure", "pressures", "capacity")
  reg$half[reg$block == "intercept"] <- "both"
  # one coefficient table per model: the t tests (and CR2 df) of all its terms at once
  tables <- lapply(models, tidy.dm_lm)
  star_checks <- function(chk) {
    st <- chk[chk$check == "stars", ]
    out <- ifelse(st$implied == "no stars", "", st$implied)
    names(out) <- paste(st$model, st$term)
    out
  }
  from_printed <- star_checks(checks)
  from_one_sided <- star_checks(one_sided)
  reg_tab <- do.call(rbind, lapply(seq_len(nrow(reg)), function(i) {
    r <- reg[i, ]
    tab <- tables[[r$model]]
    row <- tab[tab$term == r$term, ]
    key <- paste(r$model, r$term)
    data.frame(model = r$model, half = r$half, block = r$block, term = r$term,
               label = r[[lab]],
               estimate_published = r$estimate, estimate = round(row$estimate, 3),
               std_error_published = r$std_error, std_error = round(row$std.error, 3),
               stars_published = r$stars_printed, stars = signif_stars(row$p.value),
               stars_from_printed = unname(from_printed[key]),
               stars_one_sided = unname(from_one_sided[key]),
               p.value = row$p.value, stringsAsFactors = FALSE)
  }))
  reg_tab$match <- abs(reg_tab$estimate - reg_tab$estimate_published) < 5e-4 &
    abs(reg_tab$std_error - reg_tab$std_error_published) < 5e-4
  reg_tab$stars_match <- reg_tab$stars == reg_tab$stars_published
  reg_tab
}

# Fit statistics, published against replicated, and what the printed R2, N and k imply.
replicate_fit <- function(models, pub, checks, k) {
  fit_pub <- pub$fit
  fit_tab <- do.call(rbind, lapply(names(models), function(dm) {
    f <- models[[dm]]
    p <- fit_pub[fit_pub$model == dm, ]
    chk <- checks[checks$model %in% dm & checks$check %in% c("adj_r_squared", "f_statistic", "nobs"), ]
    bad <- chk$explanation[chk$consistent %in% FALSE]
    data.frame(model = dm,
               r2_published = p$r_squared, r2 = round(f$r.squared, 3),
               n_published = p$nobs, n = f$nobs,
               adj_r2_published = p$adj_r_squared,
               adj_r2_implied = round(adjusted_r2(p$r_squared, p$nobs, k), 3),
               adj_r2 = round(f$adj.r.squared, 3),
               f_published = p$f_statistic, f_implied = round(classical_f(p$r_squared, p$nobs, k), 1),
               f = round(classical_f(f$r.squared, f$nobs, k), 1),
               f_df = sprintf("(%d, %d)", k, f$nobs - k - 1),
               match = round(f$r.squared, 3) == p$r_squared && f$nobs == p$nobs,
               explanation = if (length(bad)) paste(capitalise(sub(paste0("^", dm, ": "), "", bad)),
                                                    collapse = " ") else "consistent",
               stringsAsFactors = FALSE)
  }))
  fit_tab
}

# The sample: respondents, response rate and municipalities, published against replicated.
replicate_sample <- function(data, pub, fit_tab) {
  samp <- pub$sample
  pubval <- function(q) as.numeric(samp$value[samp$quantity == q])
  invited <- attr(data, "invited")
  n_munic <- length(unique(data$municipality))
  sample_tab <- data.frame(
    quantity = c("respondents (complete questionnaires)", "response rate",
                 "local governments represented", "share of the 300 municipalities",
                 "records used by the largest model"),
    published = c(pubval("respondents"), pubval("response_rate"),
                  pubval("local_governments_represented"), pubval("local_governments_share"),
                  max(pub$fit$nobs)),
    replicated = c(sum(data$complete), if (is.null(invited)) NA else round(sum(data$complete) / invited, 2),
                   n_munic, round(n_munic / 300, 2), max(fit_tab$n)),
    stringsAsFactors = FALSE)
  sample_tab$match <- sample_tab$published == sample_tab$replicated
  sample_tab
}

# The one definition of "N of M published figures reproduced" (the printout and
# inst/report/replication.Rmd both read it): the estimate/s.e. pairs equal at the
# printed 3 decimals, the printed item percentages equal to the whole percent, the
# R2/N pairs and the sample figures. Stars are not counted: they are checked apart.
replication_tally <- function(reg, items, fit, sample) {
  printed <- !is.na(items$match)
  data.frame(
    figures = c("estimate/s.e. pairs", "item percentages", "R2/N pairs", "sample figures"),
    published = c(nrow(reg), sum(printed), nrow(fit), nrow(sample)),
    reproduced = c(sum(reg$match), sum(items$match[printed]), sum(fit$match),
                   sum(sample$match, na.rm = TRUE)),
    stringsAsFactors = FALSE)
}

capitalise <- function(s) paste0(toupper(substring(s, 1, 1)), substring(s, 2))

bundled_data <- function(name) getExportedValue("digimaturity", name)

#' @export
print.dm_replication <- function(x, ...) {
  check_dots_strict(..., .fun = "print()")
  rule <- function(title) cat("\n", title, "\n", strrep("-", nchar(title)), "\n", sep = "")
  cat("Replication of the UGent digital maturity study (Flemish local governments)\n")
  cat("Data: flanders_dm is SYNTHETIC, generated from the published aggregates only;\n")
  cat("it reproduces the published figures, it is not the survey's responses.\n")
  cat(sprintf("Regressions: OLS of the z-scored maturity dimensions, vcov = %s.\n", x$vcov))
  if (x$vcov != "classical") {
    cat("The published s.e. are classical OLS ones: with this vcov the s.e. and stars are\n")
    cat("expected to differ from them (listed below); the estimates are the same.\n")
  }

  rule("Sample")
  smp <- x$sample
  share <- !is.na(smp$published) & smp$published < 1
  show <- function(v) ifelse(share, sprintf("%.0f%%", 100 * v), format(v, trim = TRUE))
  smp$published <- show(smp$published)
  smp$replicated <- show(smp$replicated)
  print(smp, row.names = FALSE)

  rule("\"% favourable\" per item, published | replicated")
  it <- x$items
  it <- it[order(it$dimension, -it$replicated), ]
  # labels whole, padded to the longest; shares as percentages
  width <- max(nchar(it$label, type = "width"))
  lab <- paste0(it$label, strrep(" ", width - nchar(it$label, type = "width")))
  cat(sprintf("  %-10s %s  %-10s %4s | %4s  %s\n", it$dimension, lab,
              ifelse(nzchar(it$slide), it$slide, "-"),
              ifelse(is.na(it$published), "-", paste0(it$published, "%")), paste0(it$replicated, "%"),
              ifelse(is.na(it$match), "(not printed)", ifelse(it$match, "equal", "DIFFERS"))),
      sep = "")

  rule("Capacity or pressure? The replicated models in the slides' layout")
  r <- x$regression
  print(dm_table(x$models, lang = x$lang %||% "en", blocks = "study", leading_zero = FALSE))
  diff <- r[!r$match, ]
  if (nrow(diff)) {
    cat("\nEstimates or s.e. that differ from the published ones at the printed 3 decimals:\n")
    cat(sprintf("  %-10s %-23s published %.3f (%.3f) | replicated %.3f (%.3f)\n", diff$model, diff$term,
                diff$estimate_published, diff$std_error_published, diff$estimate, diff$std_error),
        sep = "")
  } else {
    cat(sprintf("\nAll %d estimates and s.e. equal the published ones at the printed 3 decimals.\n", nrow(r)))
  }
  bad <- r[!r$stars_match, ]
  if (nrow(bad)) {
    cat(sprintf("Stars that differ from the printed ones: %s.\n",
                paste(sprintf("%s %s printed '%s', replicated '%s'", bad$model, bad$term,
                              bad$stars_published, bad$stars), collapse = "; ")))
  }

  rule("Fit, published | replicated")
  f <- x$fit
  cat(sprintf("  %-10s R2 %.3f | %.3f  N %d | %d  adj. R2 %.3f | %.3f  F %.3f | %.1f on %s\n",
              f$model, f$r2_published, f$r2, f$n_published, f$n, f$adj_r2_published,
              f$adj_r2, f$f_published, f$f, f$f_df), sep = "")

  rule("Does the published table hold together? check_reported(ugent_published)")
  print(x$checks)
  tl <- x$tally
  cat(sprintf("\n%d of %d published figures reproduced (%s).\n", sum(tl$reproduced), sum(tl$published),
              paste(sprintf("%d of %d %s", tl$reproduced, tl$published, tl$figures), collapse = ", ")))
  invisible(x)
}
