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
#'   defaulting to 1 and 5). Other columns are kept.
#'
#' @return `x` as a data frame of class `dm_instrument`, with character
#'   `item`, `dimension`, `category`, `label_en` and `label_nl` (labels default
#'   to the item id), integer `keyed`, `scale_min` and `scale_max`.
#'
#' @section Errors:
#' Every violation raises an error of class `digimaturity_error_instrument`
#' (and `digimaturity_error`) that names the column, the offending rows and
#' values: a missing required column, missing or duplicated item ids, missing
#' dimensions, `keyed` not in \{-1, 1\}, non-integer or missing scale bounds,
#' and `scale_min >= scale_max`.
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
dm_instrument <- function(x) {
  arg <- "x"
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

  bad_rows <- function(col, bad, what) {
    rows <- which(bad)
    dm_abort(sprintf("`x$%s` %s in row%s %s (value%s %s).", col, what,
                     if (length(rows) > 1) "s" else "", show_rows(rows),
                     if (length(rows) > 1) "s" else "", show_values(x[[col]][rows])),
             type = "instrument")
  }

  # item: non-missing, non-empty, unique
  for (col in c("item", "dimension")) {
    v <- x[[col]]
    if (is.factor(v)) v <- as.character(v)
    if (!is.character(v)) {
      dm_abort(sprintf("`x$%s` must be character; it is of class '%s'.", col, class(v)[1]),
               type = "instrument")
    }
    x[[col]] <- v
    bad <- is.na(v) | !nzchar(trimws(v))
    if (any(bad)) bad_rows(col, bad, "is missing or empty")
  }
  dup <- duplicated(x$item)
  if (any(dup)) {
    rows <- which(x$item %in% x$item[dup])
    dm_abort(sprintf("`x$item` must be unique; %s appear%s more than once (rows %s).",
                     show_values(x$item[dup]), if (sum(!duplicated(x$item[dup])) > 1) "" else "s",
                     show_rows(rows)), type = "instrument")
  }

  # keyed in {-1, 1}
  k <- x$keyed
  if (!is.numeric(k)) {
    dm_abort(sprintf("`x$keyed` must be numeric (1 or -1); it is of class '%s'.", class(k)[1]),
             type = "instrument")
  }
  bad <- is.na(k) | !(k %in% c(-1, 1))
  if (any(bad)) bad_rows("keyed", bad, "must be 1 or -1 but is not")
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
               type = "instrument")
    }
    bad <- is.na(v) | !is.finite(v) | v != round(v)
    if (any(bad)) bad_rows(col, bad, "must be a whole number but is not")
    x[[col]] <- as.integer(v)
  }
  bad <- x$scale_min >= x$scale_max
  if (any(bad)) {
    rows <- which(bad)
    dm_abort(sprintf("`x$scale_min` must be below `x$scale_max`; rows %s have scale_min %s and scale_max %s.",
                     show_rows(rows), show_values(x$scale_min[rows]),
                     show_values(x$scale_max[rows])), type = "instrument")
  }

  # optional text columns
  for (col in c("label_en", "label_nl")) {
    if (is.null(x[[col]])) x[[col]] <- x$item
    x[[col]] <- as.character(x[[col]])
    fill <- is.na(x[[col]]) | !nzchar(x[[col]])
    x[[col]][fill] <- x$item[fill]
  }
  if (is.null(x$category)) x$category <- NA_character_
  x$category <- as.character(x$category)
  x$category[!is.na(x$category) & !nzchar(x$category)] <- NA_character_

  first <- c("item", "dimension", "category", "label_en", "label_nl", "keyed",
             "scale_min", "scale_max")
  x <- x[c(first, setdiff(names(x), first))]
  rownames(x) <- NULL
  class(x) <- c("dm_instrument", "data.frame")
  x
}

#' @export
print.dm_instrument <- function(x, ...) {
  dims <- unique(x$dimension)
  cat(sprintf("<dm_instrument> %d items in %d dimensions\n", nrow(x), length(dims)))
  for (d in dims) {
    rows <- x[x$dimension == d, , drop = FALSE]
    key <- ifelse(rows$keyed < 0, " (reverse-keyed)", "")
    rng <- sprintf("%d-%d", rows$scale_min, rows$scale_max)
    cat(sprintf("\n%s (%d items)\n", d, nrow(rows)))
    cat(sprintf("  %-26s %-5s %s%s\n", rows$item, rng, rows$label_en, key), sep = "")
  }
  invisible(x)
}

# Internal: accept either a dm_instrument or anything dm_instrument() accepts.
as_instrument <- function(items) {
  if (inherits(items, "dm_instrument")) items else dm_instrument(items)
}
