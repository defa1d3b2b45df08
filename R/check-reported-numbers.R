# Printed-number arithmetic of check_reported(): a printed number stands for the interval
# of values that round to it; stars and p-values as printed.

intercept_names <- c("(Intercept)", "Intercept", "Constant", "const", "_cons")

empty_checks <- function() {
  data.frame(model = character(), term = character(), check = character(),
             printed = character(), implied_low = numeric(), implied_high = numeric(),
             implied = character(), consistent = logical(), explanation = character(),
             stringsAsFactors = FALSE)
}

check_row <- function(model, term, check, printed, low, high, implied, consistent, explanation) {
  data.frame(model = model, term = term, check = check, printed = printed,
             implied_low = low, implied_high = high, implied = implied,
             consistent = consistent, explanation = explanation, stringsAsFactors = FALSE)
}

# Do the closed intervals [a1, a2] and [b1, b2] share a point (up to floating-point
# noise of the arithmetic that produced them)?
overlaps <- function(a1, a2, b1, b2) {
  tol <- 1e-9 * pmax(1, abs(a1), abs(a2), abs(b1), abs(b2))
  a1 <= b2 + tol & b1 <= a2 + tol
}

# The star legend: thresholds in (0, 1) named by distinct symbols.
check_stars <- function(stars, arg = "stars") {
  ok <- is.numeric(stars) && length(stars) >= 1L && !is.null(names(stars)) &&
    all(nzchar(names(stars))) && !anyDuplicated(names(stars)) &&
    all(!is.na(stars) & stars > 0 & stars < 1) && !anyDuplicated(stars)
  if (!ok) {
    dm_abort(sprintf(paste0("`%s` must be distinct p-value thresholds in (0, 1) named by distinct ",
                            "symbols, e.g. c(\"*\" = 0.05, \"**\" = 0.01); you passed %s."),
                     arg, if (is.null(stars)) "NULL" else if (is.numeric(stars) && !is.null(names(stars)))
                       paste0(names(stars), " = ", stars, collapse = ", ") else show_values(stars)),
             type = "input")
  }
  sort(stars, decreasing = TRUE)
}

# Stars of p-values under a legend sorted by decreasing threshold ("" when none).
stars_of <- function(p, stars) {
  out <- rep("", length(p))
  for (s in names(stars)) out[!is.na(p) & p < stars[[s]]] <- s
  out
}

# Level of a star symbol: 0 for none, i for the i-th largest threshold.
star_level <- function(s, stars, arg) {
  s <- ifelse(is.na(s), "", trimws(s))
  lev <- match(s, c("", names(stars))) - 1L
  if (anyNA(lev)) {
    dm_abort(sprintf("`%s` must hold the symbols of `stars` (%s) or \"\"; it has %s.", arg,
                     paste0("'", names(stars), "'", collapse = ", "), show_values(s[is.na(lev)])),
             type = "input")
  }
  lev
}

# Printed numbers: the value, its printed decimals and its text. Text keeps its
# decimals; a number has at least `digits` (more when it needs them).
printed_number <- function(v, arg, digits) {
  if (is.factor(v)) v <- as.character(v)
  if (is.character(v)) {
    s <- trimws(v)
    s[s %in% c("", "NA", "-", "n/a")] <- NA
    s <- sub("%$", "", s)
    val <- suppressWarnings(as.numeric(s))
    bad <- !is.na(s) & is.na(val)
    if (any(bad)) {
      dm_abort(sprintf("`%s` must hold printed numbers; %s cannot be read as one.", arg,
                       show_values(s[bad])), type = "input")
    }
    dec <- ifelse(is.na(s), NA_integer_, nchar(sub("^[^.]*\\.?", "", s)))
    return(list(value = val, decimals = dec, text = s))
  }
  if (!is.numeric(v) && !all(is.na(v))) {
    dm_abort(sprintf("`%s` must be numeric or the printed text; you passed an object of class '%s'.",
                     arg, class(v)[1]), type = "input")
  }
  v <- as.numeric(v)
  own <- vapply(v, function(a) {
    if (is.na(a)) return(NA_integer_)
    for (d in 0:12) if (abs(a * 10^d - round(a * 10^d)) < 1e-8 * max(1, abs(a * 10^d))) return(d)
    12L
  }, integer(1))
  dec <- pmax(own, digits)
  text <- ifelse(is.na(v), NA_character_, sprintf("%.*f", as.integer(ifelse(is.na(dec), 0L, dec)), v))
  # as tables print them: ".070", "-.070"
  text <- sub("^(-?)0\\.", "\\1.", text)
  list(value = v, decimals = dec, text = text)
}

half_unit <- function(dec) 0.5 * 10^(-dec)

# Runs of whole numbers as text: c(227, 228, 229, 240) -> "227-229, 240".
show_runs <- function(v) {
  if (!length(v)) return("none")
  v <- sort(unique(v))
  brk <- c(0L, which(diff(v) != 1L), length(v))
  paste(vapply(seq_len(length(brk) - 1L), function(i) {
    a <- v[brk[i] + 1L]
    b <- v[brk[i + 1L]]
    if (a == b) format(a) else paste0(a, "-", b)
  }, character(1)), collapse = ", ")
}

fmt_num <- function(v, dec) sub("^(-?)0\\.", "\\1.", formatC(v, format = "f", digits = dec))

show_star <- function(s) if (is.na(s) || !nzchar(trimws(s))) " (no stars)" else trimws(s)
stars_words <- function(s) {
  s <- unique(s)
  w <- ifelse(nzchar(s), s, "no stars")
  if (length(w) == 1L) w else paste(w, collapse = " or ")
}
format_p <- function(p) ifelse(p < 0.0001, "<.0001", sub("^0", "", formatC(p, format = "f", digits = 4)))
# "p < .0001" or "p = .0140 to .0192"
p_range_text <- function(lo, hi) {
  if (hi < 0.0001) return("p < .0001")
  if (lo < 0.0001) return(sprintf("p < .0001 to %s", format_p(hi)))
  sprintf("p = %s to %s", format_p(lo), format_p(hi))
}
