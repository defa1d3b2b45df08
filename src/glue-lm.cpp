// Exports of the fit and its variances: OLS, stacked (several outcomes) variance,
// leverages, HTZ test and contrast df; they convert, call the core, convert back.
#include "glue-common.h"

#include <cmath>
#include <memory>

#include "ols.h"

using Rcpp::IntegerVector;
using Rcpp::List;
using Rcpp::NumericVector;
using namespace dm_glue;

// [[Rcpp::export(rng = false)]]
List dm_lm_cpp(SEXP X, NumericVector y, SEXP weights, int vcov_type, SEXP cluster, int G,
               int threads, double tol, double rcond_min, int precision = 0) {
  return guarded([&]() -> List {
  dm::Design d = make_design(X, weights);
  if (y.size() != d.n) Rcpp::stop("response and design differ in length");
  if (precision < 0 || precision > 4) Rcpp::stop("unknown precision");
  dm::OlsFit fit = dm::ols_fit(d, y.begin(), threads, tol, rcond_min,
                               static_cast<dm::Precision>(precision));
  List out = List::create(Rcpp::Named("coefficients") = to_r(fit.coef),
                          Rcpp::Named("kept") = one_based(fit.kept),
                          Rcpp::Named("rank") = fit.rank(),
                          Rcpp::Named("solver") = static_cast<int>(fit.solver));
  if (fit.rank() == 0) return out;
  out["bread"] = to_r(fit.bread);
  out["rinv"] = to_r(fit.rinv);
  out["rinv_lo"] = to_r(fit.rinv_lo);
  out["residuals"] = to_r(fit.resid);
  out["fitted"] = to_r(fit.fitted);
  out["rss"] = fit.rss;
  out["rcond"] = fit.rcond;
  const dm::VcovType type = static_cast<dm::VcovType>(vcov_type);
  if (type == dm::VcovType::Classical) return out;
  dm::Design dk = dm::subset_columns(d, fit.kept);
  std::unique_ptr<dm::Clusters> cl;
  if (dm::is_cluster_type(type))
    cl.reset(new dm::Clusters(make_clusters(IntegerVector(cluster), d.n, G)));
  dm::Whitening wh;
  wh.rinv = fit.rinv;
  wh.rinv_lo = fit.rinv_lo;
  dm::VcovResult v = dm::sandwich_vcov(dk, fit.resid.data(), wh, type, cl.get(), threads);
  out["vcov"] = to_r(v.V);
  out["leverage_one"] = one_based(v.leverage_one);
  out["undefined"] = one_based(v.undefined);
  return out;
  });
}

// The stacked variance of m outcomes fitted on the same design and weights: `resid` is
// n x m (one column per outcome), rinv / rinv_lo the shared whitening of the fits.
// Returns the mk x mk covariance (equation-major), the rows or clusters with leverage
// one and the undefined coefficients (1-based, within one equation).
// [[Rcpp::export(rng = false)]]
List dm_mlm_vcov_cpp(SEXP X, Rcpp::NumericMatrix resid, SEXP weights, int vcov_type,
                     SEXP cluster, int G, Rcpp::NumericMatrix rinv, SEXP rinv_lo, int threads) {
  return guarded([&]() -> List {
    dm::Design d = make_design(X, weights);
    if (resid.nrow() != d.n) Rcpp::stop("residuals and design differ in length");
    if (resid.ncol() < 1) Rcpp::stop("no residual column");
    if (vcov_type < 0 || vcov_type > 9) Rcpp::stop("unknown variance type");
    const dm::VcovType type = static_cast<dm::VcovType>(vcov_type);
    std::unique_ptr<dm::Clusters> cl;
    if (dm::is_cluster_type(type))
      cl.reset(new dm::Clusters(make_clusters(IntegerVector(cluster), d.n, G)));
    const dm::Whitening wh = make_whitening(rinv, rinv_lo);
    if (wh.k() != d.k()) Rcpp::stop("rinv and design differ in columns");
    const dm::VcovResult v = dm::sandwich_vcov(d, resid.begin(), wh, type, cl.get(), threads,
                                               static_cast<int>(resid.ncol()));
    return List::create(Rcpp::Named("vcov") = to_r(v.V),
                        Rcpp::Named("leverage_one") = one_based(v.leverage_one),
                        Rcpp::Named("undefined") = one_based(v.undefined));
  });
}

// Leverages h_i = w_i x_i'(X'WX)^{-1} x_i of a fit from its whitening.
// [[Rcpp::export(rng = false)]]
NumericVector dm_hat_cpp(SEXP X, SEXP weights, Rcpp::NumericMatrix rinv, SEXP rinv_lo,
                         int threads) {
  return guarded([&]() {
    dm::Design d = make_design(X, weights);
    const dm::Whitening wh = make_whitening(rinv, rinv_lo);
    if (wh.k() != d.k()) Rcpp::stop("rinv and design differ in columns");
    return to_r(dm::leverages(d, wh, threads));
  });
}

// [[Rcpp::export(rng = false)]]
double dm_htz_cpp(SEXP X, NumericVector resid, SEXP weights, IntegerVector cluster, int G,
                  Rcpp::NumericMatrix rinv, SEXP rinv_lo, Rcpp::NumericMatrix C, int threads) {
  return guarded([&]() {
    dm::Design d = make_design(X, weights);
    const dm::Whitening wh = make_whitening(rinv, rinv_lo);
    if (wh.k() != d.k()) Rcpp::stop("rinv and design differ in columns");
    // one residual per row, also for m outcomes (C with m k columns): the HTZ df of the
    // stacked design lift one equation's cluster parts (lift_parts() in sandwich.cpp)
    if (resid.size() != d.n) Rcpp::stop("residuals and design differ in length");
    return dm::htz_nu(d, resid.begin(), wh, make_clusters(cluster, d.n, G), to_eigen(C),
                      threads);
  });
}

// [[Rcpp::export(rng = false)]]
NumericVector dm_contrast_df_cpp(SEXP X, NumericVector resid, SEXP weights,
                                 IntegerVector cluster, int G, Rcpp::NumericMatrix rinv,
                                 SEXP rinv_lo, Rcpp::NumericMatrix C, int threads) {
  return guarded([&]() {
    dm::Design d = make_design(X, weights);
    if (resid.size() != d.n) Rcpp::stop("residuals and design differ in length");
    const dm::Whitening wh = make_whitening(rinv, rinv_lo);
    if (wh.k() != d.k()) Rcpp::stop("rinv and design differ in columns");
    if (C.ncol() != d.k()) Rcpp::stop("the contrasts and the design differ in columns");
    return to_r(dm::contrast_df(d, resid.begin(), wh, make_clusters(cluster, d.n, G),
                                to_eigen(C), threads));
  });
}

// The largest magnitude of each column of a numeric matrix, in one pass without a copy:
// NA when the column has a missing value (NA or NaN), Inf when it has an infinite one.
// The validation of dm_lm_fit() reads its finiteness and magnitude checks off it.
// [[Rcpp::export(rng = false)]]
NumericVector dm_column_magnitudes_cpp(Rcpp::NumericMatrix x) {
  const R_xlen_t n = x.nrow();
  const int k = x.ncol();
  NumericVector out(k);
  for (int j = 0; j < k; ++j) {
    const double* col = x.begin() + static_cast<R_xlen_t>(j) * n;
    double m = 0.0;
    bool missing = false;
    for (R_xlen_t i = 0; i < n; ++i) {
      const double v = col[i];
      if (std::isnan(v)) {
        missing = true;
        break;
      }
      const double a = std::fabs(v);
      if (a > m) m = a;
    }
    out[j] = missing ? NA_REAL : m;
  }
  return out;
}
