# Argument checks shared by every user-facing function. Validation happens in R,
# once and early; messages name the argument and echo the offending value.

# Raise an error of class c("digimaturity_error_<type>", "digimaturity_error").
# `message` is pasted safely: whatever reaches it, the condition raised is this one.
dm_abort <- function(message, type = "input", call = sys.call(-1), ...) {
  cond <- structure(
    class = c(paste0("digimaturity_error_", type), "digimaturity_error",
              "error", "condition"),
    list(message = as_message(message), call = call, ...)
  )
  stop(cond)
}

# Raise a warning of class c("digimaturity_warning_<type>", "digimaturity_warning"), the
# counterpart of dm_abort() for results that are returned but should not be trusted.
dm_warn <- function(message, type, call = sys.call(-1), ...) {
  cond <- structure(
    class = c(paste0("digimaturity_warning_", type), "digimaturity_warning",
              "warning", "condition"),
    list(message = as_message(message), call = call, ...)
  )
  warning(cond)
}

# The text of a condition: character lines joined; anything else (a formula, a list, a
# call passed by mistake) deparsed instead of failing inside the message builder.
as_message <- function(message) {
  if (!is.character(message)) {
    message <- tryCatch(
      if (is.atomic(message)) as.character(message) else deparse_value(message),
      error = function(e) "(a message that could not be shown)")
  }
  paste(message, collapse = "\n")
}

# One line of R code for a formula, call, name or other language object.
deparse_value <- function(x) {
  paste(trimws(deparse(x, width.cutoff = 500L)), collapse = " ")
}

# How a value that is not a plain vector is shown in a message: formulas, calls and names
# as code, NULL as NULL, anything else by its class and length.
describe_value <- function(x) {
  if (is.null(x)) return("NULL")
  if (inherits(x, "formula") || is.call(x) || is.name(x)) {
    return(paste0("'", deparse_value(x), "'"))
  }
  if (is.function(x)) return("a function")
  if (is.data.frame(x)) {
    return(sprintf("a data frame with %d column%s", ncol(x), if (ncol(x) == 1L) "" else "s"))
  }
  if (is.list(x)) return(sprintf("a list of length %d", length(x)))
  sprintf("an object of class '%s'", class(x)[1])
}

# Short printable rendering of offending values: at most `n` shown. Safe for any value:
# what is not an atomic vector or factor (a formula, list, call, NULL) is described.
show_values <- function(x, n = 5L) {
  if (!(is.atomic(x) || is.factor(x)) || is.null(x) || !is.null(dim(x)) && !is.matrix(x)) {
    return(describe_value(x))
  }
  if (!length(x)) return(sprintf("an empty vector of type '%s'", typeof(x)))
  x <- unique(if (is.factor(x)) as.character(x) else x)
  more <- length(x) > n
  x <- utils::head(x, n)
  out <- if (is.character(x)) {
    paste0("'", x, "'")
  } else {
    tryCatch(format(x, trim = TRUE, digits = 7), error = function(e) as.character(x))
  }
  out[is.na(x) & !is.nan(x)] <- "NA"
  paste0(paste(out, collapse = ", "), if (more) ", ..." else "")
}

# A value that should have been a single one, shown: the value, or what it is instead.
show_scalar <- function(x) {
  if (!(is.atomic(x) || is.factor(x)) || is.null(x)) return(describe_value(x))
  if (length(x) != 1L) return(sprintf("a vector of length %d", length(x)))
  show_values(x)
}

# Rows (1-based) rendered for messages, first `n` of them.
show_rows <- function(rows, n = 5L) {
  more <- length(rows) > n
  paste0(paste(utils::head(rows, n), collapse = ", "), if (more) ", ..." else "")
}

check_data_frame <- function(x, arg = deparse(substitute(x))) {
  if (!is.data.frame(x)) {
    dm_abort(sprintf("`%s` must be a data frame; you passed an object of class '%s'.",
                     arg, class(x)[1]), type = "input")
  }
  invisible(x)
}

check_columns_present <- function(data, cols, arg = "data") {
  miss <- setdiff(cols, names(data))
  if (length(miss)) {
    dm_abort(sprintf("`%s` lacks the column%s %s.", arg,
                     if (length(miss) > 1) "s" else "", show_values(miss, 50L)),
             type = "missing_column")
  }
  invisible(data)
}

check_scalar_number <- function(x, arg, lower = -Inf, upper = Inf,
                                lower_open = FALSE, upper_open = FALSE) {
  ok <- is.numeric(x) && length(x) == 1L && !is.na(x) && is.finite(x) &&
    (if (lower_open) x > lower else x >= lower) &&
    (if (upper_open) x < upper else x <= upper)
  if (!ok) {
    rng <- sprintf("%s%s, %s%s", if (lower_open) "(" else "[", lower, upper,
                   if (upper_open) ")" else "]")
    shown <- show_scalar(x)
    dm_abort(sprintf("`%s` must be a single number in %s; you passed %s.",
                     arg, rng, shown), type = "input")
  }
  invisible(x)
}

# The error names the function that got the argument (`call`, by default the caller).
check_choice <- function(x, choices, arg, call = sys.call(-1)) {
  if (!is.character(x) || length(x) != 1L || is.na(x) || !x %in% choices) {
    shown <- if (is.null(x)) "NULL" else show_values(x)
    dm_abort(sprintf("`%s` must be one of %s; you passed %s.", arg,
                     paste0("'", choices, "'", collapse = ", "), shown),
             type = "input", call = call)
  }
  x
}

# Case weights: numeric, one per row of `data` (n), finite and non-negative. `arg` is the
# name shown in messages (e.g. "weights" or "data$w").
check_case_weights <- function(w, n, arg = "weights") {
  if (!is.numeric(w) || is.matrix(w)) {
    dm_abort(sprintf("`%s` must be numeric; you passed an object of class '%s'.", arg,
                     class(w)[1]), type = "weights")
  }
  if (length(w) != n) {
    dm_abort(sprintf("`%s` must have one value per row of `data` (%d); you passed a vector of length %d.",
                     arg, n, length(w)), type = "weights")
  }
  bad <- which(is.na(w) | !is.finite(w) | w < 0)
  if (length(bad)) {
    dm_abort(sprintf("`%s` must be finite and non-negative; row%s %s of `data` %s %s.", arg,
                     if (length(bad) > 1) "s" else "", show_rows(bad),
                     if (length(bad) > 1) "have" else "has", show_values(w[bad])),
             type = "weights")
  }
  invisible(w)
}

# Signal a message of class c("digimaturity_message_<type>", "digimaturity_message").
dm_inform <- function(message, type = "info", ...) {
  cond <- structure(
    class = c(paste0("digimaturity_message_", type), "digimaturity_message",
              "message", "condition"),
    list(message = paste0(paste(message, collapse = "\n"), "\n"), call = NULL, ...)
  )
  message(cond)
}

# A share in [0, 1] (min_answered) or a confidence level in (0, 1); a value that looks
# like a percentage gets the hint to divide by 100.
check_share <- function(x, arg, open = FALSE) {
  ok <- is.numeric(x) && length(x) == 1L && !is.na(x) && is.finite(x) &&
    (if (open) x > 0 && x < 1 else x >= 0 && x <= 1)
  if (!ok) {
    rng <- if (open) "(0, 1)" else "[0, 1]"
    shown <- show_scalar(x)
    hint <- if (is.numeric(x) && length(x) == 1L && !is.na(x) && x > 1 && x <= 100 &&
                x == round(x))
      sprintf(" It is a share, not a percentage: use %s for %s%%.", format(x / 100), format(x))
      else ""
    dm_abort(sprintf("`%s` must be a single number in %s; you passed %s.%s",
                     arg, rng, shown, hint), type = "input")
  }
  invisible(x)
}

# Empty strings or strings of spaces in an id, cluster or group column are missing
# values (SPSS stores a missing string as ""); returns the column and says how many.
blank_to_na <- function(v, arg) {
  if (inherits(v, "haven_labelled") && is.character(v)) v <- as.character(unclass(v))
  if (is.factor(v)) {
    blank <- !is.na(v) & !nzchar(trimws(as.character(v)))
    if (any(blank)) {
      v[blank] <- NA
      v <- droplevels(v)
    }
  } else if (is.character(v)) {
    blank <- !is.na(v) & !nzchar(trimws(v))
    v[blank] <- NA_character_
  } else {
    return(v)
  }
  n <- sum(blank)
  if (n > 0L) {
    dm_inform(sprintf("`%s`: %d empty value%s (\"\" or spaces) treated as missing.",
                      arg, n, if (n > 1) "s" else ""), type = "blank")
  }
  v
}

# Normalised form of a label for matching: lower case, accents removed, punctuation
# other than letters and digits turned into single spaces, trimmed.
label_key <- function(x) {
  x <- enc2utf8(as.character(x))
  x <- tolower(x)
  x <- chartr(paste0("\u00e0\u00e1\u00e2\u00e3\u00e4\u00e5\u00e7\u00e8\u00e9\u00ea\u00eb",
                     "\u00ec\u00ed\u00ee\u00ef\u00f1\u00f2\u00f3\u00f4\u00f5\u00f6\u00f8",
                     "\u00f9\u00fa\u00fb\u00fc\u00fd\u00ff\u2019\u2018"),
              "aaaaaaceeeeiiiinoooooouuuuyy''", x)
  x <- gsub("[^a-z0-9']+", " ", x)
  x <- gsub("'", "", x)
  trimws(gsub(" +", " ", x))
}

# Calls the C++ core: its allocation failure (an error "digimaturity_memory: ...") becomes
# a classed error that suggests what to do.
cpp_call <- function(expr) {
  withCallingHandlers(expr, error = function(e) {
    msg <- conditionMessage(e)
    if (startsWith(msg, "digimaturity_memory: ")) {
      dm_abort(paste(sub("^digimaturity_memory: ", "", msg),
                     sprintf("It ran on %d thread%s: use fewer (dm_threads(1)), fewer rows or columns, or a machine with more memory.",
                             dm_threads(), if (dm_threads() > 1) "s" else "")),
               type = "memory", call = NULL)
    }
  })
}

# A grouping column (by, cluster, id): an atomic vector or a factor, one value per row.
# A list, matrix or data frame column (from JSON or a nested tibble) has no single value
# per row to group on.
check_group_column <- function(v, arg, type = "input") {
  if (!(is.atomic(v) || is.factor(v)) || !is.null(dim(v)) || is.data.frame(v)) {
    dm_abort(sprintf("`%s` must be a column of single values (numbers, text or a factor); it is %s.",
                     arg, if (is.matrix(v)) sprintf("a matrix with %d columns", ncol(v))
                     else sprintf("of class '%s'", class(v)[1])), type = type)
  }
  invisible(v)
}

# Magnitudes that the sums of squares and cross-products of least squares cannot hold in
# double precision: the squares of values beyond 1e150 overflow (n of them, already near
# .Machine$double.xmax), and a variable whose largest value is below 1e-150 underflows
# to zero (it would look constant or aliased). `arg` names the variable in the message.
magnitude_limit <- 1e150
# `m`, the largest magnitude of `v`, when the caller has it already: `v` is then
# evaluated only to name the row in an error (a matrix column is not copied).
check_magnitude <- function(v, arg, type = "input", m = NULL) {
  if (is.null(m)) {
    if (!is.numeric(v) || !length(v)) return(invisible(NULL))
    # the largest magnitude from the smallest and largest values: no copy of `v` (abs()
    # and range() allocate one, a fifth of dm_lm()'s time at n = 1e6)
    m <- suppressWarnings(max(-min(v, na.rm = TRUE), max(v, na.rm = TRUE)))
  }
  if (!is.finite(m)) return(invisible(NULL))  # Inf is checked elsewhere; all-NA is missing
  if (m > magnitude_limit || (m > 0 && m < 1 / magnitude_limit)) {
    row <- which(abs(v) == m)[1]
    dm_abort(sprintf(paste0(
      "`%s` has values of magnitude %s (e.g. row %d); least squares needs sums of squares ",
      "in double precision, which overflow above %s and vanish below %s. Rescale it ",
      "(e.g. divide by %s): the fit is the same up to the scale of its coefficients."),
      arg, format(m, digits = 3), row, format(magnitude_limit), format(1 / magnitude_limit),
      format(10^round(log10(m)), digits = 3)), type = type)
  }
  invisible(NULL)
}

# `data` must have at least one row where the result is not defined without one; `why`
# completes the message ("no group to aggregate").
check_has_rows <- function(data, why, arg = "data") {
  if (nrow(data) == 0L) {
    dm_abort(sprintf("`%s` has no rows: %s.", arg, why), type = "input")
  }
  invisible(data)
}

# The column(s) of `data` that an argument names (`by`, `cluster`, `id`, `weights`): a
# character vector of names or a one-sided formula, ~municipality or ~province + size (the
# spelling dm_lm() teaches for `cluster`). `max` is how many columns the argument takes.
# Returns the names; every misspelling is a classed error that names the argument.
resolve_columns <- function(x, data, arg, max = Inf, type = "input", call = sys.call(-1)) {
  example <- if (max == 1) "~municipality" else "~municipality or ~province + size"
  what <- if (max == 1) "the name of one column" else "a character vector of column names"
  if (inherits(x, "formula")) {
    if (length(x) != 2L) {
      dm_abort(sprintf("`%s` as a formula must be one-sided, like %s; you passed %s.",
                       arg, example, describe_value(x)), type = type, call = call)
    }
    cols <- formula_columns(x[[2L]])
    if (is.null(cols)) {
      dm_abort(sprintf("`%s` as a formula must name columns joined by +, like %s; you passed %s.",
                       arg, example, describe_value(x)), type = type, call = call)
    }
    if (length(cols) > max) {
      dm_abort(sprintf("`%s` as a formula must name one column, like ~municipality; you passed %s, which names %d.",
                       arg, describe_value(x), length(cols)), type = type, call = call)
    }
  } else {
    if (!is.character(x) || !length(x) || anyNA(x) || length(x) > max) {
      dm_abort(sprintf("`%s` must be %s or a one-sided formula such as %s; you passed %s.",
                       arg, what, example,
                       if (is.character(x) && length(x) > max) sprintf("%d names (%s)", length(x), show_values(x))
                       else show_values(x)), type = type, call = call)
    }
    cols <- x
  }
  miss <- setdiff(cols, names(data))
  if (length(miss)) {
    dm_abort(sprintf("`data` lacks the column%s %s named in `%s`.",
                     if (length(miss) > 1) "s" else "", show_values(miss, 50L), arg),
             type = "missing_column", call = call)
  }
  unique(cols)
}

# The column names of the right-hand side of a one-sided formula: names joined by `+`
# (parentheses allowed); NULL for anything else (a call such as log(x), `.`, a number).
formula_columns <- function(e) {
  if (is.name(e)) {
    nm <- as.character(e)
    return(if (nm == ".") NULL else nm)
  }
  if (is.call(e) && identical(e[[1L]], as.name("(")) && length(e) == 2L) {
    return(formula_columns(e[[2L]]))
  }
  if (is.call(e) && identical(e[[1L]], as.name("+")) && length(e) == 3L) {
    a <- formula_columns(e[[2L]])
    b <- formula_columns(e[[3L]])
    return(if (is.null(a) || is.null(b)) NULL else c(a, b))
  }
  NULL
}

# A column argument that may also be the values themselves (`cluster`, `weights` of
# dm_lm()): a one-sided formula or a single name (when `data` has more than one row) is
# looked up in `data`; anything else is returned as it is.
resolve_column_value <- function(x, data, arg, type = "input") {
  if (inherits(x, "formula") || (is.character(x) && length(x) == 1L && nrow(data) != 1L)) {
    return(data[[resolve_columns(x, data, arg, max = 1L, type = type, call = sys.call(-1))]])
  }
  x
}

# A grouping column resolved for use (`by`, `cluster`): checked to hold single values,
# blanks made missing, and ids that differ only in case, accents or spaces reported.
group_values <- function(v, arg, type = "input") {
  check_group_column(v, arg, type = type)
  v <- blank_to_na(v, arg)
  check_id_variants(v, arg)
  v
}

# Ids that differ only in case, accents or surrounding (or repeated) spaces, such as
# "Gent" and "gent ", are different groups to R but most likely one municipality. They
# are not merged (the data decide); a warning of class `digimaturity_warning_ids` lists
# them. Returns the sets of such ids (a list of character vectors), invisibly.
check_id_variants <- function(v, arg, warn = TRUE) {
  if (inherits(v, "haven_labelled")) v <- unclass(v)
  if (!(is.character(v) || is.factor(v))) return(invisible(list()))
  u <- if (is.factor(v)) levels(droplevels(v)) else unique(v[!is.na(v)])
  if (length(u) < 2L) return(invisible(list()))
  key <- id_key(u)
  dup <- key %in% key[duplicated(key)]
  if (!any(dup)) return(invisible(list()))
  sets <- unname(split(u[dup], factor(key[dup], levels = unique(key[dup]))))
  if (warn) {
    shown <- vapply(utils::head(sets, 5L), function(s) paste0("'", s, "'", collapse = " / "), "")
    dm_warn(sprintf(paste0(
      "`%s` has %d set%s of ids that differ only in case, accents or spaces, and count as ",
      "different groups: %s%s. If they are the same, recode them (e.g. trimws() and one ",
      "spelling) before grouping."),
      arg, length(sets), if (length(sets) > 1L) "s" else "", paste(shown, collapse = "; "),
      if (length(sets) > 5L) sprintf("; and %d more", length(sets) - 5L) else ""),
      type = "ids", call = NULL, sets = sets)
  }
  invisible(sets)
}

# The comparison key of an id: trimmed, inner spaces single, lower case, accents removed.
# The common Latin accents are mapped by hand (the same on every platform and locale);
# other non-ASCII letters go through iconv's transliteration where it succeeds (it gives
# "?" in a C locale and 'e on macOS: such results are not used).
id_key <- function(x) {
  x <- tolower(gsub("[[:space:]]+", " ", trimws(enc2utf8(as.character(x)))))
  x <- chartr(
    paste0("\u00e0\u00e1\u00e2\u00e3\u00e4\u00e5\u00e7\u00e8\u00e9\u00ea\u00eb",
           "\u00ec\u00ed\u00ee\u00ef\u00f1\u00f2\u00f3\u00f4\u00f5\u00f6\u00f8",
           "\u00f9\u00fa\u00fb\u00fc\u00fd\u00ff",
           "\u00c0\u00c1\u00c2\u00c3\u00c4\u00c5\u00c7\u00c8\u00c9\u00ca\u00cb",
           "\u00cc\u00cd\u00ce\u00cf\u00d1\u00d2\u00d3\u00d4\u00d5\u00d6\u00d8",
           "\u00d9\u00da\u00db\u00dc\u00dd"),
    paste0("aaaaaaceeeeiiiinoooooouuuuyy", "aaaaaaceeeeiiiinoooooouuuuy"), x)
  rest <- which(!is.na(x) & grepl("[^ -~]", x, useBytes = TRUE))
  if (length(rest)) {
    ascii <- tryCatch(suppressWarnings(iconv(x[rest], from = "UTF-8", to = "ASCII//TRANSLIT", sub = NA)),
                      error = function(e) rep(NA_character_, length(rest)))
    marks <- "[`'^~\"?]"
    ok <- !is.na(ascii) & !(grepl(marks, ascii) & !grepl(marks, x[rest]))
    x[rest[ok]] <- ascii[ok]
  }
  tolower(x)
}
