# dm_invariance(): do the items measure the dimensions equally across groups? The chain
# configural -> metric -> scalar (-> strict), each model built by semTools'
# measEq.syntax() (Wu & Estabrook 2016 identification for ordered items) and fitted by
# lavaan, with scaled chi-square difference tests and changes in CFI / RMSEA, and an
# automated partial-invariance search by the score test when a step fails.

#' Measurement invariance across groups, with a partial-invariance search
#'
#' Fits the instrument's measurement model ([dm_cfa_syntax()]) in each group
#' and tightens it step by step: `"configural"` (the same factors and items,
#' all parameters free), `"metric"` (equal loadings), `"scalar"` (equal
#' loadings and thresholds, or intercepts for continuous items) and, if
#' asked, `"strict"` (also equal residual variances). Every model is the one
#' `semTools::measEq.syntax()` writes for that level, with the
#' identification of Wu and Estabrook (2016) for ordered items (`ID.cat =
#' "Wu.Estabrook.2016"`, delta parameterization, or theta when `"strict"` is
#' asked for, since residual variances of the latent responses are
#' parameters only there; factor variances fixed at 1 in the first group)
#' and fitted by lavaan. Each step is compared with
#' the previous accepted model by the scaled chi-square difference test
#' (`lavaan::lavTestLRT()`: Satorra 2000 for WLSMV, Satorra-Bentler 2001
#' for MLR; when that statistic comes out negative, as it can in small
#' samples, the strictly positive Satorra-Bentler 2010 version) and by the change in CFI and RMSEA (the robust versions where
#' lavaan gives them).
#'
#' @section Decision rule and partial-invariance search:
#' A step *fails* when any of `criteria` is met: the difference test has
#' `p < criteria["p"]`, CFI drops by more than `-criteria["delta_cfi"]`, or
#' RMSEA rises by more than `criteria["delta_rmsea"]` (the defaults .05,
#' -.010 and .015 follow Chen 2007; set `p = 0` to judge by the fit
#' indices alone, as Cheung and Rensvold 2002 advise for large samples).
#'
#' When a step fails and `partial = TRUE`, the search frees one parameter
#' at a time: among the equality constraints that the step added (loadings,
#' thresholds or intercepts, residual variances) and that are still in
#' place, the one with the largest univariate score statistic
#' (`lavaan::lavTestScore()`, the modification index of the constraint) is
#' freed in every group, the model is refitted and tested again against the
#' previous accepted model. The search stops
#' 1. when the step no longer fails (the step is then accepted as *partial*
#'    invariance, with the freed parameters listed), or
#' 2. when no remaining constraint of the step has a score test with
#'    p < `criteria["p"]` / (number of the step's constraints) (Bonferroni;
#'    nothing left that the data point at), or
#' 3. after `max_free` freed parameters (by default a fifth of the step's
#'    parameters: beyond that, "partial" invariance is no longer
#'    invariance, Steenkamp and Baumgartner 1998 ask for at least two
#'    invariant items per factor).
#'
#' In cases 2 and 3 the step is reported as failed and the later steps are
#' not fitted (they presuppose it). A search is exploratory: the freed
#' parameters are findings about these data; confirm them in other data.
#'
#' @section Progress and interrupts:
#' In an interactive session a run that lasts more than a few seconds shows a
#' progress bar over the lavaan fits of the chain and of the search, one step
#' per model (\pkg{cli}; drawn after cli's `cli.progress_show_after`, 2 s by
#' default); scripts, knitr documents and tests show none unless
#' `options(digimaturity.progress = TRUE)`, and `FALSE` turns the bars off
#' everywhere. Ctrl-C (an interrupt) stops the run between two fits (or
#' within lavaan's own fit). Neither changes the results.
#'
#' @inheritParams dm_cfa
#' @param group The column of `data` that defines the groups (a name or a
#'   one-sided formula such as `~population_class`). Each group needs more
#'   respondents than items (`digimaturity_error_small_group` otherwise);
#'   merge small groups first.
#' @param steps The steps to test, in order; `"configural"` always comes
#'   first. Default: configural, metric and scalar; add `"strict"` for equal
#'   residual variances.
#' @param partial If `TRUE` (the default), search for partial invariance when
#'   a step fails (see the section above).
#' @param criteria Named numbers: `p` (the level of the difference test and
#'   of the score tests), `delta_cfi` (the largest acceptable drop of CFI,
#'   negative) and `delta_rmsea` (the largest acceptable rise of RMSEA).
#' @param max_free The most parameters the search may free per step; by
#'   default a fifth of the step's constrained parameters (at least one).
#'
#' @return An object of class `dm_invariance`, a list: `steps` (a data frame,
#'   one row per model fitted: `step`, `model` (e.g. `"scalar"` or
#'   `"scalar (partial)"`), `npar`, `chisq`, `df` (the scaled statistic
#'   under WLSMV and MLR), `cfi`, `tli`, `rmsea`, `srmr`, `index_type`
#'   (`"robust"`, `"scaled"` or `""`: which version of the indices),
#'   `chisq_diff`, `df_diff`, `p_diff` (the difference test against the
#'   previous accepted model), `delta_cfi`, `delta_rmsea`, `n_freed` and
#'   `decision` (`"reference"`, `"holds"`, `"holds partially"`, `"fails"`,
#'   `"fails (partial search stopped)"`)), `freed` (one row per freed
#'   parameter: `step`, `order`, `parameter` (lavaan syntax), `type`,
#'   `dimension`, `item`, `between` (threshold codes), `score` (the score
#'   statistic when it was freed), `df`, `p.value`, `stop_rule`), `fits`
#'   (the lavaan fits of the accepted models), `syntax` (their
#'   `measEq.syntax()` text), `criteria`, `estimator`, `group`, `n`,
#'   `reading` (the result in one plain sentence, as printed), and the
#'   provenance attributes.
#'
#' @references
#' Wu, H., & Estabrook, R. (2016). Identification of confirmatory factor
#' analysis models of different levels of invariance for ordered
#' categorical outcomes. *Psychometrika*, 81(4), 1014-1045.
#'
#' Chen, F. F. (2007). Sensitivity of goodness of fit indexes to lack of
#' measurement invariance. *Structural Equation Modeling*, 14(3), 464-504.
#'
#' Cheung, G. W., & Rensvold, R. B. (2002). Evaluating goodness-of-fit
#' indexes for testing measurement invariance. *Structural Equation
#' Modeling*, 9(2), 233-255.
#'
#' Steenkamp, J.-B. E. M., & Baumgartner, H. (1998). Assessing measurement
#' invariance in cross-national consumer research. *Journal of Consumer
#' Research*, 25(1), 78-90.
#'
#' @section Errors:
#' Those of [dm_cfa()], `digimaturity_error_input` for a missing or
#' single-valued `group`, unknown `steps` or bad `criteria`, and
#' `digimaturity_error_convergence` when lavaan does not converge for a
#' model of the chain (the message names the step and what to try).
#' @family measurement
#' @export
#' @examplesIf requireNamespace("lavaan", quietly = TRUE) && requireNamespace("semTools", quietly = TRUE)
#' # staff against general directors, items as continuous (fast): equal loadings?
#' complete <- flanders_dm[flanders_dm$complete, ]
#' inv <- dm_invariance(complete, group = ~role, estimator = "ML", steps = c("configural", "metric"))
#' inv
#' \donttest{
#' # ordered items, Wu & Estabrook identification, up to equal thresholds
#' inv <- dm_invariance(flanders_dm, group = ~role, min_category = 5)
#' inv
#' dm_table(inv, lang = "nl")
#' }
dm_invariance <- function(data, items = dmm_items, group, estimator = c("WLSMV", "MLR", "ML"),
                          steps = c("configural", "metric", "scalar"), partial = TRUE,
                          criteria = c(p = 0.05, delta_cfi = -0.010, delta_rmsea = 0.015),
                          max_free = NULL, min_category = 1, missing_codes = NULL, ...) {
  check_dots_spelling(..., .fun = "dm_invariance()", .strict = TRUE)
  if (missing(items)) items <- bundled_items()
  if (missing(group) || is.null(group)) {
    dm_abort("`group` must name the column that defines the groups, e.g. `group = ~population_class`; you gave none.",
             type = "input")
  }
  estimator <- match_choice(estimator, c("WLSMV", "MLR", "ML"), "estimator")
  steps <- check_steps(steps)
  check_flag(partial, "partial")
  criteria <- check_criteria(criteria)
  if (!is.null(max_free)) check_scalar_number(max_free, "max_free", 0, Inf)
  need_measurement("dm_invariance()", c("lavaan", "semTools"))
  check_min_category(min_category)
  prep <- cfa_data(data, items, estimator, group = group, missing_codes = missing_codes,
                   min_category = min_category)
  if (length(prep$n) < 2L) {
    dm_abort(sprintf("`group` (data$%s) has a single group (%s) among the rows used: there is nothing to compare.",
                     prep$group, show_values(names(prep$n))), type = "input")
  }
  # residual variances of latent responses are parameters only under the theta
  # parameterization (measEq.syntax() refuses strict invariance under delta)
  prep$parameterization <- if (prep$ordered && "strict" %in% steps) "theta" else "delta"
  config <- dm_cfa_syntax(prep$ins)
  res <- invariance_chain(config, prep, estimator, steps, partial, criteria, max_free)
  res <- c(res, list(criteria = criteria, estimator = estimator, group = prep$group, n = prep$n,
                     ordered = prep$ordered, categories = prep$categories, partial = partial))
  res$reading <- invariance_reading(res)
  res <- with_provenance(res, prep$ins, match.call())
  class(res) <- "dm_invariance"
  res
}

invariance_levels <- c("configural", "metric", "scalar", "strict")

check_steps <- function(steps, call = sys.call(-1)) {
  if (!is.character(steps) || !length(steps) || anyNA(steps) || !all(steps %in% invariance_levels) ||
      anyDuplicated(steps) || steps[1] != "configural" || is.unsorted(match(steps, invariance_levels))) {
    dm_abort(sprintf(paste0("`steps` must be \"configural\" followed by any of \"metric\", \"scalar\", \"strict\" in ",
                            "that order; you passed %s."), show_values(steps, 10L)), type = "input", call = call)
  }
  steps
}

check_criteria <- function(criteria, call = sys.call(-1)) {
  need <- c("p", "delta_cfi", "delta_rmsea")
  ok <- is.numeric(criteria) && !is.null(names(criteria)) && all(names(criteria) %in% need) &&
    !anyNA(criteria) && !anyDuplicated(names(criteria))
  if (ok) {
    full <- c(p = 0.05, delta_cfi = -0.010, delta_rmsea = 0.015)
    full[names(criteria)] <- criteria
    ok <- full[["p"]] >= 0 && full[["p"]] < 1 && full[["delta_cfi"]] <= 0 && full[["delta_rmsea"]] >= 0
  }
  if (!ok) {
    dm_abort(sprintf(paste0("`criteria` must be named numbers among p (in [0, 1)), delta_cfi (<= 0) and ",
                            "delta_rmsea (>= 0), e.g. c(p = 0.05, delta_cfi = -0.01, delta_rmsea = 0.015); ",
                            "you passed %s."),
                     if (is.numeric(criteria)) paste(names(criteria), show_values(criteria))[1] else show_scalar(criteria)),
             type = "input", call = call)
  }
  full
}

# The constraints of each level, as measEq.syntax()'s group.equal.
invariance_equal <- function(level, ordered) {
  switch(level, configural = character(), metric = "loadings",
         scalar = c("loadings", if (ordered) "thresholds" else "intercepts"),
         strict = c("loadings", if (ordered) "thresholds" else "intercepts", "residuals"))
}

# The lavaan operator of the constraints a level adds (what its search may free).
invariance_op <- function(level, ordered) {
  switch(level, metric = "=~", scalar = if (ordered) "|" else "~1", strict = "~~")
}

# Internal: the syntax of one level (with the parameters freed so far) and its fit.
invariance_fit <- function(config, prep, estimator, level, free = character()) {
  args <- list(configural.model = unclass(config), data = prep$data, group = ".group",
               group.equal = invariance_equal(level, prep$ordered), estimator = estimator,
               ID.fac = "std.lv", ID.cat = "Wu.Estabrook.2016", parameterization = prep$parameterization)
  if (length(free)) args$group.partial <- free
  if (prep$ordered) args$ordered <- prep$items
  syn <- suppressMessages(do.call(semTools::measEq.syntax, args))
  text <- as.character(syn)
  fit <- lavaan_fit(text, prep, estimator, model.type = "lavaan", std.lv = FALSE,
                    parameterization = if (prep$ordered) prep$parameterization else NULL)
  if (!lavaan::lavInspect(fit, "converged")) {
    dm_abort(sprintf(paste0(
      "lavaan did not converge for the %s model%s across `group` (data$%s; %s). Merge small groups, merge ",
      "sparse categories (`min_category`, e.g. 5 or 10) or treat the items as continuous (`estimator = \"MLR\"`)."),
      level, if (length(free)) sprintf(" (with %s freed)", paste(free, collapse = ", ")) else "",
      prep$group, paste0(names(prep$n), " ", prep$n, collapse = ", ")),
      type = "convergence", call = sys.call(-2), level = level)
  }
  list(fit = fit, syntax = text)
}

# Fit measures of one model (the scaled test and robust indices where lavaan has them).
invariance_row <- function(fit) {
  g <- lavaan_glance(fit, "")
  scaled <- "chisq.scaled" %in% names(g)
  pick <- function(n) as.numeric(pick_index(g, n)[2])
  type <- sub("^cfi\\.?", "", pick_index(g, "cfi")[1])
  data.frame(npar = g$npar, chisq = if (scaled) g$chisq.scaled else g$chisq,
             df = if (scaled) g$df.scaled else g$df, cfi = pick("cfi"), tli = pick("tli"),
             rmsea = pick("rmsea"), srmr = g$srmr %||% NA_real_, index_type = type, stringsAsFactors = FALSE)
}

# The scaled chi-square difference test of a nested model against the previous one.
# lavaan's default (Satorra 2000 for WLSMV, Satorra-Bentler 2001 for MLR) can give a
# negative statistic in small samples; then the strictly positive Satorra-Bentler (2010)
# version is used instead.
invariance_compare <- function(prev, cur) {
  lrt <- suppressWarnings(suppressMessages(lavaan::lavTestLRT(prev, cur)))
  out <- c(chisq_diff = lrt[2, "Chisq diff"], df_diff = lrt[2, "Df diff"], p_diff = lrt[2, "Pr(>Chisq)"])
  if (isTRUE(out[["chisq_diff"]] < 0)) {
    lrt <- tryCatch(suppressWarnings(suppressMessages(
      lavaan::lavTestLRT(prev, cur, method = "satorra.bentler.2010"))), error = function(e) NULL)
    if (!is.null(lrt)) out <- c(chisq_diff = lrt[2, "Chisq diff"], df_diff = lrt[2, "Df diff"], p_diff = lrt[2, "Pr(>Chisq)"])
  }
  out
}

step_fails <- function(row, criteria) {
  isTRUE(row$p_diff < criteria[["p"]]) || isTRUE(row$delta_cfi < criteria[["delta_cfi"]]) ||
    isTRUE(row$delta_rmsea > criteria[["delta_rmsea"]])
}

# Internal: the chain of steps with the partial search. Each step is compared with the
# previous accepted model; a step that fails (after the search) ends the chain.
invariance_chain <- function(config, prep, estimator, steps, partial, criteria, max_free) {
  # the bar counts lavaan fits: one per step, plus the refits of a search (its total
  # grows by the most the search may free, and shrinks to what it freed)
  bar <- progress_start(length(steps), "Measurement invariance: lavaan fits")
  total <- length(steps)
  ticks <- list(fitted = function() progress_update(bar, inc = 1),
                grow = function(by) {
                  total <<- total + by
                  progress_update(bar, inc = 0, total = total)
                })
  base <- invariance_fit(config, prep, estimator, "configural")
  ticks$fitted()
  rows <- list(step_row("configural", "configural", NULL, base, 0L, "reference"))
  fits <- list(configural = base$fit)
  syntax <- list(configural = base$syntax)
  freed <- list()
  prev <- base
  free <- character()
  for (level in steps[-1]) {
    cur <- invariance_fit(config, prep, estimator, level, free)
    ticks$fitted()
    row <- step_row(level, level, prev, cur, 0L)
    fails <- step_fails(row, criteria)
    search <- NULL
    if (fails && partial) {
      search <- partial_search(config, prep, estimator, level, prev, cur, free, criteria, max_free,
                               ticks)
      if (search$n_new) {
        row$decision <- "fails"
        rows[[length(rows) + 1L]] <- row
        cur <- search$cur
        row <- step_row(level, paste0(level, " (partial)"), prev, cur, search$n_new)
        fails <- step_fails(row, criteria)
        free <- search$free
        freed[[level]] <- search$freed
      }
    }
    row$decision <- if (!fails) {
      if (is.null(search) || !search$n_new) "holds" else "holds partially"
    } else if (!is.null(search)) sprintf("fails (search stopped: %s)", search$stop_rule) else "fails"
    rows[[length(rows) + 1L]] <- row
    if (fails) break
    fits[[level]] <- cur$fit
    syntax[[level]] <- cur$syntax
    prev <- cur
  }
  progress_done(bar)
  steps_df <- do.call(rbind, rows)
  rownames(steps_df) <- NULL
  freed_df <- do.call(rbind, c(list(empty_freed()), unname(freed)))
  rownames(freed_df) <- NULL
  list(steps = steps_df, freed = freed_df, fits = fits, syntax = syntax,
       not_tested = setdiff(steps, steps_df$step))
}

step_row <- function(level, model, prev, cur, n_freed, decision = NA_character_) {
  r <- invariance_row(cur$fit)
  d <- if (is.null(prev)) c(chisq_diff = NA, df_diff = NA, p_diff = NA) else invariance_compare(prev$fit, cur$fit)
  p <- if (is.null(prev)) NULL else invariance_row(prev$fit)
  cbind(data.frame(step = level, model = model, stringsAsFactors = FALSE), r,
        data.frame(chisq_diff = d[["chisq_diff"]], df_diff = d[["df_diff"]], p_diff = d[["p_diff"]],
                   delta_cfi = if (is.null(p)) NA_real_ else r$cfi - p$cfi,
                   delta_rmsea = if (is.null(p)) NA_real_ else r$rmsea - p$rmsea,
                   n_freed = n_freed, decision = decision, stringsAsFactors = FALSE))
}

empty_freed <- function() {
  data.frame(step = character(), order = integer(), parameter = character(), type = character(),
             dimension = character(), item = character(), between = character(), score = numeric(),
             df = numeric(), p.value = numeric(), stringsAsFactors = FALSE)
}

# Internal: the equality constraints of a fit on parameters of operator `op` with their
# univariate score tests, one row per parameter (the largest statistic over its
# constraints between groups), in measEq.syntax()'s group.partial spelling.
score_candidates <- function(fit, op, free) {
  sc <- suppressWarnings(lavaan::lavTestScore(fit, univariate = TRUE, cumulative = FALSE, epc = FALSE))$uni
  pt <- lavaan::parTable(fit)
  i <- match(sc$lhs, pt$plabel)
  ok <- !is.na(i) & pt$op[i] == op
  if (!any(ok)) return(data.frame(parameter = character(), score = numeric(), df = numeric(),
                                  p.value = numeric(), n_constraints = integer()))
  i <- i[ok]
  sc <- sc[ok, , drop = FALSE]
  par <- ifelse(pt$op[i] == "~1", paste(pt$lhs[i], "~1"), paste(pt$lhs[i], pt$op[i], pt$rhs[i]))
  ord <- order(-sc$X2)
  first <- ord[!duplicated(par[ord])]
  out <- data.frame(parameter = par[first], score = sc$X2[first], df = sc$df[first],
                    p.value = sc$p.value[first], lhs = pt$lhs[i][first], rhs = pt$rhs[i][first],
                    stringsAsFactors = FALSE)
  out$n_constraints <- length(par)
  out[!out$parameter %in% free, , drop = FALSE]
}

# Internal: free one constraint at a time (largest score statistic) until the step no
# longer fails, no constraint has a significant score test (Bonferroni over the step's
# constraints) or `max_free` parameters are freed. See ?dm_invariance.
# `ticks`: the chain's progress hooks (fitted() after each refit, grow(by) of the total).
partial_search <- function(config, prep, estimator, level, prev, cur, free, criteria, max_free,
                           ticks = list(fitted = function() NULL, grow = function(by) NULL)) {
  op <- invariance_op(level, prep$ordered)
  cand <- score_candidates(cur$fit, op, free)
  n_params <- nrow(cand)
  n_constraints <- if (n_params) cand$n_constraints[1] else 0L
  limit <- if (is.null(max_free)) max(1L, floor(n_params / 5)) else as.integer(max_free)
  limit_fits <- min(limit, n_params)
  ticks$grow(limit_fits)
  freed <- list()
  n_new <- 0L
  stop_rule <- "no constraint left to free"
  repeat {
    if (!nrow(cand)) break
    best <- cand[which.max(cand$score), ]
    if (!(best$p.value < criteria[["p"]] / n_constraints)) {
      stop_rule <- sprintf("no score test with p < %s (Bonferroni over %d constraints)",
                           format(signif(criteria[["p"]] / n_constraints, 3)), n_constraints)
      break
    }
    if (n_new >= limit) {
      stop_rule <- sprintf("%d parameter%s freed, the most allowed (max_free)", limit, if (limit > 1) "s" else "")
      break
    }
    n_new <- n_new + 1L
    free <- c(free, best$parameter)
    item <- if (op == "=~") best$rhs else best$lhs
    between <- NA_character_
    if (op == "|") {
      k <- as.integer(sub("^t", "", best$rhs))
      cc <- prep$categories[[item]]
      between <- paste0(cc[k], "|", cc[k + 1L])
    }
    freed[[n_new]] <- data.frame(
      step = level, order = n_new, parameter = best$parameter,
      type = c("=~" = "loading", "|" = "threshold", "~1" = "intercept", "~~" = "residual variance")[[op]],
      dimension = prep$ins$dimension[match(item, prep$ins$item)],
      item = item, between = between, score = best$score, df = best$df, p.value = best$p.value,
      stringsAsFactors = FALSE)
    cur <- invariance_fit(config, prep, estimator, level, free)
    ticks$fitted()
    row <- step_row(level, level, prev, cur, n_new)
    if (!step_fails(row, criteria)) {
      stop_rule <- "the step holds"
      break
    }
    cand <- score_candidates(cur$fit, op, free)
  }
  ticks$grow(n_new - limit_fits)
  list(cur = cur, free = free, n_new = n_new, stop_rule = stop_rule,
       freed = do.call(rbind, c(list(empty_freed()), freed)))
}

#' @export
print.dm_invariance <- function(x, digits = 3, ...) {
  check_dots_strict(...)
  cat(sprintf("<dm_invariance> %s across %s (%s), estimator %s%s\n",
              paste(x$steps$step[!duplicated(x$steps$step)], collapse = " -> "), x$group,
              paste0(names(x$n), " ", x$n, collapse = ", "), x$estimator,
              if (x$ordered) " (ordered items, Wu & Estabrook 2016 identification)" else ""))
  s <- x$steps
  f <- function(v, d = digits) ifelse(is.na(v), "", formatC(v, format = "f", digits = d))
  tab <- data.frame(model = s$model, chisq = f(s$chisq, 2), df = format(s$df), cfi = f(s$cfi),
                    rmsea = f(s$rmsea), `diff chisq` = f(s$chisq_diff, 2), `diff df` = ifelse(is.na(s$df_diff), "", format(s$df_diff)),
                    p = ifelse(is.na(s$p_diff), "", format.pval(s$p_diff, digits = 2, eps = 0.001)),
                    `d CFI` = f(s$delta_cfi), `d RMSEA` = f(s$delta_rmsea), decision = s$decision,
                    check.names = FALSE, stringsAsFactors = FALSE)
  print(tab, row.names = FALSE, right = FALSE)
  it <- s$index_type[1]
  cat(sprintf("Chi-square: %s; CFI/RMSEA: %s. A step fails when p < %s, dCFI < %s or dRMSEA > %s.\n",
              if (x$estimator == "ML") "ML" else "scaled, difference tests scaled",
              if (nzchar(it)) it else "ML", format(x$criteria[["p"]]), format(x$criteria[["delta_cfi"]]),
              format(x$criteria[["delta_rmsea"]])))
  if (nrow(x$freed)) {
    cat("\nFreed by the partial-invariance search (largest score test first):\n")
    fr <- x$freed
    for (i in seq_len(nrow(fr))) {
      cat(sprintf("  %s %d. %s of %s%s (score %s, p %s)\n", fr$step[i], fr$order[i], fr$type[i], fr$item[i],
                  if (is.na(fr$between[i])) "" else sprintf(" between codes %s", fr$between[i]),
                  f(fr$score[i], 2), format.pval(fr$p.value[i], digits = 2, eps = 0.001)))
    }
  }
  if (length(x$not_tested)) cat(sprintf("Not tested (a previous step failed): %s\n", paste(x$not_tested, collapse = ", ")))
  last <- s[nrow(s), ]
  cat("\n", x$reading %||% invariance_reading(x), "\n", sep = "")
  invisible(x)
}

# The result in one plain sentence.
invariance_reading <- function(x) {
  s <- x$steps
  ok <- s$step[s$decision %in% c("reference", "holds", "holds partially")]
  top <- ok[length(ok)]
  what <- c(configural = "only the same factor structure (configural invariance): loadings differ between groups, so neither scores nor their relations can be compared",
            metric = "equal loadings (metric invariance): relations (correlations, regression slopes) can be compared between groups, mean scores cannot",
            scalar = "equal loadings and thresholds/intercepts (scalar invariance): mean scores can be compared between groups",
            strict = "equal loadings, thresholds/intercepts and residual variances (strict invariance): observed sum scores can be compared as they are")
  partial <- any(s$decision == "holds partially")
  paste0("Reading: the data support ", what[[top]],
         if (partial) sprintf("; partially, with %d parameter%s freed (compare with the freed items set aside or modelled)",
                              nrow(x$freed), if (nrow(x$freed) > 1) "s" else "") else "", ".")
}
