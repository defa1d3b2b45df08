# dm_table() of a dm_benchmark() result: the agency's overview, one row per unit with its
# EB estimate and interval per dimension, the peer groups and all units, small cells
# suppressed (R/benchmark-suppress.R). Rendered by R/table-render.R.

# The suppression of the overview for every dimension: a list per dimension of
# overview_suppression() results, plus the units' n and the group levels.
benchmark_overview_suppression <- function(x, complementary = TRUE) {
  u <- x$units
  ins <- attr(x, "instrument")
  dims <- unique(u$dimension)
  grouped <- identical(attr(x, "peers")$type, "column")
  stats::setNames(lapply(dims, function(d) {
    ud <- u[u$dimension == d, ]
    rng <- c(min(ins$scale_min[ins$dimension == d]), max(ins$scale_max[ins$dimension == d]))
    raw <- ud$estimate
    ok <- ud$reliability > 0
    mo <- x$model[x$model$dimension == d, ]
    raw[ok] <- mo$mu + (ud$estimate[ok] - mo$mu) / ud$reliability[ok]  # the raw mean it reveals
    overview_suppression(ud$n, if (grouped) ud$peer_group else rep(NA_character_, nrow(ud)),
                         raw, rng, attr(x, "min_n"), complementary = complementary,
                         levels = peer_levels(x))
  }), dims)
}

benchmark_table_spec <- function(x, lang, digits = 2L, complementary = TRUE) {
  w <- benchmark_words[[lang]]
  u <- x$units
  ins <- attr(x, "instrument")
  dims <- unique(u$dimension)
  ids <- unique(u$unit)
  sup <- benchmark_overview_suppression(x, complementary)
  grouped <- identical(attr(x, "peers")$type, "column")
  mark <- w[["suppressed_mark"]]
  num <- function(v) formatC(v, format = "f", digits = digits)
  cell <- function(d, j) {
    r <- u[u$dimension == d & u$unit == ids[j], ]
    if (!r$reportable) return(w[["not_reportable_mark"]])
    if (sup[[d]]$unit[j]) return(mark)
    sprintf("%s [%s, %s]", num(r$estimate), num(r$conf.low), num(r$conf.high))
  }
  n_of <- function(j) max(u$n[u$unit == ids[j]])
  rows <- list()
  add <- function(kind, cells) rows[[length(rows) + 1L]] <<- list(kind = kind, cells = cells)
  grp <- u$peer_group[match(ids, u$unit)]
  glev <- if (grouped) peer_levels(x) else character()
  order_units <- if (grouped) order(match(grp, glev), seq_along(ids)) else seq_along(ids)
  current <- NULL
  for (j in order_units) {
    if (grouped && !identical(current, grp[j])) {
      current <- grp[j]
      add("heading", sprintf("%s: %s", w[["peer_group"]], if (is.na(current)) "-" else current))
    }
    add("term", c(unit_name(ids[j], x, lang), format(n_of(j)), vapply(dims, cell, "", j = j)))
  }
  # the groups and all units: respondent means
  first <- TRUE
  for (g in glev) {
    cells <- vapply(dims, function(d) {
      if (sup[[d]]$group[match(g, glev)]) return(mark)
      num(u$peer_mean[u$dimension == d & u$peer_group %in% g][1])
    }, "")
    add(if (first) "fit_first" else "fit",
        c(sprintf("%s %s", w[["peer_group"]], g), format(sum(vapply(which(grp %in% g), n_of, 0))), cells))
    first <- FALSE
  }
  all_cells <- vapply(dims, function(d) if (sup[[d]]$all) mark else num(u$all_mean[u$dimension == d][1]), "")
  add(if (first) "fit_first" else "fit", c(w[["all_units"]], format(sum(vapply(seq_along(ids), n_of, 0))), all_cells))
  mo <- x$model
  conf <- format(100 * attr(x, "conf_level"))
  notes <- c(sprintf(w[["overview_note"]], conf),
             sprintf(w[["suppression_note"]], mark, attr(x, "min_n")),
             sprintf(w[["not_reportable_note"]], w[["not_reportable_mark"]]),
             sprintf(w[["model_note"]], paste(sprintf("%s: mu = %.3f, tau2 = %.4f, sigma2 = %.4f",
                                                      dimension_label(mo$dimension, lang, ins), mo$mu,
                                                      mo$tau2, mo$sigma2), collapse = "; ")))
  list(header = c(w[["unit"]], w[["n"]], dimension_label(dims, lang, ins)),
       rows = rows, notes = notes, align = c("l", "r", rep("r", length(dims))))
}

# The peer groups in their order (a factor's levels), as overview_suppression() numbers them.
peer_levels <- function(x) {
  u <- x$units
  attr(x, "peers")$levels %||% sort(unique(u$peer_group[!is.na(u$peer_group)]))
}

# How a unit is named: numeric ids as "Municipality 12" / "Gemeente 12", others as is.
unit_name <- function(id, x, lang) {
  if (isTRUE(grepl("^[0-9]+$", id))) sprintf("%s %s", benchmark_words[[lang]][["municipality"]], id) else id
}
