#' Validate a codebook (instrument) of survey items
#'
#' Checks a codebook that maps survey items to maturity dimensions and fills
#' the defaults, so that scoring functions can trust it. The bundled instrument
#' [dmm_items] passes; so must any codebook a researcher brings.
#'
#' @param x A data frame with at least the columns `item` (unique item ids,
#'   which are the column names of the response data), `dimension` (the
#'   dimension each item belongs to) and `keyed` (`1` for positively keyed,
#'   `-1` for reverse-keyed items). Optional columns: `label_en`, `label_nl`,
#'   `category`, `scale_min` and `scale_max` (integer response bounds,
#'   defaulting to 1 and 5), `response_labels_nl`, `response_labels_en` and
#'   `na_labels` (see "Response labels"), `dimension_label_en` and
#'   `dimension_label_nl` (the dimension's name in plots and tables; the four
#'   DMM dimensions have names already). Other columns are kept.
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` that names the argument it most
#'   likely meant (`conf.level` -> `conf_level`, `language` -> `lang`).
#'
#' @return `x` as a data frame of class `dm_instrument`, with character
#'   `item`, `dimension`, `category`, `label_en` and `label_nl` (labels default
#'   to the item id), integer `keyed`, `scale_min` and `scale_max`, and
#'   character `response_labels_nl`, `response_labels_en` and `na_labels`.
#'
#' @section Response labels:
#' Word answers (a factor or character column such as "Helemaal eens", an
#' SPSS file's value labels, `haven::as_factor()` output, a Qualtrics "choice
#' text" export) are turned into codes through the labels of each item's
#' codes, never through the position of a factor level. `response_labels_nl`
#' and `response_labels_en` hold them as `"code=label"` entries separated by
#' `"|"`, e.g. `"1=Nooit|2=Soms|3=Vaak|4=Altijd"`; a code may have several
#' labels (alternative wordings; the first is the one shown). `na_labels`
#' lists answers that mean "no answer", separated by `"|"` (e.g. `"weet
#' niet|n.v.t."`): they become missing and are counted. Labels are matched
#' ignoring case, accents, punctuation and surrounding spaces. A label must
#' not stand for two codes, nor for a code and "no answer".
#'
#' Defaults (assumed: the UGent slides do not print the response scale):
#' items with five codes (e.g. 1-5) get the usual wordings of a 5-point
#' agreement scale, "Helemaal oneens / Oneens / Neutraal or Noch eens, noch
#' oneens / Eens / Helemaal eens", the Flemish "Helemaal niet akkoord / Niet
#' akkoord / Neutraal / Akkoord / Helemaal akkoord" and "Strongly disagree /
#' Disagree / Neutral or Neither agree nor disagree / Agree / Strongly
#' agree"; other scales get no labels (answers must be codes unless you give
#' labels). Items with these default labels also accept the other common
#' wordings of the same scale in survey tools: Qualtrics' "Strongly disagree /
#' Somewhat disagree / Neither agree nor disagree / Somewhat agree / Strongly
#' agree" (and "Tend to", "Slightly", "Mostly", "Completely"), its Dutch
#' "Helemaal mee oneens / Enigszins mee oneens / Niet mee eens en niet mee
#' oneens / Enigszins mee eens / Helemaal mee eens", "Mee (on)eens", "Eerder
#' (on)eens", the Flemish "Eerder (niet) akkoord" and "Volledig (on)eens /
#' akkoord". A scale of your own never gets these. [dm_read()] takes other
#' wordings as `response_labels =`. `na_labels` defaults to "weet niet", "weet het niet", "geen
#' mening", "geen idee", "n.v.t.", "niet van toepassing", "geen antwoord",
#' "don't know", "not applicable", "n/a", "no opinion", "no answer", "prefer
#' not to say" and a few variants.
#'
#' @section Slips:
#' Dimension or category names that differ only in case or spaces
#' ("Efficiency" beside "efficiency") are an error: they would make separate
#' dimensions. A dimension with a single item while every other dimension has
#' three or more gives a warning of class `digimaturity_warning_single_item`
#' (usually a typo in its name), naming the closest dimension.
#'
#' @section Errors:
#' Every violation raises an error of class `digimaturity_error_instrument`
#' (and `digimaturity_error`) that names the column, the offending rows and
#' values: a missing required column, missing or duplicated item ids, missing
#' dimensions, `keyed` not in \{-1, 1\}, non-integer or missing scale bounds,
#' `scale_min >= scale_max`, dimension or category names that differ only in
#' case or spaces, and response labels that are not `"code=label"` with a code
#' on the item's scale or that give one label two meanings.
#'
#' @family instrument
#' @export
#' @examples
#' dm_instrument(dmm_items)
#'
#' # A codebook of your own: three items, one reverse-keyed, on a 1-7 scale
#' my_items <- data.frame(
#'   item = c("q1", "q2", "q3"),
#'   dimension = c("efficiency", "efficiency", "innovation"),
#'   keyed = c(1, -1, 1),
#'   scale_max = 7
#' )
#' dm_instrument(my_items)
#'
#' # Violations are errors that say where they are
#' try(dm_instrument(transform(my_items, keyed = c(1, 0, 1))))
#'
#' # Labels of your own scale, and answers that mean "no answer"
#' freq <- data.frame(item = c("f1", "f2"), dimension = "use", keyed = 1, scale_max = 4,
#'                    response_labels_nl = "1=Nooit|2=Soms|3=Vaak|4=Altijd",
#'                    response_labels_en = "1=Never|2=Sometimes|3=Often|4=Always",
#'                    na_labels = "weet niet|n.v.t.")
#' dm_score(data.frame(f1 = c("Nooit", "vaak", "Weet niet"), f2 = c("Altijd", "Soms", "Soms")),
#'          freq)
dm_instrument <- function(x, ...) {
  check_dots_spelling(..., .strict = TRUE)
  call <- sys.call()
  if (!is.data.frame(x)) {
    dm_abort(sprintf("`x` must be a data frame (a codebook); you passed an object of class '%s'.",
                     class(x)[1]), type = "instrument")
  }
  x <- as.data.frame(x, stringsAsFactors = FALSE)
  class(x) <- "data.frame"
  need <- c("item", "dimension", "keyed")
  miss <- setdiff(need, names(x))
  if (length(miss)) {
    dm_abort(sprintf("`x` lacks the required column%s %s (a codebook needs item, dimension and keyed).",
                     if (length(miss) > 1) "s" else "", show_values(miss)),
             type = "instrument")
  }
  if (nrow(x) == 0L) {
    dm_abort("`x` has no rows: a codebook needs at least one item.", type = "instrument")
  }
  x <- instrument_ids(x, call)
  x <- instrument_keys_and_scale(x, call)
  x <- instrument_texts(x)
  x <- instrument_response_labels(x, call)

  first <- c("item", "dimension", "category", "label_en", "label_nl", "keyed",
             "scale_min", "scale_max", "response_labels_nl", "response_labels_en",
             "na_labels")
  x <- x[c(first, setdiff(names(x), first))]
  rownames(x) <- NULL
  class(x) <- c("dm_instrument", "data.frame")
  warn_single_item(x)
  x
}

# dm_instrument()'s error for the rows of column `col` flagged in `bad`.
instrument_bad_rows <- function(x, col, bad, what, call) {
  rows <- which(bad)
  dm_abort(sprintf("`x$%s` %s in row%s %s (value%s %s).", col, what,
                   if (length(rows) > 1) "s" else "", show_rows(rows),
                   if (length(rows) > 1) "s" else "", show_values(x[[col]][rows])),
           type = "instrument", call = call)
}

# item and dimension: character, non-missing, non-empty; items unique.
instrument_ids <- function(x, call) {
  for (col in c("item", "dimension")) {
    v <- x[[col]]
    if (is.factor(v)) v <- as.character(v)
    if (!is.character(v)) {
      dm_abort(sprintf("`x$%s` must be character; it is of class '%s'.", col, class(v)[1]),
               type = "instrument", call = call)
    }
    x[[col]] <- v
    bad <- is.na(v) | !nzchar(trimws(v))
    if (any(bad)) instrument_bad_rows(x, col, bad, "is missing or empty", call)
  }
  dup <- duplicated(x$item)
  if (any(dup)) {
    rows <- which(x$item %in% x$item[dup])
    dm_abort(sprintf("`x$item` must be unique; %s appear%s more than once (rows %s).",
                     show_values(x$item[dup]), if (sum(!duplicated(x$item[dup])) > 1) "" else "s",
                     show_rows(rows)), type = "instrument", call = call)
  }
  x
}

# keyed in {-1, 1}; scale bounds whole numbers with scale_min < scale_max (default 1..5).
instrument_keys_and_scale <- function(x, call) {
  k <- x$keyed
  if (!is.numeric(k)) {
    dm_abort(sprintf("`x$keyed` must be numeric (1 or -1); it is of class '%s'.", class(k)[1]),
             type = "instrument", call = call)
  }
  bad <- is.na(k) | !(k %in% c(-1, 1))
  if (any(bad)) instrument_bad_rows(x, "keyed", bad, "must be 1 or -1 but is not", call)
  x$keyed <- as.integer(k)

  # scale bounds
  for (col in c("scale_min", "scale_max")) {
    if (is.null(x[[col]])) {
      x[[col]] <- if (col == "scale_min") 1L else 5L
      next
    }
    v <- x[[col]]
    if (!is.numeric(v)) {
      dm_abort(sprintf("`x$%s` must be numeric; it is of class '%s'.", col, class(v)[1]),
               type = "instrument", call = call)
    }
    bad <- is.na(v) | !is.finite(v) | v != round(v)
    if (any(bad)) instrument_bad_rows(x, col, bad, "must be a whole number but is not", call)
    bad <- abs(v) > 1e6
    if (any(bad)) instrument_bad_rows(x, col, bad, "must be a code between -1e6 and 1e6 but is not", call)
    x[[col]] <- as.integer(v)
  }
  bad <- x$scale_min >= x$scale_max
  if (any(bad)) {
    rows <- which(bad)
    dm_abort(sprintf("`x$scale_min` must be below `x$scale_max`; rows %s have scale_min %s and scale_max %s.",
                     show_rows(rows), show_values(x$scale_min[rows]),
                     show_values(x$scale_max[rows])), type = "instrument", call = call)
  }
  x
}

# The optional text columns: labels default to the item name; empty categories are NA.
instrument_texts <- function(x) {
  for (col in c("label_en", "label_nl")) {
    if (is.null(x[[col]])) x[[col]] <- x$item
    x[[col]] <- as.character(x[[col]])
    fill <- is.na(x[[col]]) | !nzchar(x[[col]])
    x[[col]][fill] <- x$item[fill]
  }
  if (is.null(x$category)) x$category <- NA_character_
  x$category <- as.character(x$category)
  x$category[!is.na(x$category) & !nzchar(x$category)] <- NA_character_
  check_name_variants(x, "dimension")
  check_name_variants(x, "category")
  x
}

# Response labels: the wording of each code, and the answers that mean "no answer".
instrument_response_labels <- function(x, call) {
  for (col in c("response_labels_nl", "response_labels_en")) {
    lang <- sub("response_labels_", "", col)
    v <- if (is.null(x[[col]])) rep(NA_character_, nrow(x)) else x[[col]]
    if (is.factor(v)) v <- as.character(v)
    if (!is.character(v) && !all(is.na(v))) {
      dm_abort(sprintf("`x$%s` must be character ('1=label|2=label|...'); it is of class '%s'.",
                       col, class(v)[1]), type = "instrument", call = call)
    }
    v <- as.character(v)
    fill <- is.na(v)
    five <- x$scale_max - x$scale_min == 4L
    v[fill & five] <- vapply(which(fill & five), function(i)
      default_response_labels(lang, x$scale_min[i]), character(1))
    v[fill & !five] <- ""
    x[[col]] <- v
  }
  v <- if (is.null(x$na_labels)) rep(NA_character_, nrow(x)) else x$na_labels
  if (is.factor(v)) v <- as.character(v)
  if (!is.character(v) && !all(is.na(v))) {
    dm_abort(sprintf("`x$na_labels` must be character ('label|label|...'); it is of class '%s'.",
                     class(v)[1]), type = "instrument", call = call)
  }
  v <- as.character(v)
  v[is.na(v)] <- default_na_labels
  x$na_labels <- v
  check_response_labels(x)
  x
}

# The assumed wordings of a 5-point agreement scale (the slides do not print the scale):
# the first label of each code is the one shown; the others are accepted when reading.
default_labels <- list(
  nl = list(c("Helemaal oneens", "Helemaal niet akkoord", "Zeer oneens"),
            c("Oneens", "Niet akkoord"),
            c("Neutraal", "Noch eens, noch oneens", "Niet eens, niet oneens",
              "Noch akkoord, noch niet akkoord"),
            c("Eens", "Akkoord"),
            c("Helemaal eens", "Helemaal akkoord", "Zeer eens")),
  en = list(c("Strongly disagree"), c("Disagree"),
            c("Neutral", "Neither agree nor disagree", "Neither agree or disagree"),
            c("Agree"), c("Strongly agree"))
)

# Other common wordings of the same 5-point agreement scale in survey tools (Qualtrics'
# stock "Somewhat agree" scale and its Dutch translation, SurveyMonkey, LimeSurvey,
# Flemish "eerder (niet) akkoord"): accepted when reading an item whose labels are the
# default agreement labels above, never added to a scale of one's own.
agreement_variants <- list(
  nl = list(c("Helemaal mee oneens", "Volledig oneens", "Totaal oneens", "Sterk oneens",
              "Volledig niet akkoord", "Helemaal niet mee eens"),
            c("Mee oneens", "Eerder oneens", "Eerder niet akkoord", "Enigszins oneens",
              "Enigszins mee oneens", "Enigszins niet akkoord", "Niet mee eens"),
            c("Niet mee eens en niet mee oneens", "Noch mee eens, noch mee oneens",
              "Niet eens en niet oneens", "Noch akkoord noch niet akkoord",
              "Eens noch oneens"),
            c("Mee eens", "Eerder eens", "Eerder akkoord", "Enigszins eens",
              "Enigszins mee eens", "Enigszins akkoord"),
            c("Helemaal mee eens", "Volledig eens", "Totaal eens", "Sterk eens",
              "Volledig akkoord")),
  en = list(c("Completely disagree", "Totally disagree", "Disagree strongly"),
            c("Somewhat disagree", "Tend to disagree", "Mostly disagree", "Slightly disagree",
              "Disagree somewhat"),
            c("Neither disagree nor agree", "Neither agree nor disagree (neutral)",
              "Neutral (neither agree nor disagree)", "Undecided"),
            c("Somewhat agree", "Tend to agree", "Mostly agree", "Slightly agree",
              "Agree somewhat"),
            c("Completely agree", "Totally agree", "Agree strongly"))
)

default_na_labels <- paste(c(
  "weet niet", "weet het niet", "ik weet het niet", "geen mening", "geen idee",
  "n.v.t.", "nvt", "niet van toepassing", "geen antwoord", "wil niet zeggen",
  "don't know", "do not know", "not applicable", "n/a", "no opinion", "no answer",
  "prefer not to say", "refused"), collapse = "|")

# Internal: the default labels of one language as "1=label|2=label|...".
default_response_labels <- function(lang, scale_min = 1L) {
  labs <- default_labels[[lang]]
  paste(unlist(lapply(seq_along(labs), function(k)
    paste0(scale_min + k - 1L, "=", labs[[k]]))), collapse = "|")
}

# Internal: the response labels of item row `i` of an instrument as a data frame
# (code, label, lang, key), Dutch first; the first label of each code is its main one.
response_labels <- function(ins, i) {
  parse_labels <- function(s, lang) {
    if (is.na(s) || !nzchar(trimws(s))) {
      return(data.frame(code = numeric(), label = character(), lang = character()))
    }
    parts <- trimws(strsplit(s, "|", fixed = TRUE)[[1]])
    parts <- parts[nzchar(parts)]
    code <- suppressWarnings(as.numeric(sub("^\\s*([^=]*)=.*$", "\\1", parts)))
    code[!grepl("=", parts, fixed = TRUE)] <- NA_real_
    data.frame(code = code, label = trimws(sub("^[^=]*=", "", parts)), lang = rep(lang, length(parts)),
               stringsAsFactors = FALSE)
  }
  out <- rbind(parse_labels(ins$response_labels_nl[i], "nl"),
               parse_labels(ins$response_labels_en[i], "en"))
  # the default agreement labels stand for the common wordings of that scale too
  for (lang in c("nl", "en")) {
    if (ins$scale_max[i] - ins$scale_min[i] == 4L &&
        identical(ins[[paste0("response_labels_", lang)]][i],
                  default_response_labels(lang, ins$scale_min[i]))) {
      v <- agreement_variants[[lang]]
      out <- rbind(out, data.frame(code = rep(ins$scale_min[i] + seq_along(v) - 1, lengths(v)),
                                   label = unlist(v), lang = lang, stringsAsFactors = FALSE))
    }
  }
  out$key <- label_key(out$label)
  out
}

# Internal: the "no answer" labels of item row `i`, as normalised keys.
na_label_keys <- function(ins, i) {
  s <- ins$na_labels[i]
  if (is.na(s) || !nzchar(trimws(s))) return(character())
  k <- label_key(strsplit(s, "|", fixed = TRUE)[[1]])
  unique(k[nzchar(k)])
}

# Internal: labels must be "code=label" with whole codes inside the item's range, and
# a label (once normalised) must not stand for two codes or for a code and "no answer".
check_response_labels <- function(x) {
  # items sharing a scale and its labels are checked once
  key <- paste(x$response_labels_nl, x$response_labels_en, x$na_labels, x$scale_min,
               x$scale_max, sep = "\r")
  for (i in which(!duplicated(key))) {
    same <- x$item[key == key[i]]
    who <- sprintf("item%s %s", if (length(same) > 1) "s" else "", show_values(same, 3L))
    lab <- response_labels(x, i)
    bad <- is.na(lab$code) | lab$code != round(lab$code) |
      lab$code < x$scale_min[i] | lab$code > x$scale_max[i] | !nzchar(lab$key)
    if (any(bad)) {
      dm_abort(sprintf(paste0(
        "the response labels of %s must be 'code=label' entries separated by '|' with ",
        "whole codes from %d to %d; these are not: %s. Put answers such as \"don't know\" ",
        "in `x$na_labels`."), who, x$scale_min[i], x$scale_max[i],
        show_values(paste0(ifelse(is.na(lab$code), "", paste0(lab$code, "=")), lab$label)[bad])),
        type = "instrument")
    }
    two <- tapply(lab$code, lab$key, function(v) length(unique(v)) > 1)
    if (any(two)) {
      dm_abort(sprintf("the response labels of %s give the label%s %s to more than one code.",
                       who, if (sum(two) > 1) "s" else "", show_values(names(two)[two])),
               type = "instrument")
    }
    both <- intersect(lab$key, na_label_keys(x, i))
    if (length(both)) {
      dm_abort(sprintf("%s %s %s both as a response label and as a \"no answer\" label (`x$na_labels`).",
                       who, if (length(same) > 1) "have" else "has", show_values(both)), type = "instrument")
    }
  }
}

# Internal: dimension or category names that differ only in case or spaces are slips.
check_name_variants <- function(x, col) {
  v <- x[[col]]
  u <- unique(v[!is.na(v)])
  key <- gsub("[[:space:]_]+", "", tolower(u))
  clash <- key[duplicated(key)]
  if (length(clash)) {
    k <- clash[1]
    variants <- u[key == k]
    counts <- vapply(variants, function(s) sum(v == s, na.rm = TRUE), numeric(1))
    dm_abort(sprintf(paste0(
      "`x$%s` has names that differ only in case or spaces: %s (%s items). They would ",
      "be separate %ss; write them the same way (e.g. all as '%s')."),
      col, show_values(variants), paste(counts, collapse = " and "), col,
      variants[which.max(counts)]), type = "instrument")
  }
}

# Internal: a dimension with a single item while every other has three or more is most
# likely a slip (a typo in the dimension's name); warn and name the closest dimension.
warn_single_item <- function(x) {
  n <- table(factor(x$dimension, levels = unique(x$dimension)))
  single <- names(n)[n == 1L]
  if (length(n) < 2L || !length(single)) return(invisible())
  for (d in single) {
    others <- n[names(n) != d]
    if (all(others >= 3L)) {
      dist <- utils::adist(d, names(others), ignore.case = TRUE)[1, ]
      hint <- if (min(dist) <= max(2, nchar(d) %/% 4))
        sprintf(" Did you mean '%s'?", names(others)[which.min(dist)]) else ""
      dm_warn(sprintf(paste0(
        "`x$dimension` '%s' has a single item ('%s') while the other dimensions have %s ",
        "items; a score of one item is no scale.%s"),
        d, x$item[x$dimension == d], paste(unique(range(others)), collapse = " to "), hint),
        type = "single_item")
    }
  }
  invisible()
}

#' @export
print.dm_instrument <- function(x, ...) {
  check_dots_strict(..., .fun = "print()")
  dims <- unique(x$dimension)
  cat(sprintf("<dm_instrument> %d items in %d dimensions\n", nrow(x), length(dims)))
  for (d in dims) {
    rows <- x[x$dimension == d, , drop = FALSE]
    key <- ifelse(rows$keyed < 0, " (reverse-keyed)", "")
    rng <- sprintf("%d-%d", rows$scale_min, rows$scale_max)
    cat(sprintf("\n%s (%d items)\n", d, nrow(rows)))
    cat(sprintf("  %-26s %-5s %s%s\n", rows$item, rng, rows$label_en, key), sep = "")
  }
  if (!is.null(x$response_labels_nl) && nrow(x) > 0L) {
    for (lang in c("nl", "en")) {
      v <- unique(x[[paste0("response_labels_", lang)]])
      if (length(v) != 1L || !nzchar(v)) next
      lab <- response_labels(x, 1L)
      lab <- lab[lab$lang == lang & !duplicated(paste(lab$lang, lab$code)), ]
      cat(sprintf("%sResponse labels (%s): %s\n", if (lang == "nl") "\n" else "", lang,
                  paste0(lab$code, " ", lab$label, collapse = ", ")))
    }
    v <- unique(x$na_labels)
    if (length(v) == 1L && nzchar(v)) {
      cat(sprintf("No answer: %s\n", paste(strsplit(v, "|", fixed = TRUE)[[1]], collapse = ", ")))
    }
  }
  invisible(x)
}

# Internal: the instrument with the response labels of every item replaced by `labels`
# (dm_read(response_labels = )): a character vector of labels in code order, or one
# string "code=label|code=label|...". Its "no answer" labels are kept.
with_response_labels <- function(ins, labels, arg = "response_labels") {
  if (is.null(labels)) return(ins)
  if (is.factor(labels)) labels <- as.character(labels)
  if (!is.character(labels) || !length(labels) || anyNA(labels) || any(!nzchar(trimws(labels)))) {
    dm_abort(sprintf(paste0("`%s` must be the labels of the codes in code order (e.g. c(\"Never\", ",
                            "\"Sometimes\", \"Often\")) or one string '1=Never|2=Sometimes|3=Often', ",
                            "without missing or empty labels; you passed %s."), arg,
                     if (is.character(labels)) show_values(labels)
                     else sprintf("an object of class '%s'", class(labels)[1])), type = "input")
  }
  coded <- length(labels) == 1L && grepl("=", labels, fixed = TRUE)
  n_codes <- ins$scale_max - ins$scale_min + 1L
  if (!coded) {
    wrong <- n_codes != length(labels)
    if (any(wrong)) {
      dm_abort(sprintf(paste0("`%s` gives %d labels, but item%s %s ha%s %s codes (from `scale_min` ",
                              "to `scale_max`); give one label per code, or codes and labels as ",
                              "'1=...|2=...'."), arg, length(labels), if (sum(wrong) > 1) "s" else "",
                       show_values(ins$item[wrong], 3L), if (sum(wrong) > 1) "ve" else "s",
                       paste(unique(n_codes[wrong]), collapse = " or ")), type = "input")
    }
    s <- vapply(seq_len(nrow(ins)), function(i)
      paste0(ins$scale_min[i] + seq_along(labels) - 1L, "=", trimws(labels), collapse = "|"),
      character(1))
  } else {
    s <- rep(labels, nrow(ins))
  }
  ins$response_labels_nl <- s
  ins$response_labels_en <- ""
  tryCatch(check_response_labels(ins), digimaturity_error_instrument = function(e) {
    dm_abort(sprintf("`%s` cannot be used: %s", arg, conditionMessage(e)), type = "input")
  })
  ins
}

# Internal: accept either a dm_instrument or anything dm_instrument() accepts.
as_instrument <- function(items) {
  if (inherits(items, "dm_instrument")) items else dm_instrument(items)
}
