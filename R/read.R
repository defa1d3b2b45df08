#' Read a survey export and map it to the instrument
#'
#' Reads the file a survey tool or a colleague gives you (CSV/TSV, SPSS, Stata,
#' Excel, Qualtrics and LimeSurvey exports), finds the columns of the
#' instrument's items, turns word answers into codes through the instrument's
#' response labels and reports what it did before anything is scored. The
#' result is a data frame that [dm_score()], [dm_agree()], [dm_reliability()]
#' and [dm_aggregate()] accept as it is.
#'
#' @param path The file to read, or a data frame already in memory (then only
#'   the mapping and the translation of answers are done). The format comes
#'   from the extension and, when that is unknown, from the file's content:
#'   * `.csv`, `.tsv`, `.txt`, `.dat`: text with any delimiter (`,`, `;`, tab
#'     or `|`, detected from the header line), in UTF-8 (with or without a
#'     byte-order mark), Latin-1 or Windows-1252 (detected: text that is not
#'     valid UTF-8 is read as Windows-1252, a superset of Latin-1's printable
#'     characters), with decimal points or decimal commas (`3,5`, detected per
#'     column when the delimiter is not a comma); empty cells and `NA` are
#'     missing. A column without a heading (`q1,,q2`) is named `...<position>`
#'     (as readxl names it); one that is also empty on every line (a delimiter
#'     at the end of every line) is dropped; the report says which. Qualtrics CSV exports (a
#'     second and third header row holding the question texts and the
#'     `{"ImportId": ...}` ids) are recognised: the two rows are dropped and
#'     the question texts become the columns' labels. LimeSurvey CSV exports
#'     work with answer codes or full answer texts, and with question codes
#'     or full question texts as headings.
#'   * `.sav`, `.zsav`, `.por` (SPSS, via `haven::read_sav()` /
#'     `haven::read_por()` with `user_na = TRUE`): value labels are used to
#'     translate codes and user-missing values become missing (and are
#'     counted); variable labels are matched to the items' labels.
#'   * `.dta` (Stata, via `haven::read_dta()`), `.xlsx` and `.xls` (via
#'     `readxl::read_excel()`; the first sheet unless `sheet =` is given: when
#'     that sheet has no item columns, the error lists the workbook's sheets).
#' @param items The codebook: [dmm_items] (the default) or any data frame that
#'   [dm_instrument()] accepts. Its `response_labels_nl`, `response_labels_en`
#'   and `na_labels` translate word answers.
#' @param mapping Optionally, which column holds which item: a named character
#'   vector `c(<column> = "<item>", ...)` (e.g. `c(Q01 = "portfolio_management")`)
#'   or a data frame with the columns `column` and `item`. Items not in
#'   `mapping` are looked for by name (exactly, then ignoring case, spaces and
#'   punctuation) and then by label: a column whose variable label (SPSS,
#'   Stata, the Qualtrics question text) or heading equals or contains an
#'   item's `label_nl` or `label_en`.
#' @param missing_codes Numeric codes that mean "no answer" (e.g. `9`): they
#'   become missing and are counted.
#' @param response_labels Optionally, the wording of the answers when it is not
#'   one the instrument knows: the labels of the codes in code order (e.g.
#'   `c("Never", "Rarely", "Sometimes", "Often", "Always")` for codes 1-5, one
#'   label per code of every item), or one string `"1=Never|2=Rarely|..."`. They
#'   replace the response labels of every item of `items`; its `na_labels`
#'   still apply. Without it, items on the default 5-point agreement scale
#'   accept the usual English and Dutch wordings of survey tools (Qualtrics'
#'   "Strongly disagree / Somewhat disagree / Neither agree nor disagree /
#'   Somewhat agree / Strongly agree", "Helemaal mee oneens ... Helemaal mee
#'   eens", Flemish "Eerder (niet) akkoord"; see [dm_instrument()]).
#' @param codebook Optionally, a codebook that says which column holds which
#'   question: the name or number of a sheet of the same Excel workbook, or a
#'   data frame. It needs a column naming the data's columns (`column` or
#'   `variable`) and a column with the question text (`question` or `label`)
#'   and/or the item (`item`). Question texts become the columns' labels
#'   (matched to the items' labels as any variable label is); items are used
#'   as a `mapping` (an explicit `mapping` wins).
#' @param labelled What a labelled SPSS or Stata column that is not an item
#'   (a role coded 1-4 with value labels) becomes: `"factor"` (the default;
#'   `haven::as_factor()`'s semantics: levels in code order, the label text as
#'   the level, a value without a label as its own level; the report lists the
#'   columns) or `"codes"` (the numbers, value labels dropped). A role coded
#'   1-4 kept as numbers enters a model as one slope.
#' @param drop_previews If `TRUE` (the default), rows a survey tool marks as no
#'   respondents are dropped and counted: Qualtrics' `Status` survey preview
#'   (1), survey test (2) and spam (8, and 9, 12, 17). `FALSE` keeps them.
#' @param drop_unfinished If `TRUE`, break-offs (unfinished responses) are
#'   dropped: Qualtrics' `Finished` false (or, without `Finished`, `Progress`
#'   below 100), LimeSurvey's empty `submitdate`. By default they are kept (their
#'   answers count like any other) and counted in the report, with
#'   LimeSurvey's `lastpage` of the break-offs.
#' @param verbose If `TRUE` (the default), the read report is shown as a
#'   message (class `digimaturity_message_read_report`) when the file is read.
#' @param ... Passed to the reader, and checked against it (an argument it does not
#'   take is an error): for text files `delim`, `dec` (`"."` or
#'   `","`) and `encoding` (e.g. `"latin1"`) override the detection; for Excel
#'   e.g. `sheet`; for SPSS and Stata e.g. `encoding`.
#'
#' @return A data frame of class `dm_survey`: one row per respondent, the item
#'   columns renamed to the item ids and holding numeric codes (word answers
#'   translated, "no answer" labels, user-missing values and `missing_codes`
#'   set to `NA`), the other columns as read (value labels of SPSS and Stata
#'   columns read as factors (see `labelled`), their variable labels kept in the
#'   attribute `label`; empty strings, SPSS's missing strings, set to `NA` and
#'   counted). Printing it shows a short summary; the read report (class
#'   `dm_read_report`, from `summary()` or [dm_read_report()])
#'   lists the matched items and how they were matched, the columns not used,
#'   columns without a heading, the previews dropped and the break-offs, the
#'   labelled columns read as factors, notes on items that look mis-keyed
#'   (they also give a warning of class `digimaturity_warning_keying`, as in
#'   [dm_score()] and [dm_reliability()]),
#'   the items not found, the label-to-code translations, the "no answer"
#'   counts per item, the user-missing values and the codes outside the
#'   items' range (these are left in place: scoring then stops with an error
#'   naming them, so declare them in `missing_codes` or recode them).
#'
#' @section Errors and warnings:
#' Errors have class `digimaturity_error` and a subclass:
#' `digimaturity_error_file` (no such file, unknown format),
#' `digimaturity_error_missing_package` (haven or readxl is needed and not
#' installed: the message names the package), `digimaturity_error_mapping`
#' (a `mapping` or `codebook` naming unknown columns or items, an item claimed
#' by two columns), `digimaturity_error_missing_column` (no item found: the
#' message proposes a mapping where names or labels resemble the items; for a
#' workbook, it lists the sheets and suggests `sheet =`) and
#' `digimaturity_error_unmatched_label` (answers that are neither a code, a
#' response label nor a "no answer" label: one line per distinct set of such
#' answers, with their counts and the file's columns holding them and the
#' items those were mapped to). Items not found when others are give a warning of class
#' `digimaturity_warning_missing_items`.
#'
#' @family scoring
#' @export
#' @examples
#' # An export with question codes as column names and words as answers
#' set.seed(1)
#' words <- c("Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens", "Weet niet")
#' export <- as.data.frame(matrix(sample(words, 24 * 30, replace = TRUE,
#'                                       prob = c(1, 2, 3, 4, 3, 1)), ncol = 24))
#' names(export) <- sprintf("Q%02d", 1:24)
#' export$gemeente <- rep(c("Aalst", "Gent", "Lier"), 10)
#' path <- tempfile(fileext = ".csv")
#' write.csv2(export, path, row.names = FALSE)  # ';' and decimal commas
#'
#' survey <- dm_read(path, mapping = setNames(dmm_items$item, sprintf("Q%02d", 1:24)))
#' survey
#' summary(survey)  # the read report again
#' head(dm_score(survey))
#' dm_aggregate(survey, by = "gemeente")
dm_read <- function(path, items = dmm_items, mapping = NULL, missing_codes = NULL,
                    response_labels = NULL, codebook = NULL, labelled = c("factor", "codes"),
                    drop_previews = TRUE, drop_unfinished = FALSE, verbose = TRUE, ...) {
  read_call <- sys.call()
  if (missing(items)) items <- bundled_items()
  ins <- as_instrument(items)
  labelled <- check_read_args(missing_codes, labelled, drop_previews, drop_unfinished, verbose)
  ins <- with_response_labels(ins, response_labels)
  raw <- read_survey_file(path, ...)
  cb <- read_codebook(codebook, path, raw$kind)
  cbu <- apply_codebook(cb, raw$data, mapping, ins)
  meta <- survey_metadata(cbu$data, drop_previews, drop_unfinished)
  data <- meta$data
  map <- tryCatch(map_columns(data, ins, cbu$mapping), digimaturity_error_missing_column = function(e) {
    if (raw$kind %in% c("xlsx", "xls") && is.null(list(...)$sheet) && is.null(codebook)) {
      codebook_sheet_error(path, raw$data, call = read_call)
    }
    stop(e)
  })
  map$how[map$column %in% cbu$mapped] <- "codebook"
  arg <- if (is.data.frame(path)) "path" else "file"

  items_out <- decode_item_columns(data, map, ins, missing_codes, arg)
  others <- plain_other_columns(items_out$out, setdiff(names(data), map$column), labelled)
  out <- others$out
  clash <- intersect(map$item, setdiff(names(data), map$column))
  if (length(clash)) {
    dm_abort(sprintf(paste0("`mapping` maps other columns to %s, but the data also have a column ",
                            "of that name that is not mapped; rename or drop it first."),
                     show_values(clash)), type = "mapping")
  }
  names(out)[match(map$column, names(out))] <- map$item

  report <- new_read_report(raw, cb, cbu, meta, map, ins, data, items_out, others,
                            drop_previews)
  keying <- read_keying_check(out, ins, map$item)
  report$notes <- c(report$notes, keying_message(keying))
  attr(out, "read_report") <- report
  class(out) <- c("dm_survey", "data.frame")
  if (verbose) {
    dm_inform(utils::capture.output(print(report)), type = "read_report")
  }
  warn_keying(keying)
  if (length(report$missing_items)) {
    dm_warn(sprintf(paste0(
      "%d of the %d items of `items` were not found in the %s: %s. Scoring needs them; ",
      "map them with `mapping = c(<column> = \"<item>\")`. Columns not used: %s."),
      length(report$missing_items), nrow(ins), if (is.data.frame(path)) "data" else "file",
      show_values(report$missing_items, 8L), show_values(report$unused_columns, 8L)),
      type = "missing_items")
  }
  out
}

# dm_read()'s flags and codes, checked before the file is opened; returns `labelled`'s
# choice.
check_read_args <- function(missing_codes, labelled, drop_previews, drop_unfinished, verbose,
                            call = sys.call(-1)) {
  if (!is.null(missing_codes) && (!is.numeric(missing_codes) || anyNA(missing_codes))) {
    dm_abort(sprintf("`missing_codes` must be a numeric vector without NA; you passed %s.",
                     show_values(missing_codes)), type = "input", call = call)
  }
  flags <- list(drop_previews = drop_previews, drop_unfinished = drop_unfinished, verbose = verbose)
  for (a in names(flags)) {
    v <- flags[[a]]
    if (!is.logical(v) || length(v) != 1L || is.na(v)) {
      dm_abort(sprintf("`%s` must be TRUE or FALSE; you passed %s.", a,
                       if (is.atomic(v)) show_values(v) else sprintf("an object of class '%s'", class(v)[1])),
               type = "input", call = call)
    }
  }
  if (!is.character(labelled) || !length(labelled) || anyNA(labelled) ||
      !all(labelled %in% c("factor", "codes"))) {
    dm_abort(sprintf("`labelled` must be \"factor\" or \"codes\"; you passed %s.",
                     if (is.atomic(labelled)) show_values(labelled) else class(labelled)[1]),
             type = "input", call = call)
  }
  labelled[1]
}

# The item columns: translated to codes, user-missing (SPSS) and declared missing codes set
# to NA and counted, out-of-range codes counted; unmatched answer labels are an error.
decode_item_columns <- function(data, map, ins, missing_codes, arg, call = sys.call(-1)) {
  out <- data
  labels <- list(empty_label_report())
  user_missing <- declared <- out_of_range <- list()
  tally <- function(item, values) {
    tb <- table(values)
    data.frame(item = item, value = names(tb), n = as.vector(tb), stringsAsFactors = FALSE)
  }
  for (k in seq_along(map$column)) {
    col <- map$column[k]
    j <- match(map$item[k], ins$item)
    x <- data[[col]]
    um <- user_missing_rows(x)
    if (any(um)) user_missing[[length(user_missing) + 1L]] <- tally(ins$item[j], as.character(unclass(x)[um]))
    conv <- response_column(x, ins, j, arg)
    labels[[length(labels) + 1L]] <- conv$report
    v <- as.numeric(unclass(conv$values))
    attributes(v) <- NULL
    v[um] <- NA_real_
    dc <- !is.na(v) & v %in% missing_codes
    if (any(dc)) {
      declared[[length(declared) + 1L]] <- tally(ins$item[j], v[dc])
      v[dc] <- NA_real_
    }
    bad <- !is.na(v) & (v != round(v) | v < ins$scale_min[j] | v > ins$scale_max[j])
    if (any(bad)) out_of_range[[length(out_of_range) + 1L]] <- tally(ins$item[j], v[bad])
    lab <- attr(x, "label", exact = TRUE)
    if (!is.null(lab)) attr(v, "label") <- lab
    out[[col]] <- v
  }
  labels <- do.call(rbind, labels)
  raise_unmatched_labels(labels, arg, call = call, columns = stats::setNames(map$column, map$item),
                         hint = paste0(
    "Give the labels of the codes in code order, e.g. `dm_read(..., response_labels = ",
    "c(\"Never\", \"Rarely\", \"Sometimes\", \"Often\", \"Always\"))` or '1=Never|2=Rarely|...', ",
    "or in your codebook (`response_labels_nl` / `response_labels_en`; see ?dm_instrument); ",
    "answers that mean \"no answer\" go in `na_labels`."))
  list(out = out, labels = labels, user_missing = user_missing, declared = declared,
       out_of_range = out_of_range)
}

# The other columns: no haven classes left (value labels -> factors unless labelled =
# "codes"), variable labels kept; SPSS and Stata store a missing string as "", which
# becomes NA (not an id "") and is counted.
plain_other_columns <- function(out, columns, labelled) {
  blanks <- integer()
  factors <- integer()
  for (nm in columns) {
    f <- if (labelled == "factor") labelled_factor(out[[nm]])
    if (!is.null(f)) {
      factors[nm] <- attr(f, "n_labels")
      attr(f, "n_labels") <- NULL
      out[[nm]] <- f
      next
    }
    v <- plain_column(out[[nm]])
    if (is.character(v)) {
      b <- !is.na(v) & !nzchar(trimws(v))
      if (any(b)) {
        v[b] <- NA_character_
        blanks[nm] <- sum(b)
      }
    }
    out[[nm]] <- v
  }
  list(out = out, blanks = blanks, factors = factors)
}

# The `dm_read_report` of one read: what was found, matched, translated and dropped.
new_read_report <- function(raw, cb, cbu, meta, map, ins, data, items_out, others,
                            drop_previews) {
  bind <- function(x) {
    cols <- c("item", "value", "n")
    if (!length(x)) return(stats::setNames(data.frame(matrix(nrow = 0, ncol = 3)), cols))
    do.call(rbind, x)
  }
  labels <- items_out$labels
  report <- structure(list(
    source = raw$source, format = raw$format, details = raw$details,
    n_rows = nrow(raw$data), n_columns = ncol(raw$data), n_kept = nrow(data),
    empty_headings = raw$headings,
    codebook = if (!is.null(cb)) c(what = attr(cb, "what"), used = cbu$n_used),
    tool = meta$tool, previews = meta$previews, previews_dropped = drop_previews,
    unfinished = meta$unfinished, unfinished_dropped = meta$unfinished_dropped,
    last_page = meta$last_page,
    matched = data.frame(item = map$item, column = map$column, how = map$how,
                         stringsAsFactors = FALSE),
    unused_columns = setdiff(names(data), map$column),
    missing_items = setdiff(ins$item, map$item),
    translations = labels[labels$status == "label", c("item", "value", "code", "n")],
    no_answer = labels[labels$status == "no_answer", c("item", "value", "n")],
    user_missing = bind(items_out$user_missing),
    declared_missing = bind(items_out$declared),
    blank_strings = others$blanks,
    labelled_factors = others$factors,
    out_of_range = bind(items_out$out_of_range),
    notes = character()
  ), class = "dm_read_report")
  rownames(report$translations) <- rownames(report$no_answer) <- NULL
  report
}

# Internal: items that look mis-keyed (keying_check() of R/reliability.R) among the items
# read, for the report's notes and its warning. None when the answers cannot be scored
# yet (codes out of range are reported on their own and stop scoring with an error).
read_keying_check <- function(out, ins, found) {
  ins <- ins[ins$item %in% found, , drop = FALSE]
  if (!nrow(out) || !nrow(ins)) return(NULL)
  resp <- tryCatch(dm_responses(out, ins, inform = FALSE), digimaturity_error = function(e) NULL)
  if (is.null(resp)) NULL else keying_check(resp)
}

# Internal: no item column on the first sheet of a workbook read without `sheet`: an
# error that lists the sheets and suggests `sheet =` (and `codebook =` when the first
# sheet looks like a codebook). Returns without error when the workbook has one sheet
# that does not look like a codebook.
codebook_sheet_error <- function(path, first, call = NULL) {
  sheets <- readxl::excel_sheets(path)
  is_cb <- looks_like_codebook(first)
  if (length(sheets) < 2L && !is_cb) return(invisible())
  other <- if (length(sheets) >= 2L) sheets[2] else "<sheet with the answers>"
  dm_abort(c(sprintf(paste0(
    "`path` '%s': the first sheet, '%s', has no item columns%s. The workbook's sheets are %s. ",
    "Say which sheet holds the answers with `sheet =`, e.g. dm_read(\"%s\", sheet = \"%s\"%s)."),
    basename(path), sheets[1],
    if (is_cb) sprintf(" and looks like a codebook (headings %s)", show_values(names(first), 4L)) else "",
    show_values(sheets, 20L), basename(path), other,
    if (is_cb) sprintf(", codebook = \"%s\"", sheets[1]) else "")),
    type = "missing_column", sheets = sheets, call = call)
}

#' @export
print.dm_read_report <- function(x, ...) {
  check_dots_strict(..., .fun = "print()")
  cat(sprintf("<dm_read_report> %s (%s): %s rows, %d columns\n", x$source, x$format,
              format(x$n_rows, big.mark = ","), x$n_columns))
  if (length(x$details)) cat(x$details, sep = "\n")
  if (length(x$empty_headings)) cat(sprintf("  %s\n", x$empty_headings))
  if (length(x$codebook)) {
    cat(sprintf("  codebook: %s (%s of its rows name columns of the data)\n", x$codebook[["what"]],
                x$codebook[["used"]]))
  }
  respondent_lines(x)
  m <- x$matched
  how <- table(factor(m$how, levels = c("name", "mapping", "codebook", "label")))
  cat(sprintf("Items matched: %d of %d (%s)\n", nrow(m), nrow(m) + length(x$missing_items),
              paste0(how[how > 0], " by ", names(how)[how > 0], collapse = ", ")))
  ren <- m[m$column != m$item, , drop = FALSE]
  if (nrow(ren)) {
    cat(strwrap(paste0(ren$column, " -> ", ren$item, " (", ren$how, ")", collapse = ", "),
                indent = 2, exdent = 4, width = 90), sep = "\n")
  }
  if (length(x$missing_items)) {
    cat(strwrap(sprintf("Items not found: %s", paste(x$missing_items, collapse = ", ")),
                exdent = 2, width = 90), sep = "\n")
  }
  if (length(x$unused_columns)) {
    cat(strwrap(sprintf("Columns not used as items: %s", paste(x$unused_columns, collapse = ", ")),
                exdent = 2, width = 90), sep = "\n")
  }
  tr <- x$translations
  if (nrow(tr)) {
    agg <- stats::aggregate(n ~ value + code, data = tr, FUN = sum)
    agg <- agg[order(agg$code, -agg$n), , drop = FALSE]
    cat(sprintf("Answers translated to codes in %d item%s (label -> code: answers):\n",
                length(unique(tr$item)), if (length(unique(tr$item)) > 1) "s" else ""))
    cat(strwrap(paste0("'", agg$value, "' -> ", agg$code, ": ", agg$n, collapse = ", "),
                indent = 2, exdent = 2, width = 90), sep = "\n")
  }
  per_item <- function(d, title) {
    if (!nrow(d)) return(invisible())
    tot <- tapply(d$n, d$item, sum)
    tot <- tot[unique(d$item)]
    vals <- tapply(d$n, d$value, sum)
    cat(sprintf("%s: %s answer%s (%s); per item:\n", title, format(sum(d$n), big.mark = ","),
                if (sum(d$n) > 1) "s" else "", paste0("'", names(vals), "' ", vals, collapse = ", ")))
    cat(strwrap(paste0(names(tot), " ", tot, collapse = ", "), indent = 2, exdent = 2,
                width = 90), sep = "\n")
  }
  if (length(x$labelled_factors)) {
    lf <- x$labelled_factors
    cat("Labelled columns read as factors (`labelled = \"codes\"` keeps the codes):\n")
    cat(strwrap(paste0(names(lf), ": ", lf, " value label", ifelse(lf > 1, "s", ""), " -> factor",
                       collapse = ", "), indent = 2, exdent = 2, width = 90), sep = "\n")
  }
  if (length(x$blank_strings)) {
    cat(sprintf("Empty strings set to missing: %s\n",
                paste0(names(x$blank_strings), " ", x$blank_strings, collapse = ", ")))
  }
  per_item(x$no_answer, "\"No answer\" labels set to missing")
  per_item(x$user_missing, "User-missing values set to missing")
  per_item(x$declared_missing, "`missing_codes` set to missing")
  if (nrow(x$out_of_range)) {
    o <- x$out_of_range
    cat("Codes outside the item's range (left in place; scoring will stop on them -",
        "declare them in `missing_codes` or recode them):\n")
    cat(strwrap(paste0(o$item, ": ", o$value, " (", o$n, ")", collapse = ", "),
                indent = 2, exdent = 2, width = 90), sep = "\n")
  }
  # warnings and notes about the data (e.g. items that look mis-keyed), one per line
  if (length(x$notes)) {
    cat("Notes:\n")
    cat(paste0("* ", x$notes), sep = "\n")
  }
  invisible(x)
}

# Internal: the rows a survey tool marked as previews or spam, and the break-offs.
respondent_lines <- function(x, indent = "") {
  if (length(x$previews)) {
    p <- x$previews
    cat(sprintf("%s%s: %s %s (`drop_previews = %s)\n", indent, x$tool,
                paste0(p, " ", names(p), ifelse(p > 1, "s", ""), collapse = ", "),
                if (isTRUE(x$previews_dropped)) "dropped" else "kept",
                if (isTRUE(x$previews_dropped)) "FALSE` keeps them" else "TRUE` drops them"))
  }
  if (length(x$unfinished) && x$unfinished > 0) {
    cat(sprintf("%s%s: %s break-off%s (unfinished responses) %s (`drop_unfinished = %s)%s\n", indent,
                x$tool, format(x$unfinished, big.mark = ","), if (x$unfinished > 1) "s" else "",
                if (isTRUE(x$unfinished_dropped)) "dropped" else "kept",
                if (isTRUE(x$unfinished_dropped)) "FALSE` keeps them" else "TRUE` drops them",
                if (length(x$last_page)) sprintf("; last page seen: %s",
                                                 paste0(names(x$last_page), " (", x$last_page, ")",
                                                        collapse = ", ")) else ""))
  }
  if (!is.null(x$n_kept) && x$n_kept != x$n_rows) {
    cat(sprintf("%sRespondents kept: %s of %s rows\n", indent, format(x$n_kept, big.mark = ","),
                format(x$n_rows, big.mark = ",")))
  }
}

#' @export
print.dm_survey <- function(x, n = 6L, ...) {
  rep <- attr(x, "read_report")
  df <- x
  class(df) <- "data.frame"
  attr(df, "read_report") <- NULL
  cat(sprintf("<dm_survey> %s respondents, %d columns\n", format(nrow(x), big.mark = ","),
              ncol(x)))
  if (!is.null(rep)) {
    m <- rep$matched
    cat(sprintf("  read from %s; items matched: %d of %d\n",
                if (identical(rep$format, "data frame")) "a data frame"
                else sprintf("%s (%s)", rep$source, rep$format),
                nrow(m), nrow(m) + length(rep$missing_items)))
    respondent_lines(rep, indent = "  ")
    if (length(rep$notes)) cat(sprintf("  %d note%s in the read report\n", length(rep$notes),
                                      if (length(rep$notes) > 1) "s" else ""))
    cat("  the full read report: summary(x) or dm_read_report(x)\n")
  }
  print(utils::head(df, n), ...)
  if (nrow(x) > n) cat(sprintf("# ... %s more rows\n", format(nrow(x) - n, big.mark = ",")))
  invisible(x)
}

#' The read report of a survey read with dm_read()
#'
#' What [dm_read()] did with a file: the items matched and how, the columns not
#' used, word answers translated to codes, "no answer" labels, user-missing and
#' out-of-range codes, labelled columns read as factors, columns without a
#' heading, and the previews and break-offs a survey tool marked. Printing a
#' `dm_survey` shows a short summary; `summary()` of it and `dm_read_report()`
#' give this full report.
#'
#' @param x A data frame returned by [dm_read()] (class `dm_survey`).
#' @param object The same, for `summary()`.
#' @param ... Not used.
#' @return An object of class `dm_read_report` (a list; see the Value section
#'   of [dm_read()]), printed as the report.
#' @family scoring
#' @export
#' @examples
#' survey <- dm_read(head(flanders_dm, 50), verbose = FALSE)
#' survey            # short
#' summary(survey)   # the full read report
#' dm_read_report(survey)$matched[1:3, ]
dm_read_report <- function(x, ...) {
  check_dots_spelling(..., .strict = TRUE)
  rep <- attr(x, "read_report", exact = TRUE)
  if (is.null(rep)) {
    dm_abort(sprintf(paste0("`x` has no read report: it was not made by dm_read() (it is of class ",
                            "'%s'), or the attribute was dropped by a data-frame operation."),
                     class(x)[1]), type = "input")
  }
  rep
}

#' @rdname dm_read_report
#' @export
summary.dm_survey <- function(object, ...) {
  check_dots_strict(..., .fun = "summary()")
  dm_read_report(object)
}
