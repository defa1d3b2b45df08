// Exports of the wild (cluster) bootstrap: single coefficients with test inversion, joint test.
#include "glue-common.h"

#include <cstdint>
#include <memory>

#include "glue-progress.h"
#include "wild.h"

using Rcpp::IntegerVector;
using Rcpp::List;
using Rcpp::NumericVector;
using namespace dm_glue;

namespace {

// The arguments the single and the joint wild bootstrap share, checked and converted.
struct WildArgs {
  dm::Design d;
  dm::Whitening wh;
  std::unique_ptr<dm::Clusters> cl;
  std::vector<int> cols;  // 0-based
  Eigen::VectorXd beta;
  dm::WildWeights weights;
  std::uint64_t seed;
  WildArgs(SEXP X, const NumericVector& b, const NumericVector& resid, SEXP w, SEXP cluster,
           int G, const Rcpp::NumericMatrix& rinv, SEXP rinv_lo, const IntegerVector& coefs,
           int weight_type, const NumericVector& s)
      : d(make_design(X, w)), wh(make_whitening(rinv, rinv_lo)) {
    if (resid.size() != d.n) Rcpp::stop("residuals and design differ in length");
    if (b.size() != d.k()) Rcpp::stop("coefficients and design differ in size");
    if (weight_type < 0 || weight_type > 3) Rcpp::stop("unknown bootstrap weights");
    if (s.size() != 2) Rcpp::stop("bad seed");
    if (!Rf_isNull(cluster)) cl.reset(new dm::Clusters(make_clusters(IntegerVector(cluster), d.n, G)));
    cols.assign(coefs.begin(), coefs.end());
    for (int& c : cols) --c;
    beta = Eigen::Map<const Eigen::VectorXd>(b.begin(), b.size());
    weights = static_cast<dm::WildWeights>(weight_type);
    seed = (static_cast<std::uint64_t>(s[0]) << 32) ^ static_cast<std::uint64_t>(s[1]);
  }
};

}  // namespace

// Tests H0: beta_j = null_j for the coefficients `coefs` (1-based among the columns of
// X) by the wild (cluster) bootstrap; `seed`: two numbers in [0, 2^32) drawn from R's
// RNG. Returns per coefficient estimate, CR1/HC1 s.e., t, p-value, the test-inversion
// confidence set (a matrix of [low, high] rows) and the smallest attainable p-value.
// `direct_max`: the most clusters for which the bootstrap scores are formed directly
// (dm::kWildDirectMax; the tests lower it to check the expanded computation).
// `progress`: NULL or an R function(done, total) called between blocks of draws
// (glue-progress.h; R/progress.R's progress_callback()).
// [[Rcpp::export(rng = false)]]
List dm_wild_cpp(SEXP X, NumericVector beta, NumericVector resid, SEXP weights,
                 SEXP cluster, int G, Rcpp::NumericMatrix rinv, SEXP rinv_lo,
                 IntegerVector coefs, NumericVector null, int B, int weight_type,
                 bool restricted, NumericVector seed, double conf_level, int threads,
                 int direct_max, SEXP progress = R_NilValue) {
  return guarded([&]() -> List {
    if (null.size() != coefs.size()) Rcpp::stop("bad null values");
    const WildArgs a(X, beta, resid, weights, cluster, G, rinv, rinv_lo, coefs, weight_type, seed);
    const ProgressScope bar(progress);
    const dm::WildDraws w = dm::wild_draws(a.d, resid.begin(), a.wh, a.cl.get(), a.cols, a.beta,
                                           B, a.weights, restricted, a.seed, threads, direct_max);
    const int m = static_cast<int>(a.cols.size());
    // plain vectors: the threads never touch R objects
    const std::vector<double> h0(null.begin(), null.end());
    std::vector<double> t(m), p(m);
    std::vector<dm::WildConfSet> sets(m);
    dm::parallel_for(m, threads, [&](std::ptrdiff_t j) {
      const int c = static_cast<int>(j);
      t[c] = dm::wild_t(w, c, h0[c]);
      p[c] = dm::wild_pvalue(w, c, h0[c]);
      sets[c] = dm::wild_confset(w, c, conf_level, h0[c]);
    });
    List conf_set(m);
    std::vector<double> p_min(m);
    for (int c = 0; c < m; ++c) {
      const std::size_t r = sets[c].low.size();
      Rcpp::NumericMatrix s(static_cast<int>(r), 2);
      for (std::size_t i = 0; i < r; ++i) {
        s(i, 0) = sets[c].low[i];
        s(i, 1) = sets[c].high[i];
      }
      conf_set[c] = s;
      p_min[c] = sets[c].p_min;
    }
    return List::create(Rcpp::Named("estimate") = to_r(w.estimate),
                        Rcpp::Named("std.error") = to_r(w.se),
                        Rcpp::Named("statistic") = Rcpp::wrap(t),
                        Rcpp::Named("p.value") = Rcpp::wrap(p),
                        Rcpp::Named("conf.set") = conf_set,
                        Rcpp::Named("p.min") = Rcpp::wrap(p_min), Rcpp::Named("B") = w.B,
                        Rcpp::Named("enumerated") = w.enumerated);
  });
}

// The joint wild (cluster) bootstrap test that the coefficients `coefs` (1-based) are all
// zero: the Wald statistic (F form, Q / q) and its bootstrap p-value; `direct_max` as
// in dm_wild_cpp(), and `progress`.
// [[Rcpp::export(rng = false)]]
List dm_wild_joint_cpp(SEXP X, NumericVector beta, NumericVector resid, SEXP weights,
                       SEXP cluster, int G, Rcpp::NumericMatrix rinv, SEXP rinv_lo,
                       IntegerVector coefs, int B, int weight_type, bool restricted,
                       NumericVector seed, int threads, int direct_max,
                       SEXP progress = R_NilValue) {
  return guarded([&]() -> List {
    const WildArgs a(X, beta, resid, weights, cluster, G, rinv, rinv_lo, coefs, weight_type, seed);
    const ProgressScope bar(progress);
    const dm::WildJoint w = dm::wild_joint(a.d, resid.begin(), a.wh, a.cl.get(), a.cols, a.beta,
                                           B, a.weights, restricted, a.seed, threads, direct_max);
    return List::create(Rcpp::Named("statistic") = w.statistic,
                        Rcpp::Named("p.value") = w.p_value, Rcpp::Named("B") = w.B,
                        Rcpp::Named("enumerated") = w.enumerated);
  });
}
