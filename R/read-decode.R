# dm_read(), part 2: reading a file of any format (text with any delimiter, encoding and
# decimal mark; SPSS, Stata, Excel; Qualtrics' extra header rows) into a plain data frame.


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

