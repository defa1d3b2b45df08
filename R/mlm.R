# Several outcomes at once: dm_lm(cbind(y1, y2, y3) ~ ...) fits one dm_lm per outcome on
# the same rows and returns a "dm_mlm", with tidy()/glance() carrying a `response`
# column, coef() as lm's mlm, vcov() of the stacked coefficients with a cross-equation
# (cluster-)robust covariance, and cross-equation dm_wald().

# Called by dm_lm() for a cbind() response, with weights, clusters and subset already
# evaluated over the rows of `data`.
dm_mlm_fit <- function(formula, data, w, clus, keep, vcov, standardize, call) {
  resp <- as.list(formula[[2L]])[-1L]
  resp_names <- vapply(resp, function(r) paste(deparse(r, width.cutoff = 500L), collapse = " "), "")
  if (length(resp) < 2L) {
    dm_abort(sprintf("`formula` has cbind() with %d response; give two or more (cbind(y1, y2) ~ x), or the response alone.",
                     length(resp)), type = "input")
  }
  if (anyDuplicated(resp_names)) {
    dm_abort(sprintf("`formula` repeats a response in cbind(): %s.",
                     show_values(resp_names[duplicated(resp_names)])), type = "input")
  }
  env <- environment(formula) %||% parent.frame()
  ok <- keep
  for (j in seq_along(resp)) {
    y <- tryCatch(eval(resp[[j]], data, env), error = function(e) {
      dm_abort(sprintf("the response `%s` could not be evaluated: %s", resp_names[j], conditionMessage(e)),
               type = "missing_column")
    })
    if (!(is.numeric(y) || is.logical(y)) || length(y) != nrow(data)) {
      dm_abort(sprintf("the response `%s` must be a numeric column of `data`; it is of class '%s' and length %d.",
                       resp_names[j], class(y)[1], length(y)), type = "input")
    }
    ok <- ok & !is.na(y)
  }
  rows <- which(ok)
  if (!length(rows)) {
    dm_abort(sprintf("no row of `data` has every response (%s) present.", show_values(resp_names)),
             type = "input")
  }
  sub <- data[rows, , drop = FALSE]
  fits <- lapply(seq_along(resp), function(j) {
    f <- formula
    f[[2L]] <- resp[[j]]
    fit <- do.call(dm_lm, list(formula = f, data = sub,
                               weights = if (is.null(w)) NULL else w[rows],
                               cluster = if (is.null(clus)) NULL else clus[rows],
                               vcov = vcov, standardize = standardize))
    c1 <- call
    c1$formula <- f
    fit$call <- c1
    fit$rows <- rows[fit$rows]
    fit$n_data <- nrow(data)
    fit
  })
  names(fits) <- resp_names
  used <- lapply(fits, `[[`, "rows")
  if (!all(vapply(used, identical, logical(1), used[[1L]]))) {
    dm_abort("the fits of the responses do not use the same rows.", type = "input")  # not reached
  }
  structure(list(fits = fits, responses = resp_names, call = call, formula = formula,
                 vcov_type = fits[[1L]]$vcov_type, nobs = fits[[1L]]$nobs,
                 n_clusters = fits[[1L]]$n_clusters),
            class = "dm_mlm")
}

#' Several outcomes at once: methods of `dm_mlm` fits
#'
#' `dm_lm(cbind(efficiency, innovation, balance) ~ x1 + x2, data, cluster =
#' ~municipality)` fits the same predictors to each outcome, on the rows where
#' every outcome and predictor is present (so the fits are comparable), and
#' returns a `dm_mlm`: a list with `fits` (one [dm_lm()] fit per outcome,
#' named by the response, each with all the methods of a `dm_lm`),
#' `responses`, `call`, `vcov_type`, `nobs` and `n_clusters`.
#'
#' `tidy()` and `glance()` bind the tables of the fits with a `response`
#' column first; `coef()` is a k x m matrix as for an `lm` with several
#' responses; `summary()` the summaries of the fits.
#'
#' `vcov()` is the covariance of the stacked coefficients (named
#' `response:term`, as [vcov()] of an `mlm`) with the cross-equation
#' covariances, for every type of [dm_lm()]. With the same design X and
#' weights in every equation it is formed by the C++ core in whitened
#' coordinates, as a single fit's variance (never from an explicit
#' (X'WX)^-1): with Z = W^1/2 X R^-1 and E the n x m residuals, one meat
#' \eqn{S = \sum_g \mathrm{vec}(Z_g' W_g^{1/2} E_g)\mathrm{vec}(\cdot)'}{S =
#' sum_g vec(Z_g'W_g^1/2 E_g) vec(.)'} summed within clusters (CR types) or
#' per row (HC types), mapped back by \eqn{I_m \otimes R^{-1}}{I_m (x) R^-1}.
#' The HC2/HC3 and CR2/CR3 adjustments act on each residual column with the
#' matrices of the single fits (they depend on X and w only; this is the
#' stacked regression of `clubSandwich::vcovCR()` on an `mlm`), and the
#' small-sample factors are those of a single fit (n and k of one equation;
#' for CR1S clubSandwich's stacked regression would use nm and mk). For
#' `"classical"` it is \eqn{\hat\Sigma \otimes (X'WX)^{-1}}{Sigma (x) (X'WX)^-1}
#' with \eqn{\hat\Sigma}{Sigma} the residual covariance of the equations on
#' n - k df. Its diagonal blocks are the variances of the single fits.
#'
#' For a table with one column per response, give modelsummary the list of
#' fits: `modelsummary::modelsummary(fits$fits)`.
#'
#' `dm_wald()` tests restrictions across equations in the stacked names
#' (`"innovation:digital_strategy = efficiency:digital_strategy"`) with that
#' covariance: under CR2 the HTZ test of the stacked regression (as
#' `clubSandwich::Wald_test(test = "HTZ")` on the `mlm`), otherwise F = Q / q
#' on (q, G - 1) df for the CR types and (q, n - k) for the others.
#'
#' @param x,object A `dm_mlm` fit.
#' @param type,cluster The variance of the stacked coefficients, as in
#'   [vcov.dm_lm()] (a type; `cluster` a formula, a bare column name or a
#'   vector). By default the fits'.
#' @param conf.int,conf.level As in [tidy()][dm_lm-tidiers].
#' @param digits Number of significant digits to print.
#' @param ... For `tidy()` and `summary()`, passed to the method of each fit
#'   (e.g. `vcov = "CR1"`); otherwise unused.
#' @return See above; `print()` returns its argument invisibly.
#' @family dm_lm
#' @name dm_mlm
#' @examples
#' fits <- dm_lm(cbind(mpg, qsec) ~ wt + hp, data = mtcars, cluster = ~carb)
#' fits
#' coef(fits)
#' tidy(fits)
#' glance(fits)
#' vcov(fits)                 # CR2, the default with a cluster
#' # does wt matter as much for qsec as for mpg (on their own scales)?
#' dm_wald(fits, "mpg:wt = qsec:wt")
#' if (requireNamespace("modelsummary", quietly = TRUE)) {
#'   modelsummary::modelsummary(fits$fits, output = "data.frame")
#' }
NULL

#' @rdname dm_mlm
#' @export
print.dm_mlm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  check_dots_strict(..., .fun = "print()")
  cat("Linear models of ", length(x$fits), " responses fitted by dm_lm() on the same rows\n\nCall:\n",
      paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\nCoefficients:\n", sep = "")
  print.default(format(coef.dm_mlm(x), digits = digits), print.gap = 2L, quote = FALSE)
  cat("\n")
  cat_inference(inference_info(x$fits[[1L]]), always_standardized = FALSE)
  invisible(x)
}

#' @rdname dm_mlm
#' @export
summary.dm_mlm <- function(object, ...) {
  structure(warn_first_only(lapply(object$fits, summary.dm_lm, ...)), class = "summary.dm_mlm")
}

#' @rdname dm_mlm
#' @export
print.summary.dm_mlm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  check_dots_strict(..., .fun = "print()")
  for (nm in names(x)) {
    cat("Response ", nm, ":\n", sep = "")
    print(x[[nm]], digits = digits)
  }
  invisible(x)
}

#' @rdname dm_mlm
#' @export
coef.dm_mlm <- function(object, ...) {
  check_dots_strict(..., .fun = "coef()")
  do.call(cbind, lapply(object$fits, function(f) f$coefficients))
}

#' @rdname dm_mlm
#' @export
nobs.dm_mlm <- function(object, ...) object$nobs

#' @rdname dm_mlm
#' @export
tidy.dm_mlm <- function(x, conf.int = TRUE, conf.level = 0.95, ...) {
  out <- do.call(rbind, lapply(names(x$fits), function(nm) {
    cbind(response = nm, tidy.dm_lm(x$fits[[nm]], conf.int = conf.int, conf.level = conf.level, ...),
          stringsAsFactors = FALSE)
  }))
  rownames(out) <- NULL
  out
}

#' @rdname dm_mlm
#' @export
glance.dm_mlm <- function(x, ...) {
  out <- do.call(rbind, lapply(names(x$fits), function(nm) {
    cbind(response = nm, glance.dm_lm(x$fits[[nm]], ...), stringsAsFactors = FALSE)
  }))
  rownames(out) <- NULL
  out
}

#' @rdname dm_mlm
#' @export
vcov.dm_mlm <- function(object, type = NULL, cluster = NULL, ...) {
  check_dots_spelling(..., .fun = "vcov()")
  V <- mlm_vcov(object, type, substitute(cluster), parent.frame())
  attr(V, "vcov_type") <- attr(V, "n_clusters") <- attr(V, "df.residual") <- attr(V, "fit1") <- NULL
  V
}

# The stacked covariance; `cluster_expr` as in revcov(). Formed by the C++ core from
# the fits' shared whitening (same X and weights in every equation) and the n x m
# residuals: one meat of the stacked whitened scores for every type, never an explicit
# (X'WX)^-1 (see sandwich_vcov() in src/sandwich.cpp). Attributes: the type, number of
# clusters, residual df and `fit1`, the first fit with that variance (its whitening,
# clusters and design are what the HTZ test of wald_mlm() needs).
mlm_vcov <- function(object, type, cluster_expr, env) {
  if (is.matrix(type)) {
    dm_abort(sprintf("the variance of a dm_mlm (`type` of vcov(), `vcov` of dm_wald()) must be a type such as \"CR2\" or a cluster formula; you passed a %d x %d matrix.",
                     nrow(type), ncol(type)), type = "input", call = NULL)
  }
  # the type and clusters resolved (and checked) as for one fit
  f1 <- revcov(object$fits[[1L]], vcov = type, cluster_expr = cluster_expr, env = env)
  type <- f1$vcov_type
  if (!type %in% vcov_mlm_types()) {
    dm_abort(sprintf("the cross-equation covariance of a dm_mlm is computed for `type` %s; you asked for '%s'.",
                     show_values(vcov_mlm_types(), 10L), type), type = "input", call = NULL)
  }
  fits <- object$fits
  cn <- names(f1$coefficients)
  kept <- colnames(f1$bread)
  n <- f1$nobs
  k <- length(kept)
  m <- length(fits)
  E <- vapply(fits, function(f) as.double(f$residuals), numeric(n))
  E <- matrix(E, n, m)
  cl <- if (vcov_is_cluster(type)) as.integer(f1$cluster) else NULL
  G <- if (is.null(cl)) 0L else nlevels(f1$cluster)
  out <- cpp_call(dm_mlm_vcov_cpp(design_for_cpp(f1, kept), E, f1$weights,
                                  vcov_code(type), cl, G, f1$rinv, f1$rinv_lo,
                                  threads_for(n * (m * k)^2)))
  Vk <- out$vcov
  names_kept <- paste0(rep(names(fits), each = k), ":", rep(kept, m))
  all_names <- paste0(rep(names(fits), each = length(cn)), ":", rep(cn, m))
  V <- matrix(NA_real_, length(all_names), length(all_names), dimnames = list(all_names, all_names))
  V[names_kept, names_kept] <- Vk
  structure(V, vcov_type = type, n_clusters = f1$n_clusters, df.residual = f1$df.residual,
            fit1 = f1)
}

# Cross-equation Wald test on the stacked coefficients.
wald_mlm <- function(fit, hypothesis, rhs, vcov, cluster_expr, env) {
  V <- mlm_vcov(fit, vcov, cluster_expr, env)
  b <- coef.dm_mlm(fit)
  bs <- stats::setNames(as.vector(b), paste0(rep(colnames(b), each = nrow(b)), ":", rownames(b)))
  aliased <- stats::setNames(is.na(bs), names(bs))
  # a stand-in with what wald_hypothesis() reads: names, aliasing, no terms
  pseudo <- list(coefficients = bs, aliased = aliased,
                 terms = structure(list(), term.labels = character()))
  h <- if (is.character(hypothesis) && all(hypothesis %in% names(bs))) {
    cols <- hypothesis[!aliased[hypothesis]]
    C <- matrix(0, length(cols), length(bs), dimnames = list(cols, names(bs)))
    C[cbind(seq_along(cols), match(cols, names(bs)))] <- 1
    list(C = C, r = rep(0, length(cols)), words = paste(cols, "= 0"), zero = TRUE)
  } else {
    if (is.character(hypothesis)) {
      bad <- hypothesis[!grepl("[-+*/=]", hypothesis)]
      if (length(bad)) {
        dm_abort(sprintf("`hypothesis` holds %s, which is not a stacked coefficient of the dm_mlm (they are named response:term, e.g. %s).",
                         show_values(bad), show_values(names(bs), 4L)), type = "hypothesis", call = NULL)
      }
    }
    wald_hypothesis(pseudo, hypothesis, rhs)
  }
  # The test itself is dm_lm's wald_test() on the first fit (same design, weights,
  # clusters and whitening) carrying the stacked coefficients and variance: under CR2
  # its HTZ df come from the core with the mk-column contrasts (the stacked design
  # I_m (x) X), otherwise F on (q, G - 1) or (q, n - k) df.
  stacked <- attr(V, "fit1")
  stacked$coefficients <- bs
  stacked$aliased <- aliased
  stacked$vcov <- V
  stacked$perfect_fit <- NULL  # the first equation's; the stacked test does not use it
  out <- wald_test(stacked, h$C, h$r, h$words, h$zero)
  attr(out, "n_clusters") <- attr(V, "n_clusters")
  out
}
