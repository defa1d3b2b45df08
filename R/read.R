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
#'     missing. Qualtrics CSV exports (a
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
#'     `readxl::read_excel()`).
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
#' @param verbose If `TRUE` (the default), the read report is shown as a
#'   message (class `digimaturity_message_read_report`) when the file is read.
#' @param ... Passed to the reader: for text files `delim`, `dec` (`"."` or
#'   `","`) and `encoding` (e.g. `"latin1"`) override the detection; for Excel
#'   e.g. `sheet`; for SPSS and Stata e.g. `encoding`.
#'
#' @return A data frame of class `dm_survey`: one row per respondent, the item
#'   columns renamed to the item ids and holding numeric codes (word answers
#'   translated, "no answer" labels, user-missing values and `missing_codes`
#'   set to `NA`), the other columns as read (value labels of SPSS and Stata
#'   columns dropped, their variable labels kept in the attribute `label`;
#'   empty strings, SPSS's missing strings, set to `NA` and counted).
#'   `attr(x, "read_report")` (class `dm_read_report`, printed with the data)
#'   lists the matched items and how they were matched, the columns not used,
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
#' (a `mapping` naming unknown columns or items, an item claimed by two
#' columns), `digimaturity_error_missing_column` (no item found: the message
#' proposes a mapping where names or labels resemble the items) and
#' `digimaturity_error_unmatched_label` (answers that are neither a code, a
#' response label nor a "no answer" label: each label with its count and
#' item). Items not found when others are give a warning of class
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
#' head(dm_score(survey))
#' dm_aggregate(survey, by = "gemeente")
dm_read <- function(path, items = dmm_items, mapping = NULL, missing_codes = NULL,
                    verbose = TRUE, ...) {
  if (missing(items)) items <- bundled_items()
  ins <- as_instrument(items)
  if (!is.null(missing_codes) && (!is.numeric(missing_codes) || anyNA(missing_codes))) {
    dm_abort(sprintf("`missing_codes` must be a numeric vector without NA; you passed %s.",
                     show_values(missing_codes)), type = "input")
  }
  if (!is.logical(verbose) || length(verbose) != 1L || is.na(verbose)) {
    dm_abort(sprintf("`verbose` must be TRUE or FALSE; you passed %s.", show_values(verbose)),
             type = "input")
  }
  raw <- read_survey_file(path, ...)
  data <- raw$data
  map <- map_columns(data, ins, mapping)
  arg <- if (is.data.frame(path)) "path" else "file"

  # the item columns: renamed, translated to codes, missing values counted
  n <- nrow(data)
  out <- data
  labels <- list(empty_label_report())
  user_missing <- list()
  out_of_range <- list()
  declared <- list()
  for (k in seq_along(map$column)) {
    col <- map$column[k]
    j <- match(map$item[k], ins$item)
    x <- data[[col]]
    um <- user_missing_rows(x)
    if (any(um)) {
      user_missing[[length(user_missing) + 1L]] <- data.frame(
        item = ins$item[j], value = names(table(as.character(unclass(x)[um]))),
        n = as.vector(table(as.character(unclass(x)[um]))), stringsAsFactors = FALSE)
    }
    conv <- response_column(x, ins, j, arg)
    labels[[length(labels) + 1L]] <- conv$report
    v <- as.numeric(unclass(conv$values))
    attributes(v) <- NULL
    v[um] <- NA_real_
    dc <- !is.na(v) & v %in% missing_codes
    if (any(dc)) {
      declared[[length(declared) + 1L]] <- data.frame(
        item = ins$item[j], value = names(table(v[dc])), n = as.vector(table(v[dc])),
        stringsAsFactors = FALSE)
      v[dc] <- NA_real_
    }
    bad <- !is.na(v) & (v != round(v) | v < ins$scale_min[j] | v > ins$scale_max[j])
    if (any(bad)) {
      tb <- table(v[bad])
      out_of_range[[length(out_of_range) + 1L]] <- data.frame(
        item = ins$item[j], value = names(tb), n = as.vector(tb), stringsAsFactors = FALSE)
    }
    lab <- attr(x, "label", exact = TRUE)
    if (!is.null(lab)) attr(v, "label") <- lab
    out[[col]] <- v
  }
  labels <- do.call(rbind, labels)
  raise_unmatched_labels(labels, arg)
  # plain columns: no haven classes left, variable labels kept
  blanks <- integer()
  for (nm in setdiff(names(out), map$column)) {
    v <- plain_column(out[[nm]])
    if (is.character(v)) {
      # SPSS and Stata store a missing string as "": a missing value, not an id ""
      b <- !is.na(v) & !nzchar(trimws(v))
      if (any(b)) {
        v[b] <- NA_character_
        blanks[nm] <- sum(b)
      }
    }
    out[[nm]] <- v
  }
  clash <- intersect(map$item, setdiff(names(data), map$column))
  if (length(clash)) {
    dm_abort(sprintf(paste0("`mapping` maps other columns to %s, but the data also have a column ",
                            "of that name that is not mapped; rename or drop it first."),
                     show_values(clash)), type = "mapping")
  }
  names(out)[match(map$column, names(out))] <- map$item

  bind <- function(x, cols) {
    if (!length(x)) {
      return(stats::setNames(data.frame(matrix(nrow = 0, ncol = length(cols))), cols))
    }
    do.call(rbind, x)
  }
  report <- structure(list(
    source = raw$source, format = raw$format, details = raw$details,
    n_rows = n, n_columns = ncol(data),
    matched = data.frame(item = map$item, column = map$column, how = map$how,
                         stringsAsFactors = FALSE),
    unused_columns = setdiff(names(data), map$column),
    missing_items = setdiff(ins$item, map$item),
    translations = labels[labels$status == "label", c("item", "value", "code", "n")],
    no_answer = labels[labels$status == "no_answer", c("item", "value", "n")],
    user_missing = bind(user_missing, c("item", "value", "n")),
    declared_missing = bind(declared, c("item", "value", "n")),
    blank_strings = blanks,
    out_of_range = bind(out_of_range, c("item", "value", "n"))
  ), class = "dm_read_report")
  rownames(report$translations) <- rownames(report$no_answer) <- NULL
  attr(out, "read_report") <- report
  class(out) <- c("dm_survey", "data.frame")
  if (verbose) {
    dm_inform(utils::capture.output(print(report)), type = "read_report")
  }
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

#' @export
print.dm_read_report <- function(x, ...) {
  cat(sprintf("<dm_read_report> %s (%s): %s rows, %d columns\n", x$source, x$format,
              format(x$n_rows, big.mark = ","), x$n_columns))
  if (length(x$details)) cat(x$details, sep = "\n")
  m <- x$matched
  how <- table(factor(m$how, levels = c("name", "mapping", "label")))
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
  invisible(x)
}

#' @export
print.dm_survey <- function(x, n = 6L, ...) {
  rep <- attr(x, "read_report")
  if (!is.null(rep)) print(rep)
  df <- x
  class(df) <- "data.frame"
  attr(df, "read_report") <- NULL
  cat(sprintf("<dm_survey> %s respondents, %d columns\n", format(nrow(x), big.mark = ","),
              ncol(x)))
  print(utils::head(df, n), ...)
  if (nrow(x) > n) cat(sprintf("# ... %s more rows\n", format(nrow(x) - n, big.mark = ",")))
  invisible(x)
}
