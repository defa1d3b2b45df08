# dm_benchmark(): per-unit (municipality) benchmarks with honest uncertainty: the
# empirical-Bayes estimate of a one-way random-intercept model (REML, src/benchmark.cpp),
# percentile ranks with marginal and simultaneous rank intervals by posterior simulation,
# peers, and per-item "% favourable" against the peers. Suppression rules are in
# R/benchmark-suppress.R, the words in R/report-unit.R.

#' Benchmarks per municipality: shrunken estimates, rank intervals, peers
#'
#' What a maturity monitor sends back to each participating municipality: its
#' score per dimension against all municipalities and against a peer group,
#' with the uncertainty that a handful of respondents leaves. With one or two
#' respondents per municipality a raw mean is mostly noise and a raw rank is
#' meaningless, so every figure here comes from a model that says how much
#' each municipality's respondents tell about it.
#'
#' **Estimates.** Per dimension, the respondents' scores ([dm_score()]) follow
#' the one-way random-intercept model `score_ij = mu + u_j + e_ij`, `u_j ~
#' N(0, tau^2)`, `e_ij ~ N(0, sigma^2 / w_ij)`, fitted by REML. The
#' empirical-Bayes (EB) estimate of unit `j` is `mu + u_j`, the BLUP: its raw
#' mean shrunk towards `mu` by its reliability `R_j = tau^2 / (tau^2 +
#' sigma^2 / n_j)` (with weights, `n_j` is the unit's sum of weights over
#' their mean). These equal `lme4::lmer(score ~ 1 + (1 | unit), REML = TRUE)`:
#' `fixef() + ranef()` and, in the column `cond_var`, lme4's conditional
#' variance (`condVar`, `attr(ranef(fit, condVar = TRUE)[[1]], "postVar")`),
#' `tau^2 (1 - R_j)`, which treats `mu` as known. The interval and
#' `std.error` reported use the **prediction error variance** `pev = tau^2
#' (1 - R_j) + (1 - R_j)^2 Var(mu)`, which adds the uncertainty of `mu` (the
#' uncertainty of `tau^2` and `sigma^2` is not added). The interval is
#' `estimate +/- z sqrt(pev)` at `conf_level`.
#'
#' **Ranks.** Rank 1 is the highest estimate among the units with data on the
#' dimension; the percentile is the share of the other units ranked below
#' (100: the highest). Rank intervals come from `draws` joint posterior draws
#' of all units (`mu* ~ N(mu, Var(mu))`, then `mu* + R_j (ybar_j - mu*) +
#' sqrt(cond_var_j) z_j`), drawn in parallel C++ from streams seeded by R's
#' random number generator: reproducible with [set.seed()] and the same for
#' any [dm_threads()]. The marginal interval of a unit holds its rank in
#' `conf_level` of the draws; the simultaneous intervals hold all ranks at
#' once in `conf_level` of the draws (each unit's marginal interval widened
#' at the same quantile level until they do), so they can be read together,
#' e.g. to say which units are surely in the top quarter.
#'
#' **Not reportable.** A unit's raw mean is never given for fewer than 3
#' respondents (`mean` is `NA`): its EB estimate with its (wide) interval is.
#' A unit-dimension without any scored respondent is `reportable = FALSE`
#' (its estimate would be `mu` alone). `low_reliability` marks estimates with
#' reliability below 0.5, where the unit's own respondents weigh less than
#' the overall mean.
#'
#' **Peers.** `peers = ~population_class` (or a column name, or any grouping
#' column constant within units) makes the peer group of a unit the units
#' that share its value, itself included; `peers = k` (a whole number) the
#' unit itself and the `k` units closest to it in `size` (a numeric or
#' ordered column constant within units; ties by unit order). The peer mean
#' and the overall mean are respondent-level (weighted) means of the scores.
#'
#' **Items.** Per unit and item: "% favourable" (a keyed answer of at least
#' `threshold`, as [dm_agree()]) of the unit's own respondents and of its
#' peer group, with Wilson intervals at `conf_level` (weighted: Kish's
#' effective n). An item is a `"strength"` when the unit's interval lies
#' wholly above the peer group's share, a `"challenge"` when it lies wholly
#' below, otherwise nothing: with one respondent an item is flagged only when
#' the peers' share is below 27% or above 73% (at 90%).
#'
#' **Small cells.** `min_n` (default 5, the usual threshold of employee
#' survey tools) is stored with the result; [dm_report()] and [dm_table()]
#' suppress what they show about other units and groups below it, with
#' complementary suppression (see [dm_report()]).
#'
#' @param data A data frame with one row per respondent, the item columns of
#'   `items` and the `unit` column.
#' @param unit The unit (municipality) column: a name or a one-sided formula.
#' @param peers `NULL` (no peer group), a grouping column (name or one-sided
#'   formula, constant within units), or a whole number `k` (the `k` units
#'   most similar in `size`).
#' @param items The codebook, [dmm_items] by default.
#' @param weights Optional respondent weights (a column name, formula or a
#'   vector), positive. They are precision weights of the residuals, as
#'   lme4's `weights`: a unit's mean is the weighted mean of its respondents
#'   and its reliability uses their sum of weights; the results do not depend
#'   on the scale of the weights. The items' "% favourable" is weighted.
#' @param conf_level Level of the posterior, rank and Wilson intervals.
#' @param min_n Smallest number of respondents of a group of other units that
#'   reports and tables may show (default 5).
#' @param size With `peers = k`: the column that measures size.
#' @param draws Number of posterior draws for the rank intervals.
#' @param threshold Keyed answer from which an answer is favourable.
#' @param min_answered Passed to [dm_score()].
#' @param missing_codes Passed to [dm_score()].
#' @param ... Nothing: an argument here is an error of class
#'   `digimaturity_error_argument_spelling` naming the argument meant.
#' @return An object of class `dm_benchmark`, a list: `units` (one row per
#'   unit and dimension: `unit`, `dimension`, `n`, `mean`, `estimate`,
#'   `std.error`, `conf.low`, `conf.high`, `cond_var`, `pev`, `reliability`,
#'   `rank`, `rank.low`, `rank.high` (marginal), `rank.sim.low`,
#'   `rank.sim.high` (simultaneous), `n_ranked`, `percentile`,
#'   `percentile.low`, `percentile.high`, `reportable`, `low_reliability`,
#'   `peer_group`, `peer_units`, `peer_n`, `peer_mean`, `all_n`,
#'   `all_mean`), `items` (per unit and item: own and peer "% favourable"
#'   with intervals, `flag`), `model` (per dimension: `mu`, `se_mu`, `tau2`,
#'   `sigma2` (with weights: of a respondent of weight 1, as lme4's), `icc`
#'   (the intraclass correlation, for a respondent of average weight),
#'   `boundary`, `n_obs`, `n_units`, `simultaneous_coverage`)
#'   and `peers` (per unit, the units of its peer group). Attributes
#'   `instrument`, `call`, `conf_level`, `min_n`, `unit`, `weighted`.
#' @section Errors:
#' `digimaturity_error_input` (arguments), `digimaturity_error_missing_unit`
#' (rows without a unit, listed), `digimaturity_error_peers` (a peer column
#' that varies within a unit, naming the units), `digimaturity_error_weights`,
#' `digimaturity_error_model` (a dimension with fewer than two units with data
#' or no unit with two respondents: the variances are then not identified).
#' @family benchmarks
#' @export
#' @examples
#' set.seed(1)
#' bench <- dm_benchmark(flanders_dm, unit = "municipality",
#'                       peers = ~population_class, draws = 1000)
#' bench
#' head(tidy(bench))
#' glance(bench)
dm_benchmark <- function(data, unit = "municipality", peers = NULL, items = dmm_items,
                         weights = NULL, conf_level = 0.90, min_n = 5, size = NULL,
                         draws = 4000, threshold = 4, min_answered = 0.5,
                         missing_codes = NULL, ...) {
  check_dots_spelling(..., .fun = "dm_benchmark()", .strict = TRUE)
  if (missing(items)) items <- bundled_items()
  check_data_frame(data)
  check_has_rows(data, "no respondent to benchmark")
  check_share(conf_level, "conf_level", open = TRUE)
  check_whole(min_n, "min_n", 1)
  check_whole(draws, "draws", 100, 1e6)
  unit_col <- resolve_columns(unit, data, "unit", max = 1L)
  uv <- unit_values(data[[unit_col]], unit_col)
  w <- benchmark_weights(weights, data)
  scores <- dm_score(data, items, min_answered = min_answered, missing_codes = missing_codes)
  dims <- attr(scores, "dimensions")
  pe <- benchmark_peers(peers, size, data, uv)
  seed <- floor(stats::runif(2) * 2^32)
  rows <- lapply(dims, function(d) {
    benchmark_dimension(scores[[d]], uv, w, pe$members, conf_level, as.integer(draws), seed, d)
  })
  units <- do.call(rbind, lapply(rows, `[[`, "units"))
  units$peer_group <- pe$label[match(units$unit, uv$ids)]
  units <- units[order(match(units$unit, uv$ids), match(units$dimension, dims)), ]
  rownames(units) <- NULL
  model <- do.call(rbind, lapply(rows, `[[`, "model"))
  resp <- dm_responses(data, items, missing_codes, inform = FALSE)
  item_rows <- benchmark_items(resp, w, uv, pe$members, threshold, conf_level)
  out <- list(units = units, items = item_rows, model = model,
              peers = stats::setNames(lapply(pe$members, function(m) uv$ids[m]), uv$ids))
  structure(with_provenance(out, resp$items, match.call()),
            class = "dm_benchmark", conf_level = conf_level, min_n = as.integer(min_n),
            unit = unit_col, weighted = !is.null(w), threshold = threshold,
            weights_label = weights_provenance(weights, substitute(weights)),
            peers = pe$description, draws = as.integer(draws))
}

# A whole number in [lower, upper], or an error naming the argument.
check_whole <- function(x, arg, lower = 1, upper = Inf) {
  check_scalar_number(x, arg, lower, upper)
  if (x != round(x)) {
    dm_abort(sprintf("`%s` must be a whole number; you passed %s.", arg, show_values(x)),
             type = "input")
  }
  invisible(x)
}

# The units: ids (character, in sorted order of the original values) and each row's code.
# A row without a unit cannot be benchmarked and is not silently dropped.
unit_values <- function(v, col) {
  v <- group_values(v, sprintf("data$%s", col))
  if (inherits(v, "haven_labelled")) v <- unclass(v)
  if (anyNA(v)) {
    dm_abort(sprintf("`data$%s` is missing in row%s %s: every respondent needs a unit; drop or fill these rows.",
                     col, if (sum(is.na(v)) > 1) "s" else "", show_rows(which(is.na(v)))),
             type = "missing_unit")
  }
  u <- sort(unique(v))
  list(ids = as.character(u), code = match(v, u), numeric = is.numeric(v))
}

# Respondent weights: positive (a zero weight would be a respondent that is not there).
benchmark_weights <- function(weights, data) {
  w <- check_weights(weights, data)
  if (is.null(w)) return(NULL)
  if (anyNA(w) || any(w <= 0)) {
    bad <- which(is.na(w) | w <= 0)
    dm_abort(sprintf("`weights` must be positive for every respondent; rows %s have %s. Drop those respondents instead.",
                     show_rows(bad), show_values(w[bad])), type = "weights")
  }
  w
}

# The peer group of every unit: `members` a list of unit codes (the unit itself first),
# `label` the group's name per unit, `description` for print and reports.
benchmark_peers <- function(peers, size, data, uv) {
  J <- length(uv$ids)
  if (is.null(peers)) {
    return(list(members = lapply(seq_len(J), function(j) j), label = rep(NA_character_, J),
                description = NULL))
  }
  if (is.numeric(peers) && !inherits(peers, "formula")) {
    check_whole(peers, "peers", 1, J - 1)
    if (is.null(size)) {
      dm_abort("`size` must name the column that measures size when `peers` is a number (the k most similar units); you passed NULL.",
               type = "peers")
    }
    sv <- unit_constant(data[[resolve_columns(size, data, "size", max = 1L)]], uv, "size")
    s <- as.numeric(if (is.factor(sv)) as.integer(sv) else sv)
    if (anyNA(s)) {
      dm_abort(sprintf("`size` is missing for unit%s %s.", if (sum(is.na(s)) > 1) "s" else "",
                       show_values(uv$ids[is.na(s)])), type = "peers")
    }
    members <- lapply(seq_len(J), function(j) {
      others <- setdiff(seq_len(J), j)
      c(j, others[order(abs(s[others] - s[j]), others)][seq_len(peers)])
    })
    return(list(members = members, label = rep(sprintf("k = %d", as.integer(peers)), J),
                description = list(type = "nearest", k = as.integer(peers))))
  }
  col <- resolve_columns(peers, data, "peers", max = 1L, type = "peers")
  g <- unit_constant(data[[col]], uv, "peers")
  lab <- as.character(g)
  members <- lapply(seq_len(J), function(j) if (is.na(lab[j])) j else which(lab %in% lab[j]))
  lev <- if (is.factor(g)) levels(droplevels(g)) else sort(unique(lab[!is.na(lab)]))
  list(members = members, label = lab, description = list(type = "column", column = col, levels = lev))
}

# The value of a column per unit; an error names the units where it varies.
unit_constant <- function(v, uv, arg) {
  check_group_column(v, sprintf("`%s`", arg), type = "peers")
  key <- paste(uv$code, as.character(v), sep = "\r")
  per <- tapply(key, uv$code, function(k) length(unique(k)))
  if (any(per > 1)) {
    bad <- uv$ids[as.integer(names(per)[per > 1])]
    dm_abort(sprintf("`%s` must be constant within each unit; it varies within unit%s %s.",
                     arg, if (length(bad) > 1) "s" else "", show_values(bad)), type = "peers")
  }
  v[match(seq_along(uv$ids), uv$code)]
}

# One dimension: per-unit sufficient statistics, the REML fit, rank intervals, peers.
benchmark_dimension <- function(y, uv, w, members, conf_level, draws, seed, dim) {
  J <- length(uv$ids)
  ok <- !is.na(y)
  ww <- if (is.null(w)) rep(1, length(y)) else w
  code <- factor(uv$code[ok], levels = seq_len(J))
  n <- as.vector(table(code))
  W <- as.vector(tapply(ww[ok], code, sum, default = 0))
  sy <- as.vector(tapply(ww[ok] * y[ok], code, sum, default = 0))
  ybar <- ifelse(W > 0, sy / pmax(W, .Machine$double.xmin), 0)
  S <- as.vector(tapply(ww[ok] * (y[ok] - ybar[uv$code[ok]])^2, code, sum, default = 0))
  if (sum(n > 0) < 2L || !any(n >= 2L)) {
    dm_abort(sprintf("dimension '%s': the model needs at least two units with scored respondents and one unit with two; there are %d units with data, the largest with %d.",
                     dim, sum(n > 0), max(n)), type = "model")
  }
  fit <- cpp_call(dm_benchmark_fit_cpp(W, ybar, S, sum(ok)))
  z <- stats::qnorm((1 + conf_level) / 2)
  has <- which(n > 0)
  rk <- cpp_call(dm_benchmark_ranks_cpp(W[has], ybar[has], S[has], sum(ok), draws, conf_level, seed,
                                        threads_for(as.double(draws) * length(has) * 40)))
  J1 <- length(has)
  full <- function(v) { out <- rep(NA_real_, J); out[has] <- v; out }
  rank <- full(rank(-fit$estimate[has], ties.method = "first"))
  pct <- function(r) 100 * (J1 - r) / (J1 - 1)
  sw <- as.vector(tapply(ww[ok], code, sum, default = 0))
  peer_n <- vapply(members, function(m) sum(n[m]), numeric(1))
  peer_mean <- vapply(members, function(m) sum(sy[m]) / sum(sw[m]), numeric(1))
  units <- data.frame(
    unit = uv$ids, dimension = dim, n = n,
    mean = ifelse(n >= 3, ybar, NA_real_),
    estimate = fit$estimate, std.error = sqrt(fit$pev),
    conf.low = fit$estimate - z * sqrt(fit$pev), conf.high = fit$estimate + z * sqrt(fit$pev),
    cond_var = fit$cond_var, pev = fit$pev, reliability = fit$reliability,
    rank = rank, rank.low = full(rk$marginal_low), rank.high = full(rk$marginal_high),
    rank.sim.low = full(rk$simultaneous_low), rank.sim.high = full(rk$simultaneous_high),
    n_ranked = J1, percentile = pct(rank),
    percentile.low = pct(full(rk$marginal_high)), percentile.high = pct(full(rk$marginal_low)),
    reportable = n > 0, low_reliability = fit$reliability < 0.5,
    peer_group = NA_character_, peer_units = lengths(members), peer_n = peer_n,
    peer_mean = ifelse(peer_n > 0, peer_mean, NA_real_),
    all_n = sum(n), all_mean = sum(sy) / sum(sw),
    stringsAsFactors = FALSE)
  model <- data.frame(dimension = dim, mu = fit$mu, se_mu = sqrt(fit$var_mu), tau2 = fit$tau2,
                      sigma2 = fit$sigma2,
                      # a respondent of average weight (sigma2 is that of weight 1, lme4's)
                      icc = fit$tau2 / (fit$tau2 + fit$sigma2 * sum(ok) / sum(W)),
                      boundary = fit$boundary, n_obs = sum(ok), n_units = J1,
                      simultaneous_coverage = rk$simultaneous_coverage,
                      stringsAsFactors = FALSE)
  list(units = units, model = model)
}

# Per unit and item: "% favourable" of the unit and of its peer group (pooled respondents,
# the unit included) with Wilson intervals, and the strength/challenge flag.
benchmark_items <- function(resp, w, uv, members, threshold, conf_level) {
  ins <- resp$items
  check_threshold(threshold, ins)
  J <- length(uv$ids)
  K <- nrow(ins)
  out <- dm_agree_cpp(resp$columns, resp$spec, threshold, w, uv$code, J)
  raise_code_problems(out$problems, resp)
  mat <- function(v) matrix(v, nrow = K)  # items x units
  n <- mat(out$n)
  fav_w <- if (is.null(w)) mat(out$favourable) else mat(out$sum_w_fav)
  sw <- if (is.null(w)) n else mat(out$sum_w)
  sw2 <- if (is.null(w)) n else mat(out$sum_w2)
  pool <- function(m) vapply(members, function(g) rowSums(m[, g, drop = FALSE]), numeric(K))
  share <- function(f, s, s2) {
    p <- ifelse(s > 0, f / pmax(s, .Machine$double.xmin), NA_real_)
    ne <- ifelse(s > 0, s^2 / pmax(s2, .Machine$double.xmin), 0)
    ci <- wilson_interval(p, ne, conf_level)
    list(p = as.vector(p), low = as.vector(ci$low), high = as.vector(ci$high))
  }
  own <- share(fav_w, sw, sw2)
  peer <- share(pool(fav_w), pool(sw), pool(sw2))
  all <- share(rowSums(fav_w), rowSums(sw), rowSums(sw2))
  flag <- ifelse(is.na(own$p) | is.na(peer$p), NA_character_,
                 ifelse(own$low > peer$p, "strength", ifelse(own$high < peer$p, "challenge", NA_character_)))
  has_peers <- lengths(members) > 1L
  flag[!rep(has_peers, each = K)] <- NA_character_
  data.frame(unit = rep(uv$ids, each = K), item = ins$item, dimension = ins$dimension,
             n = as.vector(n), favourable = own$p, conf.low = own$low, conf.high = own$high,
             peer_n = as.vector(pool(n)), peer_favourable = peer$p, peer_low = peer$low,
             peer_high = peer$high, all_n = rep(rowSums(n), J),
             all_favourable = rep(all$p, J), flag = flag, stringsAsFactors = FALSE)
}

#' @rdname dm_benchmark
#' @param x A `dm_benchmark` result.
#' @export
print.dm_benchmark <- function(x, ...) {
  check_dots_strict(...)
  u <- x$units
  cat(sprintf("<dm_benchmark> %d units (%s), %d dimensions, %s%% intervals, min_n = %d\n",
              length(unique(u$unit)), attr(x, "unit"), nrow(x$model),
              format(100 * attr(x, "conf_level")), attr(x, "min_n")))
  m <- x$model
  cat(sprintf("  %-12s mu %.2f (s.e. %.2f), tau %.2f, sigma %.2f, ICC %.2f; %d respondents in %d units\n",
              m$dimension, m$mu, m$se_mu, sqrt(m$tau2), sqrt(m$sigma2), m$icc, m$n_obs, m$n_units),
      sep = "")
  one <- u[u$dimension == u$dimension[1] & u$reportable, ]
  cat(sprintf("  %s: median reliability %.2f; median width of the marginal rank interval %d of %d\n",
              u$dimension[1], stats::median(one$reliability),
              as.integer(stats::median(one$rank.high - one$rank.low + 1)), one$n_ranked[1]))
  if (!is.null(attr(x, "peers"))) {
    p <- attr(x, "peers")
    cat("  peers:", if (p$type == "column") sprintf("by %s", p$column) else sprintf("the %d most similar in size", p$k), "\n")
  }
  invisible(x)
}

#' @rdname dm_benchmark
#' @export
tidy.dm_benchmark <- function(x, ...) {
  check_dots_strict(...)
  u <- x$units
  class(u) <- "data.frame"
  u
}

#' @rdname dm_benchmark
#' @export
glance.dm_benchmark <- function(x, ...) {
  check_dots_strict(...)
  x$model
}
