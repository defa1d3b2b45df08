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

# ---- reading -------------------------------------------------------------------------

# Internal: the data of `path` as a plain data frame, its format and a note on how it
# was read.
read_survey_file <- function(path, ...) {
  if (is.data.frame(path)) {
    return(list(data = as.data.frame(path, stringsAsFactors = FALSE, optional = TRUE),
                source = "data frame", format = "data frame", details = NULL))
  }
  if (!is.character(path) || length(path) != 1L || is.na(path)) {
    dm_abort(sprintf("`path` must be the name of one file (or a data frame); you passed %s.",
                     if (is.character(path)) show_values(path)
                     else sprintf("an object of class '%s'", class(path)[1])), type = "file")
  }
  if (dir.exists(path)) {
    dm_abort(sprintf("`path` must be an existing file; '%s' is a folder.", path), type = "file")
  }
  if (!file.exists(path)) {
    dm_abort(sprintf("`path` must be an existing file; '%s' does not exist (working directory '%s').",
                     path, getwd()), type = "file")
  }
  if (is.na(file.size(path)) || file.size(path) == 0) {
    dm_abort(sprintf("`path` '%s' is empty (0 bytes): there is nothing to read.", path), type = "file")
  }
  format <- survey_format(path)
  args <- list(...)
  for (a in intersect(c("delim", "dec", "encoding"), names(args))) {
    v <- args[[a]]
    if (!is.null(v) && (!is.character(v) || length(v) != 1L || is.na(v) || !nzchar(v) ||
                        (a != "encoding" && nchar(v) != 1L))) {
      dm_abort(sprintf("`%s` must be %s; you passed %s.", a,
                       if (a == "encoding") "the name of one encoding such as \"UTF-8\" or \"latin1\""
                       else "a single character such as \";\"",
                       if (is.character(v)) show_values(v) else sprintf("an object of class '%s'", class(v)[1])),
               type = "input")
    }
  }
  if (!is.null(args$encoding) && !toupper(args$encoding) %in% c("UTF-8", "UTF8") &&
      !isTRUE(tryCatch(!is.na(iconv("a", args$encoding, "UTF-8")), error = function(e) FALSE))) {
    dm_abort(sprintf("`encoding` '%s' is not an encoding this system knows; try \"UTF-8\", \"latin1\" or \"windows-1252\".",
                     args$encoding), type = "input")
  }
  fmt_name <- c(text = "text", sav = "SPSS .sav", zsav = "SPSS .zsav", por = "SPSS .por",
                dta = "Stata .dta", xlsx = "Excel .xlsx", xls = "Excel .xls")[[format]]
  # a file that is not what its extension says (a CSV renamed .sav, an HTML page saved
  # as .xls): the reader's error becomes a classed one that says so
  data <- tryCatch(read_by_format(format, path, args), error = function(e) {
    if (inherits(e, "digimaturity_error")) stop(e)
    dm_abort(sprintf(paste0("`path` '%s' could not be read as %s (the format %s): %s. Is the file ",
                            "really in that format? Export it again, or give it the extension of its format."),
                     basename(path), fmt_name,
                     if (nzchar(tools::file_ext(path))) "its extension says" else "its first bytes suggest",
                     sub("[.]+$", "", trimws(gsub("\\s+", " ", conditionMessage(e))))),
             type = "file", call = NULL)
  })
  df <- as.data.frame(data$data, stringsAsFactors = FALSE, optional = TRUE)
  details <- data$details
  if (format %in% c("xlsx", "xls")) {
    q <- qualtrics_rows(df)
    df <- q$data
    if (q$found) {
      # the header rows made every column text: numbers become numbers again
      for (nm in names(df)) {
        v <- df[[nm]]
        if (!is.character(v)) next
        conv <- text_number(v, ".", ",")
        if (!is.null(conv)) v <- as.vector(conv)
        attr(v, "label") <- q$labels[[nm]]
        df[[nm]] <- v
      }
      details <- c(details, "  Qualtrics export: question texts and import ids rows dropped")
    }
  }
  list(data = df, source = basename(path), format = fmt_name, details = details)
}

# Internal: the data of `path` read by the reader of `format`: list(data, details).
read_by_format <- function(format, path, args) {
  switch(format,
    text = read_text_survey(path, delim = args$delim, dec = args$dec, encoding = args$encoding),
    sav = , zsav = {
      need_package("haven", format)
      haven_args <- args[setdiff(names(args), c("delim", "dec"))]
      list(data = do.call(haven::read_sav, c(list(path, user_na = TRUE), haven_args)))
    },
    por = {
      need_package("haven", format)
      list(data = haven::read_por(path, user_na = TRUE))
    },
    dta = {
      need_package("haven", format)
      haven_args <- args[setdiff(names(args), c("delim", "dec"))]
      list(data = do.call(haven::read_dta, c(list(path), haven_args)))
    },
    xlsx = , xls = {
      need_package("readxl", format)
      xl_args <- args[setdiff(names(args), c("delim", "dec", "encoding"))]
      list(data = do.call(readxl::read_excel, c(list(path), xl_args)))
    }
  )
}

# Internal: the file's format from its extension, or from its first bytes.
survey_format <- function(path) {
  ext <- tolower(tools::file_ext(path))
  known <- c(csv = "text", tsv = "text", txt = "text", dat = "text", tab = "text",
             sav = "sav", zsav = "zsav", por = "por", dta = "dta", xlsx = "xlsx", xls = "xls")
  if (ext %in% names(known)) return(known[[ext]])
  head <- readBin(path, "raw", 600L)
  starts <- function(bytes) length(head) >= length(bytes) && all(head[seq_along(bytes)] == bytes)
  if (starts(charToRaw("$FL2"))) return("sav")
  if (starts(charToRaw("$FL3"))) return("zsav")
  if (starts(charToRaw("<stata_dta>")) || (length(head) && head[1] %in% as.raw(0x71:0x73))) return("dta")
  if (starts(as.raw(c(0x50, 0x4b, 0x03, 0x04)))) return("xlsx")
  if (starts(as.raw(c(0xd0, 0xcf, 0x11, 0xe0)))) return("xls")
  txt <- rawToChar(head[head != as.raw(0)])
  if (grepl("SPSS PORT FILE", txt, fixed = TRUE, useBytes = TRUE)) return("por")
  if (any(head == as.raw(0))) {
    dm_abort(sprintf(paste0("`path` '%s' is not a format dm_read() knows (extension '%s'); it reads ",
                            ".csv, .tsv, .txt, .sav, .zsav, .por, .dta, .xlsx and .xls."),
                     basename(path), ext), type = "file")
  }
  "text"
}

need_package <- function(pkg, format) {
  if (!requireNamespace(pkg, quietly = TRUE)) {
    dm_abort(sprintf(paste0("dm_read() needs the package '%s' to read %s files, and it is not ",
                            "installed; install it with install.packages(\"%s\")."),
                     pkg, paste0(".", format), pkg), type = "missing_package", package = pkg)
  }
  invisible(TRUE)
}

# Internal: a delimited text file of any delimiter, encoding and decimal mark.
read_text_survey <- function(path, delim = NULL, dec = NULL, encoding = NULL) {
  raw <- readBin(path, "raw", file.size(path))
  bom <- length(raw) >= 3L && all(raw[1:3] == as.raw(c(0xef, 0xbb, 0xbf)))
  if (bom) raw <- raw[-(1:3)]
  if (length(raw) >= 2L && (all(raw[1:2] == as.raw(c(0xff, 0xfe))) ||
                            all(raw[1:2] == as.raw(c(0xfe, 0xff))))) {
    txt <- iconv(list(raw[-(1:2)]), if (raw[1] == as.raw(0xff)) "UTF-16LE" else "UTF-16BE", "UTF-8")
    enc <- "UTF-16"
  } else {
    txt <- rawToChar(raw[raw != as.raw(0)])
    if (is.null(encoding)) {
      enc <- if (validUTF8(txt)) "UTF-8" else "windows-1252"
    } else {
      enc <- encoding
    }
    if (!toupper(enc) %in% c("UTF-8", "UTF8")) {
      txt <- iconv(txt, from = enc, to = "UTF-8")
      if (is.na(txt)) {
        dm_abort(sprintf("`encoding` '%s' cannot read '%s'; try \"UTF-8\", \"latin1\" or \"windows-1252\".",
                         enc, basename(path)), type = "file")
      }
    }
  }
  Encoding(txt) <- "UTF-8"
  first <- sub("[\r\n].*$", "", txt)
  if (is.null(delim)) {
    cand <- c(";" = ";", "\t" = "\t", "," = ",", "|" = "|")
    unquoted <- gsub("\"[^\"]*\"", "", first)
    counts <- vapply(cand, function(d) lengths(regmatches(unquoted, gregexpr(d, unquoted, fixed = TRUE))),
                     numeric(1))
    delim <- if (all(counts == 0)) "," else cand[[which.max(counts)]]
  }
  con <- textConnection(txt, encoding = "UTF-8")
  on.exit(close(con))
  df <- utils::read.table(con, sep = delim, header = TRUE, quote = "\"", dec = ".",
                          colClasses = "character", check.names = FALSE, na.strings = c("", "NA"),
                          comment.char = "", fill = TRUE, strip.white = TRUE,
                          stringsAsFactors = FALSE, encoding = "UTF-8", blank.lines.skip = TRUE)
  q <- qualtrics_rows(df)
  df <- q$data
  decs <- character()
  for (nm in names(df)) {
    v <- df[[nm]]
    v[!is.na(v) & !nzchar(trimws(v))] <- NA_character_
    conv <- text_number(v, dec, delim)
    df[[nm]] <- if (is.null(conv)) v else conv
    if (!is.null(attr(conv, "dec"))) decs <- c(decs, attr(conv, "dec"))
    attr(df[[nm]], "dec") <- NULL
    if (!is.null(q$labels)) attr(df[[nm]], "label") <- q$labels[[nm]]
  }
  shown_delim <- c(";" = "';'", "\t" = "tab", "," = "','", "|" = "'|'")[[delim]]
  details <- sprintf("  delimiter %s, encoding %s%s%s", shown_delim, enc,
                     if ("," %in% decs) ", decimal commas" else "",
                     if (q$found) "; Qualtrics export: question texts and import ids rows dropped" else "")
  list(data = df, details = details)
}

# Internal: a character column as numbers when every value is one (decimal point, or
# decimal comma when the delimiter is not a comma); NULL otherwise. Codes with leading
# zeros ("0012") stay text.
text_number <- function(v, dec = NULL, delim = ",") {
  s <- trimws(v[!is.na(v)])
  if (!length(s)) return(NULL)
  if (any(grepl("^0[0-9]", s))) return(NULL)
  if (is.null(dec) || dec == ".") {
    num <- suppressWarnings(as.numeric(s))
    if (!anyNA(num)) {
      out <- rep(NA_real_, length(v))
      out[!is.na(v)] <- num
      return(structure(out, dec = "."))
    }
  }
  if ((is.null(dec) && delim != ",") || identical(dec, ",")) {
    if (all(grepl("^[-+]?[0-9]*,?[0-9]+$", s))) {
      out <- rep(NA_real_, length(v))
      out[!is.na(v)] <- as.numeric(sub(",", ".", s, fixed = TRUE))
      return(structure(out, dec = if (any(grepl(",", s, fixed = TRUE))) "," else "."))
    }
  }
  NULL
}

# Internal: Qualtrics exports have two rows under the header: the question texts and
# the import ids ({"ImportId":"QID1"}). Drop them, keep the texts as labels.
qualtrics_rows <- function(df) {
  if (nrow(df) >= 2L) {
    row2 <- vapply(df, function(v) as.character(v[2]), character(1))
    if (any(grepl("^\\{\"?ImportId\"?\\s*:", row2[!is.na(row2)]))) {
      labels <- lapply(df, function(v) as.character(v[1]))
      df <- df[-(1:2), , drop = FALSE]
      rownames(df) <- NULL
      return(list(data = df, labels = labels, found = TRUE))
    }
  }
  list(data = df, labels = NULL, found = FALSE)
}

# Internal: rows of a labelled_spss column that hold a user-missing value.
user_missing_rows <- function(x) {
  v <- suppressWarnings(as.numeric(unclass(x)))
  um <- rep(FALSE, length(x))
  nv <- attr(x, "na_values", exact = TRUE)
  if (!is.null(nv) && is.numeric(nv)) um <- um | (!is.na(v) & v %in% nv)
  nr <- attr(x, "na_range", exact = TRUE)
  if (!is.null(nr) && is.numeric(nr)) um <- um | (!is.na(v) & v >= nr[1] & v <= nr[2])
  um
}

# Internal: a column without haven classes (values, not value labels), its variable
# label kept.
plain_column <- function(x) {
  lab <- attr(x, "label", exact = TRUE)
  if (!inherits(x, "haven_labelled")) {
    if (is.atomic(x) && is.null(oldClass(x)) && !is.null(attributes(x))) {
      attributes(x) <- NULL  # haven's format.spss, display_width, ...
      if (!is.null(lab)) attr(x, "label") <- lab
    }
    return(x)
  }
  um <- user_missing_rows(x)
  v <- unclass(x)
  attributes(v) <- NULL
  v[um] <- NA
  if (!is.null(lab)) attr(v, "label") <- lab
  v
}

# ---- mapping columns to items ----------------------------------------------------------

# Internal: which column holds which item: the explicit `mapping` first, then names
# (exact, then normalised), then labels. Returns column, item and how.
map_columns <- function(data, ins, mapping) {
  cols <- names(data)
  m <- check_mapping(mapping, cols, ins$item)
  how <- rep("mapping", length(m))
  left_items <- setdiff(ins$item, m)
  # an item's own name, unless that column is mapped to another item
  free <- setdiff(cols, names(m))
  exact <- intersect(left_items, free)
  m <- c(m, stats::setNames(exact, exact))
  how <- c(how, rep("name", length(exact)))
  left_items <- setdiff(left_items, exact)
  free <- setdiff(free, exact)
  key_cols <- gsub(" ", "", label_key(free))
  key_items <- gsub(" ", "", label_key(left_items))
  hit <- match(key_items, key_cols)
  ok <- !is.na(hit) & !duplicated(hit) & !(key_cols[hit] %in% key_cols[duplicated(key_cols)])
  if (any(ok)) {
    m <- c(m, stats::setNames(left_items[ok], free[hit[ok]]))
    how <- c(how, rep("name", sum(ok)))
    left_items <- left_items[!ok]
    free <- setdiff(free, free[hit[ok]])
  }
  if (length(left_items) && length(free)) {
    lm <- label_matches(data[free], ins[ins$item %in% left_items, , drop = FALSE])
    claimed <- lm$item[duplicated(lm$item)]
    if (length(claimed)) {
      it <- claimed[1]
      dm_abort(sprintf(paste0(
        "item '%s' (\"%s\") matches the labels of several columns: %s. Say which one holds ",
        "it with `mapping = c(%s = \"%s\")`."), it, ins$label_nl[ins$item == it],
        show_values(lm$column[lm$item == it]), lm$column[lm$item == it][1], it),
        type = "mapping")
    }
    m <- c(m, stats::setNames(lm$item, lm$column))
    how <- c(how, rep("label", nrow(lm)))
  }
  if (!length(m)) check_item_columns(data, ins, "path")
  ord <- order(match(m, ins$item))
  list(column = names(m)[ord], item = unname(m)[ord], how = how[ord])
}

# Internal: validate `mapping` and return it as a named character vector column -> item.
check_mapping <- function(mapping, cols, item_ids) {
  if (is.null(mapping)) return(stats::setNames(character(), character()))
  if (is.data.frame(mapping)) {
    if (!all(c("column", "item") %in% names(mapping))) {
      dm_abort(sprintf("`mapping` as a data frame needs the columns 'column' and 'item'; it has %s.",
                       show_values(names(mapping))), type = "mapping")
    }
    mapping <- stats::setNames(as.character(mapping$item), as.character(mapping$column))
  }
  if (is.factor(mapping)) mapping <- stats::setNames(as.character(mapping), names(mapping))
  if (!is.character(mapping) || is.null(names(mapping)) || anyNA(mapping) ||
      anyNA(names(mapping)) || any(!nzchar(names(mapping)))) {
    dm_abort(paste0("`mapping` must be a named character vector c(<column> = \"<item>\", ...) ",
                    "or a data frame with the columns 'column' and 'item', without missing ",
                    "values; e.g. mapping = c(Q01 = \"portfolio_management\")."), type = "mapping")
  }
  bad_col <- setdiff(names(mapping), cols)
  if (length(bad_col)) {
    dm_abort(sprintf("`mapping` names column%s that the data do not have: %s. The columns are %s.",
                     if (length(bad_col) > 1) "s" else "", show_values(bad_col, 10L),
                     show_values(cols, 12L)), type = "mapping")
  }
  bad_item <- setdiff(mapping, item_ids)
  if (length(bad_item)) {
    near <- vapply(bad_item, function(b) {
      d <- utils::adist(b, item_ids, ignore.case = TRUE)[1, ]
      if (min(d) <= max(2, nchar(b) %/% 3)) sprintf(" ('%s'?)", item_ids[which.min(d)]) else ""
    }, character(1))
    dm_abort(sprintf("`mapping` maps to %s, which %s not an item of `items`%s. The items are `items$item`.",
                     paste0("'", bad_item, "'", near, collapse = ", "),
                     if (length(bad_item) > 1) "are" else "is", ""), type = "mapping")
  }
  dup <- mapping[duplicated(mapping)]
  if (length(dup)) {
    dm_abort(sprintf("`mapping` maps several columns to the same item: %s.",
                     paste(vapply(unique(dup), function(d) sprintf(
                       "%s -> '%s'", paste(names(mapping)[mapping == d], collapse = ", "), d),
                       character(1)), collapse = "; ")), type = "mapping")
  }
  dup <- names(mapping)[duplicated(names(mapping))]
  if (length(dup)) {
    dm_abort(sprintf("`mapping` maps the column%s %s to more than one item.",
                     if (length(unique(dup)) > 1) "s" else "", show_values(dup)), type = "mapping")
  }
  mapping
}

# Internal: columns whose variable label or heading equals or contains (as whole words)
# an item's Dutch or English label; per column the item with the longest such label.
label_matches <- function(data, ins) {
  none <- data.frame(column = character(), item = character(), stringsAsFactors = FALSE)
  if (!ncol(data) || !nrow(ins)) return(none)
  texts <- vapply(names(data), function(nm) {
    lab <- attr(data[[nm]], "label", exact = TRUE)
    paste(c(if (is.character(lab) && length(lab) == 1L && !is.na(lab)) lab, nm), collapse = " | ")
  }, character(1))
  tkeys <- label_key(texts)
  ikeys <- lapply(seq_len(nrow(ins)), function(i) {
    k <- label_key(c(ins$label_nl[i], ins$label_en[i]))
    k <- unique(k[nchar(k) >= 4L])
    k
  })
  rows <- lapply(seq_along(tkeys), function(c) {
    best <- NA_integer_
    len <- 0L
    for (i in seq_along(ikeys)) {
      for (k in ikeys[[i]]) {
        if ((grepl(paste0("(^| )", k, "( |$)"), tkeys[c]) ||
             identical(gsub(" ", "", k), gsub(" ", "", tkeys[c]))) && nchar(k) > len) {
          best <- i
          len <- nchar(k)
        }
      }
    }
    if (is.na(best)) NULL else data.frame(column = names(data)[c], item = ins$item[best],
                                          stringsAsFactors = FALSE)
  })
  out <- do.call(rbind, rows)
  if (is.null(out)) none else out
}

# Internal: a proposed mapping (named character column -> item) for the columns of
# `data` that resemble the items of `ins` by name or label; ambiguous ones left out.
propose_mapping <- function(data, ins) {
  cols <- setdiff(names(data), ins$item)
  if (!length(cols) || !nrow(ins)) return(stats::setNames(character(), character()))
  kc <- gsub(" ", "", label_key(cols))
  ki <- gsub(" ", "", label_key(ins$item))
  by_name <- stats::setNames(ins$item[match(kc, ki)], cols)
  by_name <- by_name[!is.na(by_name)]
  lm <- label_matches(data[setdiff(cols, names(by_name))], ins[!ins$item %in% by_name, , drop = FALSE])
  lm <- lm[!lm$item %in% lm$item[duplicated(lm$item)], , drop = FALSE]
  c(by_name, stats::setNames(lm$item, lm$column))
}
