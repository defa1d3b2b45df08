# dm_table() of dm_lm fits: the specification of a regression table (header, rows of
# cells with their kind, notes), rendered by R/table-render.R.

# The fits of `models` as a named list of dm_lm.
table_models <- function(models) {
  if (inherits(models, "dm_lm")) models <- list(`(1)` = models)
  if (inherits(models, c("lm", "glm", "lm_robust", "fixest"))) {
    cls <- class(models)[1]
    dm_abort(sprintf("`models` is %s %s fit (class '%s'), not a dm_lm fit; refit it with dm_lm() (the same formula and data, plus cluster = ~municipality for respondents nested in municipalities).",
                     if (grepl("^(lm|mlm|lm_robust)$", cls)) "an" else "a", cls,
                     paste(class(models), collapse = "', '")), type = "input")
  }
  if (inherits(models, "dm_mlm")) {
    fits <- NULL
    for (el in c("fits", "models")) if (is.list(models[[el]])) fits <- models[[el]]
    if (is.null(fits) && length(models) && all(vapply(models, inherits, logical(1), "dm_lm"))) {
      fits <- unclass(models)
    }
    if (is.null(fits)) {
      dm_abort("`models` is a dm_mlm without per-outcome fits to tabulate; pass a named list of dm_lm fits.",
               type = "input")
    }
    models <- fits
  }
  if (!is.list(models) || !length(models)) {
    dm_abort(sprintf("`models` must be a named list of dm_lm fits, a dm_lm fit or a dm_agree() result; you passed %s.",
                     if (is.list(models)) "an empty list" else sprintf("an object of class '%s'", class(models)[1])),
             type = "input")
  }
  bad <- which(!vapply(models, inherits, logical(1), "dm_lm"))
  other <- bad[vapply(models[bad], inherits, logical(1), c("lm", "glm", "lm_robust", "fixest"))]
  if (length(other)) {
    dm_abort(sprintf("`models` holds %s of class %s (element%s %s), not dm_lm fits; refit %s with dm_lm().",
                     if (length(other) > 1) "fits" else "a fit",
                     show_values(vapply(models[other], function(m) class(m)[1], character(1))),
                     if (length(other) > 1) "s" else "", show_rows(other),
                     if (length(other) > 1) "them" else "it"), type = "input")
  }
  if (length(bad)) {
    dm_abort(sprintf("`models` must hold dm_lm fits only; element%s %s %s of class %s.",
                     if (length(bad) > 1) "s" else "", show_rows(bad), if (length(bad) > 1) "are" else "is",
                     show_values(vapply(models[bad], function(m) class(m)[1], character(1)))),
             type = "input")
  }
  nm <- names(models)
  if (is.null(nm)) nm <- rep("", length(models))
  nm[!nzchar(nm)] <- sprintf("(%d)", which(!nzchar(nm)))
  names(models) <- make.unique(nm, sep = " ")
  models
}

fmt_fixed <- function(v, digits, leading_zero) {
  out <- sprintf("%.*f", as.integer(digits), v)
  out[out == sprintf("-%.*f", as.integer(digits), 0)] <- sprintf("%.*f", as.integer(digits), 0)
  if (!leading_zero) out <- sub("^(-?)0\\.", "\\1.", out)
  out[is.na(v)] <- ""
  out
}

# The specification of a regression table: header, rows (kind + cells), notes.
lm_table_spec <- function(models, lab, blocks, stars, digits, stat, fit, leading_zero) {
  w <- lab$words
  tidies <- lapply(models, tidy.dm_lm)
  glances <- lapply(models, glance.dm_lm)
  all_terms <- unique(unlist(lapply(tidies, `[[`, "term")))
  intercept <- intersect(all_terms, "(Intercept)")
  groups <- table_blocks(blocks, setdiff(all_terms, intercept), lab)
  fmt <- function(v) fmt_fixed(v, digits, leading_zero)

  # a cell in three parts (estimate, stars, what stands beside it), so that LaTeX and
  # Word can align the estimates and the bracketed numbers on their decimal points
  part <- function(td, term) {
    r <- td[td$term == term, , drop = FALSE]
    if (!nrow(r)) return(c("", "", ""))
    if (is.na(r$estimate)) return(c("(aliased)", "", ""))
    beside <- switch(stat,
      se = if (is.na(r$std.error)) "" else sprintf("(%s)", fmt(r$std.error)),
      t = if (is.na(r$statistic)) "" else sprintf("(%s)", fmt_fixed(r$statistic, 2, leading_zero)),
      ci = if (is.na(r$conf.low)) "" else sprintf("[%s, %s]", fmt(r$conf.low), fmt(r$conf.high)))
    c(fmt(r$estimate), stars_of(r$p.value, stars), beside)
  }
  rows <- list()
  add <- function(kind, cells, parts = NULL, indent = 0L) {
    rows[[length(rows) + 1L]] <<- list(kind = kind, cells = cells, parts = parts, indent = indent)
  }
  add_term <- function(term, label, indent = 0L) {
    parts <- vapply(tidies, part, character(3), term = term)
    add("term", c(label, parts_text(parts)), parts, indent)
  }
  factors <- table_factor_terms(models)
  done <- character()
  for (g in groups) {
    if (!is.null(g$heading)) add("heading", g$heading)
    for (term in g$terms) {
      if (term %in% done) next
      f <- factors[factors$term == term, , drop = FALSE]
      if (!nrow(f)) {
        add_term(term, term_label(term, lab, models))
        next
      }
      # a factor: its variable, the reference level and each level below it
      lev <- factors[factors$variable == f$variable & factors$term %in% g$terms, , drop = FALSE]
      add("term", c(term_label(f$variable, lab, models), rep("", length(models))),
          matrix("", 3L, length(models)))
      if (!is.na(f$reference)) {
        add("reference", c(sprintf(w[["reference"]], f$reference), rep("\u2014", length(models))),
            matrix(c("\u2014", "", ""), 3L, length(models)), indent = 1L)
      }
      for (k in seq_len(nrow(lev))) {
        add_term(lev$term[k], if (lev$term[k] %in% names(lab$terms)) lab$terms[[lev$term[k]]] else lev$level[k], 1L)
      }
      done <- c(done, lev$term)
    }
  }
  for (term in intercept) {
    add_term(term, if (term %in% names(lab$terms)) lab$terms[[term]] else w[["Constant"]])
  }
  rows <- c(rows, lm_fit_rows(glances, fit, fmt, stars, w))

  # few clusters: one warning for the table, one note line naming the models
  few <- lapply(names(models), function(nm) {
    g <- glances[[nm]]
    few_clusters_check(models[[nm]], df = tidies[[nm]]$df,
                       df2 = if ("statistic" %in% fit && identical(g$statistic_type, "HTZ")) g$df_denominator)
  })
  names(few) <- names(models)
  few <- few[!vapply(few, is.null, logical(1))]
  few_note <- if (length(few)) table_few_clusters(few, w)
  notes <- c(w[[paste0(stat, "_note")]],
             vapply(names(models), function(nm) model_note(models[[nm]], glances[[nm]], nm, w, lab$lang),
                    character(1)),
             few_note,
             paste(w[["stars"]], paste(sprintf("%s p < %s", names(stars),
                                               star_threshold_text(stars)),
                                       collapse = ", ")))
  list(header = c(w[["predictor"]], names(models)), rows = rows, notes = unname(notes),
       align = c("l", rep("r", length(models))), type = "lm")
}

# The fit rows of a regression table (R-squared, the overall test, N, ...), the first
# of kind "fit_first" (a rule above it).
lm_fit_rows <- function(glances, fit, fmt, stars, w) {
  rows <- list()
  types <- vapply(glances, function(g) g$statistic_type, character(1))
  tag <- c(`F (classical)` = "F", `Wald F` = "Wald", HTZ = "HTZ", none = "")
  first_fit <- TRUE
  for (f in fit) {
    vals <- vapply(glances, function(g) {
      switch(f,
        r.squared = fmt(g$r.squared), adj.r.squared = fmt(g$adj.r.squared),
        sigma = fmt(g$sigma), nobs = format(g$nobs),
        n_clusters = if (is.na(g$n_clusters)) "" else format(g$n_clusters),
        statistic = if (is.na(g$statistic)) "" else
          paste0(fmt(g$statistic), stars_of(g$p.value, stars),
                 if (length(unique(types)) > 1L) sprintf(" [%s]", tag[[g$statistic_type]]) else ""))
    }, character(1))
    if (f == "n_clusters" && all(!nzchar(vals))) next
    label <- if (f == "statistic") {
      if (length(unique(types)) > 1L) w[["mixed"]] else
        switch(types[1], `F (classical)` = w[["statistic"]], `Wald F` = w[["wald"]],
               HTZ = w[["htz"]], w[["mixed"]])
    } else w[[f]]
    rows[[length(rows) + 1L]] <- list(kind = if (first_fit) "fit_first" else "fit", cells = c(label, vals),
                                      parts = fit_parts(vals), indent = 0L)
    first_fit <- FALSE
  }
  rows
}

# The note line (in the table's language) and the one warning of a table whose models
# have too few clusters for their t and F tests (see ?few_clusters).
table_few_clusters <- function(few, w) {
  each <- vapply(names(few), function(nm) {
    f <- few[[nm]]
    sprintf("%s: G = %d%s", nm, f$G,
            if (is.na(f$df_min)) "" else sprintf(", %s %s", w[["few_df"]], format(signif(f$df_min, 2))))
  }, character(1))
  dm_warn(sprintf(paste0("`models` has %s with too few clusters for the t and F reference ",
                         "distributions of %s stars and tests: %s. Look at the clusters with ",
                         "dm_cluster_summary() and test with the wild cluster bootstrap, dm_wild(); ",
                         "the rule and its sources: ?few_clusters."),
                  if (length(few) > 1) sprintf("%d fits", length(few)) else "a fit",
                  if (length(few) > 1) "their" else "its",
                  paste(vapply(names(few), function(nm) {
                    f <- few[[nm]]
                    sprintf("'%s' (%s, %d clusters%s%s)", nm, f$type, f$G,
                            if (is.na(f$label)) "" else paste0(" of ", f$label),
                            if (is.na(f$df_min)) "" else sprintf(", smallest df %s", format(signif(f$df_min, 2))))
                  }, character(1)), collapse = ", ")),
          type = "few_clusters", call = NULL)
  sprintf(w[["few_clusters"]], paste(each, collapse = "; "))
}

# ".10", ".05", ".001"
star_threshold_text <- function(stars) {
  dec <- vapply(unname(stars), function(a) {
    for (d in 2:8) if (abs(a * 10^d - round(a * 10^d)) < 1e-9) return(d)
    8L
  }, integer(1))
  sub("^0\\.", ".", sprintf("%.*f", dec, unname(stars)))
}

# "efficiency: classical (OLS) s.e.; t tests on n - k df (284); overall test: F(13, 284)."
# A weighted fit adds how it was weighted, a finite population correction its N.
model_note <- function(m, g, name, w, lang = "en") {
  vc <- if (identical(m$vcov_type, "classical")) w[["classical"]] else
    sprintf("%s (%s)", w[["robust"]], m$vcov_type)
  if (!is.null(m$cluster) && !is.na(m$n_clusters)) {
    cl <- cluster_label(m)
    vc <- paste0(vc, ", ", sprintf(w[["clustered"]], if (is.na(cl)) "cluster" else cl, as.integer(m$n_clusters)))
    N <- attr(m$cluster, "fpc")
    if (!is.null(N)) vc <- paste0(vc, ", ", sprintf(w[["fpc"]], format(N)))
  }
  ww <- weights_words(m, lang)
  if (!is.null(ww)) vc <- paste0(vc, "; ", ww)
  rule <- switch(m$df_rule,
    "n - k" = sprintf("n - k = %d", as.integer(m$df.residual)),
    "G - 1" = sprintf("G - 1 = %d", as.integer(m$n_clusters - 1)),
    Satterthwaite = w[["satterthwaite"]], m$df_rule)
  test <- switch(g$statistic_type,
    `F (classical)` = sprintf("F(%d, %d)", as.integer(g$df), as.integer(round(g$df_denominator))),
    `Wald F` = sprintf("Wald F(%d, %s) %s", as.integer(g$df), format(round(g$df_denominator, 1)), m$vcov_type),
    HTZ = sprintf("HTZ Wald F(%d, %s) %s", as.integer(g$df), format(round(g$df_denominator, 1)), m$vcov_type),
    w[["none"]])
  sprintf("%s: %s; %s; %s.", name, vc, sprintf(w[["df"]], rule), sprintf(w[["ftest"]], test))
}

# Blocks as a list of list(heading, terms), over the terms the models have.
table_blocks <- function(blocks, terms, lab) {
  if (is.null(blocks)) return(list(list(heading = NULL, terms = terms)))
  if (identical(blocks, "study")) {
    blocks <- lapply(study_block_terms(), intersect, terms)
    names(blocks) <- study_blocks[[lab$lang]][names(blocks)]
    blocks <- blocks[lengths(blocks) > 0]
  } else {
    ok <- is.list(blocks) && length(blocks) && !is.null(names(blocks)) && all(nzchar(names(blocks))) &&
      all(vapply(blocks, is.character, logical(1)))
    if (!ok) {
      dm_abort(sprintf("`blocks` must be NULL, \"study\" or a named list of term names per block; you passed %s.",
                       if (is.character(blocks)) show_values(blocks) else
                         sprintf("an object of class '%s'", class(blocks)[1])), type = "input")
    }
    unknown <- setdiff(unlist(blocks), terms)
    if (length(unknown)) {
      dm_abort(sprintf("`blocks` names term%s that no model has: %s. The terms are %s.",
                       if (length(unknown) > 1) "s" else "", show_values(unknown),
                       show_values(terms, 50L)), type = "input")
    }
  }
  rest <- setdiff(terms, unlist(blocks))
  out <- lapply(names(blocks), function(h) list(heading = h, terms = blocks[[h]]))
  if (length(rest)) out <- c(out, list(list(heading = NULL, terms = rest)))
  out
}

# The cells of a row from its parts: "0.417*** (0.057)".
parts_text <- function(parts) {
  out <- paste0(parts[1, ], parts[2, ], ifelse(nzchar(parts[3, ]), paste0(" ", parts[3, ]), ""))
  unname(out)
}

# A fit row's values in parts: the number, its stars, a bracketed tag ("[HTZ]").
fit_parts <- function(vals) {
  m <- regmatches(vals, regexec("^([^ *+]*)([^ 0-9.-]*)(?: (.*))?$", vals))
  vapply(seq_along(vals), function(i) {
    p <- m[[i]]
    if (length(p) < 4L) c(vals[i], "", "") else c(p[2], p[3], p[4])
  }, character(3))
}

# The factor terms of the models: one row per coefficient of a factor's level (or of a
# polynomial contrast), with its variable, its level and the reference level (NA when
# the coding has none). Treatment coding names coefficients variable + level.
table_factor_terms <- function(models) {
  poly_words <- c(.L = "linear", .Q = "quadratic", .C = "cubic")
  out <- list()
  for (m in models) {
    for (v in names(m$contrasts)) {
      ctr <- m$contrasts[[v]]
      lev <- m$xlevels[[v]]
      if (is.null(lev) && is.logical(m$model[[v]])) lev <- c("FALSE", "TRUE")
      if (is.null(lev) || !is.character(ctr)) next
      if (ctr %in% c("contr.treatment", "contr.SAS")) {
        ref <- if (ctr == "contr.SAS") lev[length(lev)] else lev[1]
        shown <- setdiff(lev, ref)
        out[[length(out) + 1L]] <- data.frame(term = paste0(v, shown), variable = v, level = shown,
                                              reference = ref)
      } else if (ctr == "contr.poly") {
        suffix <- c(".L", ".Q", ".C", paste0("^", seq_len(max(0L, length(lev) - 4L)) + 3L))[seq_len(length(lev) - 1L)]
        words <- ifelse(suffix %in% names(poly_words), poly_words[suffix], sub("^\\^", "degree ", suffix))
        out[[length(out) + 1L]] <- data.frame(term = paste0(v, suffix), variable = v, level = unname(words),
                                              reference = NA_character_)
      }
    }
  }
  out <- do.call(rbind, c(list(data.frame(term = character(), variable = character(), level = character(),
                                          reference = character())), out))
  out[!duplicated(out$term), , drop = FALSE]
}
