# Random designs shared by the regression tests: unbalanced clusters with singletons,
# a factor, optional weights.
make_clustered <- function(seed, G = 15, max_size = 12, singletons = 2) {
  set.seed(seed)
  sizes <- c(rep(1, singletons), sample(2:max_size, G - singletons, replace = TRUE))
  n <- sum(sizes)
  d <- data.frame(g = rep(seq_len(G), sizes), x1 = rnorm(n), x2 = rexp(n),
                  f = factor(sample(c("a", "b", "c"), n, TRUE)))
  d$y <- 1 + d$x1 - 0.5 * d$x2 + (d$f == "b") + rnorm(G)[d$g] + rnorm(n) * (1 + d$x2)
  d$w <- runif(n, 0.5, 3)
  d
}

# Elementwise relative difference; entries that are zero up to rounding (below 1e-7 of
# the largest entry, e.g. covariances that vanish exactly) are compared on that scale.
rel_diff <- function(a, b) {
  a <- unname(as.matrix(a))
  b <- unname(as.matrix(b))
  stopifnot(identical(dim(a), dim(b)))
  max(abs(a - b) / pmax(abs(b), 1e-7 * max(abs(b)), 1e-300))
}

# TRUE unless this build's QR path is plain double (`make test-portable` builds with
# -DDIGIMATURITY_PLAIN_DOUBLE): the accuracy an ill-conditioned test may expect.
qr_extended <- function() !digimaturity:::dm_build_info()$plain_double

# The solver dm_lm() picks on the QR path for a large design in this build.
large_qr_solver <- function() {
  info <- digimaturity:::dm_build_info()
  if (info$plain_double) "qr-double" else if (info$long_double_wide) "qr-extended" else "qr-double-double"
}

# Evaluates `expr` with option digimaturity.qr_precision set to `p`.
with_qr_precision <- function(p, expr) {
  op <- options(digimaturity.qr_precision = p)
  on.exit(options(op))
  expr
}
