# dm_read(), part 2: reading a file of any format (text with any delimiter, encoding and
# decimal mark; SPSS, Stata, Excel; Qualtrics' extra header rows) into a plain data frame,
# and what survey tools add to it (empty headings; previews, spam and break-offs).

# Internal: the data of `path` as a plain data frame, its format and a note on how it
# was read.
read_survey_file <- function(path, ...) {
  if (is.data.frame(path)) {
    h <- fix_empty_headings(as.data.frame(path, stringsAsFactors = FALSE, optional = TRUE))
    return(list(data = h$data, source = "data frame", format = "data frame", kind = "data frame",
                details = NULL, headings = h$note))
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
  check_reader_args(format, args, path)
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
  headings <- data$headings
  if (is.null(headings)) {
    h <- fix_empty_headings(df)
    df <- h$data
    headings <- h$note
  }
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
  list(data = df, source = basename(path), format = fmt_name, kind = format, details = details,
       headings = headings)
}

# Internal: columns without a heading, as read.csv reads them: one that is empty on every
# line (a trailing delimiter on every line, as some Qualtrics and LimeSurvey exports
# have) is dropped; one with data is named `...<position>` (readxl's name for it).
# Returns list(data, note): note says what was done, NULL when nothing was.
fix_empty_headings <- function(df) {
  nm <- names(df)
  if (is.null(nm)) nm <- rep("", ncol(df))
  empty <- is.na(nm) | !nzchar(trimws(nm))
  if (!any(empty)) return(list(data = df, note = NULL))
  blank <- vapply(df, function(v) all(is.na(v) | (is.character(v) & !nzchar(trimws(v)))),
                  logical(1))
  pos <- which(empty)
  named <- pos[!blank[pos]]
  new_names <- paste0("...", named)
  nm[named] <- make.unique(c(nm[!empty], new_names))[sum(!empty) + seq_along(named)]
  names(df) <- nm
  dropped <- pos[blank[pos]]
  if (length(dropped)) df <- df[-dropped]
  note <- c(
    if (length(named)) sprintf("column%s %s without a heading named %s",
                               if (length(named) > 1) "s" else "", paste(named, collapse = ", "),
                               paste0("'", nm[named], "'", collapse = ", ")),
    if (length(dropped)) sprintf("%d empty column%s without a heading dropped (column%s %s)",
                                 length(dropped), if (length(dropped) > 1) "s" else "",
                                 if (length(dropped) > 1) "s" else "", paste(dropped, collapse = ", ")))
  list(data = df, note = paste(note, collapse = "; "))
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
      list(data = do.call(haven::read_por, c(list(path, user_na = TRUE), args)))
    },
    dta = {
      need_package("haven", format)
      haven_args <- args[setdiff(names(args), c("delim", "dec"))]
      list(data = do.call(haven::read_dta, c(list(path), haven_args)))
    },
    xlsx = , xls = {
      need_package("readxl", format)
      xl_args <- args[setdiff(names(args), c("delim", "dec", "encoding"))]
      if (is.null(xl_args$.name_repair)) xl_args$.name_repair <- "minimal"
      list(data = do.call(readxl::read_excel, c(list(path), xl_args)))
    }
  )
}

# Internal: dm_read()'s `...` are the reader's arguments: for text files `delim`, `dec`
# and `encoding`; for the other formats those that haven's or readxl's reader takes
# (less the ones dm_read() sets itself). Anything else, misspelled (`encodng`) or meant
# for another reader (`sep` of read.csv, `sheet` for an SPSS file), is an error with a
# did-you-mean, never silently ignored.
check_reader_args <- function(format, args, path) {
  if (!length(args)) return(invisible())
  nm <- names(args)
  if (is.null(nm) || any(!nzchar(nm))) {
    dm_abort(sprintf("dm_read() passes only named arguments on to the reader; %d unnamed argument%s given.",
                     sum(if (is.null(nm)) rep(TRUE, length(args)) else !nzchar(nm)),
                     if (length(args) > 1) "s were" else " was"), type = "argument_spelling", call = NULL)
  }
  pkg <- switch(format, text = NULL, sav = , zsav = , por = , dta = "haven", xlsx = , xls = "readxl")
  if (!is.null(pkg)) need_package(pkg, format)
  allowed <- switch(format,
    text = c("delim", "dec", "encoding"),
    sav = , zsav = setdiff(names(formals(haven::read_sav)), c("file", "user_na")),
    por = setdiff(names(formals(haven::read_por)), c("file", "user_na")),
    dta = setdiff(names(formals(haven::read_dta)), "file"),
    xlsx = , xls = setdiff(names(formals(readxl::read_excel)), "path"))
  bad <- setdiff(nm, allowed)
  if (!length(bad)) return(invisible())
  hints <- vapply(bad, did_you_mean, character(1), choices = allowed)
  shown <- paste0("`", bad, "`", ifelse(nzchar(hints), sprintf(" (did you mean `%s`?)", hints), ""))
  dm_abort(sprintf("dm_read() passes %s on to the reader of '%s' (%s), which takes no such argument%s. Its arguments: %s.",
                   paste(shown, collapse = ", "), basename(path),
                   if (is.null(pkg)) "a text file" else sprintf("%s, read by %s", format, pkg),
                   if (length(bad) > 1) "s" else "", paste0("`", allowed, "`", collapse = ", ")),
           type = "argument_spelling", call = NULL, arguments = unname(bad))
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
  h <- fix_empty_headings(df)
  df <- h$data
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
  list(data = df, details = details, headings = h$note)
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


# ---- survey-tool metadata ----------------------------------------------------------------

# Qualtrics' `Status` codes that are not respondents (a preview, a test response, spam).
qualtrics_not_respondents <- c("1" = "survey preview", "2" = "survey test", "8" = "spam response",
                               "9" = "spam preview", "12" = "imported spam response",
                               "17" = "offline preview")

# Internal: the rows a survey tool marks as not being respondents (Qualtrics' `Status`:
# previews, tests, spam) and the break-offs (Qualtrics' `Finished` false or `Progress`
# below 100; LimeSurvey's empty `submitdate`). Previews are dropped when `drop_previews`,
# break-offs when `drop_unfinished`. Returns list(data, tool, previews (a count per
# kind), unfinished, unfinished_dropped, last_page (a count per LimeSurvey `lastpage` of
# the break-offs)).
survey_metadata <- function(df, drop_previews = TRUE, drop_unfinished = FALSE) {
  out <- list(data = df, tool = NULL, previews = integer(), unfinished = 0L,
              unfinished_dropped = FALSE, last_page = integer())
  key <- tolower(names(df))
  col <- function(k) if (k %in% key) df[[which(key == k)[1]]] else NULL
  values <- function(v) {
    if (is.factor(v)) return(as.character(v))
    lab <- attr(v, "labels", exact = TRUE)
    v <- unclass(v)
    attributes(v) <- NULL
    if (is.character(v) && is.character(lab)) v <- ifelse(v %in% lab, names(lab)[match(v, lab)], v)
    v
  }
  n <- nrow(df)
  preview <- rep(NA_character_, n)
  unfinished <- rep(FALSE, n)
  qualtrics <- "status" %in% key &&
    any(c("finished", "progress", "responseid", "recordeddate", "ipaddress",
          "distributionchannel") %in% key)
  limesurvey <- "submitdate" %in% key &&
    any(c("lastpage", "startlanguage", "seed", "datestamp", "startdate") %in% key)
  if (qualtrics) {
    out$tool <- "Qualtrics"
    q <- qualtrics_status(col, values, n)
    preview <- q$preview
    unfinished <- q$unfinished
  } else if (limesurvey) {
    out$tool <- "LimeSurvey"
    sd <- values(col("submitdate"))
    unfinished <- is.na(sd) | (is.character(sd) & !nzchar(trimws(sd)))
  }
  if (is.null(out$tool)) return(out)
  drop <- rep(FALSE, n)
  if (any(!is.na(preview))) {
    tb <- table(factor(preview[!is.na(preview)], levels = unique(qualtrics_not_respondents)))
    out$previews <- stats::setNames(as.integer(tb[tb > 0]), names(tb)[tb > 0])
    if (drop_previews) drop <- drop | !is.na(preview)
  }
  unfinished <- unfinished & is.na(preview)
  out$unfinished <- sum(unfinished)
  if (limesurvey && any(unfinished) && !is.null(col("lastpage"))) {
    lp <- values(col("lastpage"))[unfinished]
    lp <- ifelse(is.na(lp), "none", as.character(lp))
    tb <- table(lp)
    out$last_page <- stats::setNames(as.integer(tb), names(tb))
  }
  if (drop_unfinished && any(unfinished)) {
    drop <- drop | unfinished
    out$unfinished_dropped <- TRUE
  }
  if (any(drop)) {
    kept <- df[!drop, , drop = FALSE]
    for (k in seq_along(kept)) {
      # `[` drops the variable label of a plain vector (Qualtrics' question texts)
      lab <- attr(df[[k]], "label", exact = TRUE)
      if (!is.null(lab) && is.null(attr(kept[[k]], "label", exact = TRUE))) attr(kept[[k]], "label") <- lab
    }
    rownames(kept) <- NULL
    out$data <- kept
  }
  out
}

# Qualtrics' rows that are not respondents (previews, tests, spam: its `Status` codes or
# labels) and its unfinished answers (`Finished`, else `Progress` below 100).
qualtrics_status <- function(col, values, n) {
  preview <- rep(NA_character_, n)
  unfinished <- rep(FALSE, n)
  st <- values(col("status"))
  if (is.numeric(st)) {
    # only Qualtrics' own codes: a `Status` of one's own (1-3) is left alone
    if (all(st[!is.na(st)] %in% c(0, 1, 2, 4, 8, 9, 12, 16, 17))) {
      preview <- unname(qualtrics_not_respondents[as.character(st)])
    }
  } else {
    k <- label_key(st)
    preview[grepl("preview", k)] <- "survey preview"
    preview[is.na(preview) & grepl("spam", k)] <- "spam response"
    preview[is.na(preview) & grepl("(^| )test( |$)", k)] <- "survey test"
  }
  fin <- col("finished")
  if (!is.null(fin)) {
    f <- values(fin)
    unfinished <- if (is.logical(f)) !is.na(f) & !f
                  else if (is.numeric(f)) !is.na(f) & f == 0
                  else label_key(f) %in% c("false", "0", "no", "nee", "onwaar")
  } else if (is.numeric(col("progress"))) {
    p <- values(col("progress"))
    unfinished <- !is.na(p) & p < 100
  }
  list(preview = preview, unfinished = unfinished)
}

# Internal: a labelled (SPSS, Stata) column that is not an item as a factor, with
# haven::as_factor()'s semantics: levels in code order, the label text as the level,
# a value without a label as its own level. User-missing values are already missing
# and their labels are no levels. NULL when no label is left (the column stays codes).
labelled_factor <- function(x) {
  labs <- attr(x, "labels", exact = TRUE)
  if (!inherits(x, "haven_labelled") || is.null(labs) || !length(labs) || is.null(names(labs))) {
    return(NULL)
  }
  lab <- attr(x, "label", exact = TRUE)
  nv <- attr(x, "na_values", exact = TRUE)
  nr <- attr(x, "na_range", exact = TRUE)
  um <- labs %in% nv
  if (is.numeric(labs) && is.numeric(nr)) um <- um | (labs >= nr[1] & labs <= nr[2])
  labs <- labs[!um]
  if (!length(labs)) return(NULL)
  v <- plain_column(x)
  attributes(v) <- NULL
  vals <- sort(unique(c(unname(unclass(labs)), v[!is.na(v)])))
  text <- as.character(vals)
  hit <- match(vals, unclass(labs))
  text[!is.na(hit)] <- names(labs)[hit[!is.na(hit)]]
  f <- factor(text[match(v, vals)], levels = unique(text))
  if (!is.null(lab)) attr(f, "label") <- lab
  structure(f, n_labels = length(labs))
}
