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
#'   dimension with s.e., reliability, fit indices), a [dm_invariance()]
#'   result (one row per step) or the [summary()][summary.dm_scores] of
#'   [dm_score()] (the descriptive table: n, mean, SD, SE and interval per
#'   dimension, weighted and design-based as the summary is).
#' @param format `"text"` (aligned, for the console), `"markdown"` (a pipe
#'   table), `"latex"`, `"html"` or `"docx"` (a Word document; needs `file`).
#'   See the sections on each below.
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
#' @param title Optional title of the table (APA: in italics above it; in
#'   LaTeX the `\caption`, in HTML the `<caption>`).
#' @param note Optional note(s), one string per paragraph: printed first
#'   under the table, after "*Note.*" ("*Noot.*"), before the package's notes
#'   on the estimator, the tests and the stars.
#' @param caption The table's number line above the title: `NULL` (none), a
#'   string such as `"Table 2"` (printed in bold as given), or `TRUE` for a
#'   number the document assigns: a Word caption field ("Table 1",
#'   "Tabel 1", which Word's list of tables and cross-references know) and
#'   LaTeX's numbered `\caption`.
#' @param standalone For `"html"`: `TRUE` gives a whole page with its own
#'   stylesheet, `FALSE` (the default) a `<table>` fragment whose parts carry
#'   classes (`dm-table`, `dm-label`, `dm-num`, `dm-est`, `dm-stars`,
#'   `dm-bracket`, `dm-heading`, `dm-fit`, `dm-notes`) for the stylesheet of a
#'   site, Quarto or R Markdown. For `"latex"`: `TRUE` gives a document that
#'   compiles with pdflatex as it is.
#' @param ... For a [dm_agree()] result: `n` or `cut` of [dm_highlights()],
#'   which decide the "going well" and "challenges" marks. Any other
#'   argument is an error (`digimaturity_error_argument_spelling`, with the
#'   argument it most likely meant).
#'
#' @return The table as a character vector of class `dm_table` (printing it
#'   shows it as is), invisibly when `file` is given. For `"docx"` the text
#'   rendering is returned, with the path in `attr(, "file")`.
#'
#' @section Layout of the publication formats:
#' Row labels are the labels of `labels`, else a column's variable label
#' (`attr(, "label")`, as haven sets it), else the term. A factor (treatment
#' coding) is shown as its variable with the reference level ("general
#' director (reference)", with a dash) and each other level indented below;
#' a polynomial contrast as its linear, quadratic, ... terms.
#'
#' * `"docx"`: an APA table on an A4 portrait page, through flextable and
#'   officer: the labels left-aligned, the estimates and the bracketed
#'   numbers aligned on their decimal points (decimal tab stops), rules only
#'   above and below the header and at the bottom (and a thin one above the
#'   fit rows), in Times New Roman of 11 pt (10 or 9 pt when the numbers need
#'   it). The column widths are measured from the text, so that Word and
#'   LibreOffice never break a word: the number columns are as wide as their
#'   widest cell, the label column at least as wide as its longest word, and
#'   long labels wrap between words. When the models do not fit side by side,
#'   the standard errors go below the estimates. The 24 items of
#'   `dm_agree(flanders_dm)` fit one page.
#' * `"latex"`: a `tabularx` of the line width with booktabs rules inside a
#'   `threeparttable` whose notes wrap under the table; in a `table` float
#'   when there is a title or caption. The preamble needs
#'   `\usepackage{booktabs,tabularx,threeparttable,rotating}` (added by
#'   knitr in R Markdown). The font size (and, for many models, standard
#'   errors below the estimates) is chosen so that the table fits
#'   `\textwidth` of the `article` class, and a table too wide for any size
#'   goes on a landscape page (`sidewaystable`); `<` is set as `$<$`, a minus as `$-$`, stars as
#'   superscripts, and the estimates align on their decimal points.
#' * `"html"`: every column has a header; see `standalone`. In R Markdown and
#'   Quarto, a `dm_table` of any format is printed for the document's output
#'   ([knit_print.dm_table()]).
#'
#' @section Errors:
#' `digimaturity_error_input` for an invalid argument, naming it and the
#' value; `digimaturity_error_missing_package` when `"docx"` is asked for
#' without the flextable, officer or gdtools package.
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
#' # Word: the Dutch item table, on one portrait page
#' if (requireNamespace("flextable", quietly = TRUE)) {
#'   path <- tempfile(fileext = ".docx")
#'   dm_table(dm_agree(flanders_dm), format = "docx", file = path, lang = "nl",
#'            caption = TRUE, title = "Digitale maturiteit: % gunstig per item",
#'            note = "Synthetische gegevens.")
#' }
#'
#' # a factor with its reference level, and a variable label
#' d <- flanders_dm
#' d$maturity <- rowMeans(d[c("portfolio_management", "project_management")])
#' m <- dm_lm(maturity ~ role + coercive, d, cluster = ~municipality)
#' dm_table(m, labels = c(role = "Respondent", coercive = "Coercive pressure"))
#'
#' # HTML: a whole page with its own stylesheet
#' page <- dm_table(m, format = "html", standalone = TRUE, title = "Maturity")
dm_table <- function(models, format = c("text", "markdown", "latex", "html", "docx"),
                     file = NULL, lang = c("en", "nl"), labels = NULL, blocks = NULL,
                     stars = c("+" = 0.10, "*" = 0.05, "**" = 0.01, "***" = 0.001),
                     digits = 3, stat = c("se", "t", "ci"),
                     fit = c("r.squared", "adj.r.squared", "statistic", "nobs"),
                     leading_zero = TRUE, ..., title = NULL, note = NULL, caption = NULL,
                     standalone = FALSE) {
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
  check_flag(standalone, "standalone")
  # one line per class of result: its specification (header, rows, notes)
  given <- !missing(digits)
  d <- function(default) if (given) as.integer(digits) else default
  spec <- if (inherits(models, "dm_agree")) {
    agree_table_spec(models, lab, d(0L), ...)
  } else if (inherits(models, "dm_representativeness")) {
    representativeness_table_spec(models, lab, d(1L))
  } else if (inherits(models, "dm_benchmark")) {
    benchmark_table_spec(models, lab$lang, d(2L))
  } else if (inherits(models, "dm_cfa")) {
    cfa_table_spec(models, lab, as.integer(digits), leading_zero)
  } else if (inherits(models, "dm_invariance")) {
    invariance_table_spec(models, lab, as.integer(digits), leading_zero)
  } else if (inherits(models, "dm_scores_summary")) {
    scores_summary_table_spec(models, lab, d(2L))
  } else {
    lm_table_spec(table_models(models), lab, blocks, check_stars(stars),
                  as.integer(digits), match_choice(stat, c("se", "t", "ci"), "stat"),
                  check_fit_rows(fit), leading_zero)
  }
  spec <- table_titles(spec, title, note, caption, lab)
  out <- render_table(spec, format, file, standalone)
  out <- structure(out, class = "dm_table", format = format, spec = spec)
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

# The renderer of each format.
render_table <- function(spec, format, file = NULL, standalone = FALSE) {
  switch(format,
         text = render_text(spec), markdown = render_markdown(spec),
         latex = render_latex(spec, standalone), html = render_html(spec, standalone),
         docx = render_docx(spec, file))
}

check_fit_rows <- function(fit, call = sys.call(-1)) {
  fit_rows <- c("r.squared", "adj.r.squared", "statistic", "nobs", "n_clusters", "sigma")
  if (!is.character(fit) || anyNA(fit) || !all(fit %in% fit_rows)) {
    dm_abort(sprintf("`fit` must be some of %s; you passed %s.",
                     paste0("'", fit_rows, "'", collapse = ", "),
                     if (is.null(fit)) "NULL" else show_values(fit)), type = "input", call = call)
  }
  unique(fit)
}

# `title`, `note` and `caption` checked and put into the specification: the title and
# the number line above the table, the user's note before the package's notes.
table_titles <- function(spec, title, note, caption, lab, call = sys.call(-1)) {
  text_arg <- function(x, arg, several = FALSE) {
    if (is.null(x)) return(NULL)
    ok <- is.character(x) && length(x) >= 1L && (several || length(x) == 1L) && !anyNA(x) && all(nzchar(x))
    if (!ok) {
      dm_abort(sprintf("`%s` must be NULL or %s; you passed %s.", arg,
                       if (several) "a character vector of non-empty paragraphs" else "a single non-empty string",
                       if (is.character(x)) show_values(x) else sprintf("an object of class '%s'", class(x)[1])),
               type = "input", call = call)
    }
    x
  }
  if (isTRUE(caption)) {
    caption <- lab$words[["table"]]
    attr(caption, "numbered") <- TRUE
  } else if (!isFALSE(caption)) {
    caption <- text_arg(caption, "caption")
  } else caption <- NULL
  spec$title <- text_arg(title, "title")
  spec$caption <- caption
  spec[["note"]] <- text_arg(note, "note", several = TRUE)
  spec$words <- lab$words
  spec$lang <- lab$lang
  spec
}

#' @export
print.dm_table <- function(x, ...) {
  check_dots_strict(..., .fun = "print()")
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

# A term's row label: the user's (or the study's) label, else the variable label of its
# column in the models' data (attr(, "label"), as haven and dm_read() set it), else its id.
term_label <- function(term, lab, models = NULL) {
  vapply(term, function(t) {
    if (t %in% names(lab$terms)) return(unname(lab$terms[[t]]))
    for (m in models) {
      l <- attr(m$model[[t]], "label", exact = TRUE)
      if (is.character(l) && length(l) == 1L && !is.na(l) && nzchar(l)) return(l)
    }
    t
  }, character(1), USE.NAMES = FALSE)
}
