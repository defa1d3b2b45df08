# Independent reference implementations for the accuracy tests of the robust
# variances (tests/testthat/test-vcov-accuracy.R). Nothing here calls the
# package: each reference is written from its definition.

# ---- exact rational robust standard errors (gmp) ---------------------------------
#
# For the double design X and response y (every double is a dyadic rational, so
# gmp::as.bigq() converts them exactly), in exact rational arithmetic:
#   M = (X'X)^-1, b = M X'y, e = y - X b, A = X M (row i is x_i' M),
#   h_i = x_i' M x_i = sum_j A_ij X_ij,
#   V = M meat M, so diag(V)_j = m_j' meat m_j with m_j column j of M:
#     HC0: meat = sum_i e_i^2 x_i x_i'            -> V_jj = sum_i e_i^2 A_ij^2
#     HC3: meat = sum_i e_i^2/(1-h_i)^2 x_i x_i'  -> V_jj = sum_i e_i^2/(1-h_i)^2 A_ij^2
#     CR0: meat = sum_g (X_g'e_g)(X_g'e_g)'       -> V_jj = sum_g (sum_{i in g} A_ij e_i)^2
# The only rounding is the final conversion of the exact V_jj to double (relative
# error 2^-53) and the double square root, so the reference s.e. are correct to
# about 16 digits. Costs about 1 s for n = 82, k = 11.
exact_robust_se <- function(X, y, cluster) {
  `%*%` <- gmp::`%*%`
  X <- unname(as.matrix(X))
  n <- nrow(X)
  k <- ncol(X)
  Xq <- gmp::as.bigq(X)
  yq <- gmp::as.bigq(as.double(y))
  M <- solve(t(Xq) %*% Xq)
  b <- M %*% (t(Xq) %*% yq)
  e <- yq - Xq %*% b
  A <- Xq %*% M
  h <- gmp::as.bigq(rep(0, n))
  for (j in seq_len(k)) h <- h + A[, j] * Xq[, j]
  e2 <- e * e
  e2_hc3 <- e2 / ((1 - h) * (1 - h))
  groups <- split(seq_len(n), cluster)
  hc0 <- hc3 <- cr0 <- numeric(k)
  for (j in seq_len(k)) {
    a <- A[, j]
    hc0[j] <- as.double(sum(e2 * a * a))
    hc3[j] <- as.double(sum(e2_hc3 * a * a))
    ae <- a * e
    tot <- gmp::as.bigq(0)
    for (ig in groups) {
      s <- sum(ae[ig])
      tot <- tot + s * s
    }
    cr0[j] <- as.double(tot)
  }
  list(coef = as.double(b), hat = as.double(h),
       HC0 = sqrt(hc0), HC3 = sqrt(hc3), CR0 = sqrt(cr0))
}

# Correct significant digits of `a` against the reference `b`: -log10 of the largest
# relative error (Inf when identical; NaN/NA or a sign error give -Inf, i.e. 0 digits).
digits_agree <- function(a, b) {
  a <- unname(as.double(a))
  b <- unname(as.double(b))
  stopifnot(length(a) == length(b))
  err <- abs(a - b) / abs(b)
  if (anyNA(err)) return(-Inf)
  -log10(max(err))
}

# The designs of the exact references: the data frame, the formula (whose model
# matrix is the double design passed to the reference, so both sides see the same
# doubles) and deterministic clusters of consecutive rows.
#  - Longley: datasets::longley, Employed on all six regressors (16 rows, 7 coef).
#  - Wampler3/4/5-like: x = 0..20, y = 1 + x + ... + x^5 + c (-1)^i (1 + i %% 3),
#    i = 0..20, with c = 2e3, 1e5, 1e7 (the sizes of NIST's perturbations for
#    Wampler3, 4, 5; not NIST's data). Degree 5, 21 rows.
#  - Filip-like: x on [-8.78, -3.13] (82 points, rounded to 4 decimals), a smooth
#    response with noise, degree 10 -- the design of test-lm.R.
reference_designs <- function() {
  wampler <- function(c) {
    x <- 0:20
    i <- 0:20
    data.frame(x = x, y = 1 + x + x^2 + x^3 + x^4 + x^5 + c * (-1)^i * (1 + i %% 3))
  }
  wfml <- y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5)
  set.seed(3)
  x <- round(seq(-8.78, -3.13, length.out = 82), 4)
  filip <- data.frame(x = x, y = round(0.8 + 0.01 * sin(x) + stats::rnorm(82, sd = 0.003), 6))
  list(
    Longley = list(data = datasets::longley, formula = Employed ~ ., size = 3),
    Wampler3 = list(data = wampler(2e3), formula = wfml, size = 3),
    Wampler4 = list(data = wampler(1e5), formula = wfml, size = 3),
    Wampler5 = list(data = wampler(1e7), formula = wfml, size = 3),
    Filip = list(data = filip, size = 4,
                 formula = y ~ I(x^1) + I(x^2) + I(x^3) + I(x^4) + I(x^5) + I(x^6) +
                   I(x^7) + I(x^8) + I(x^9) + I(x^10))
  )
}

# ---- dense CR2 / Satterthwaite / HTZ reference -----------------------------------
#
# Pustejovsky & Tipton (2018, JBES) and Tipton & Pustejovsky (2015, JEBS), in the
# form clubSandwich::vcovCR() uses for a (weighted) lm: working model Theta = I
# (for an unweighted lm clubSandwich's inverse-variance form W^-1 = I is the same).
# All n x n matrices are formed explicitly:
#   M = (X'WX)^-1 (from the QR of W^1/2 X), H = X M X'W, P = (I - H)(I - H)',
#   G_g = P[g, g], A_g = G_g^-1/2 (symmetric, eigenvalues <= 1e-12 give 0),
#   V = M (sum_g X_g'W_g A_g e_g e_g' A_g W_g X_g) M.
# For a q x k contrast matrix C, the vector p_{s,g} (length n, zero outside g)
# holds A_g W_g X_g M c_s on the rows of g, and K[(s,g), (t,h)] = p_{s,g}' P p_{t,h}
# (K = U'PU with U the n x qG matrix of these vectors).
#   Satterthwaite df of c'b (q = 1): (sum_g K_gg)^2 / sum_{g,h} K_gh^2.
#   HTZ: Omega = sum_g K[(., g), (., g)] (q x q); the vectors are normalised,
#     p~_{., g} = p_{., g} L with L' Omega L = I (Omega^-1/2 or a Cholesky
#     inverse: same nu), B = U~' P U~; the total variance
#     T[s, t] = sum_{g,h} B[(s,g),(t,h)] B[(t,g),(s,h)] + B[(s,g),(s,h)] B[(t,g),(t,h)];
#     nu = q (q + 1) / sum(T); Q = (Cb)'(C V C')^-1 (Cb);
#     F = (nu - q + 1) / (nu q) Q on (q, nu - q + 1) df.
dense_cr2 <- function(X, y, w = NULL, cluster) {
  X <- unname(as.matrix(X))
  n <- nrow(X)
  k <- ncol(X)
  if (is.null(w)) w <- rep(1, n)
  sw <- sqrt(w)
  # Numerics (none of it changes the quantities, all of which are invariant to
  # column scaling): columns equilibrated (unit length in W^1/2 X), M = R^-1 R^-T
  # from the QR of W^1/2 X, and H = W^-1/2 Q Q' W^1/2 from the orthonormal factor
  # (not X M X'W), so the error of H does not grow with the condition number.
  sc <- 1 / sqrt(colSums((sw * X)^2))
  Xs <- sweep(X, 2, sc, `*`)
  qx <- qr(sw * Xs)
  stopifnot(qx$rank == k, identical(qx$pivot, seq_len(k)))
  R <- qr.R(qx)
  Q <- qr.Q(qx)
  Ms <- chol2inv(R)
  bs <- drop(backsolve(R, qr.qty(qx, sw * y)[seq_len(k)]))
  b <- bs * sc
  e <- drop(y - Xs %*% bs)
  IH <- diag(n) - tcrossprod(Q) * outer(1 / sw, sw)
  P <- tcrossprod(IH)
  groups <- split(seq_len(n), cluster)
  inv_sqrt <- function(S) {
    ev <- eigen(S, symmetric = TRUE)
    d <- ifelse(ev$values > 1e-12, 1 / sqrt(pmax(ev$values, 1e-300)), 0)
    ev$vectors %*% (d * t(ev$vectors))
  }
  # F_g = A_g W_g X_g M (n_g x k): row i of p_{., g} for the contrast c is F_g c
  Fg <- lapply(groups, function(ig) {
    inv_sqrt(P[ig, ig, drop = FALSE]) %*% (w[ig] * Xs[ig, , drop = FALSE]) %*% Ms
  })
  meat_half <- vapply(seq_along(groups), function(g) {
    drop(crossprod(Fg[[g]], e[groups[[g]]]))
  }, numeric(k))
  Vs <- tcrossprod(matrix(meat_half, k))     # = M (sum_g ...) M since F_g carries M
  V <- (Vs + t(Vs)) / 2 * outer(sc, sc)
  U_of <- function(C) {                      # n x (q G), columns (s = 1..q) within g
    q <- nrow(C)
    C <- sweep(C, 2, sc, `*`)                # the contrast in the equilibrated coordinates
    U <- matrix(0, n, q * length(groups))
    for (g in seq_along(groups)) {
      U[groups[[g]], (g - 1) * q + seq_len(q)] <- Fg[[g]] %*% t(C)
    }
    U
  }
  satt <- function(j) {
    C <- matrix(0, 1, k)
    C[1, j] <- 1
    U <- U_of(C)
    K <- crossprod(U, P %*% U)
    sum(diag(K))^2 / sum(K^2)
  }
  htz <- function(C) {
    C <- matrix(C, ncol = k)
    q <- nrow(C)
    G <- length(groups)
    U <- U_of(C)
    K <- crossprod(U, P %*% U)
    idx <- function(s) (seq_len(G) - 1) * q + s     # positions of contrast s
    Omega <- matrix(0, q, q)
    for (s in seq_len(q)) for (t in seq_len(q)) Omega[s, t] <- sum(diag(K[idx(s), idx(t), drop = FALSE]))
    # Normalise with any L such that L' Omega L = I: nu does not depend on the
    # choice (the normalised vectors differ by a rotation, and the total variance
    # is invariant to it). clubSandwich uses the symmetric Omega^-1/2 with an
    # absolute eigenvalue cut at 1e-12, which drops a contrast whose variance is
    # below 1e-12 (a coefficient of a column multiplied by 1e6) and so is not
    # invariant to column scaling; here Omega is equilibrated and inverted through
    # its Cholesky factor, with no cut (the contrasts are linearly independent).
    ds <- 1 / sqrt(diag(Omega))
    L <- ds * backsolve(chol(Omega * outer(ds, ds)), diag(q))   # L' Omega L = I
    Ut <- U
    for (g in seq_len(G)) {
      cols <- (g - 1) * q + seq_len(q)
      Ut[, cols] <- U[, cols, drop = FALSE] %*% L
    }
    B <- crossprod(Ut, P %*% Ut)
    Tm <- matrix(0, q, q)
    for (s in seq_len(q)) for (t in seq_len(q)) {
      Tm[s, t] <- sum(B[idx(s), idx(t)] * B[idx(t), idx(s)]) + sum(B[idx(s), idx(s)] * B[idx(t), idx(t)])
    }
    nu <- q * (q + 1) / sum(Tm)
    cb <- drop(C %*% b)
    Qf <- drop(cb %*% solve(C %*% V %*% t(C), cb))
    list(statistic = (nu - q + 1) / (nu * q) * Qf, df1 = q, df2 = nu - q + 1, nu = nu, Q = Qf)
  }
  list(coef = b, vcov = V, df = vapply(seq_len(k), satt, 1), htz = htz)
}

# Selection matrix of the coefficients `nm` among the columns `cols`.
select_rows <- function(nm, cols) {
  C <- matrix(0, length(nm), length(cols))
  C[cbind(seq_along(nm), match(nm, cols))] <- 1
  C
}

# Per-coefficient t-test df of a fit through its public interface (tidy()), so the
# tests hold whether the df are stored in the fit or computed when first asked for.
fit_df <- function(fit) {
  stats::setNames(generics::tidy(fit)$df, names(fit$coefficients))
}
