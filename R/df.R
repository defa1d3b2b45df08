# Degrees of freedom of the t tests of a dm_lm fit, computed when first needed.
#
# The n - k and G - 1 rules are constants. The CR2 Satterthwaite df cost a pass over
# the data per batch of contrasts, so the fit does not compute them: coef_df() asks
# for the coefficients requested and not yet known, and keeps them in the
# environment `fit$cache` (shared by every copy of the fit, so a df is computed once).
#
# The two wrappers below are the only places that call the C++ CR2 df and HTZ entry
# points; their argument `C` is a contrast matrix over the kept (non-aliased)
# coefficients, in the order of `colnames(fit$bread)`.

# t-test df per coefficient, named; NA for aliased coefficients. `terms`: coefficient
# names (default: all).
coef_df <- function(fit, terms = NULL) {
  cn <- names(fit$coefficients)
  if (is.null(terms)) terms <- cn
  out <- stats::setNames(rep(NA_real_, length(terms)), terms)
  kept <- terms[!fit$aliased[terms]]
  if (!length(kept)) return(out)
  switch(fit$df_rule,
    "n - k" = out[kept] <- fit$df.residual,
    "G - 1" = out[kept] <- fit$n_clusters - 1,
    Satterthwaite = {
      cache <- fit$cache
      known <- cache$df_coef
      if (is.null(known)) known <- stats::setNames(numeric(), character())
      todo <- setdiff(kept, names(known))
      if (length(todo)) {
        all_kept <- colnames(fit$bread)
        C <- matrix(0, length(todo), length(all_kept))
        C[cbind(seq_along(todo), match(todo, all_kept))] <- 1
        new <- stats::setNames(cr2_contrast_df(fit, C), todo)
        known <- c(known, new)
        if (is.environment(cache)) cache$df_coef <- known
      }
      out[kept] <- known[kept]
    }
  )
  out[is.nan(out)] <- NA_real_
  out
}

# Satterthwaite df of each row of C (a contrast over the kept coefficients) under CR2,
# as clubSandwich::linear_contrast(test = "Satterthwaite"); rows in batches, to bound
# the C++ accumulators.
cr2_contrast_df <- function(fit, C) {
  kept <- colnames(fit$bread)
  D <- design_matrix(fit)[, kept, drop = FALSE]
  C <- unname(as.matrix(C))
  batches <- split(seq_len(nrow(C)), ceiling(seq_len(nrow(C)) / 256))
  threads <- dm_threads(fit$nobs * length(kept)^2)
  unlist(lapply(batches, function(r) {
    dm_contrast_df_cpp(D, as.double(fit$residuals), fit$weights, as.integer(fit$cluster),
                       fit$n_clusters, unname(fit$bread), C[r, , drop = FALSE], threads)
  }), use.names = FALSE)
}

# The Hotelling's T-squared df nu of the HTZ test of C b = 0 under CR2 (Tipton and
# Pustejovsky 2015), as clubSandwich::Wald_test(test = "HTZ").
cr2_htz_nu <- function(fit, C) {
  kept <- colnames(fit$bread)
  X <- design_matrix(fit)[, kept, drop = FALSE]
  dm_htz_cpp(X, as.double(fit$residuals), fit$weights, as.integer(fit$cluster),
             fit$n_clusters, unname(fit$bread), unname(as.matrix(C)),
             dm_threads(fit$nobs * length(kept)^2))
}
