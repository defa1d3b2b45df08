# dm_read(), part 3: which column holds which item (an explicit mapping, names, labels).


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
