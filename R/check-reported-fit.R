# The fit and coefficient checks of check_reported(): what a model's printed R2, N and k
# imply for its adjusted R2, F and stars; the tables and k they are checked on.

classical_f <- function(r2, n, k) (r2 / k) / ((1 - r2) / (n - k - 1))
adjusted_r2 <- function(r2, n, k) 1 - (1 - r2) * (n - 1) / (n - k - 1)

# The list of published tables, checked and with plain character model/term columns.
reported_tables <- function(x) {
  if (is.data.frame(x)) x <- list(regression = x)
  if (!is.list(x) || !any(c("regression", "fit", "items") %in% names(x))) {
    dm_abort(sprintf(paste0("`x` must be a list with data frames `regression`, `fit` and/or `items` ",
                            "(the long format of ugent_published); you passed %s."),
                     if (is.list(x)) sprintf("a list with elements %s", show_values(names(x)))
                     else sprintf("an object of class '%s'", class(x)[1])), type = "input")
  }
  need <- list(regression = c("model", "term", "estimate", "std_error"),
               fit = c("model", "r_squared", "nobs"), items = "item")
  for (el in names(need)) {
    if (is.null(x[[el]])) next
    check_data_frame(x[[el]], paste0("x$", el))
    check_columns_present(x[[el]], need[[el]], paste0("x$", el))
    if ("model" %in% need[[el]]) x[[el]]$model <- as.character(x[[el]]$model)
  }
  if (!is.null(x$regression)) x$regression$term <- as.character(x$regression$term)
  if (!is.null(x$fit)) {
    dup <- x$fit$model[duplicated(x$fit$model)]
    if (length(dup)) {
      dm_abort(sprintf("`x$fit` must have one row per model; %s appear%s more than once.",
                       show_values(dup), if (length(unique(dup)) > 1) "" else "s"), type = "input")
    }
    n <- printed_number(x$fit$nobs, "x$fit$nobs", 0)$value
    bad <- !is.na(n) & (n != round(n) | n < 2 | n > .Machine$integer.max)
    if (any(bad)) {
      dm_abort(sprintf("`x$fit$nobs` must be whole numbers from 2 to %d; you passed %s.",
                       .Machine$integer.max,
                       show_values(n[bad])), type = "input")
    }
  }
  x
}

# k per model: the argument, else the fit's k column, else the non-intercept terms.
resolve_k <- function(k, models, reg, fit) {
  out <- stats::setNames(rep(NA_real_, length(models)), models)
  if (!is.null(reg)) {
    cnt <- tapply(!reg$term %in% intercept_names, reg$model, sum)
    out[names(cnt)] <- cnt
  }
  if (!is.null(fit) && "k" %in% names(fit)) {
    fk <- as.numeric(fit$k)
    out[fit$model[!is.na(fk)]] <- fk[!is.na(fk)]
  }
  if (!is.null(k)) {
    ok <- is.numeric(k) && is.null(dim(k)) && length(k) >= 1L &&
      all(!is.na(k) & k >= 1 & k == round(k) & k <= .Machine$integer.max)
    if (!ok) {
      dm_abort(sprintf("`k` must be whole numbers of at least 1 (one, or one per model named by model); you passed %s.",
                       if (is.null(k)) "NULL" else if (!is.atomic(k))
                         sprintf("an object of class '%s'", class(k)[1]) else show_values(k)),
               type = "input")
    }
    if (is.null(names(k))) {
      if (length(k) != 1L) {
        dm_abort(sprintf("`k` must be one number or a vector named by model; you passed %d unnamed values.",
                         length(k)), type = "input")
      }
      out[] <- k
    } else {
      bad <- setdiff(names(k), models)
      if (length(bad)) {
        dm_abort(sprintf("`k` names model%s that `x` does not have: %s. The models are %s.",
                         if (length(bad) > 1) "s" else "", show_values(bad), show_values(models, 50L)),
                 type = "input")
      }
      out[names(k)] <- k
    }
  }
  as.list(out)
}

# What a model's printed R2, N and k imply for its adjusted R2 and F, the stars of
# the printed F, and the (N, k) pairs consistent with all of them. `f` is one row of
# the fit table.
check_fit_consistency <- function(f, k, digits, stars) {
  get <- function(col) if (col %in% names(f)) printed_number(f[[col]], paste0("x$fit$", col), digits) else
    list(value = NA_real_, decimals = NA_integer_, text = NA_character_)
  r2 <- printed_number(f$r_squared, "x$fit$r_squared", digits)
  n <- printed_number(f$nobs, "x$fit$nobs", 0)$value
  ctx <- list(m = f$model, r2 = r2, n = n, k = k, adj = get("adj_r_squared"),
              fs = get("f_statistic"), r2_lo = max(0, r2$value - half_unit(r2$decimals)),
              r2_hi = min(1, r2$value + half_unit(r2$decimals)), df2 = n - k - 1, no_k = is.na(k))
  rows <- c(if (!is.na(ctx$adj$value)) fit_check_adjusted(ctx),
            if (!is.na(ctx$fs$value)) fit_check_f(ctx, f, stars))
  nk <- if ((!is.na(ctx$adj$value) || !is.na(ctx$fs$value)) && !ctx$no_k && !is.na(r2$value))
    fit_check_nk(ctx)
  list(checks = do.call(rbind, c(list(empty_checks()), rows, if (!is.null(nk)) list(nk$row))),
       nk_pairs = nk$pairs)
}

# The printed adjusted R2 against the interval implied by the printed R2, N and k
# (`ctx` of check_fit_consistency()); one check row in a list.
fit_check_adjusted <- function(ctx) {
  m <- ctx$m; r2 <- ctx$r2; n <- ctx$n; k <- ctx$k; adj <- ctx$adj; fs <- ctx$fs
  r2_lo <- ctx$r2_lo; r2_hi <- ctx$r2_hi; df2 <- ctx$df2; no_k <- ctx$no_k
  lo <- adjusted_r2(r2_lo, n, k)
  hi <- adjusted_r2(r2_hi, n, k)
  ok <- if (no_k || is.na(r2$value) || df2 < 1) NA else
    overlaps(lo, hi, adj$value - half_unit(adj$decimals), adj$value + half_unit(adj$decimals))
  expl <- if (is.na(ok)) sprintf("%s: the adjusted R2 cannot be checked without R2, N and k.", m) else
    if (ok) sprintf("%s: the printed adjusted R2 %s follows from R2 %s, N = %d and k = %d (%s to %s).",
                    m, adj$text, r2$text, n, k, fmt_num(lo, 4), fmt_num(hi, 4)) else
    sprintf(paste0("%s: the printed adjusted R2 %s does not follow from R2 %s, N = %d and k = %d as printed, ",
                   "which imply %s to %s (over the rounding interval of R2)."),
            m, adj$text, r2$text, n, k, fmt_num(lo, 4), fmt_num(hi, 4))
  list(check_row(m, NA_character_, "adj_r_squared", adj$text, lo, hi,
                 sprintf("%s to %s", fmt_num(lo, 4), fmt_num(hi, 4)), ok, expl))
}

# The printed F (and its stars) against the classical F implied by the printed R2 and N.
fit_check_f <- function(ctx, f, stars) {
  m <- ctx$m; r2 <- ctx$r2; n <- ctx$n; k <- ctx$k; adj <- ctx$adj; fs <- ctx$fs
  r2_lo <- ctx$r2_lo; r2_hi <- ctx$r2_hi; df2 <- ctx$df2; no_k <- ctx$no_k
  rows <- list()
  lo <- classical_f(r2_lo, n, k)
  hi <- classical_f(r2_hi, n, k)
  ok <- if (no_k || is.na(r2$value) || df2 < 1) NA else
    overlaps(lo, hi, fs$value - half_unit(fs$decimals), fs$value + half_unit(fs$decimals))
  expl <- if (is.na(ok)) sprintf("%s: the F cannot be checked without R2, N and k.", m) else
    if (ok) sprintf("%s: the printed F %s is the classical F(%d, %d) implied by R2 %s (%s to %s).",
                    m, fs$text, k, df2, r2$text, fmt_num(lo, 2), fmt_num(hi, 2)) else
    sprintf(paste0("%s: the printed F %s is not the classical F(%d, %d) = %s to %s implied by the printed ",
                   "R2 %s and N = %d. A robust (Wald) F does not follow from R2 and cannot be ",
                   "checked this way; if the table's F is robust, say so beside it."),
            m, fs$text, k, df2, fmt_num(lo, 2), fmt_num(hi, 2), r2$text, n)
  rows <- c(rows, list(check_row(m, NA_character_, "f_statistic", fs$text, lo, hi,
                                 sprintf("%s to %s", fmt_num(lo, 2), fmt_num(hi, 2)), ok, expl)))
  if ("f_stars_printed" %in% names(f) && !no_k && df2 >= 1) {
    lev <- star_level(f$f_stars_printed, stars, "x$fit$f_stars_printed")
    p_lo <- stats::pf(fs$value + half_unit(fs$decimals), k, df2, lower.tail = FALSE)
    p_hi <- stats::pf(max(0, fs$value - half_unit(fs$decimals)), k, df2, lower.tail = FALSE)
    levs <- star_level(stars_of(c(p_hi, p_lo), stars), stars, "stars")
    ok <- lev >= levs[1] && lev <= levs[2]
    implied <- stars_of(p_lo, stars)
    expl <- sprintf("%s: the printed F %s%s on (%d, %d) df has %s, which gives %s.", m, fs$text,
                    show_star(f$f_stars_printed), k, df2, p_range_text(p_lo, p_hi),
                    stars_words(stars_of(c(p_hi, p_lo), stars)))
    rows <- c(rows, list(check_row(m, NA_character_, "f_stars", paste0(fs$text, f$f_stars_printed),
                                   p_lo, p_hi, implied, ok, expl)))
  }
  rows
}

# The (N, k) pairs with which everything printed holds together, and the check of the
# printed N against them.
fit_check_nk <- function(ctx) {
  m <- ctx$m; r2 <- ctx$r2; n <- ctx$n; k <- ctx$k; adj <- ctx$adj; fs <- ctx$fs
  r2_lo <- ctx$r2_lo; r2_hi <- ctx$r2_hi; df2 <- ctx$df2; no_k <- ctx$no_k
  ks <- seq(max(1, k - 2), k + 2)
  found <- lapply(ks, function(kk) {
    ns <- seq(kk + 2, max(2000, 3 * n))
    ok <- rep(TRUE, length(ns))
    if (!is.na(adj$value)) {
      ok <- ok & overlaps(adjusted_r2(r2_lo, ns, kk), adjusted_r2(r2_hi, ns, kk),
                          adj$value - half_unit(adj$decimals), adj$value + half_unit(adj$decimals))
    }
    if (!is.na(fs$value)) {
      ok <- ok & overlaps(classical_f(r2_lo, ns, kk), classical_f(r2_hi, ns, kk),
                          fs$value - half_unit(fs$decimals), fs$value + half_unit(fs$decimals))
    }
    ns[ok]
  })
  names(found) <- ks
  nk_pairs <- do.call(rbind, lapply(seq_along(ks), function(i) {
    v <- found[[i]]
    if (!length(v)) return(NULL)
    brk <- c(0L, which(diff(v) != 1L), length(v))
    data.frame(model = m, k = as.integer(ks[i]), n_low = as.integer(v[brk[-length(brk)] + 1L]),
               n_high = as.integer(v[brk[-1L]]), stringsAsFactors = FALSE)
  }))
  at_k <- found[[as.character(k)]]
  ok <- n %in% at_k
  what <- paste(c(if (!is.na(adj$value)) paste("adjusted R2", adj$text),
                  if (!is.na(fs$value)) paste("F", fs$text)), collapse = " and ")
  pairs <- vapply(seq_along(ks), function(i) if (length(found[[i]]))
    sprintf("N = %s with k = %d", show_runs(found[[i]]), ks[i]) else NA_character_, character(1))
  pairs <- pairs[!is.na(pairs)]
  expl <- if (ok) sprintf("%s: the printed R2, %s hold together with the printed N = %d and k = %d.",
                          m, what, n, k) else
    sprintf("%s: the printed R2 %s, %s do not hold together with the printed N = %d and k = %d; they fit %s.",
            m, r2$text, what, n, k, if (length(pairs)) paste(pairs, collapse = ", or ") else
              sprintf("no N with k = %d to %d", min(ks), max(ks)))
  row <- check_row(m, NA_character_, "nobs", format(n),
                   if (length(at_k)) min(at_k) else NA_real_,
                   if (length(at_k)) max(at_k) else NA_real_,
                   sprintf("N = %s", show_runs(at_k)), ok, expl)
  list(row = row, pairs = nk_pairs)
}

# p-value range of t = b / se over the rounding box of the printed b and se.
t_p_range <- function(b_lo, b_hi, se_lo, se_hi, df, alternative) {
  se_lo <- max(se_lo, .Machine$double.xmin)
  corners <- c(b_lo / se_lo, b_lo / se_hi, b_hi / se_lo, b_hi / se_hi)
  if (alternative == "greater") {
    return(c(stats::pt(max(corners), df, lower.tail = FALSE),
             stats::pt(min(corners), df, lower.tail = FALSE)))
  }
  amax <- max(abs(corners))
  amin <- if (b_lo <= 0 && b_hi >= 0) 0 else min(abs(corners))
  c(2 * stats::pt(amax, df, lower.tail = FALSE), 2 * stats::pt(amin, df, lower.tail = FALSE))
}

# The printed stars of each term against t tests of its printed estimate and s.e.
check_reported_stars <- function(reg, fit, ks, alternative, digits, stars) {
  b <- printed_number(reg$estimate, "x$regression$estimate", digits)
  se <- printed_number(reg$std_error, "x$regression$std_error", digits)
  lev <- star_level(reg$stars_printed, stars, "x$regression$stars_printed")
  other <- if (alternative == "greater") "two.sided" else "greater"
  alt_words <- c(two.sided = "two-sided", greater = "one-sided (beta > 0)")
  out <- lapply(seq_len(nrow(reg)), function(i) {
    m <- reg$model[i]
    st <- trimws(ifelse(is.na(reg$stars_printed[i]), "", reg$stars_printed[i]))
    cell <- sprintf("%s%s (%s)", b$text[i], st, se$text[i])
    n <- if (!is.null(fit) && m %in% fit$model) printed_number(fit$nobs[fit$model == m], "x$fit$nobs", 0)$value else NA
    df <- n - ks[[m]] - 1
    if (is.na(df) || df < 1 || is.na(b$value[i]) || is.na(se$value[i])) {
      return(check_row(m, reg$term[i], "stars", cell, NA_real_, NA_real_, NA_character_, NA,
                       sprintf("%s, %s: the stars of %s cannot be checked without N and k of the model.",
                               m, reg$term[i], cell)))
    }
    hb <- half_unit(b$decimals[i])
    hs <- half_unit(se$decimals[i])
    box <- c(b$value[i] - hb, b$value[i] + hb, se$value[i] - hs, se$value[i] + hs)
    p <- t_p_range(box[1], box[2], box[3], box[4], df, alternative)
    levs <- star_level(stars_of(p, stars), stars, "stars")   # p[1] smallest p: most stars
    ok <- lev[i] >= levs[2] && lev[i] <= levs[1]
    if (!ok && lev[i] == 0L && reg$term[i] %in% intercept_names) {
      # many tables print the constant without stars: not a claim about its test
      return(check_row(m, reg$term[i], "stars", cell, p[1], p[2], stars_words(stars_of(p, stars)), NA,
                       sprintf("%s, %s: %s, the constant, is printed without stars (not checked).",
                               m, reg$term[i], cell)))
    }
    t_pt <- b$value[i] / se$value[i]
    implied <- stars_words(stars_of(p, stars))
    expl <- if (ok) {
      sprintf("%s, %s: %s fits t = %.2f on %d df (%s %s).", m, reg$term[i], cell, t_pt, df,
              alt_words[[alternative]], p_range_text(p[1], p[2]))
    } else {
      p2 <- t_p_range(box[1], box[2], box[3], box[4], df, other)
      sprintf(paste0("%s, %s: %s is printed with %s, but t = %.2f on %d df (N - k - 1) gives a %s %s ",
                     "within rounding: %s. A %s test gives %s."),
              m, reg$term[i], cell, if (nzchar(st)) st else "no stars", t_pt, df, alt_words[[alternative]],
              p_range_text(p[1], p[2]), implied, alt_words[[other]],
              stars_words(stars_of(p2, stars)))
    }
    check_row(m, reg$term[i], "stars", cell, p[1], p[2], implied, ok, expl)
  })
  do.call(rbind, out)
}
