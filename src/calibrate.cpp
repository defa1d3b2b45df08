// Calibration of weights: raking by iterative proportional fitting and Newton's method
// for the linear, raking and logit distances of Deville & Sarndal (1992), with bounds.
//
// Calibrated weights w_i = d_i g_i solve sum_i w_i x_i = T with g_i = F(x_i' lambda), F
// the inverse derivative of the distance function (Deville & Sarndal 1992, section 2):
//   linear (GREG)  F(u) = 1 + u
//   raking         F(u) = exp(u)
//   logit (L, U)   F(u) = [L (U-1) + U (1-L) e^{Au}] / [(U-1) + (1-L) e^{Au}],
//                  A = (U-L) / ((1-L)(U-1)), so L < g < U.
// Bounds lower_i <= g_i <= upper_i clip F; a clipped unit has zero derivative, so the
// Newton matrix X' diag(d F') X only moves the units inside their bounds: the units at a
// bound are trimmed and the others re-calibrated until the totals hold. The fixed point
// is the one survey::calibrate() reaches with `bounds`, and its equations are those of
// the trimmed-and-re-calibrated weights.
#include "calibrate.h"
#include "tolerances.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <Eigen/Eigenvalues>

namespace dm {

namespace {

// F(u) and F'(u) of the chosen distance, written so that no overflow turns them into NaN
// (the logit form is evaluated in e^{-Au} when Au > 0).
struct LogitConst {
  double L, U, A, scale;  // scale = (1-L)(U-1)(U-L)
};

inline double distance_f(CalMethod m, double u, const LogitConst& lc, double* deriv) {
  switch (m) {
    case CalMethod::linear:
      *deriv = 1.0;
      return 1.0 + u;
    case CalMethod::raking: {
      const double e = std::exp(u);
      *deriv = e;
      return e;
    }
    case CalMethod::logit:
    default: {
      const double au = lc.A * u;
      const double a = lc.L * (lc.U - 1), b = lc.U * (1 - lc.L), c = lc.U - 1, f = 1 - lc.L;
      if (au > 0) {
        const double r = std::exp(-au), den = c * r + f;
        *deriv = lc.A * r * lc.scale / (den * den);
        return (a * r + b) / den;
      }
      const double e = std::exp(au), den = c + f * e;
      *deriv = lc.A * e * lc.scale / (den * den);
      return (a + b * e) / den;
    }
  }
}

// g = clip(F(X lambda)) and the derivative (zero where clipped); false if any is not
// finite (the step overshot).
bool evaluate_g(const Eigen::Ref<const Eigen::MatrixXd>& X, const Eigen::VectorXd& lambda,
                CalMethod m, const LogitConst& lc,
                const Eigen::Ref<const Eigen::VectorXd>& lower,
                const Eigen::Ref<const Eigen::VectorXd>& upper, Eigen::VectorXd& g,
                Eigen::VectorXd& dg, bool* any_bounded) {
  const Eigen::VectorXd u = X * lambda;
  bool finite = true, bounded = false;
  for (Eigen::Index i = 0; i < u.size(); ++i) {
    double deriv = 0;
    double gi = distance_f(m, u[i], lc, &deriv);
    if (gi <= lower[i]) {
      gi = lower[i];
      deriv = 0;
      bounded = true;
    } else if (gi >= upper[i]) {
      gi = upper[i];
      deriv = 0;
      bounded = true;
    }
    if (!std::isfinite(gi) || !std::isfinite(deriv)) finite = false;
    g[i] = gi;
    dg[i] = deriv;
  }
  *any_bounded = bounded;
  return finite;
}

// max_k |misfit_k| / (1 + |T_k|): survey's convergence measure, scale-free for large
// totals and absolute for totals near zero.
double relative_error(const Eigen::VectorXd& misfit, const Eigen::Ref<const Eigen::VectorXd>& T) {
  double e = 0;
  for (Eigen::Index k = 0; k < T.size(); ++k)
    e = std::max(e, std::abs(misfit[k]) / (1.0 + std::abs(T[k])));
  return e;
}

// Symmetric pseudo-inverse of the p x p Newton matrix applied to the misfit.
Eigen::VectorXd pinv_solve(const Eigen::MatrixXd& T, const Eigen::VectorXd& r) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(T);
  const Eigen::VectorXd& ev = es.eigenvalues();
  const double top = ev.size() ? std::max(ev.maxCoeff(), 0.0) : 0.0;
  Eigen::VectorXd inv = Eigen::VectorXd::Zero(ev.size());
  for (Eigen::Index k = 0; k < ev.size(); ++k)
    if (ev[k] > tol::kCalibratePinv * top) inv[k] = 1.0 / ev[k];
  const Eigen::MatrixXd& V = es.eigenvectors();
  return V * inv.asDiagonal() * (V.transpose() * r);
}

void check_inputs(Eigen::Index n, Eigen::Index p, const Eigen::Ref<const Eigen::VectorXd>& d,
                  Eigen::Index n_totals, Eigen::Index n_lower, Eigen::Index n_upper) {
  if (d.size() != n || n_lower != n || n_upper != n)
    throw std::invalid_argument("calibration: weights and bounds must have one value per unit");
  if (n_totals != p)
    throw std::invalid_argument("calibration: one total per column of the auxiliary matrix");
  for (Eigen::Index i = 0; i < n; ++i)
    if (!(d[i] > 0) || !std::isfinite(d[i]))
      throw std::invalid_argument("calibration: initial weights must be positive and finite");
}

}  // namespace

CalibrationResult calibrate_newton(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                   const Eigen::Ref<const Eigen::VectorXd>& d,
                                   const Eigen::Ref<const Eigen::VectorXd>& totals,
                                   CalMethod method,
                                   const Eigen::Ref<const Eigen::VectorXd>& lower,
                                   const Eigen::Ref<const Eigen::VectorXd>& upper,
                                   double logit_L, double logit_U, double tol,
                                   int max_iter) {
  const Eigen::Index n = X.rows(), p = X.cols();
  check_inputs(n, p, d, totals.size(), lower.size(), upper.size());
  if (!X.allFinite() || !totals.allFinite())
    throw std::invalid_argument("calibration: auxiliaries and totals must be finite");
  LogitConst lc{logit_L, logit_U, 0, 0};
  if (method == CalMethod::logit) {
    if (!(logit_L < 1 && logit_U > 1 && logit_L >= 0 && std::isfinite(logit_U)))
      throw std::invalid_argument("calibration: logit needs finite bounds L < 1 < U");
    lc.A = (logit_U - logit_L) / ((1 - logit_L) * (logit_U - 1));
    lc.scale = (1 - logit_L) * (logit_U - 1) * (logit_U - logit_L);
  }
  CalibrationResult res;
  res.lambda = Eigen::VectorXd::Zero(p);
  res.g.resize(n);
  Eigen::VectorXd dg(n);
  bool bounded = false;
  if (!evaluate_g(X, res.lambda, method, lc, lower, upper, res.g, dg, &bounded))
    throw std::invalid_argument("calibration: the starting weights are not finite");
  Eigen::VectorXd misfit = totals - X.transpose() * d.cwiseProduct(res.g);
  res.max_error = relative_error(misfit, totals);
  // Newton steps as survey's grake(): full step, halved while it makes g non-finite.
  while (res.iterations < max_iter && !(res.max_error < tol)) {
    ++res.iterations;
    const Eigen::VectorXd s = d.cwiseProduct(dg).cwiseSqrt();
    const Eigen::MatrixXd Xs = X.array().colwise() * s.array();
    Eigen::MatrixXd T = Eigen::MatrixXd::Zero(p, p);
    T.selfadjointView<Eigen::Lower>().rankUpdate(Xs.transpose());
    T = T.selfadjointView<Eigen::Lower>();
    Eigen::VectorXd step = pinv_solve(T, misfit);
    Eigen::VectorXd lambda = res.lambda + step;
    int halvings = 0;
    while (!evaluate_g(X, lambda, method, lc, lower, upper, res.g, dg, &bounded)) {
      if (++halvings > 60)
        throw std::invalid_argument("calibration: Newton step gives non-finite weights");
      step /= 2;
      lambda -= step;
    }
    res.lambda = lambda;
    misfit = totals - X.transpose() * d.cwiseProduct(res.g);
    res.max_error = relative_error(misfit, totals);
  }
  res.converged = res.max_error < tol;
  res.bounded_units = bounded;
  return res;
}

CalibrationResult rake_ipf(const std::vector<const int*>& codes,
                           const std::vector<Eigen::VectorXd>& targets,
                           const Eigen::Ref<const Eigen::VectorXd>& d, double tol,
                           int max_iter) {
  const Eigen::Index n = d.size();
  const std::size_t M = codes.size();
  if (targets.size() != M || M == 0)
    throw std::invalid_argument("raking: one target vector per margin, at least one margin");
  check_inputs(n, 0, d, 0, n, n);
  for (std::size_t m = 0; m < M; ++m) {
    const Eigen::Index K = targets[m].size();
    for (Eigen::Index i = 0; i < n; ++i)
      if (codes[m][i] < 0 || codes[m][i] >= K)
        throw std::invalid_argument("raking: a category code is outside its margin");
    if (!targets[m].allFinite() || (targets[m].array() <= 0).any())
      throw std::invalid_argument("raking: targets must be positive and finite");
  }
  Eigen::VectorXd w = d;
  std::vector<Eigen::VectorXd> sums(M);
  CalibrationResult res;
  res.max_error = std::numeric_limits<double>::infinity();
  while (res.iterations < max_iter) {
    ++res.iterations;
    double sweep_error = 0;
    for (std::size_t m = 0; m < M; ++m) {
      const int* c = codes[m];
      Eigen::VectorXd& s = sums[m];
      s.setZero(targets[m].size());
      for (Eigen::Index i = 0; i < n; ++i) s[c[i]] += w[i];
      Eigen::VectorXd f(s.size());
      for (Eigen::Index k = 0; k < s.size(); ++k) {
        if (!(s[k] > 0))
          throw std::invalid_argument("raking: a category has no weight left");
        sweep_error = std::max(sweep_error,
                               std::abs(s[k] - targets[m][k]) / (1.0 + targets[m][k]));
        f[k] = targets[m][k] / s[k];
      }
      for (Eigen::Index i = 0; i < n; ++i) w[i] *= f[c[i]];
    }
    if (sweep_error < tol) break;
  }
  // The error of the weights returned, from a final pass over every margin.
  res.max_error = 0;
  for (std::size_t m = 0; m < M; ++m) {
    Eigen::VectorXd s = Eigen::VectorXd::Zero(targets[m].size());
    for (Eigen::Index i = 0; i < n; ++i) s[codes[m][i]] += w[i];
    for (Eigen::Index k = 0; k < s.size(); ++k)
      res.max_error = std::max(res.max_error,
                               std::abs(s[k] - targets[m][k]) / (1.0 + targets[m][k]));
  }
  res.converged = res.max_error < tol;
  res.g = w.cwiseQuotient(d);
  return res;
}

}  // namespace dm
