# Simulated ordered items from a factor model with known loadings and thresholds
# (used by test-cfa.R, test-invariance.R, test-table-cfa.R and test-autoplot-cfa.R).
# `lambda`: a list of standardised loadings per factor; `phi`: factor correlation;
# `shift`: list(item, k, by) moves threshold k of one item (a planted non-invariance).
sim_ordinal <- function(n, lambda, tau = c(-1.2, -0.3, 0.5, 1.3), phi = 0.4, shift = NULL, seed = 1) {
  set.seed(seed)
  k <- length(lambda)
  Phi <- matrix(phi, k, k)
  diag(Phi) <- 1
  f <- matrix(stats::rnorm(n * k), n, k) %*% chol(Phi)
  lam <- unlist(lambda)
  fac <- rep(seq_len(k), lengths(lambda))
  out <- vapply(seq_along(lam), function(j) {
    ystar <- lam[j] * f[, fac[j]] + stats::rnorm(n, sd = sqrt(1 - lam[j]^2))
    t <- tau
    if (!is.null(shift) && shift$item == j) t[shift$k] <- t[shift$k] + shift$by
    findInterval(ystar, t) + 1
  }, numeric(n))
  colnames(out) <- paste0("y", seq_along(lam))
  as.data.frame(out)
}

sim_codebook <- function(lambda, keyed = NULL) {
  lam <- unlist(lambda)
  data.frame(item = paste0("y", seq_along(lam)),
             dimension = paste0("f", rep(seq_along(lambda), lengths(lambda))),
             keyed = if (is.null(keyed)) 1L else keyed, scale_min = 1L, scale_max = 5L,
             stringsAsFactors = FALSE)
}
