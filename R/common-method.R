# dm_common_method(): predictors (pressures, capacities) and outcomes (maturity items)
# come from one respondent in one questionnaire. Three checks of common-method variance:
# Harman's single factor, the one-factor model against the measurement model, and an
# unmeasured latent method construct (ULMC) with the change in substantive correlations.

#' Common-method variance checks
#'
#' When the predictors and the maturity items are answered by the same
#' respondent in the same questionnaire, a shared response style (acquiescence,
#' consistency motif, social desirability) can inflate (or deflate) their
#' associations. `dm_common_method()` runs the three checks reviewers ask
#' for, on the keyed maturity items and the predictor columns:
#'
#' 1. **Harman's single-factor test**: the share of the total variance of all
#'    indicators (items and predictors, standardised) taken by the first
#'    unrotated principal component, and the number of components with an
#'    eigenvalue above 1. A first component above 50% is the usual warning
#'    sign. The test is weak: it detects only massive common-method variance
#'    (Podsakoff et al. 2003), so passing it proves little.
#' 2. **One factor versus the measurement model**: a CFA with one factor
#'    behind every indicator against the measurement model (one factor per
#'    dimension, each predictor its own construct, all correlated). If one
#'    factor fitted about as well, the constructs would not be told apart.
#' 3. **Unmeasured latent method construct** (ULMC; Podsakoff et al. 2003,
#'    2012): the measurement model plus a method factor on all indicators
#'    (equal loadings, uncorrelated with the constructs), with the scaled
#'    chi-square difference test of the method factor, the average share of
#'    indicator variance it takes, and the change of each substantive
#'    correlation (dimension with predictor, and between dimensions) when it
#'    is added. Large changes mean the associations depend on the shared
#'    method. The method factor is told apart from the constructs only
#'    through differences in the items' loadings: when it cannot be (no
#'    convergence, a correlation beyond +-1), the result says so instead of
#'    reporting its numbers.
#'
#' The print gives a plain-language reading. None of these checks can
#' prove the absence of common-method variance; procedural remedies
#' (separate sources, time lags) are stronger than statistical ones, and
#' George and Pandey (2017) show for public administration that the threat is
#' real but often overstated for factual items and for predictors that are
#' not perceptions of the outcome.
#'
#' All indicators are standardised first (so the method factor's equal
#' loadings are equal in standard-deviation units; correlations and fit do
#' not depend on it). Each predictor is a single observed scale score in the bundled data, so
#' it is a single-indicator construct (no residual variance: its
#' measurement error is not modelled). The models are fitted with the items
#' as continuous (`"MLR"` by default; full-information ML for missing
#' answers), with cluster-robust standard errors and test when `cluster` is
#' given.
#'
#' @inheritParams dm_cfa
#' @param predictors Names of the predictor columns of `data` (numeric), at
#'   least one.
#' @param estimator `"MLR"` (the default) or `"ML"`.
#'
#' @return An object of class `dm_common_method`, a list: `harman` (a list:
#'   `first_share`, `n_eigen_over_1`, `eigenvalues`, `n_indicators`),
#'   `models` (a data frame, one row per model: `model`, `npar`, `chisq`, `df`,
#'   `cfi`, `tli`, `rmsea`, `srmr`, `index_type`), `method_test` (the
#'   difference test of the method factor: `chisq_diff`, `df_diff`,
#'   `p_diff`), `method_share` (the mean share of the indicators' variance due
#'   to the method factor, standardised), `correlations` (a data frame:
#'   `construct1`, `construct2`, `type` (`"dimension-predictor"` or
#'   `"dimension-dimension"`), `without_method`, `with_method`, `change`),
#'   `method_admissible` (`FALSE` when the method-factor model did not
#'   converge or has a correlation beyond +-1 or a negative variance: its
#'   numbers are then not to be read, and the print says so),
#'   `fits` (the three lavaan fits), `reading` (the plain-language reading)
#'   and `references`; with `attr(, "instrument")` and `attr(, "call")`.
#'
#' @references
#' Podsakoff, P. M., MacKenzie, S. B., Lee, J.-Y., & Podsakoff, N. P. (2003).
#' Common method biases in behavioral research: A critical review of the
#' literature and recommended remedies. *Journal of Applied Psychology*,
#' 88(5), 879-903.
#'
#' Podsakoff, P. M., MacKenzie, S. B., & Podsakoff, N. P. (2012). Sources of
#' method bias in social science research and recommendations on how to
#' control it. *Annual Review of Psychology*, 63, 539-569.
#'
#' Richardson, H. A., Simmering, M. J., & Sturman, M. C. (2009). A tale of
#' three perspectives: Examining post hoc statistical techniques for
#' detection and correction of common method variance. *Organizational
#' Research Methods*, 12(4), 762-800.
#'
#' George, B., & Pandey, S. K. (2017). We know the Yin - but where is the
#' Yang? Toward a balanced approach on common source bias in public
#' administration scholarship. *Review of Public Personnel Administration*,
#' 37(2), 245-270.
#'
#' @section Errors:
#' Those of [dm_cfa()]; `digimaturity_error_input` for missing or
#' non-numeric `predictors`, `digimaturity_error_constant_item` for a
#' constant predictor.
#' @family measurement
#' @export
#' @examplesIf requireNamespace("lavaan", quietly = TRUE)
#' \donttest{
#' complete <- flanders_dm[flanders_dm$complete, ]
#' cm <- dm_common_method(complete, predictors = c("coercive", "mimetic", "digital_strategy",
#'                                                  "focus_management"))
#' cm
#' cm$correlations
#' }
dm_common_method <- function(data, items = dmm_items, predictors, estimator = c("MLR", "ML"),
                             cluster = NULL, missing_codes = NULL, ...) {
  check_dots_spelling(..., .fun = "dm_common_method()", .strict = TRUE)
  if (missing(items)) items <- bundled_items()
  estimator <- match_choice(estimator, c("MLR", "ML"), "estimator")
  if (missing(predictors)) predictors <- NULL
  need_measurement("dm_common_method()", "lavaan")
  check_data_frame(data)
  prep <- cfa_data(data, items, estimator, cluster = cluster, missing_codes = missing_codes)
  prep <- add_predictors(prep, data, predictors)
  syn <- common_method_syntax(prep$ins, prep$predictors)
  fits <- lapply(syn, function(s) lavaan_fit(s, prep, estimator))
  ok <- vapply(fits, lavaan::lavInspect, logical(1), what = "converged")
  if (!all(ok)) {
    dm_warn(sprintf("lavaan did not converge for the %s model%s; %s.",
                    paste(c("measurement", "one-factor", "method-factor")[!ok], collapse = " and "),
                    if (sum(!ok) > 1) "s" else "", "its fit measures are NA and its reading is left out"),
            type = "lavaan")
  }
  models <- do.call(rbind, lapply(seq_along(fits), function(i) {
    if (ok[i]) return(invariance_row(fits[[i]]))
    data.frame(npar = NA_real_, chisq = NA_real_, df = NA_real_, cfi = NA_real_, tli = NA_real_,
               rmsea = NA_real_, srmr = NA_real_, index_type = NA_character_, stringsAsFactors = FALSE)
  }))
  models <- cbind(model = c("measurement", "one factor", "measurement + method factor"), models,
                  stringsAsFactors = FALSE)
  rownames(models) <- NULL
  res <- list(harman = harman_test(prep), models = models,
              method_test = if (all(ok[c(1, 3)])) invariance_compare(fits$measurement, fits$method) else
                c(chisq_diff = NA, df_diff = NA, p_diff = NA),
              method_share = method_share(fits$method, c(prep$items, prep$predictors)),
              correlations = method_correlations(fits$measurement, fits$method, prep),
              method_admissible = ok[[3]] && admissible(fits$method),
              fits = fits, syntax = syn, estimator = estimator, n = nrow(prep$data),
              predictors = prep$predictors, cluster = prep$cluster, n_dropped = prep$n_dropped,
              references = common_method_references)
  res$reading <- common_method_reading(res)
  res <- with_provenance(res, prep$ins, match.call())
  class(res) <- "dm_common_method"
  res
}

common_method_references <- c(
  "Podsakoff, P. M., MacKenzie, S. B., Lee, J.-Y., & Podsakoff, N. P. (2003). Common method biases in behavioral research. Journal of Applied Psychology, 88(5), 879-903.",
  "Podsakoff, P. M., MacKenzie, S. B., & Podsakoff, N. P. (2012). Sources of method bias in social science research and recommendations on how to control it. Annual Review of Psychology, 63, 539-569.",
  "George, B., & Pandey, S. K. (2017). We know the Yin - but where is the Yang? Toward a balanced approach on common source bias in public administration scholarship. Review of Public Personnel Administration, 37(2), 245-270.")

add_predictors <- function(prep, data, predictors, call = sys.call(-1)) {
  if (is.null(predictors) || !is.character(predictors) || !length(predictors) || anyNA(predictors)) {
    dm_abort(sprintf("`predictors` must name one or more numeric columns of `data`, e.g. c(\"coercive\", \"digital_strategy\"); you passed %s.",
                     show_values(predictors)), type = "input", call = call)
  }
  check_columns_present(data, predictors)
  clash <- intersect(predictors, prep$items)
  if (length(clash)) {
    dm_abort(sprintf("`predictors` names item%s of `items` (%s): the items are the outcome side already.",
                     if (length(clash) > 1) "s" else "", show_values(clash)), type = "input", call = call)
  }
  for (p in unique(predictors)) {
    v <- data[[p]][prep$rows]
    if (!is.numeric(v) || any(is.infinite(v))) {
      dm_abort(sprintf("`predictors` column data$%s must be numeric and finite; it is %s.", p,
                       if (is.numeric(v)) "infinite in some rows" else sprintf("of class '%s'", class(v)[1])),
               type = "input", call = call)
    }
    if (length(unique(v[!is.na(v)])) < 2L) {
      dm_abort(sprintf("`predictors` column data$%s has a single value (%s) among the rows used.", p,
                       show_values(v[!is.na(v)])), type = "constant_item", call = call)
    }
    prep$data[[p]] <- as.numeric(v)
  }
  # every indicator standardised, so that the method factor's equal loadings are equal
  # shares of standard deviation whatever the scales (1-5 items, 0-10 ratings)
  for (p in c(prep$items, unique(predictors))) {
    v <- prep$data[[p]]
    prep$data[[p]] <- (v - mean(v, na.rm = TRUE)) / stats::sd(v, na.rm = TRUE)
  }
  prep$predictors <- unique(predictors)
  prep$any_missing <- anyNA(prep$data[c(prep$items, prep$predictors)])
  prep
}

# The three models: measurement (dimension factors + single-indicator predictor
# constructs), one factor behind everything, and measurement + an orthogonal method
# factor with equal loadings on every indicator.
common_method_syntax <- function(ins, predictors) {
  base <- strsplit(unclass(dm_cfa_syntax(ins)), "\n", fixed = TRUE)[[1]]
  base <- base[!startsWith(base, "#")]
  pfac <- paste0("P_", make.names(predictors))
  single <- c(paste0(pfac, " =~ ", predictors), paste0(predictors, " ~~ 0*", predictors))
  ind <- c(ins$item, predictors)
  fac <- c(cfa_factor_names(unique(ins$dimension)), pfac)
  measurement <- paste(c(base, single), collapse = "\n")
  one <- paste0("common =~ ", paste(ind, collapse = " + "))
  # the likelihood is symmetric in the method loading m, so m = 0 is a stationary point:
  # start away from it
  method <- paste(c(measurement, paste0("method =~ ", paste0("m*", ind, " + start(0.3)*", ind, collapse = " + ")),
                    paste0("method ~~ 0*", fac)), collapse = "\n")
  list(measurement = measurement, one = one, method = method)
}

harman_test <- function(prep) {
  X <- prep$data[c(prep$items, prep$predictors)]
  X[] <- lapply(X, as.numeric)
  R <- stats::cor(X, use = "pairwise.complete.obs")
  ev <- eigen(R, symmetric = TRUE, only.values = TRUE)$values
  list(first_share = ev[1] / ncol(R), n_eigen_over_1 = sum(ev > 1), eigenvalues = ev, n_indicators = ncol(R))
}

method_share <- function(fit, ind) {
  ss <- lavaan::standardizedSolution(fit, type = "std.all")
  m <- ss$est.std[ss$op == "=~" & ss$lhs == "method" & ss$rhs %in% ind]
  mean(m^2)
}

# Substantive correlations with and without the method factor.
method_correlations <- function(without, with, prep) {
  get <- function(fit) {
    ss <- lavaan::standardizedSolution(fit, type = "std.all")
    lv <- setdiff(lavaan::lavNames(fit, "lv"), c("method", "common"))
    ss[ss$op == "~~" & ss$lhs != ss$rhs & ss$lhs %in% lv & ss$rhs %in% lv, c("lhs", "rhs", "est.std")]
  }
  a <- get(without)
  b <- get(with)
  key <- function(d) paste(d$lhs, d$rhs)
  fac_to_dim <- stats::setNames(unique(prep$ins$dimension), cfa_factor_names(unique(prep$ins$dimension)))
  pfac <- stats::setNames(prep$predictors, paste0("P_", make.names(prep$predictors)))
  name <- function(f) ifelse(f %in% names(fac_to_dim), fac_to_dim[f], pfac[f])
  is_p <- function(f) f %in% names(pfac)
  out <- data.frame(construct1 = name(a$lhs), construct2 = name(a$rhs),
                    type = ifelse(is_p(a$lhs) & is_p(a$rhs), "predictor-predictor",
                                  ifelse(is_p(a$lhs) | is_p(a$rhs), "dimension-predictor", "dimension-dimension")),
                    without_method = a$est.std, with_method = b$est.std[match(key(a), key(b))],
                    stringsAsFactors = FALSE)
  out$change <- out$with_method - out$without_method
  out[order(match(out$type, c("dimension-predictor", "dimension-dimension", "predictor-predictor"))), ]
}

common_method_reading <- function(x) {
  h <- x$harman
  m <- x$models
  pct <- function(v) sprintf("%.0f%%", 100 * v)
  f <- function(v) sub("^(-?)0\\.", "\\1.", formatC(v, format = "f", digits = 2))
  s1 <- sprintf(paste0("Harman: the first unrotated component takes %s of the variance of the %d indicators ",
                       "(%d components with eigenvalue > 1): %s. The test detects only massive common-method variance."),
                pct(h$first_share), h$n_indicators, h$n_eigen_over_1,
                if (h$first_share > 0.5) "above 50%, a warning sign that one factor dominates" else
                  "below 50%, no single factor dominates")
  worse <- isTRUE(m$cfi[2] < m$cfi[1] - 0.05)
  s2 <- sprintf("One factor against the measurement model: CFI %s against %s, RMSEA %s against %s: %s",
                f(m$cfi[2]), f(m$cfi[1]), f(m$rmsea[2]), f(m$rmsea[1]),
                if (worse) "a single factor fits much worse, so the constructs are distinct." else
                  "a single factor fits about as well, so the constructs are not told apart; common method may dominate.")
  if (!x$method_admissible) {
    s3 <- paste0("Method factor: the model with a method factor ",
                 if (is.na(m$cfi[3])) "did not converge" else
                   "gave an inadmissible solution (a correlation beyond -1 or 1, or a negative variance)",
                 ": these data cannot separate a common method from the constructs' own correlations ",
                 "(a known weakness of the unmeasured latent method construct, Richardson et al. 2009). ",
                 "Its changes in correlations are not to be read.")
    return(c(harman = s1, one_factor = s2, method_factor = s3))
  }
  cc <- x$correlations[x$correlations$type != "predictor-predictor", ]
  big <- cc[which.max(abs(cc$change)), ]
  s3 <- sprintf(paste0("Method factor: it takes on average %s of the indicators' variance (difference test p %s); ",
                       "adding it changes the substantive correlations by at most %s (%s with %s: %s to %s). %s"),
                pct(x$method_share), format.pval(x$method_test[["p_diff"]], digits = 2, eps = 0.001),
                f(abs(big$change)), big$construct1, big$construct2, f(big$without_method), f(big$with_method),
                paste(if (isTRUE(x$method_test[["p_diff"]] >= 0.05))
                  "The method factor does not improve the fit significantly;" else
                  "The method factor improves the fit significantly;",
                  if (abs(big$change) < 0.1) "common-method variance does not drive the associations." else
                    "but the associations move when it is added: report them with and without it (a ULMC estimate is fragile)."))
  c(harman = s1, one_factor = s2, method_factor = s3)
}

#' @export
print.dm_common_method <- function(x, ...) {
  check_dots_strict(...)
  cat(sprintf("<dm_common_method> %d items and %d predictors, %d respondents, estimator %s%s\n",
              nrow(attr(x, "instrument")), length(x$predictors), x$n, x$estimator,
              if (is.null(x$cluster)) "" else sprintf(", cluster-robust by %s", x$cluster)))
  m <- x$models
  num <- c("chisq", "cfi", "tli", "rmsea", "srmr")
  m[num] <- lapply(m[num], function(v) formatC(v, format = "f", digits = 3))
  print(m[c("model", "chisq", "df", num[-1])], row.names = FALSE)
  cat("\n")
  for (s in x$reading) cat(strwrap(s, width = 90, exdent = 2), sep = "\n")
  cat("\nReferences: Podsakoff et al. (2003, 2012); George & Pandey (2017). See x$references.\n")
  invisible(x)
}

# An admissible solution: standardised correlations of the latent variables within
# [-1, 1] and no negative variance.
admissible <- function(fit) {
  ss <- lavaan::standardizedSolution(fit, type = "std.all", se = FALSE)
  cov_lv <- lavaan::lavInspect(fit, "cov.lv")
  var_ok <- all(diag(as.matrix(cov_lv)) >= 0) && all(ss$est.std[ss$op == "~~" & ss$lhs == ss$rhs] >= -1e-8)
  cors <- ss$est.std[ss$op == "~~" & ss$lhs != ss$rhs]
  var_ok && all(abs(cors) <= 1 + 1e-8, na.rm = TRUE)
}
