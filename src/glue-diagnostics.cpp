// Exports of the diagnostics: cluster summary (leverage, jackknife) and relative importance.
#include "glue-common.h"

#include "cluster_summary.h"
#include "importance.h"

using Rcpp::IntegerVector;
using Rcpp::List;
using Rcpp::NumericVector;
using namespace dm_glue;

// [[Rcpp::export(rng = false)]]
List dm_cluster_summary_cpp(SEXP X, NumericVector resid, SEXP weights, IntegerVector cluster,
                            int G, Rcpp::NumericMatrix rinv, SEXP rinv_lo, int threads) {
  return guarded([&]() -> List {
    dm::Design d = make_design(X, weights);
    if (resid.size() != d.n) Rcpp::stop("residuals and design differ in length");
    const dm::Whitening wh = make_whitening(rinv, rinv_lo);
    if (wh.k() != d.k()) Rcpp::stop("rinv and design differ in columns");
    const dm::ClusterSummary s =
        dm::cluster_summary(d, resid.begin(), wh, make_clusters(cluster, d.n, G), threads);
    return List::create(Rcpp::Named("leverage") = to_r(s.leverage),
                        Rcpp::Named("dfbeta") = to_r(s.dfbeta), Rcpp::Named("a2") = to_r(s.a2),
                        Rcpp::Named("a1") = to_r(s.a1),
                        Rcpp::Named("leverage_one") = one_based(s.leverage_one));
  });
}

namespace {

// Blocks of 1-based columns of C (a list of integer vectors) and the always-in columns.
dm::BlockSpec block_spec(const List& blocks, const IntegerVector& always) {
  dm::BlockSpec spec;
  for (R_xlen_t b = 0; b < blocks.size(); ++b) {
    IntegerVector v = blocks[b];
    std::vector<int> cols(v.begin(), v.end());
    for (int& c : cols) --c;
    spec.blocks.push_back(cols);
  }
  spec.always.assign(always.begin(), always.end());
  for (int& c : spec.always) --c;
  return spec;
}

}  // namespace

// R^2 of every subset of blocks (index: bit mask) and the LMG, first and last of each
// block, from the centred cross-product matrix C (response last).
// [[Rcpp::export(rng = false)]]
List dm_importance_cpp(Rcpp::NumericMatrix C, List blocks, IntegerVector always) {
  return guarded([&]() -> List {
    const dm::BlockSpec spec = block_spec(blocks, always);
    const Eigen::VectorXd r2 = dm::subset_r2(to_eigen(C), spec);
    const dm::Importance imp = dm::importance_from_r2(r2, spec.nb());
    return List::create(Rcpp::Named("r2") = to_r(r2), Rcpp::Named("lmg") = to_r(imp.lmg),
                        Rcpp::Named("first") = to_r(imp.first),
                        Rcpp::Named("last") = to_r(imp.last));
  });
}

// The cluster bootstrap of dm_importance_cpp(): `mom` the per-cluster moments, `counts`
// (G x B) the draws of each cluster. Returns 3 nb x B (lmg, first, last).
// [[Rcpp::export(rng = false)]]
Rcpp::NumericMatrix dm_importance_boot_cpp(Rcpp::NumericMatrix mom, IntegerVector counts,
                                           List blocks, IntegerVector always, int threads) {
  return guarded([&]() {
    const dm::BlockSpec spec = block_spec(blocks, always);
    const Eigen::Index G = mom.ncol();
    if (G == 0 || counts.size() % G != 0) Rcpp::stop("counts do not match the clusters");
    const Eigen::MatrixXi cnt =
        Eigen::Map<const Eigen::MatrixXi>(counts.begin(), G, counts.size() / G);
    return to_r(dm::importance_bootstrap(to_eigen(mom), cnt, spec, threads));
  });
}
