# dm_read(), part 3: which column holds which item (an explicit mapping, a codebook,
# names, labels).

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

# ---- codebooks -------------------------------------------------------------------------

# Headings a codebook's three columns go by (compared through label_key()).
codebook_headings <- list(
  column = c("column", "variable", "variable name", "var", "name", "field", "question code",
             "code", "kolom", "variabele", "variabelenaam", "veld", "vraagcode"),
  question = c("question", "question text", "text", "label", "variable label", "description",
               "wording", "vraag", "vraagtekst", "omschrijving", "label nl", "label en"),
  item = c("item", "item id", "dm item")
)

# Internal: which columns of `df` are a codebook's column, question and item columns
# (NA where there is none).
codebook_columns <- function(df) {
  k <- label_key(names(df))
  vapply(codebook_headings, function(h) match(TRUE, k %in% h), integer(1))
}

# Internal: does a sheet look like a codebook (a column-name column beside a question or
# item column, and no item column of the instrument)?
looks_like_codebook <- function(df) {
  cc <- codebook_columns(df)
  !is.na(cc[["column"]]) && (!is.na(cc[["question"]]) || !is.na(cc[["item"]]))
}

# Internal: `codebook` (a sheet name or number of the workbook `path`, or a data frame)
# as data.frame(column, question, item), with NA where the codebook says nothing.
read_codebook <- function(codebook, path, kind) {
  if (is.null(codebook)) return(NULL)
  if (is.data.frame(codebook)) {
    cb <- as.data.frame(codebook, stringsAsFactors = FALSE)
    what <- "`codebook`"
  } else if ((is.character(codebook) || is.numeric(codebook)) && length(codebook) == 1L &&
             !is.na(codebook)) {
    if (!kind %in% c("xlsx", "xls")) {
      dm_abort(sprintf(paste0("`codebook` as a sheet (%s) needs an Excel workbook as `path`; ",
                              "`path` is %s. Pass the codebook as a data frame instead."),
                       show_values(codebook), if (kind == "data frame") "a data frame"
                       else sprintf("a %s file", kind)), type = "input")
    }
    sheets <- readxl::excel_sheets(path)
    if ((is.character(codebook) && !codebook %in% sheets) ||
        (is.numeric(codebook) && (codebook != round(codebook) || codebook < 1 || codebook > length(sheets)))) {
      dm_abort(sprintf("`codebook` %s is not a sheet of '%s'; its sheets are %s.",
                       show_values(codebook), basename(path), show_values(sheets, 20L)),
               type = "input")
    }
    cb <- as.data.frame(readxl::read_excel(path, sheet = codebook, col_types = "text",
                                           .name_repair = "minimal"), stringsAsFactors = FALSE)
    what <- sprintf("the codebook sheet '%s'", if (is.numeric(codebook)) sheets[codebook] else codebook)
  } else {
    dm_abort(sprintf(paste0("`codebook` must be the name or number of a sheet of the workbook, or a ",
                            "data frame with the columns column, question and item; you passed %s."),
                     if (is.character(codebook) || is.numeric(codebook)) show_values(codebook)
                     else sprintf("an object of class '%s'", class(codebook)[1])), type = "input")
  }
  cc <- codebook_columns(cb)
  if (is.na(cc[["column"]]) || (is.na(cc[["question"]]) && is.na(cc[["item"]]))) {
    dm_abort(sprintf(paste0("%s needs a column naming the data's columns ('column' or 'variable') ",
                            "and a column with the question text ('question' or 'label') or the ",
                            "item ('item'); its headings are %s."), what, show_values(names(cb), 10L)),
             type = "mapping")
  }
  get <- function(k) {
    if (is.na(cc[[k]])) return(rep(NA_character_, nrow(cb)))
    v <- trimws(as.character(cb[[cc[[k]]]]))
    v[!is.na(v) & !nzchar(v)] <- NA_character_
    v
  }
  out <- data.frame(column = get("column"), question = get("question"), item = get("item"),
                    stringsAsFactors = FALSE)
  out <- out[!is.na(out$column), , drop = FALSE]
  rownames(out) <- NULL
  attr(out, "what") <- what
  out
}

# Internal: the codebook applied to `data` and `mapping`: question texts become the
# columns' labels (where a column has none), and its items join `mapping` (which wins).
# Returns list(data, mapping, n_used).
apply_codebook <- function(cb, data, mapping, ins) {
  if (is.null(cb)) return(list(data = data, mapping = mapping, n_used = 0L))
  what <- attr(cb, "what")
  bad <- setdiff(stats::na.omit(cb$item), ins$item)
  if (length(bad)) {
    dm_abort(sprintf("%s names item%s that `items` does not have: %s. The items are `items$item`.",
                     what, if (length(bad) > 1) "s" else "", show_values(bad, 8L)), type = "mapping")
  }
  cb <- cb[cb$column %in% names(data), , drop = FALSE]
  for (k in which(!is.na(cb$question))) {
    nm <- cb$column[k]
    if (is.null(attr(data[[nm]], "label", exact = TRUE))) attr(data[[nm]], "label") <- cb$question[k]
  }
  m <- check_mapping(mapping, names(data), ins$item)
  add <- cb[!is.na(cb$item) & !cb$column %in% names(m) & !cb$item %in% m, , drop = FALSE]
  add <- add[!duplicated(add$item) & !duplicated(add$column), , drop = FALSE]
  m <- c(m, stats::setNames(add$item, add$column))
  list(data = data, mapping = if (length(m)) m else mapping, n_used = nrow(cb),
       mapped = add$column)
}
