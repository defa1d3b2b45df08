// Exports of the per-unit benchmarks: the one-way REML fit and the rank intervals.
#include "glue-common.h"

#include <cstdint>

#include "benchmark.h"

using Rcpp::List;
using Rcpp::NumericVector;
using Rcpp::Named;
using namespace dm_glue;

namespace {

std::vector<double> as_std(const NumericVector& x) { return std::vector<double>(x.begin(), x.end()); }

dm::OneWayFit fit_from(const NumericVector& W, const NumericVector& ybar, const NumericVector& S,
                       double n_obs) {
  if (ybar.size() != W.size() || S.size() != W.size())
    Rcpp::stop("benchmark glue: W, ybar and S differ in length");
  return dm::one_way_reml(as_std(W), as_std(ybar), as_std(S), n_obs);
}

}  // namespace

// The REML fit of the one-way random-intercept model from per-unit sums of weights W,
// weighted means ybar (any value where W = 0) and within sums of squares S; n_obs rows.
// [[Rcpp::export(rng = false)]]
List dm_benchmark_fit_cpp(NumericVector W, NumericVector ybar, NumericVector S, double n_obs) {
  return guarded([&]() -> List {
    const dm::OneWayFit f = fit_from(W, ybar, S, n_obs);
    return List::create(Named("mu") = f.mu, Named("var_mu") = f.var_mu, Named("tau2") = f.tau2,
                        Named("sigma2") = f.sigma2, Named("theta") = f.theta,
                        Named("reml") = f.reml, Named("boundary") = f.boundary,
                        Named("reliability") = f.reliability, Named("estimate") = f.estimate,
                        Named("cond_var") = f.cond_var, Named("pev") = f.pev);
  });
}

// Rank intervals by posterior simulation for the fit of the same inputs; `seed`: two numbers
// in [0, 2^32) drawn from R's RNG.
// [[Rcpp::export(rng = false)]]
List dm_benchmark_ranks_cpp(NumericVector W, NumericVector ybar, NumericVector S, double n_obs,
                            int draws, double conf_level, NumericVector seed, int threads) {
  return guarded([&]() -> List {
    if (seed.size() != 2) Rcpp::stop("benchmark glue: bad seed");
    if (threads < 1) Rcpp::stop("benchmark glue: threads must be >= 1");
    const dm::OneWayFit f = fit_from(W, ybar, S, n_obs);
    const std::uint64_t s = (static_cast<std::uint64_t>(seed[0]) << 32) ^
                            static_cast<std::uint64_t>(seed[1]);
    const dm::RankIntervals r = dm::rank_intervals(f, as_std(ybar), draws, conf_level, s, threads);
    return List::create(Named("mean_rank") = r.mean_rank,
                        Named("marginal_low") = r.marginal_low,
                        Named("marginal_high") = r.marginal_high,
                        Named("simultaneous_low") = r.simultaneous_low,
                        Named("simultaneous_high") = r.simultaneous_high,
                        Named("simultaneous_coverage") = r.simultaneous_coverage);
  });
}
