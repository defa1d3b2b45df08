// Calibration of weights (Deville & Sarndal 1992): raking by iterative proportional
// fitting on categorical margins, and Newton's method for the linear (GREG), raking and
// bounded logit distance functions on any auxiliary matrix, with per-unit bounds.
#ifndef DIGIMATURITY_CALIBRATE_H
#define DIGIMATURITY_CALIBRATE_H

#include <Eigen/Dense>

#include <vector>

namespace dm {

enum class CalMethod { linear = 0, raking = 1, logit = 2 };

struct CalibrationResult {
  Eigen::VectorXd g;         // calibrated weight / initial weight, per unit
  Eigen::VectorXd lambda;    // Lagrange multipliers (Newton) or empty (IPF)
  int iterations = 0;        // Newton steps or IPF sweeps
  double max_error = 0;      // max_k |achieved_k - target_k| / (1 + |target_k|)
  bool converged = false;
  bool bounded_units = false;  // some g_i sits at a bound (trimmed, re-calibrated)
};

// Newton's method on the calibration equations sum_i d_i g_i x_i = totals with
// g_i = min(max(F(x_i' lambda), lower_i), upper_i); F is 1 + u (linear), exp(u)
// (raking) or the logit function of Deville & Sarndal with bounds (L, U). A unit whose
// g sits at its bound contributes no derivative: it is trimmed and the others are
// re-calibrated, so the solution meets the totals exactly with every g in its bounds.
// Throws std::invalid_argument on inconsistent sizes or bounds.
CalibrationResult calibrate_newton(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                   const Eigen::Ref<const Eigen::VectorXd>& d,
                                   const Eigen::Ref<const Eigen::VectorXd>& totals,
                                   CalMethod method,
                                   const Eigen::Ref<const Eigen::VectorXd>& lower,
                                   const Eigen::Ref<const Eigen::VectorXd>& upper,
                                   double logit_L, double logit_U, double tol,
                                   int max_iter);

// Raking by iterative proportional fitting: codes[m][i] in 0..K_m-1 is unit i's category
// on margin m, targets[m][k] the population count of that category. Each sweep scales
// the weights of every category of every margin in turn to its target. Converges to the
// raking solution of calibrate_newton() (the minimum of the Kullback-Leibler distance).
CalibrationResult rake_ipf(const std::vector<const int*>& codes,
                           const std::vector<Eigen::VectorXd>& targets,
                           const Eigen::Ref<const Eigen::VectorXd>& d, double tol,
                           int max_iter);

}  // namespace dm

#endif
