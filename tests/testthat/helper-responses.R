# Simulated answers to the 24 items of dmm_items: one latent maturity per respondent,
# 1-5 codes, a share `p_missing` of cells missing, respondents in municipalities.
sim_responses <- function(n = 300, p_missing = 0.1, n_groups = 40, seed = 1) {
  set.seed(seed)
  latent <- stats::rnorm(n)
  group_effect <- stats::rnorm(n_groups, sd = 0.5)
  municipality <- sample(seq_len(n_groups), n, replace = TRUE)
  cols <- lapply(seq_len(nrow(dmm_items)), function(j) {
    x <- round(3 + latent + group_effect[municipality] + stats::rnorm(n))
    as.integer(pmin(5, pmax(1, x)))
  })
  names(cols) <- dmm_items$item
  out <- as.data.frame(cols)
  out$poor_past_it <- 6L - out$poor_past_it
  for (j in dmm_items$item) out[[j]][stats::runif(n) < p_missing] <- NA_integer_
  out$municipality <- sprintf("m%03d", municipality)
  out$respondent <- seq_len(n)
  out
}

# The keyed item matrix, computed directly in R.
keyed_matrix <- function(data, items = dmm_items) {
  k <- as.matrix(data[items$item]) * 1
  rev <- items$keyed < 0
  k[, rev] <- sweep(-k[, rev, drop = FALSE], 2, items$scale_min[rev] + items$scale_max[rev], "+")
  k
}
