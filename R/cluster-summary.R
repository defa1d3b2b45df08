#' Leverage, influence and the jackknife of each cluster
#'
#' Tells whether cluster-robust inference on a [dm_lm()] fit can be trusted
#' (MacKinnon, Nielsen and Webb 2023; the summclust command of Stata and R):
#' per cluster its size, leverage and the coefficients estimated without it;
#' per coefficient the CRV3 jackknife standard error and the effective number
#' of clusters of Carter, Schnepel and Steigerwald (2017). A few clusters with
#' high leverage or influence, or an effective number of clusters far below G,
#' mean that t tests with CR1 or CR2 standard errors can over-reject: prefer
#' CR3, [dm_wild()], or look at those clusters.
#'
#' @param fit A [dm_lm()] fit with a `cluster`.
#' @param rho The within-cluster correlation assumed for the effective number
#'   of clusters (Carter et al.'s Omega_g = (1 - rho) I + rho 11'); 0 (the
#'   default) treats the errors as uncorrelated and homoskedastic.
#'
#' @param ... Nothing: an unknown or misspelled argument is an error (class
#'   `digimaturity_error_argument_spelling`) that names the argument meant.
#' @details With Z = W^1/2 X R^-1 (X'WX = R'R), the leverage of cluster g is
#'   L_g = tr(Z_g'Z_g) = the sum of the hat values of its rows; the L_g add up
#'   to k, so k/G is their mean. The coefficients without cluster g are
#'   b_(g) = b - R^-1 (I - Z_g'Z_g)^-1 Z_g'W_g^1/2 e_g (no refit); the
#'   influence of g on a coefficient is b - b_(g). The CRV3 standard error is
#'   sqrt((G-1)/G sum_g (b_(g) - b)^2), which is sqrt((G-1)/G) times the CR3
#'   standard error of [vcov.dm_lm()] and of `clubSandwich::vcovCR(type =
#'   "CR3")` (which omit the factor (G-1)/G); `se_crv3j` centres the jackknife
#'   at the mean of the b_(g) instead of b. Coefficients identified by a single
#'   cluster (leaving it out makes X'WX singular) have no jackknife: `NA`, as
#'   the package's CR3. The effective number of clusters of a coefficient is
#'   G* = G / (1 + Gamma), Gamma the squared coefficient of variation of
#'   gamma_g = a_g' Omega_g a_g, a_g the weights of cluster g's rows in the
#'   coefficient.
#'
#'   `print()` flags clusters with leverage above 3 k/G (three times the mean)
#'   and those whose omission moves a coefficient by more than its CRV3
#'   standard error.
#'
#' @return A list of class `dm_cluster_summary`: `clusters`, a data frame
#'   with `cluster`, `n`, `leverage` and one column `influence_<term>` (b -
#'   b_(g)) per coefficient; `jackknife`, the G x k matrix of omit-one-cluster
#'   coefficients (rows in the order of `clusters`); `coefficients`, a data
#'   frame with `term`, `estimate`, `se_cr1`, `se_crv3`, `se_crv3j` and
#'   `effective_clusters`; and `n_clusters`, `rho`.
#' @references MacKinnon, J. G., Nielsen, M. O. and Webb, M. D. (2023).
#'   Leverage, influence, and the jackknife in clustered regression models:
#'   Reliable inference using summclust. *The Stata Journal* 23(4), 942-982.
#'
#'   Carter, A. V., Schnepel, K. T. and Steigerwald, D. G. (2017). Asymptotic
#'   behavior of a t-test robust to cluster heterogeneity. *The Review of
#'   Economics and Statistics* 99(4), 698-709.
#' @family dm_lm
#' @export
#' @examples
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb)
#' cs <- dm_cluster_summary(fit)
#' cs
#' cs$coefficients
#' head(cs$jackknife)
dm_cluster_summary <- function(fit, rho = 0, ...) {
  check_dots_spelling(..., .strict = TRUE)
  check_wild_fit(fit, "the cluster summary")
  if (is.null(fit$cluster)) {
    dm_abort("`fit` has no cluster: refit with `cluster = ~municipality` (or update(fit, cluster = ...)).",
             type = "cluster")
  }
  check_scalar_number(rho, "rho", 0, 1)
  check_id_variants(fit$cluster, "cluster")
  cn <- names(fit$coefficients)
  kept <- cn[!fit$aliased]
  cl <- fit$cluster
  G <- fit$n_clusters
  res <- cpp_call(dm_cluster_summary_cpp(design_for_cpp(fit, kept), as.double(fit$residuals),
                                         fit$weights, as.integer(cl), G, fit$rinv, fit$rinv_lo,
                                         threads_for(fit$nobs * length(kept)^2)))
  # coefficients that the package's CR3 leaves undefined have no jackknife either
  # (the fitter on the same design; its leverage warning is not news here)
  cr3 <- refit_vcov(fit, "CR3", cl, warn = FALSE)$vcov
  undefined <- kept[is.na(diag(cr3)[kept])]
  dfbeta <- res$dfbeta
  dimnames(dfbeta) <- list(levels(cl), kept)
  dfbeta[, undefined] <- NA_real_
  b <- fit$coefficients[kept]
  jack <- sweep(-dfbeta, 2L, b, "+")
  gamma <- (1 - rho) * res$a2 + rho * res$a1^2
  gbar <- colMeans(gamma)
  eff <- G / (1 + colSums(sweep(gamma, 2L, gbar)^2) / (G * gbar^2))
  cr1 <- refit_vcov(fit, "CR1", cl)$vcov
  coefs <- data.frame(term = kept, estimate = unname(b),
                      se_cr1 = unname(sqrt(diag(cr1)[kept])),
                      se_crv3 = unname(sqrt((G - 1) / G * colSums(dfbeta^2))),
                      se_crv3j = unname(sqrt((G - 1) / G * colSums(sweep(jack, 2L, colMeans(jack))^2))),
                      effective_clusters = unname(eff), stringsAsFactors = FALSE)
  infl <- as.data.frame(dfbeta, optional = TRUE)
  names(infl) <- paste0("influence_", kept)
  clusters <- data.frame(cluster = levels(cl), n = tabulate(as.integer(cl), G),
                         leverage = res$leverage, stringsAsFactors = FALSE)
  clusters <- cbind(clusters, infl)
  rownames(clusters) <- NULL
  structure(list(clusters = clusters, jackknife = jack, coefficients = coefs,
                 n_clusters = G, rho = rho),
            class = "dm_cluster_summary")
}

#' @export
print.dm_cluster_summary <- function(x, digits = max(3L, getOption("digits") - 3L), n = 10L, ...) {
  check_dots_strict(..., .fun = "print()")
  cl <- x$clusters
  G <- x$n_clusters
  k <- nrow(x$coefficients)
  cat(sprintf("Cluster summary: %d clusters (sizes %d to %d, median %g), %d coefficients\n",
              G, min(cl$n), max(cl$n), stats::median(cl$n), k))
  cat(sprintf("Leverage: mean k/G = %s, max %s (cluster %s)\n",
              format(k / G, digits = digits), format(max(cl$leverage), digits = digits),
              cl$cluster[which.max(cl$leverage)]))
  co <- x$coefficients
  shown <- co[c("term", "estimate", "se_cr1", "se_crv3", "effective_clusters")]
  print(shown, digits = digits, row.names = FALSE)
  flags <- cluster_flags(x)
  if (!nrow(flags)) {
    cat("No cluster with high leverage (> 3 k/G) or influence (> 1 CRV3 s.e.).\n")
  } else {
    cat(sprintf("Flagged clusters (leverage > 3 k/G or omitting them moves a coefficient by more than its CRV3 s.e.): %d\n",
                nrow(flags)))
    print(utils::head(flags, n), digits = digits, row.names = FALSE)
    if (nrow(flags) > n) cat(sprintf("... and %d more\n", nrow(flags) - n))
  }
  invisible(x)
}

# Clusters with high leverage or influence, with the reason.
cluster_flags <- function(x) {
  cl <- x$clusters
  G <- x$n_clusters
  k <- nrow(x$coefficients)
  infl <- as.matrix(cl[paste0("influence_", x$coefficients$term)])
  ratio <- abs(sweep(infl, 2L, x$coefficients$se_crv3, "/"))
  ratio[!is.finite(ratio)] <- NA
  worst <- apply(ratio, 1L, function(r) if (all(is.na(r))) NA_real_ else max(r, na.rm = TRUE))
  which_term <- apply(ratio, 1L, function(r) if (all(is.na(r))) NA_character_ else
    x$coefficients$term[which.max(r)])
  hi_lev <- cl$leverage > 3 * k / G
  hi_inf <- !is.na(worst) & worst > 1
  sel <- hi_lev | hi_inf
  data.frame(cluster = cl$cluster[sel], n = cl$n[sel], leverage = cl$leverage[sel],
             max_influence_se = worst[sel], on_term = which_term[sel],
             flag = ifelse(hi_lev[sel] & hi_inf[sel], "leverage, influence",
                           ifelse(hi_lev[sel], "leverage", "influence")),
             stringsAsFactors = FALSE)
}
