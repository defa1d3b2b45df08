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
# the form the C++ core reads (`spec`).
dm_responses <- function(data, items, missing_codes = NULL, arg = "data") {
  check_data_frame(data, arg)
  ins <- as_instrument(items)
  check_columns_present(data, ins$item, arg)
  if (!is.null(missing_codes) &&
      (!is.numeric(missing_codes) || anyNA(missing_codes))) {
    dm_abort(sprintf("`missing_codes` must be a numeric vector without NA; you passed %s.",
                     if (is.numeric(missing_codes)) show_values(missing_codes)
                     else sprintf("an object of class '%s'", class(missing_codes)[1])),
             type = "input")
  }
  columns <- vector("list", nrow(ins))
  missing <- vector("list", nrow(ins))
  for (j in seq_len(nrow(ins))) {
    x <- data[[ins$item[j]]]
    columns[[j]] <- response_column(x, ins$item[j], arg)
    # SPSS user-missing values (haven::read_sav(user_na = TRUE)) are missing too.
    missing[[j]] <- as.numeric(unique(c(missing_codes, attr(x, "na_values", exact = TRUE))))
  }
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
       n_rows = nrow(data), arg = arg)
}

# Internal: one response column as a double or integer vector the core can read in
# place. Factors give their codes (the position of the level); haven_labelled columns
# give their values, not their labels; class attributes are ignored by the core.
response_column <- function(x, item, arg) {
  if (is.factor(x)) {
    lev <- levels(x)
    num <- suppressWarnings(as.numeric(lev))
    if (length(lev) && !anyNA(num) && !identical(num, as.numeric(seq_along(lev)))) {
      dm_abort(sprintf(paste0(
        "`%s$%s` is a factor whose levels look like codes (%s) but are not 1, 2, ... in ",
        "order; its codes would be the level positions, not these numbers. Convert it with ",
        "as.numeric(as.character(.)) first."), arg, item, show_values(lev, 10L)),
        type = "response_type")
    }
    return(x)
  }
  if (is.logical(x) && all(is.na(x))) return(as.numeric(x))  # an item nobody answered
  if (typeof(x) %in% c("double", "integer") && is.null(dim(x)) &&
      (is.null(oldClass(x)) || inherits(x, "haven_labelled") ||
       identical(oldClass(x), "numeric") || identical(oldClass(x), "integer"))) {
    return(x)
  }
  dm_abort(sprintf(paste0(
    "`%s$%s` must be numeric, integer, a factor or haven_labelled (item codes); ",
    "it is of class '%s'."), arg, item, class(x)[1]), type = "response_type")
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
  if (!is.character(by) || !length(by) || anyNA(by)) {
    dm_abort(sprintf("`%s` must be a character vector of column names; you passed %s.", arg,
                     if (is.null(by)) "NULL" else show_values(by)), type = "input")
  }
  check_columns_present(data, by)
  keys <- lapply(data[by], function(v) {
    if (inherits(v, "haven_labelled")) v <- unclass(v)
    v
  })
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
