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
#'   fits, a [dm_agree()] result, a [dm_cfa()] fit (standardised loadings by
#'   dimension with s.e., reliability, fit indices) or a [dm_invariance()]
#'   result (one row per step).
#' @param format `"text"` (aligned, for the console), `"markdown"` (a pipe
#'   table), `"latex"` (a booktabs `tabular`; needs `\usepackage{booktabs}`),
#'   `"html"` (a `<table>`) or `"docx"` (a Word document, through the
#'   officer package; needs `file`).
#' @param file Optional path: the table is written there (and returned
#'   invisibly). Required for `"docx"`.
#' @param lang `"en"` or `"nl"`: the language of the headings, fit rows,
#'   notes and (with `blocks = "study"`) the study's predictors.
#' @param labels Optional labels of terms (or, for a [dm_agree()] result,
#'   items), a character vector named by term id, e.g.
#'   `c(wt = "Weight (1000 lbs)")`. Terms without a label show their id;
#'   items show the labels of the result's own instrument.
#' @param blocks `NULL` (no headings), `"study"` (the UGent study's blocks:
#'   institutional pressures, administrative capacity, political capacity,
#'   control, with the study's labels of its predictors in `lang`), or a
#'   named list of term ids per block; the names are the headings. Terms in
#'   no block follow, the intercept last.
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
#'   which decide the "going well" and "challenges" marks. Any other
#'   argument is an error (`digimaturity_error_argument_spelling`, with the
#'   argument it most likely meant).
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
#' dm_table(rep$models, lang = "nl", blocks = "study", format = "markdown")
#'
#' # robust fits: stars and the overall test follow each model's own variance
#' fits <- list(classical = dm_lm(mpg ~ wt + hp, mtcars, vcov = "classical"),
#'              HC2 = dm_lm(mpg ~ wt + hp, mtcars),
#'              CR2 = dm_lm(mpg ~ wt + hp, mtcars, cluster = ~cyl))
#' dm_table(fits, labels = c(wt = "Weight", hp = "Horsepower"), stat = "ci")
#' dm_table(fits, format = "latex")
#'
#' # the slides' item view: "% favourable" per item and dimension
#' dm_table(dm_agree(flanders_dm), lang = "nl")
#'
#' if (requireNamespace("officer", quietly = TRUE)) {
#'   path <- tempfile(fileext = ".docx")
#'   dm_table(rep$models, format = "docx", file = path, blocks = "study")
#' }
dm_table <- function(models, format = c("text", "markdown", "latex", "html", "docx"),
                     file = NULL, lang = c("en", "nl"), labels = NULL, blocks = NULL,
                     stars = c("+" = 0.10, "*" = 0.05, "**" = 0.01, "***" = 0.001),
                     digits = 3, stat = c("se", "t", "ci"),
                     fit = c("r.squared", "adj.r.squared", "statistic", "nobs"),
                     leading_zero = TRUE, ...) {
  check_dots_spelling(..., .fun = "dm_table()", .strict = TRUE,
                      .allowed = if (inherits(models, "dm_agree")) c("n", "cut"))
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
  lab <- table_labels(lang, labels, study = identical(blocks, "study"))
  check_scalar_number(digits, "digits", 0, 10)
  if (digits != round(digits)) {
    dm_abort(sprintf("`digits` must be a whole number; you passed %s.", show_values(digits)), type = "input")
  }
  check_flag(leading_zero, "leading_zero")
  if (inherits(models, "dm_agree")) {
    spec <- agree_table_spec(models, lab, if (missing(digits)) 0L else as.integer(digits), ...)
  } else if (inherits(models, "dm_representativeness")) {
    spec <- representativeness_table_spec(models, lab, if (missing(digits)) 1L else as.integer(digits))
  } else if (inherits(models, "dm_benchmark")) {
    spec <- benchmark_table_spec(models, lab$lang, if (missing(digits)) 2L else as.integer(digits))
  } else if (inherits(models, "dm_cfa")) {
    spec <- cfa_table_spec(models, lab, as.integer(digits), leading_zero)
  } else if (inherits(models, "dm_invariance")) {
    spec <- invariance_table_spec(models, lab, as.integer(digits), leading_zero)
  } else {
    stars <- check_stars(stars)
    stat <- match_choice(stat, c("se", "t", "ci"), "stat")
    fit_rows <- c("r.squared", "adj.r.squared", "statistic", "nobs", "n_clusters", "sigma")
    if (!is.character(fit) || anyNA(fit) || !all(fit %in% fit_rows)) {
      dm_abort(sprintf("`fit` must be some of %s; you passed %s.",
                       paste0("'", fit_rows, "'", collapse = ", "),
                       if (is.null(fit)) "NULL" else show_values(fit)), type = "input")
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

# The language and the term labels: with `blocks = "study"` the study's predictors in
# that language (R/study.R), then the user's `labels`; otherwise the term ids and the
# user's `labels` only.
table_labels <- function(lang, labels = NULL, study = FALSE) {
  lang <- check_lang(lang, call = sys.call(-1))
  if (!is.null(labels) && !(is.character(labels) && length(labels) >= 1L && !is.null(names(labels)) &&
                              all(nzchar(names(labels))) && !anyNA(labels))) {
    dm_abort(sprintf(paste0("`labels` must be NULL or a character vector of labels named by term ",
                            "(e.g. c(wt = \"Weight\")); you passed %s.%s"),
                     if (is.character(labels)) show_values(labels) else
                       sprintf("an object of class '%s'", class(labels)[1]),
                     if (is.character(labels) && is.null(names(labels)) && all(labels %in% c("en", "nl")))
                       " The language is `lang`." else ""), type = "input", call = sys.call(-1))
  }
  terms <- if (study) study_term_labels(lang) else character()
  if (!is.null(labels)) terms[names(labels)] <- labels
  list(lang = lang, terms = terms, words = table_words[[lang]])
}

term_label <- function(term, lab) ifelse(term %in% names(lab$terms), lab$terms[term], term)
