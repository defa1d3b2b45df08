// Exports of the calibration core: Newton calibration (linear, raking, logit, bounds)
// and raking by iterative proportional fitting.
#include "glue-common.h"

#include "calibrate.h"

using Rcpp::IntegerMatrix;
using Rcpp::List;
using Rcpp::NumericMatrix;
using Rcpp::NumericVector;
using namespace dm_glue;

namespace {

List result_to_r(const dm::CalibrationResult& r) {
  return List::create(Rcpp::Named("g") = to_r(r.g),
                      Rcpp::Named("lambda") = to_r(r.lambda),
                      Rcpp::Named("iterations") = r.iterations,
                      Rcpp::Named("max_error") = r.max_error,
                      Rcpp::Named("converged") = r.converged,
                      Rcpp::Named("bounded") = r.bounded_units);
}

}  // namespace

// Newton calibration: X the n x p auxiliaries, d the initial weights, totals the
// population totals; method 0 linear, 1 raking, 2 logit (bounds L, U); lower/upper the
// per-unit bounds on g = w / d (-Inf/Inf: none).
// [[Rcpp::export]]
List dm_calibrate_cpp(NumericMatrix X, NumericVector d, NumericVector totals, int method,
                      NumericVector lower, NumericVector upper, double logit_L,
                      double logit_U, double tol, int max_iter) {
  return guarded([&]() -> List {
    if (method < 0 || method > 2) Rcpp::stop("dm_calibrate_cpp: method must be 0, 1 or 2");
    if (!(tol > 0) || max_iter < 1) Rcpp::stop("dm_calibrate_cpp: tol > 0 and max_iter >= 1");
    const Eigen::Map<const Eigen::MatrixXd> x(X.begin(), X.nrow(), X.ncol());
    const Eigen::Map<const Eigen::VectorXd> dd(d.begin(), d.size()), tt(totals.begin(), totals.size()),
        lo(lower.begin(), lower.size()), up(upper.begin(), upper.size());
    const dm::CalibrationResult r = dm::calibrate_newton(
        x, dd, tt, static_cast<dm::CalMethod>(method), lo, up, logit_L, logit_U, tol, max_iter);
    return result_to_r(r);
  });
}

// Raking by IPF: codes an n x M matrix of 1-based categories, targets a list of M
// positive vectors (one count per category), d the initial weights.
// [[Rcpp::export]]
List dm_rake_cpp(IntegerMatrix codes, List targets, NumericVector d, double tol, int max_iter) {
  return guarded([&]() -> List {
    const R_xlen_t n = d.size();
    const int M = codes.ncol();
    if (codes.nrow() != n || targets.size() != M)
      Rcpp::stop("dm_rake_cpp: codes must be n x M with one target vector per margin");
    if (!(tol > 0) || max_iter < 1) Rcpp::stop("dm_rake_cpp: tol > 0 and max_iter >= 1");
    std::vector<std::vector<int>> zero_based(M, std::vector<int>(n));
    std::vector<const int*> ptr(M);
    std::vector<Eigen::VectorXd> tg(M);
    for (int m = 0; m < M; ++m) {
      const int* col = codes.begin() + static_cast<R_xlen_t>(m) * n;
      for (R_xlen_t i = 0; i < n; ++i)
        zero_based[m][i] = col[i] == NA_INTEGER ? -1 : col[i] - 1;
      ptr[m] = zero_based[m].data();
      SEXP t = targets[m];
      if (TYPEOF(t) != REALSXP) Rcpp::stop("dm_rake_cpp: targets must be double vectors");
      tg[m] = Eigen::Map<const Eigen::VectorXd>(REAL(t), Rf_xlength(t));
    }
    const Eigen::Map<const Eigen::VectorXd> dd(d.begin(), n);
    return result_to_r(dm::rake_ipf(ptr, tg, dd, tol, max_iter));
  });
}
