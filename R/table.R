# dm_table(): publication tables in the study's layout. A table is first built as a
# format-free specification (header, rows of cells with their kind, notes); one
# renderer per format turns it into text, markdown, LaTeX, HTML or a Word file.

#' Publication tables of regressions and of "% favourable"
#'
#' Regression tables in the layout of the study's slides, "β (s.e.)" with
#' stars, one column per model, grouped in blocks with headings and followed by
#' the fit rows; or, for a [dm_agree()] result, the items per dimension with
#' their "% favourable", its interval and n, and the "going well" /
#' "challenges" marks of [dm_highlights()]. In English or Dutch, as plain
#' text, markdown, LaTeX, HTML or a Word document.
#'
#' **Each column follows its own model's inference.** The stars come from
#' the t tests of [tidy()][dm_lm-tidiers]: the fit's variance estimator and
#' its per-coefficient degrees of freedom ([dm_coef_df()]). The `statistic`
#' row is the overall test of [glance()][dm_lm-tidiers]: the classical F for a
#' classical fit, the robust Wald (or, for CR2, HTZ) F of [dm_wald()]
#' otherwise, so a classical F never stands beside robust standard errors.
#' The row's label says which test it is (each cell is tagged when the
#' models differ), and a note under the table states per model the
#' variance estimator, the df rule of the t tests, the overall test and the
#' star legend.
#'
#' @param models A named list of [dm_lm()] fits (the names are the column
#'   headers), a single fit, a `dm_mlm` (several outcomes) that holds its
#'   fits, or a [dm_agree()] result.
#' @param format `"text"` (aligned, for the console), `"markdown"` (a pipe
#'   table), `"latex"` (a booktabs `tabular`; needs `\usepackage{booktabs}`),
#'   `"html"` (a `<table>`) or `"docx"` (a Word document, through the
#'   officer package; needs `file`).
#' @param file Optional path: the table is written there (and returned
#'   invisibly). Required for `"docx"`.
#' @param labels `"en"` or `"nl"`: English or Dutch labels of the study's
#'   predictors (the terms of [ugent_published]), blocks, fit rows and notes.
#'   Or a character vector of labels named by term id, which overrides the
#'   English labels of those terms (e.g. `c(wt = "Weight (1000 lbs)")`).
#' @param blocks `NULL` (no headings), `"study"` (the study's blocks:
#'   institutional pressures, administrative capacity, political capacity,
#'   control), or a named list of term ids per block; the names are the
#'   headings. Terms in no block follow, the intercept last.
#' @param stars p-value thresholds named by their symbols.
#' @param digits Decimals of estimates, s.e. and fit statistics. For a
#'   [dm_agree()] result: decimals of the percentages (whole percents unless
#'   given).
#' @param stat What stands beside the estimate: `"se"` (standard error),
#'   `"t"` (t statistic) or `"ci"` (95% confidence interval).
#' @param fit The fit rows, any of `"r.squared"`, `"adj.r.squared"`,
#'   `"statistic"` (the overall test), `"nobs"`, `"n_clusters"`, `"sigma"`.
#' @param leading_zero If `FALSE`, numbers below 1 are printed as the slides
#'   (and APA) print them: `.417`, `-.070`.
#' @param ... For a [dm_agree()] result: `n` or `cut` of [dm_highlights()],
#'   which decide the "going well" and "challenges" marks.
#'
#' @return The table as a character vector of class `dm_table` (printing it
#'   shows it as is), invisibly when `file` is given. For `"docx"` the text
#'   rendering is returned, with the path in `attr(, "file")`.
#'
#' @section Errors:
#' `digimaturity_error_input` for an invalid argument, naming it and the
#' value; `digimaturity_error_missing_package` when `"docx"` is asked for
#' without the officer package.
#'
#' @family tables
#' @export
#' @examples
#' rep <- dm_replicate()
#' dm_table(rep$models, blocks = "study", leading_zero = FALSE)
#' dm_table(rep$models, labels = "nl", blocks = "study", format = "markdown")
#'
#' # robust fits: stars and the overall test follow each model's own variance
#' fits <- list(classical = dm_lm(mpg ~ wt + hp, mtcars, vcov = "classical"),
#'              HC2 = dm_lm(mpg ~ wt + hp, mtcars),
#'              CR2 = dm_lm(mpg ~ wt + hp, mtcars, cluster = ~cyl))
#' dm_table(fits, labels = c(wt = "Weight", hp = "Horsepower"), stat = "ci")
#' dm_table(fits, format = "latex")
#'
#' # the slides' item view: "% favourable" per item and dimension
#' dm_table(dm_agree(flanders_dm), labels = "nl")
#'
#' if (requireNamespace("officer", quietly = TRUE)) {
#'   path <- tempfile(fileext = ".docx")
#'   dm_table(rep$models, format = "docx", file = path, blocks = "study")
#' }
dm_table <- function(models, format = c("text", "markdown", "latex", "html", "docx"),
                     file = NULL, labels = c("en", "nl"), blocks = NULL,
                     stars = c("+" = 0.10, "*" = 0.05, "**" = 0.01, "***" = 0.001),
                     digits = 3, stat = c("se", "t", "ci"),
                     fit = c("r.squared", "adj.r.squared", "statistic", "nobs"),
                     leading_zero = TRUE, ...) {
  format <- match_choice(format, c("text", "markdown", "latex", "html", "docx"), "format")
  if (!is.null(file) && (!is.character(file) || length(file) != 1L || is.na(file) || !nzchar(file))) {
    dm_abort(sprintf("`file` must be NULL or a single path; you passed %s.",
                     if (is.character(file)) show_values(file) else
                       sprintf("an object of class '%s'", class(file)[1])), type = "input")
  }
  if (!is.null(file) && !dir.exists(dirname(path.expand(file)))) {
    dm_abort(sprintf("`file` must be a path in an existing folder; the folder '%s' of '%s' does not exist.",
                     dirname(file), file), type = "file")
  }
  if (format == "docx" && is.null(file)) {
    dm_abort("`file` must be given for `format = \"docx\"`: the path of the Word document to write; you passed NULL.",
             type = "input")
  }
  lab <- table_labels(labels)
  check_scalar_number(digits, "digits", 0, 10)
  if (digits != round(digits)) {
    dm_abort(sprintf("`digits` must be a whole number; you passed %s.", show_values(digits)), type = "input")
  }
  check_flag(leading_zero, "leading_zero")
  if (inherits(models, "dm_agree")) {
    spec <- agree_table_spec(models, lab, if (missing(digits)) 0L else as.integer(digits), ...)
  } else {
    stars <- check_stars(stars)
    stat <- match_choice(stat, c("se", "t", "ci"), "stat")
    fit_rows <- c("r.squared", "adj.r.squared", "statistic", "nobs", "n_clusters", "sigma")
    if (!is.character(fit) || anyNA(fit) || !all(fit %in% fit_rows)) {
      dm_abort(sprintf("`fit` must be some of %s; you passed %s.",
                       paste0("'", fit_rows, "'", collapse = ", "),
                       if (is.null(fit)) "NULL" else show_values(fit)), type = "input")
    }
    if (...length()) {
      dm_abort(sprintf("`...` is only used for dm_agree() results; you passed %d further argument%s.",
                       ...length(), if (...length() > 1) "s" else ""), type = "input")
    }
    spec <- lm_table_spec(table_models(models), lab, blocks, stars, as.integer(digits), stat,
                          unique(fit), leading_zero)
  }
  out <- switch(format,
                text = render_text(spec), markdown = render_markdown(spec),
                latex = render_latex(spec), html = render_html(spec),
                docx = render_docx(spec, file))
  out <- structure(out, class = "dm_table", format = format)
  if (is.null(file)) return(out)
  if (format != "docx") {
    tryCatch(writeLines(out, file, useBytes = TRUE), error = function(e) {
      dm_abort(sprintf("`file` '%s' could not be written: %s", file, conditionMessage(e)),
               type = "file", call = NULL)
    })
  }
  attr(out, "file") <- file
  invisible(out)
}

#' @export
print.dm_table <- function(x, ...) {
  cat(unclass(x), sep = "\n")
  invisible(x)
}

# ---- labels -----------------------------------------------------------------------

# The words of the tables in English and Dutch.
table_words <- list(
  en = c(r.squared = "R\u00b2", adj.r.squared = "Adjusted R\u00b2", nobs = "N",
         n_clusters = "Clusters", sigma = "Residual s.d.", statistic = "F",
         wald = "Wald F (robust)", htz = "HTZ Wald F (robust)", mixed = "Overall test",
         se_note = "Standard errors in parentheses.", t_note = "t statistics in parentheses.",
         ci_note = "95% confidence intervals in brackets.", classical = "classical (OLS) s.e.",
         robust = "robust s.e.", clustered = "clustered by %s (%d clusters)",
         df = "t tests on %s df", ftest = "overall test: %s", stars = "Stars:",
         satterthwaite = "Satterthwaite", none = "no overall test",
         going_well = "going well", challenge = "challenge", item = "Item",
         favourable = "% favourable", interval = "%s%% interval", n = "n",
         agree_note = "%% favourable: share of valid answers with a keyed answer of at least %s; %s%% Wilson intervals%s.",
         weighted = " (weighted, Kish's effective n)",
         marks = "Marked: %s.", Constant = "Constant",
         few_clusters = "Few clusters, t and F p-values unreliable (see ?few_clusters; wild cluster bootstrap: dm_wild()): %s.",
         few_df = "smallest df"),
  nl = c(r.squared = "R\u00b2", adj.r.squared = "Aangepaste R\u00b2", nobs = "N",
         n_clusters = "Clusters", sigma = "Residuele s.d.", statistic = "F",
         wald = "Wald F (robuust)", htz = "HTZ Wald F (robuust)", mixed = "Globale toets",
         se_note = "Standaardfouten tussen haakjes.", t_note = "t-waarden tussen haakjes.",
         ci_note = "95%-betrouwbaarheidsintervallen tussen vierkante haken.",
         classical = "klassieke (OLS) standaardfouten", robust = "robuuste standaardfouten",
         clustered = "geclusterd per %s (%d clusters)", df = "t-toetsen met %s vrijheidsgraden",
         ftest = "globale toets: %s", stars = "Sterren:", satterthwaite = "Satterthwaite",
         none = "geen globale toets",
         going_well = "gaat goed", challenge = "uitdaging", item = "Item",
         favourable = "% gunstig", interval = "%s%%-interval", n = "n",
         agree_note = "%% gunstig: aandeel geldige antwoorden met een (gecodeerd) antwoord van minstens %s; %s%%-Wilsonintervallen%s.",
         weighted = " (gewogen, Kish' effectieve n)",
         marks = "Gemarkeerd: %s.", Constant = "Constante",
         few_clusters = "Weinig clusters, p-waarden van t- en F-toetsen onbetrouwbaar (zie ?few_clusters; wilde clusterbootstrap: dm_wild()): %s.",
         few_df = "kleinste vrijheidsgraden")
)

study_blocks <- list(
  en = c(pressure = "Institutional pressures", administrative_capacity = "Administrative capacity",
         political_capacity = "Political capacity", control = "Control"),
  nl = c(pressure = "Institutionele druk", administrative_capacity = "Administratieve capaciteit",
         political_capacity = "Politieke capaciteit", control = "Controle")
)

dimension_words <- list(
  en = c(efficiency = "Efficiency", innovation = "Innovation", balance = "Balance",
         legacy = "Digital legacy"),
  nl = c(efficiency = "Effici\u00ebntie", innovation = "Innovatie", balance = "Balans",
         legacy = "Digitale erfenis")
)

# The language and the term labels: the study's predictors in that language, then
# the user's overrides.
table_labels <- function(labels) {
  if (identical(labels, c("en", "nl"))) labels <- "en"
  ok_lang <- is.character(labels) && length(labels) == 1L && is.null(names(labels)) &&
    labels %in% c("en", "nl")
  if (!ok_lang && !(is.character(labels) && length(labels) >= 1L && !is.null(names(labels)) &&
                    all(nzchar(names(labels))) && !anyNA(labels))) {
    dm_abort(sprintf("`labels` must be \"en\", \"nl\" or a character vector of labels named by term; you passed %s.",
                     if (is.null(labels)) "NULL" else if (is.character(labels)) show_values(labels) else
                       sprintf("an object of class '%s'", class(labels)[1])), type = "input")
  }
  lang <- if (ok_lang) labels else "en"
  reg <- bundled_data("ugent_published")$regression
  reg <- reg[!duplicated(reg$term), ]
  terms <- stats::setNames(reg[[paste0("label_", lang)]], reg$term)
  if (!ok_lang) terms[names(labels)] <- labels
  list(lang = lang, terms = terms, words = table_words[[lang]])
}

term_label <- function(term, lab) ifelse(term %in% names(lab$terms), lab$terms[term], term)

# ---- regression tables ------------------------------------------------------------

# The fits of `models` as a named list of dm_lm.
table_models <- function(models) {
  if (inherits(models, "dm_lm")) models <- list(`(1)` = models)
  if (inherits(models, c("lm", "glm", "lm_robust", "fixest"))) {
    cls <- class(models)[1]
    dm_abort(sprintf("`models` is %s %s fit (class '%s'), not a dm_lm fit; refit it with dm_lm() (the same formula and data, plus cluster = ~municipality for respondents nested in municipalities).",
                     if (grepl("^(lm|mlm|lm_robust)$", cls)) "an" else "a", cls,
                     paste(class(models), collapse = "', '")), type = "input")
  }
  if (inherits(models, "dm_mlm")) {
    fits <- NULL
    for (el in c("fits", "models")) if (is.list(models[[el]])) fits <- models[[el]]
    if (is.null(fits) && length(models) && all(vapply(models, inherits, logical(1), "dm_lm"))) {
      fits <- unclass(models)
    }
    if (is.null(fits)) {
      dm_abort("`models` is a dm_mlm without per-outcome fits to tabulate; pass a named list of dm_lm fits.",
               type = "input")
    }
    models <- fits
  }
  if (!is.list(models) || !length(models)) {
    dm_abort(sprintf("`models` must be a named list of dm_lm fits, a dm_lm fit or a dm_agree() result; you passed %s.",
                     if (is.list(models)) "an empty list" else sprintf("an object of class '%s'", class(models)[1])),
             type = "input")
  }
  bad <- which(!vapply(models, inherits, logical(1), "dm_lm"))
  other <- bad[vapply(models[bad], inherits, logical(1), c("lm", "glm", "lm_robust", "fixest"))]
  if (length(other)) {
    dm_abort(sprintf("`models` holds %s of class %s (element%s %s), not dm_lm fits; refit %s with dm_lm().",
                     if (length(other) > 1) "fits" else "a fit",
                     show_values(vapply(models[other], function(m) class(m)[1], character(1))),
                     if (length(other) > 1) "s" else "", show_rows(other),
                     if (length(other) > 1) "them" else "it"), type = "input")
  }
  if (length(bad)) {
    dm_abort(sprintf("`models` must hold dm_lm fits only; element%s %s %s of class %s.",
                     if (length(bad) > 1) "s" else "", show_rows(bad), if (length(bad) > 1) "are" else "is",
                     show_values(vapply(models[bad], function(m) class(m)[1], character(1)))),
             type = "input")
  }
  nm <- names(models)
  if (is.null(nm)) nm <- rep("", length(models))
  nm[!nzchar(nm)] <- sprintf("(%d)", which(!nzchar(nm)))
  names(models) <- make.unique(nm, sep = " ")
  models
}

fmt_fixed <- function(v, digits, leading_zero) {
  out <- sprintf("%.*f", as.integer(digits), v)
  out[out == sprintf("-%.*f", as.integer(digits), 0)] <- sprintf("%.*f", as.integer(digits), 0)
  if (!leading_zero) out <- sub("^(-?)0\\.", "\\1.", out)
  out[is.na(v)] <- ""
  out
}

# The specification of a regression table: header, rows (kind + cells), notes.
lm_table_spec <- function(models, lab, blocks, stars, digits, stat, fit, leading_zero) {
  w <- lab$words
  tidies <- lapply(models, tidy.dm_lm)
  glances <- lapply(models, glance.dm_lm)
  all_terms <- unique(unlist(lapply(tidies, `[[`, "term")))
  intercept <- intersect(all_terms, "(Intercept)")
  groups <- table_blocks(blocks, setdiff(all_terms, intercept), lab)
  fmt <- function(v) fmt_fixed(v, digits, leading_zero)

  cell <- function(td, term) {
    r <- td[td$term == term, , drop = FALSE]
    if (!nrow(r)) return("")
    if (is.na(r$estimate)) return("(aliased)")
    est <- paste0(fmt(r$estimate), stars_of(r$p.value, stars))
    beside <- switch(stat,
      se = if (is.na(r$std.error)) "" else sprintf(" (%s)", fmt(r$std.error)),
      t = if (is.na(r$statistic)) "" else sprintf(" (%s)", fmt_fixed(r$statistic, 2, leading_zero)),
      ci = if (is.na(r$conf.low)) "" else sprintf(" [%s, %s]", fmt(r$conf.low), fmt(r$conf.high)))
    paste0(est, beside)
  }
  rows <- list()
  add <- function(kind, cells) rows[[length(rows) + 1L]] <<- list(kind = kind, cells = cells)
  for (g in groups) {
    if (!is.null(g$heading)) add("heading", g$heading)
    for (term in g$terms) {
      add("term", c(term_label(term, lab), vapply(tidies, cell, character(1), term = term)))
    }
  }
  for (term in intercept) {
    lbl <- if (term %in% names(lab$terms)) lab$terms[[term]] else w[["Constant"]]
    add("term", c(lbl, vapply(tidies, cell, character(1), term = term)))
  }
  types <- vapply(glances, function(g) g$statistic_type, character(1))
  tag <- c(`F (classical)` = "F", `Wald F` = "Wald", HTZ = "HTZ", none = "")
  first_fit <- TRUE
  for (f in fit) {
    vals <- vapply(glances, function(g) {
      switch(f,
        r.squared = fmt(g$r.squared), adj.r.squared = fmt(g$adj.r.squared),
        sigma = fmt(g$sigma), nobs = format(g$nobs),
        n_clusters = if (is.na(g$n_clusters)) "" else format(g$n_clusters),
        statistic = if (is.na(g$statistic)) "" else
          paste0(fmt(g$statistic), stars_of(g$p.value, stars),
                 if (length(unique(types)) > 1L) sprintf(" [%s]", tag[[g$statistic_type]]) else ""))
    }, character(1))
    if (f == "n_clusters" && all(!nzchar(vals))) next
    label <- if (f == "statistic") {
      if (length(unique(types)) > 1L) w[["mixed"]] else
        switch(types[1], `F (classical)` = w[["statistic"]], `Wald F` = w[["wald"]],
               HTZ = w[["htz"]], w[["mixed"]])
    } else w[[f]]
    add(if (first_fit) "fit_first" else "fit", c(label, vals))
    first_fit <- FALSE
  }

  # few clusters: one warning for the table, one note line naming the models
  few <- lapply(names(models), function(nm) {
    g <- glances[[nm]]
    few_clusters_check(models[[nm]], df = tidies[[nm]]$df,
                       df2 = if ("statistic" %in% fit && identical(g$statistic_type, "HTZ")) g$df_denominator)
  })
  names(few) <- names(models)
  few <- few[!vapply(few, is.null, logical(1))]
  few_note <- if (length(few)) table_few_clusters(few, w)
  notes <- c(w[[paste0(stat, "_note")]],
             vapply(names(models), function(nm) model_note(models[[nm]], glances[[nm]], nm, w),
                    character(1)),
             few_note,
             paste(w[["stars"]], paste(sprintf("%s p < %s", names(stars),
                                               star_threshold_text(stars)),
                                       collapse = ", ")))
  list(header = c("", names(models)), rows = rows, notes = unname(notes),
       align = c("l", rep("r", length(models))))
}

# The note line (in the table's language) and the one warning of a table whose models
# have too few clusters for their t and F tests (see ?few_clusters).
table_few_clusters <- function(few, w) {
  each <- vapply(names(few), function(nm) {
    f <- few[[nm]]
    sprintf("%s: G = %d%s", nm, f$G,
            if (is.na(f$df_min)) "" else sprintf(", %s %s", w[["few_df"]], format(signif(f$df_min, 2))))
  }, character(1))
  dm_warn(sprintf(paste0("`models` has %s with too few clusters for the t and F reference ",
                         "distributions of %s stars and tests: %s. Look at the clusters with ",
                         "dm_cluster_summary() and test with the wild cluster bootstrap, dm_wild(); ",
                         "the rule and its sources: ?few_clusters."),
                  if (length(few) > 1) sprintf("%d fits", length(few)) else "a fit",
                  if (length(few) > 1) "their" else "its",
                  paste(vapply(names(few), function(nm) {
                    f <- few[[nm]]
                    sprintf("'%s' (%s, %d clusters%s%s)", nm, f$type, f$G,
                            if (is.na(f$label)) "" else paste0(" of ", f$label),
                            if (is.na(f$df_min)) "" else sprintf(", smallest df %s", format(signif(f$df_min, 2))))
                  }, character(1)), collapse = ", ")),
          type = "few_clusters", call = NULL)
  sprintf(w[["few_clusters"]], paste(each, collapse = "; "))
}

# ".10", ".05", ".001"
star_threshold_text <- function(stars) {
  dec <- vapply(unname(stars), function(a) {
    for (d in 2:8) if (abs(a * 10^d - round(a * 10^d)) < 1e-9) return(d)
    8L
  }, integer(1))
  sub("^0\\.", ".", sprintf("%.*f", dec, unname(stars)))
}

# "efficiency: classical (OLS) s.e.; t tests on n - k df (284); overall test: F(13, 284)."
model_note <- function(m, g, name, w) {
  vc <- if (identical(m$vcov_type, "classical")) w[["classical"]] else
    sprintf("%s (%s)", w[["robust"]], m$vcov_type)
  if (!is.null(m$cluster) && !is.na(m$n_clusters)) {
    cl <- cluster_label(m)
    vc <- paste0(vc, ", ", sprintf(w[["clustered"]], if (is.na(cl)) "cluster" else cl, as.integer(m$n_clusters)))
  }
  rule <- switch(m$df_rule,
    "n - k" = sprintf("n - k = %d", as.integer(m$df.residual)),
    "G - 1" = sprintf("G - 1 = %d", as.integer(m$n_clusters - 1)),
    Satterthwaite = w[["satterthwaite"]], m$df_rule)
  test <- switch(g$statistic_type,
    `F (classical)` = sprintf("F(%d, %d)", as.integer(g$df), as.integer(round(g$df_denominator))),
    `Wald F` = sprintf("Wald F(%d, %s) %s", as.integer(g$df), format(round(g$df_denominator, 1)), m$vcov_type),
    HTZ = sprintf("HTZ Wald F(%d, %s) %s", as.integer(g$df), format(round(g$df_denominator, 1)), m$vcov_type),
    w[["none"]])
  sprintf("%s: %s; %s; %s.", name, vc, sprintf(w[["df"]], rule), sprintf(w[["ftest"]], test))
}

# Blocks as a list of list(heading, terms), over the terms the models have.
table_blocks <- function(blocks, terms, lab) {
  if (is.null(blocks)) return(list(list(heading = NULL, terms = terms)))
  if (identical(blocks, "study")) {
    reg <- bundled_data("ugent_published")$regression
    heads <- study_blocks[[lab$lang]]
    blocks <- lapply(names(heads), function(b) intersect(reg$term[reg$block == b], terms))
    names(blocks) <- heads
    blocks <- blocks[lengths(blocks) > 0]
  } else {
    ok <- is.list(blocks) && length(blocks) && !is.null(names(blocks)) && all(nzchar(names(blocks))) &&
      all(vapply(blocks, is.character, logical(1)))
    if (!ok) {
      dm_abort(sprintf("`blocks` must be NULL, \"study\" or a named list of term names per block; you passed %s.",
                       if (is.character(blocks)) show_values(blocks) else
                         sprintf("an object of class '%s'", class(blocks)[1])), type = "input")
    }
    unknown <- setdiff(unlist(blocks), terms)
    if (length(unknown)) {
      dm_abort(sprintf("`blocks` names term%s that no model has: %s. The terms are %s.",
                       if (length(unknown) > 1) "s" else "", show_values(unknown),
                       show_values(terms, 50L)), type = "input")
    }
  }
  rest <- setdiff(terms, unlist(blocks))
  out <- lapply(names(blocks), function(h) list(heading = h, terms = blocks[[h]]))
  if (length(rest)) out <- c(out, list(list(heading = NULL, terms = rest)))
  out
}

# ---- item tables --------------------------------------------------------------------

agree_table_spec <- function(x, lab, digits, ...) {
  w <- lab$words
  hl <- dm_highlights(x, ...)
  by <- attr(x, "by")
  df <- x
  class(df) <- "data.frame"
  key_of <- function(d) do.call(paste, c(lapply(d[c(by, "item")], as.character), sep = "\r"))
  view <- hl$view[match(key_of(df), key_of(hl))]
  mark <- ifelse(is.na(view), "", ifelse(view == "going well", w[["going_well"]], w[["challenge"]]))
  label <- if (lab$lang == "nl") df$label_nl else df$label_en
  over <- df$item %in% names(lab$terms) & !df$item %in% bundled_data("ugent_published")$regression$term
  label[over] <- lab$terms[df$item[over]]
  rev <- df$item %in% attr(x, "reverse_keyed")
  label[rev] <- paste0(label[rev], if (lab$lang == "nl") " (omgekeerd gescoord)" else " (reverse-keyed)")
  pct <- function(v) ifelse(is.na(v), "", sprintf("%.*f", digits, 100 * v))
  dims <- dimension_words[[lab$lang]]
  group <- if (length(by)) do.call(paste, c(lapply(df[by], as.character), sep = ", ")) else rep("", nrow(df))
  rows <- list()
  add <- function(kind, cells) rows[[length(rows) + 1L]] <<- list(kind = kind, cells = cells)
  for (g in unique(group)) {
    for (d in unique(df$dimension[group == g])) {
      sel <- which(group == g & df$dimension == d)
      sel <- sel[order(-df$favourable[sel], df$item[sel], na.last = TRUE)]
      dname <- if (d %in% names(dims)) dims[[d]] else d
      add("heading", if (nzchar(g)) paste0(g, ": ", dname) else dname)
      for (i in sel) {
        add("term", c(label[i], pct(df$favourable[i]),
                      if (is.na(df$favourable[i])) "" else sprintf("[%s, %s]", pct(df$conf.low[i]), pct(df$conf.high[i])),
                      format(df$n[i]), mark[i]))
      }
    }
  }
  conf <- format(100 * attr(x, "conf_level"))
  notes <- c(sprintf(w[["agree_note"]], format(attr(x, "threshold")), conf,
                     if (isTRUE(attr(x, "weighted"))) w[["weighted"]] else ""),
             sprintf(w[["marks"]], highlight_rule(list(...), lab$lang)))
  list(header = c(w[["item"]], w[["favourable"]], sprintf(w[["interval"]], conf), w[["n"]], ""),
       rows = rows, notes = notes, align = c("l", "r", "r", "r", "l"))
}

# The rule of dm_highlights() in words, in the table's language.
highlight_rule <- function(args, lang) {
  if (is.null(args$n)) {
    cut <- if (is.null(args$cut)) 0.6 else args$cut
    return(sprintf(if (lang == "nl") "gaat goed vanaf %s%% gunstig, anders uitdaging%s" else
      "going well from %s%% favourable, otherwise challenge%s", format(100 * cut),
      if (cut == 0.6) (if (lang == "nl") " (de lezing van de slides)" else " (the slides' reading)") else ""))
  }
  n <- args$n
  sprintf(if (lang == "nl") "gaat goed / uitdaging: de %s hoogste / laagste per dimensie" else
    "going well / challenge: the %s highest / lowest per dimension", format(n))
}

# ---- renderers --------------------------------------------------------------------

pad <- function(s, width, align) {
  gap <- pmax(0L, width - nchar(s, type = "width"))
  if (align == "l") paste0(s, strrep(" ", gap)) else paste0(strrep(" ", gap), s)
}

render_text <- function(spec) {
  nc <- length(spec$header)
  if (any(vapply(spec$rows, `[[`, character(1), "kind") == "heading")) {
    # rows under a heading are indented
    spec$rows <- lapply(spec$rows, function(r) {
      if (r$kind == "term") r$cells[1] <- paste0("  ", r$cells[1])
      r
    })
  }
  cells <- lapply(spec$rows, `[[`, "cells")
  body <- cells[vapply(spec$rows, function(r) r$kind != "heading", logical(1))]
  widths <- vapply(seq_len(nc), function(j) {
    max(nchar(c(spec$header[j], vapply(body, `[`, character(1), j)), type = "width"))
  }, integer(1))
  total <- sum(widths) + 2L * (nc - 1L)
  line <- function(cells) {
    paste(vapply(seq_len(nc), function(j) pad(cells[j], widths[j], spec$align[j]), character(1)),
          collapse = "  ")
  }
  out <- c(strrep("=", total), sub("\\s+$", "", line(spec$header)), strrep("-", total))
  for (r in spec$rows) {
    if (r$kind == "fit_first") out <- c(out, strrep("-", total))
    out <- c(out, sub("\\s+$", "", if (r$kind == "heading") r$cells[1] else line(r$cells)))
  }
  c(out, strrep("=", total), unlist(lapply(spec$notes, strwrap, width = max(60L, total))))
}

md_escape <- function(s) gsub("([|*_\\\\])", "\\\\\\1", s)

render_markdown <- function(spec) {
  nc <- length(spec$header)
  row <- function(cells) paste0("| ", paste(cells, collapse = " | "), " |")
  out <- c(row(md_escape(spec$header)),
           row(ifelse(spec$align == "l", ":---", "---:")))
  for (r in spec$rows) {
    cells <- if (r$kind == "heading") c(paste0("**", md_escape(r$cells[1]), "**"), rep("", nc - 1L)) else
      md_escape(r$cells)
    out <- c(out, row(cells))
  }
  c(out, "", paste0("*", md_escape(spec$notes), "*", c(rep("  ", length(spec$notes) - 1L), "")))
}

latex_escape <- function(s) {
  s <- gsub("\\\\", "\\\\textbackslash{}", s)
  s <- gsub("([&%$#_{}])", "\\\\\\1", s)
  s <- gsub("~", "\\\\textasciitilde{}", s)
  s <- gsub("\\^", "\\\\textasciicircum{}", s)
  s <- gsub("\u00b2", "$^2$", s)
  s <- gsub("\\\\textbackslash\\{\\}", "\\\\textbackslash{}", s)
  s
}

render_latex <- function(spec) {
  nc <- length(spec$header)
  row <- function(cells) paste0(paste(cells, collapse = " & "), " \\\\")
  out <- c(sprintf("\\begin{tabular}{%s}", paste(spec$align, collapse = "")), "\\toprule",
           row(latex_escape(spec$header)), "\\midrule")
  for (r in spec$rows) {
    if (r$kind == "fit_first") out <- c(out, "\\midrule")
    out <- c(out, if (r$kind == "heading")
      sprintf("\\multicolumn{%d}{l}{\\textit{%s}} \\\\", nc, latex_escape(r$cells[1])) else
        row(latex_escape(r$cells)))
  }
  c(out, "\\bottomrule",
    sprintf("\\multicolumn{%d}{l}{\\footnotesize %s} \\\\", nc, latex_escape(spec$notes)),
    "\\end{tabular}")
}

html_escape <- function(s) {
  s <- gsub("&", "&amp;", s, fixed = TRUE)
  s <- gsub("<", "&lt;", s, fixed = TRUE)
  s <- gsub(">", "&gt;", s, fixed = TRUE)
  gsub("\"", "&quot;", s, fixed = TRUE)
}

render_html <- function(spec) {
  nc <- length(spec$header)
  al <- ifelse(spec$align == "l", "left", "right")
  td <- function(cells, tag1 = "th") {
    paste0("<tr>", sprintf("<%s scope=\"row\" style=\"text-align: left\">%s</%s>", tag1, html_escape(cells[1]), tag1),
           paste0(sprintf("<td style=\"text-align: %s\">%s</td>", al[-1], html_escape(cells[-1])), collapse = ""),
           "</tr>")
  }
  out <- c("<table class=\"dm-table\">", "<thead>",
           paste0("<tr>", paste0(sprintf("<th scope=\"col\" style=\"text-align: %s\">%s</th>", al,
                                         html_escape(spec$header)), collapse = ""), "</tr>"),
           "</thead>", "<tbody>")
  for (r in spec$rows) {
    out <- c(out, switch(r$kind,
      heading = sprintf("<tr class=\"dm-heading\"><th colspan=\"%d\" scope=\"rowgroup\" style=\"text-align: left; font-style: italic\">%s</th></tr>",
                        nc, html_escape(r$cells[1])),
      fit_first = sub("<tr>", "<tr class=\"dm-fit\" style=\"border-top: 1px solid\">", td(r$cells), fixed = TRUE),
      td(r$cells)))
  }
  c(out, "</tbody>", "<tfoot>",
    sprintf("<tr><td colspan=\"%d\" style=\"text-align: left; font-size: smaller\">%s</td></tr>", nc,
            html_escape(spec$notes)),
    "</tfoot>", "</table>")
}

# A Word document through officer: the table in officer's own table XML (flextable
# 0.8.4 with officer 0.6.0, as Debian 12 ships them, writes stray row names inside
# <w:tr>, which is not valid WordprocessingML), then the notes as paragraphs.
render_docx <- function(spec, file) {
  if (!requireNamespace("officer", quietly = TRUE)) {
    dm_abort("`format = \"docx\"` needs the officer package; install it (Debian: r-cran-officer).",
             type = "missing_package")
  }
  nc <- length(spec$header)
  m <- do.call(rbind, lapply(spec$rows, function(r) {
    if (r$kind == "heading") c(r$cells[1], rep("", nc - 1L)) else r$cells
  }))
  df <- as.data.frame(m, stringsAsFactors = FALSE)
  hdr <- spec$header
  hdr[!nzchar(hdr)] <- " "
  names(df) <- make.unique(hdr, sep = " ")
  doc <- officer::read_docx()
  doc <- officer::body_add_table(doc, df, style = "table_template", header = TRUE,
                                 first_column = TRUE)
  for (note in spec$notes) doc <- officer::body_add_par(doc, note, style = "Normal")
  print(doc, target = file)
  render_text(spec)
}
