// The only file with Rcpp exports: converts R objects, calls the plain C++ core, converts back.
#include <RcppEigen.h>

#include <memory>

#include "ols.h"
#include "sandwich.h"

#ifdef _OPENMP
#include <omp.h>
#endif

using Rcpp::List;
using Rcpp::NumericVector;
using Rcpp::IntegerVector;

namespace {

// Column pointers of a numeric matrix or of a list of double vectors, without copying.
dm::Design make_design(SEXP X, SEXP weights) {
  dm::Design d;
  if (Rf_isMatrix(X)) {
    if (TYPEOF(X) != REALSXP) Rcpp::stop("the design matrix must be double");
    Rcpp::NumericMatrix m(X);
    d.n = m.nrow();
    for (int j = 0; j < m.ncol(); ++j) d.cols.push_back(REAL(X) + static_cast<R_xlen_t>(j) * d.n);
  } else {
    List l(X);
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

Rcpp::NumericMatrix to_r(const Eigen::MatrixXd& m) {
  Rcpp::NumericMatrix out(m.rows(), m.cols());
  std::copy(m.data(), m.data() + m.size(), out.begin());
  return out;
}

NumericVector to_r(const Eigen::VectorXd& v) {
  return NumericVector(v.data(), v.data() + v.size());
}

}  // namespace

// [[Rcpp::export(rng = false)]]
int dm_num_procs() {
#ifdef _OPENMP
  return omp_get_num_procs();
#else
  return 1;
#endif
}

// [[Rcpp::export(rng = false)]]
List dm_lm_cpp(SEXP X, NumericVector y, SEXP weights, int vcov_type, SEXP cluster, int G,
               bool satterthwaite, int threads, double tol, double rcond_min) {
  dm::Design d = make_design(X, weights);
  if (y.size() != d.n) Rcpp::stop("response and design differ in length");
  dm::OlsFit fit = dm::ols_fit(d, y.begin(), threads, tol, rcond_min);
  IntegerVector kept(fit.kept.size());
  for (size_t j = 0; j < fit.kept.size(); ++j) kept[j] = fit.kept[j] + 1;
  List out = List::create(Rcpp::Named("coefficients") = to_r(fit.coef),
                          Rcpp::Named("kept") = kept,
                          Rcpp::Named("rank") = fit.rank(),
                          Rcpp::Named("solver") = static_cast<int>(fit.solver),
                          Rcpp::Named("rcond") = fit.rcond);
  if (fit.rank() == 0) return out;
  out["bread"] = to_r(fit.bread);
  out["residuals"] = to_r(fit.resid);
  out["fitted"] = to_r(fit.fitted);
  out["rss"] = fit.rss;
  const dm::VcovType type = static_cast<dm::VcovType>(vcov_type);
  if (type == dm::VcovType::Classical) return out;
  dm::Design dk = dm::subset_columns(d, fit.kept);
  std::unique_ptr<dm::Clusters> cl;
  if (dm::is_cluster_type(type)) {
    IntegerVector code(cluster);
    if (code.size() != d.n) Rcpp::stop("cluster codes differ in length from the data");
    std::vector<int> c0(code.begin(), code.end());
    for (int& c : c0) --c;
    cl.reset(new dm::Clusters(c0.data(), d.n, G));
  }
  dm::VcovResult v = dm::sandwich_vcov(dk, fit.resid.data(), fit.bread, fit.chol_lower,
                                       type, cl.get(), satterthwaite, threads);
  out["vcov"] = to_r(v.V);
  if (v.df.size()) out["df"] = to_r(v.df);
  out["bad_cluster"] = v.bad_cluster + 1;
  return out;
}

// [[Rcpp::export(rng = false)]]
double dm_htz_cpp(SEXP X, NumericVector resid, SEXP weights, IntegerVector cluster, int G,
                  Rcpp::NumericMatrix bread, Rcpp::NumericMatrix C, int threads) {
  dm::Design d = make_design(X, weights);
  std::vector<int> c0(cluster.begin(), cluster.end());
  for (int& c : c0) --c;
  dm::Clusters cl(c0.data(), d.n, G);
  Eigen::Map<Eigen::MatrixXd> B(bread.begin(), bread.nrow(), bread.ncol());
  Eigen::Map<Eigen::MatrixXd> Cm(C.begin(), C.nrow(), C.ncol());
  return dm::htz_nu(d, resid.begin(), Eigen::MatrixXd(B), cl, Eigen::MatrixXd(Cm), threads);
}
