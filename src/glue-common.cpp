// The shared glue helpers of glue-common.h, and the hook through which the core's
// parallel loops ask R about user interrupts.
#include "glue-common.h"

#include <algorithm>

namespace {

// User interrupts: the core's parallel loops ask this from the calling thread only.
// R_ToplevelExec keeps R's longjmp on an interrupt from leaving the C++ frames.
void check_interrupt_fn(void*) { R_CheckUserInterrupt(); }
bool r_interrupt_pending() { return R_ToplevelExec(check_interrupt_fn, nullptr) == FALSE; }
const bool interrupt_check_set = (dm::interrupt_check() = &r_interrupt_pending, true);

}  // namespace

namespace dm_glue {

dm::Design make_design(SEXP X, SEXP weights) {
  dm::Design d;
  if (Rf_isMatrix(X)) {
    if (TYPEOF(X) != REALSXP) Rcpp::stop("the design matrix must be double");
    Rcpp::NumericMatrix m(X);
    d.n = m.nrow();
    for (int j = 0; j < m.ncol(); ++j) d.cols.push_back(REAL(X) + static_cast<R_xlen_t>(j) * d.n);
  } else {
    Rcpp::List l(X);
    d.n = -1;
    for (R_xlen_t j = 0; j < l.size(); ++j) {
      SEXP c = l[j];
      if (TYPEOF(c) != REALSXP) Rcpp::stop("design columns must be double");
      if (d.n < 0) d.n = Rf_xlength(c);
      if (Rf_xlength(c) != d.n) Rcpp::stop("design columns differ in length");
      d.cols.push_back(REAL(c));
    }
    if (d.n < 0) d.n = 0;
  }
  if (!Rf_isNull(weights)) {
    if (TYPEOF(weights) != REALSXP || Rf_xlength(weights) != d.n)
      Rcpp::stop("weights must be double of length n");
    d.weights = REAL(weights);
  }
  return d;
}

dm::Clusters make_clusters(const Rcpp::IntegerVector& code, std::ptrdiff_t n, int G) {
  if (code.size() != n) Rcpp::stop("cluster codes differ in length from the data");
  std::vector<int> c0(code.begin(), code.end());
  for (int& c : c0) --c;
  return dm::Clusters(c0.data(), n, G);
}

dm::Whitening make_whitening(const Rcpp::NumericMatrix& rinv, SEXP rinv_lo) {
  dm::Whitening wh;
  wh.rinv = to_eigen(rinv);
  if (!Rf_isNull(rinv_lo) && Rf_xlength(rinv_lo) > 0) {
    wh.rinv_lo = to_eigen(Rcpp::NumericMatrix(rinv_lo));
    if (wh.rinv_lo.rows() != wh.rinv.rows() || wh.rinv_lo.cols() != wh.rinv.cols())
      Rcpp::stop("rinv and rinv_lo differ in size");
  }
  if (wh.rinv.rows() != wh.rinv.cols()) Rcpp::stop("rinv must be square");
  return wh;
}

Rcpp::NumericMatrix to_r(const Eigen::MatrixXd& m) {
  Rcpp::NumericMatrix out(m.rows(), m.cols());
  std::copy(m.data(), m.data() + m.size(), out.begin());
  return out;
}

Rcpp::NumericVector to_r(const Eigen::VectorXd& v) {
  return Rcpp::NumericVector(v.data(), v.data() + v.size());
}

Eigen::MatrixXd to_eigen(const Rcpp::NumericMatrix& m) {
  return Eigen::Map<const Eigen::MatrixXd>(m.begin(), m.nrow(), m.ncol());
}

Rcpp::IntegerVector one_based(const std::vector<int>& v) {
  Rcpp::IntegerVector out(v.size());
  for (size_t j = 0; j < v.size(); ++j) out[j] = v[j] + 1;
  return out;
}

}  // namespace dm_glue
