# Reading and validating item responses, shared by every scoring function. The columns
# are handed to the C++ core as they are (no copy into a matrix); the core keys and
# validates the codes in the same pass that computes the statistic, and
# raise_code_problems() turns what it found into one classed error.

# `items = dmm_items` is the documented default of every scoring function. Lazy data live
# outside a namespace's lookup chain, so the functions resolve a missing `items` with
# bundled_items() and work when called as digimaturity::dm_score() without attaching.
utils::globalVariables("dmm_items")
bundled_items <- function() getExportedValue("digimaturity", "dmm_items")

# Internal: the item columns of `data` for the codebook `items`, plus the codebook in
# the form the C++ core reads (`spec`). Word answers are turned into codes through the
# instrument's response labels (`labels` holds what was translated and what was a
# "no answer" label); numeric columns are handed over as they are.
dm_responses <- function(data, items, missing_codes = NULL, arg = "data", inform = TRUE) {
  check_data_frame(data, arg)
  ins <- as_instrument(items)
  check_item_columns(data, ins, arg)
  if (!is.null(missing_codes) &&
      (!is.numeric(missing_codes) || anyNA(missing_codes))) {
    dm_abort(sprintf("`missing_codes` must be a numeric vector without NA; you passed %s.",
                     if (is.numeric(missing_codes)) show_values(missing_codes)
                     else sprintf("an object of class '%s'", class(missing_codes)[1])),
             type = "input")
  }
  columns <- vector("list", nrow(ins))
  missing <- vector("list", nrow(ins))
  reports <- vector("list", nrow(ins))
  for (j in seq_len(nrow(ins))) {
    x <- data[[ins$item[j]]]
    col <- response_column(x, ins, j, arg)
    columns[[j]] <- col$values
    reports[[j]] <- col$report
    # SPSS user-missing values (haven::read_sav(user_na = TRUE)) are missing too.
    missing[[j]] <- as.numeric(unique(c(missing_codes, attr(x, "na_values", exact = TRUE))))
  }
  labels <- do.call(rbind, c(list(empty_label_report()), reports))
  raise_unmatched_labels(labels, arg)
  if (inform) inform_no_answer(labels, arg)
  dims <- unique(ins$dimension)
  spec <- list(
    dimension = match(ins$dimension, dims),
    keyed = as.integer(ins$keyed),
    scale_min = as.integer(ins$scale_min),
    scale_max = as.integer(ins$scale_max),
    missing_codes = missing,
    n_dimensions = length(dims),
    n_rows = nrow(data)
  )
  list(columns = columns, spec = spec, items = ins, dimensions = dims,
       n_rows = nrow(data), arg = arg, labels = labels)
}

# Internal: one response column as a double or integer vector the core can read in
# place, and a report (one row per distinct word answer or relabelled code: item, value,
# code, status, n). Numeric and integer columns are used as they are. Factor, character
# and labelled columns are matched value by value: numbers are codes, words are looked
# up in the item's response labels and "no answer" labels (case, accents and spaces
# ignored). A factor is never scored by the position of its levels.
response_column <- function(x, ins, j, arg) {
  item <- ins$item[j]
  none <- NULL
  if (is.logical(x) && all(is.na(x))) {
    return(list(values = as.numeric(x), report = none))  # an item nobody answered
  }
  if (is.factor(x)) {
    values <- levels(x)
    idx <- as.integer(x)
  } else if (is.character(x)) {
    labs <- attr(x, "labels", exact = TRUE)
    x <- as.character(unclass(x))
    values <- unique(x[!is.na(x)])
    idx <- match(x, values)
    if (is.character(labs) && length(labs)) {
      # labelled strings: a value without a label of its own is read by its value label
      lab_text <- names(labs)[match(values, labs)]
      values <- ifelse(is.na(lab_text), values, lab_text)
    }
  } else if (typeof(x) %in% c("double", "integer") && is.null(dim(x)) &&
             (is.null(oldClass(x)) || inherits(x, "haven_labelled") ||
              identical(oldClass(x), "numeric") || identical(oldClass(x), "integer"))) {
    return(relabel_codes(x, ins, j))
  } else {
    dm_abort(sprintf(paste0(
      "`%s$%s` must be numeric, integer, a factor, character or haven_labelled (item codes ",
      "or answer labels); it is of class '%s'."), arg, item, class(x)[1]),
      type = "response_type")
  }
  res <- resolve_answers(values, response_labels(ins, j), na_label_keys(ins, j))
  codes <- res$code[idx]
  n <- tabulate(idx, length(values))
  keep <- res$status != "code" & res$status != "blank" & n > 0
  report <- data.frame(item = rep(item, sum(keep)), value = values[keep], code = res$code[keep],
                       status = res$status[keep], n = n[keep], stringsAsFactors = FALSE)
  list(values = as.numeric(codes), report = report)
}

# Internal: a labelled numeric column (SPSS, Stata) whose value labels are the item's
# response labels with other codes (e.g. 0-4 or a reversed scale) or "no answer" labels
# is recoded through its labels; otherwise it is used as it is.
relabel_codes <- function(x, ins, j) {
  labs <- attr(x, "labels", exact = TRUE)
  if (!is.numeric(labs) || !length(labs) || is.null(names(labs))) {
    return(list(values = x, report = NULL))
  }
  lab <- response_labels(ins, j)
  key <- label_key(names(labs))
  m <- match(key, lab$key)
  # recode through the labels only when they name every code of the scale (value labels
  # on the end points alone, "1 = disagree ... 5 = agree", are anchors: codes are kept)
  full <- all(seq(ins$scale_min[j], ins$scale_max[j]) %in% lab$code[m[!is.na(m)]])
  to <- ifelse(key %in% na_label_keys(ins, j), NA_real_,
               ifelse(is.na(m) | !full, as.numeric(labs), lab$code[m]))
  status <- ifelse(is.na(to), "no_answer", "label")
  change <- is.na(to) | to != labs
  vals <- as.numeric(unclass(x))
  pos <- match(vals, as.numeric(labs)[change])
  if (!any(!is.na(pos))) return(list(values = x, report = NULL))
  n <- tabulate(pos[!is.na(pos)], sum(change))
  vals[!is.na(pos)] <- to[change][pos[!is.na(pos)]]
  used <- n > 0
  report <- data.frame(item = rep(ins$item[j], sum(used)),
                       value = sprintf("%s (%s)", format(as.numeric(labs)[change][used]),
                                       names(labs)[change][used]),
                       code = to[change][used], status = status[change][used], n = n[used],
                       stringsAsFactors = FALSE)
  list(values = vals, report = report)
}

# Internal: what each distinct answer in `values` stands for: a code ("code": it is a
# number; "label": a response label), missing ("no_answer", "blank") or nothing
# ("unmatched"). `lab` is response_labels(), `na_keys` na_label_keys().
resolve_answers <- function(values, lab, na_keys) {
  v <- trimws(as.character(values))
  n <- length(v)
  code <- rep(NA_real_, n)
  status <- rep("unmatched", n)
  blank <- is.na(v) | !nzchar(v)
  status[blank] <- "blank"
  num <- suppressWarnings(as.numeric(sub("^(-?[0-9]+),([0-9]+)$", "\\1.\\2", v)))
  is_num <- !blank & !is.na(num)
  code[is_num] <- num[is_num]
  status[is_num] <- "code"
  key <- label_key(v)
  m <- match(key, lab$key)
  hit <- status == "unmatched" & !is.na(m)
  code[hit] <- lab$code[m[hit]]
  status[hit] <- "label"
  na <- status == "unmatched" & key %in% na_keys
  status[na] <- "no_answer"
  # "[5] Helemaal eens" (haven::as_factor(levels = "both")), "5 = Helemaal eens", "5. Eens"
  pre_re <- "^\\[?(-?[0-9]+)(\\]|\\s*[=:.)-])\\s*(.*\\S)\\s*$"
  pre <- status == "unmatched" & grepl(pre_re, v)
  if (any(pre)) {
    pnum <- as.numeric(sub(pre_re, "\\1", v[pre]))
    pkey <- label_key(sub(pre_re, "\\3", v[pre]))
    is_na <- pkey %in% na_keys
    code[pre] <- ifelse(is_na, NA_real_, pnum)
    status[pre] <- ifelse(is_na, "no_answer", "label")
  }
  data.frame(value = v, code = code, status = status, stringsAsFactors = FALSE)
}

empty_label_report <- function() {
  data.frame(item = character(), value = character(), code = numeric(), status = character(),
             n = integer(), stringsAsFactors = FALSE)
}

# Internal: one classed error for the answers that match no label: one line per
# distinct set of unknown answers, with their counts and the columns (and, when the
# columns were renamed, the items they were mapped to) that hold them. `columns` names
# the data's own column of each item (dm_read()); `hint` is the closing advice.
raise_unmatched_labels <- function(labels, arg, call = sys.call(-1), columns = NULL,
                                   hint = NULL) {
  bad <- labels[labels$status == "unmatched", , drop = FALSE]
  if (!nrow(bad)) return(invisible(NULL))
  items <- unique(bad$item)
  # items grouped by their set of unknown answers; a set held by no more items than a
  # superset of it is merged into that one (in 23 items nobody happened to answer
  # "Never"): one line per scale, not per chance pattern, while an answer of a few items
  # ("Zelden" in one) keeps a line of its own
  vals <- lapply(items, function(it) sort(unique(bad$value[bad$item == it])))
  key <- vapply(vals, paste, character(1), collapse = "\r")
  groups <- unique(key)
  size <- vapply(groups, function(g) sum(key == g), numeric(1))
  gvals <- vals[match(groups, key)]
  ord <- order(-size, -lengths(gvals))
  home <- stats::setNames(groups, groups)
  for (a in seq_along(ord)[-1]) {
    g <- ord[a]
    for (h in ord[seq_len(a - 1L)]) {
      if (home[[groups[h]]] == groups[h] && all(gvals[[g]] %in% gvals[[h]])) {
        home[[groups[g]]] <- groups[h]
        break
      }
    }
  }
  sets <- unname(home[key])
  where <- function(its) {
    shown <- if (is.null(columns)) {
      sprintf("`%s$%s`", arg, its)
    } else {
      col <- unname(columns[its])
      ifelse(col == its, sprintf("`%s`", its), sprintf("`%s` -> %s", col, its))
    }
    paste0(paste(utils::head(shown, 6L), collapse = ", "),
           if (length(its) > 6L) sprintf(" and %d more", length(its) - 6L) else "")
  }
  lines <- vapply(unique(sets), function(s) {
    its <- items[sets == s]
    b <- bad[bad$item %in% its, , drop = FALSE]
    n <- tapply(b$n, b$value, sum)
    n <- n[order(-n, names(n))]
    shown <- utils::head(sprintf("'%s' (%s answer%s)", names(n), format(n, big.mark = ",", trim = TRUE),
                                 ifelse(n > 1, "s", "")), 8L)
    sprintf("* %s%s in %d column%s: %s", paste(shown, collapse = ", "),
            if (length(n) > 8L) sprintf(" and %d more", length(n) - 8L) else "",
            length(its), if (length(its) > 1) "s" else "", where(its))
  }, character(1))
  if (is.null(hint)) {
    hint <- paste0("Give the labels of each code in your codebook (`response_labels_nl` / ",
                   "`response_labels_en`, e.g. '1=Nooit|2=Soms|3=Vaak'), add answers that mean ",
                   "\"no answer\" to `na_labels` (see ?dm_instrument), or recode the column to codes.")
  }
  dm_abort(c(sprintf(paste0(
    "`%s` has answers in %d item%s that match no response label of the item (case, ",
    "accents and spaces ignored):"), arg, length(items),
    if (length(items) > 1) "s" else ""), lines, hint),
    type = "unmatched_label", call = call, items = items, labels = bad)
}

# Internal: say how many answers were "no answer" labels and became missing.
inform_no_answer <- function(labels, arg) {
  na <- labels[labels$status == "no_answer", , drop = FALSE]
  if (!nrow(na)) return(invisible(NULL))
  by_label <- tapply(na$n, label_key(sub("^-?[0-9.]+ \\((.*)\\)$", "\\1", na$value)), sum)
  first <- na$value[match(names(by_label), label_key(sub("^-?[0-9.]+ \\((.*)\\)$", "\\1", na$value)))]
  ord <- order(-by_label)
  total <- sum(na$n)
  dm_inform(sprintf("`%s`: %s answer%s in %d item%s %s \"no answer\" (%s) and %s treated as missing.",
                    arg, format(total, big.mark = ","), if (total > 1) "s" else "",
                    length(unique(na$item)), if (length(unique(na$item)) > 1) "s" else "",
                    if (total > 1) "mean" else "means",
                    paste0("'", first[ord], "' ", by_label[ord], collapse = ", "),
                    if (total > 1) "are" else "is"), type = "no_answer")
}

# Internal: the item columns must be in `data`. When few are, the message says how to
# map one's own column names to the instrument, with a proposal where names or variable
# labels resemble the items' labels.
check_item_columns <- function(data, ins, arg = "data") {
  miss <- setdiff(ins$item, names(data))
  if (!length(miss)) return(invisible(data))
  n_have <- nrow(ins) - length(miss)
  if (n_have >= nrow(ins) / 2) {
    dm_abort(sprintf("`%s` lacks the column%s %s.", arg, if (length(miss) > 1) "s" else "",
                     show_values(miss, 50L)), type = "missing_column", items = miss)
  }
  prop <- propose_mapping(data, ins[ins$item %in% miss, , drop = FALSE])
  msg <- c(
    sprintf(paste0("`%s` lacks the columns of %d of the %d items of `items` (e.g. %s); its columns are %s. ",
                   "Map your columns to the items: `dm_read(%s, mapping = c(<your column> = ",
                   "\"<item>\", ...))` (see ?dm_read; the item ids are `items$item`), or pass a ",
                   "codebook of your own as `items` whose `item` column holds your column names."),
            arg, length(miss), nrow(ins),
            show_values(miss, 3L), show_values(names(data), 8L), arg),
    if (length(prop)) sprintf("These columns resemble items (by name or label): mapping = c(%s)",
                              paste0("`", names(prop), "` = \"", prop, "\"", collapse = ", ")))
  dm_abort(msg, type = "missing_column", items = miss, proposal = prop)
}

# Internal: raise one error for the invalid codes the C++ core found, naming each
# item, its first offending rows and their values.
raise_code_problems <- function(problems, resp, call = sys.call(-1)) {
  if (!length(problems$item)) return(invisible(NULL))
  ins <- resp$items
  lines <- vapply(seq_along(problems$item), function(k) {
    j <- problems$item[k]
    cnt <- problems$count[k]
    sprintf("* `%s$%s` (allowed %d to %d): %s invalid value%s in row%s %s (value%s %s).",
            resp$arg, ins$item[j], ins$scale_min[j], ins$scale_max[j],
            format(cnt, big.mark = ","), if (cnt > 1) "s" else "",
            if (cnt > 1) "s" else "",
            paste0(show_rows(problems$rows[[k]]),
                   if (cnt > length(problems$rows[[k]])) ", ..." else ""),
            if (length(problems$values[[k]]) > 1) "s" else "",
            paste(vapply(problems$values[[k]], format, character(1), digits = 7),
                  collapse = ", "))
  }, character(1))
  n_items <- length(problems$item)
  dm_abort(c(sprintf(paste0(
    "`%s` has codes outside the item's range or not whole numbers in %d item%s; ",
    "declare codes such as 9 = \"don't know\" in `missing_codes`."),
    resp$arg, n_items, if (n_items > 1) "s" else ""), lines),
    type = "invalid_code", call = call, items = ins$item[problems$item])
}

# Internal: group index (1..G) of the rows of `data` by the columns `by`, with the
# table of groups (sorted, a missing value being a group of its own, last).
group_index <- function(data, by, arg = "by") {
  by <- resolve_columns(by, data, arg)
  keys <- lapply(by, function(b) {
    v <- group_values(data[[b]], sprintf("data$%s", b))
    if (inherits(v, "haven_labelled")) v <- unclass(v)
    v
  })
  names(keys) <- by
  if (length(by) == 1L) {
    u <- sort(unique(keys[[1]]), na.last = TRUE)
    code <- match(keys[[1]], u)
    groups <- stats::setNames(data.frame(u, stringsAsFactors = FALSE), by)
  } else {
    key <- do.call(paste, c(lapply(keys, function(v) ifelse(is.na(v), "\r<NA>", as.character(v))),
                            sep = "\r\t"))
    first <- !duplicated(key)
    groups <- as.data.frame(keys, stringsAsFactors = FALSE)[first, , drop = FALSE]
    ord <- do.call(order, c(unname(as.list(groups)), na.last = TRUE))
    groups <- groups[ord, , drop = FALSE]
    code <- match(key, key[first][ord])
  }
  rownames(groups) <- NULL
  list(code = as.integer(code), groups = groups, n_groups = nrow(groups))
}

# Results carry their provenance: the instrument they were computed with (its items,
# response labels and dimensions; what autoplot() and dm_table() label from) and the
# call that made them.
with_provenance <- function(res, instrument, call) {
  attr(res, "instrument") <- instrument
  attr(res, "call") <- call
  res
}
