# The GRIM check of check_reported(): can a count over n give a printed percentage?

# GRIM: can a count over n (or a sum over n * n_items) give the printed value?
check_reported_grim <- function(items) {
  has_n <- "n" %in% names(items)
  has_range <- all(c("n_min", "n_max") %in% names(items))
  if (!has_n && !has_range) return(NULL)
  nmin <- if (has_n) items$n else items$n_min
  nmax <- if (has_n) items$n else items$n_max
  if (has_n && has_range) {
    nmin <- ifelse(is.na(items$n), items$n_min, items$n)
    nmax <- ifelse(is.na(items$n), items$n_max, items$n)
  }
  bad <- !is.na(nmin) & (!is.numeric(nmin) | nmin < 1 | nmin != round(nmin) | is.na(nmax) | nmax < nmin |
                           nmax != round(nmax))
  if (any(bad)) {
    dm_abort(sprintf("`x$items` must give whole n >= 1 (`n`, or `n_min` <= `n_max`); rows %s have %s.",
                     show_rows(which(bad)), show_values(paste0(nmin[bad], "-", nmax[bad]))), type = "input")
  }
  n_items <- if ("n_items" %in% names(items)) ifelse(is.na(items$n_items), 1, items$n_items) else rep(1, nrow(items))
  out <- list()
  for (what in c("pct_agree_printed", "mean_printed")) {
    if (!what %in% names(items)) next
    v <- printed_number(items[[what]], paste0("x$items$", what), 0)
    pct <- what == "pct_agree_printed"
    for (i in seq_len(nrow(items))) {
      if (is.na(v$value[i]) || is.na(nmin[i])) next
      h <- half_unit(v$decimals[i])
      scale <- if (pct) 100 else 1
      ns <- seq(nmin[i], nmax[i])
      den <- ns * (if (pct) 1 else n_items[i])
      # integer counts c with c / den * scale within [v - h, v + h]
      c_lo <- ceiling((v$value[i] - h) * den / scale - 1e-9)
      c_hi <- floor((v$value[i] + h) * den / scale + 1e-9)
      if (pct) {
        c_lo <- pmax(c_lo, 0)
        c_hi <- pmin(c_hi, den)
      }
      works <- c_lo <= c_hi
      below <- max(floor(v$value[i] * den / scale + 1e-9) / den * scale)
      above <- min(ceiling(v$value[i] * den / scale - 1e-9) / den * scale)
      ok <- any(works)
      nn <- if (nmin[i] == nmax[i]) sprintf("n = %d", nmin[i]) else sprintf("n from %d to %d", nmin[i], nmax[i])
      unit <- if (pct) "%" else ""
      kind <- if (pct) "percentage" else if (n_items[i] > 1) sprintf("mean of %d whole-number items", n_items[i]) else
        "mean of whole numbers"
      expl <- if (ok) {
        sprintf("%s: %s%s is a possible %s of %s%s.", items$item[i], v$text[i], unit, kind, nn,
                if (nmin[i] < nmax[i]) sprintf(" (for %d of the %d values of n)", sum(works), length(ns)) else "")
      } else if (nmin[i] == nmax[i]) {
        j <- 1L
        sprintf("%s: %s%s is not a possible %s of %s (GRIM): the nearest are %s%s (%d/%d) and %s%s (%d/%d).",
                items$item[i], v$text[i], unit, kind, nn,
                formatC(below, format = "f", digits = v$decimals[i] + 1), unit,
                as.integer(round(below * den[j] / scale)), den[j],
                formatC(above, format = "f", digits = v$decimals[i] + 1), unit,
                as.integer(round(above * den[j] / scale)), den[j])
      } else {
        sprintf("%s: %s%s is not a possible %s for any %s (GRIM).", items$item[i], v$text[i], unit, kind, nn)
      }
      out <- c(out, list(check_row(NA_character_, items$item[i], if (pct) "grim_percent" else "grim_mean",
                                   paste0(v$text[i], unit), below, above,
                                   if (ok) "achievable" else "not achievable", ok, expl)))
    }
  }
  do.call(rbind, c(list(empty_checks()), out))
}
