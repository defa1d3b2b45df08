// Per-unit benchmarks: the one-way random-intercept model fitted by REML from per-unit
// sufficient statistics, its empirical-Bayes predictions, and percentile-rank intervals by
// posterior simulation (parallel, one random stream per block of draws).
#ifndef DIGIMATURITY_BENCHMARK_H
#define DIGIMATURITY_BENCHMARK_H

#include <cstdint>
#include <vector>

namespace dm {

// The fit of y_ij = mu + u_j + e_ij, u_j ~ N(0, tau2), e_ij ~ N(0, sigma2 / w_ij), by REML.
// Per unit: the sum of weights W_j (0: a unit without observations, predicted by the
// prior), the weighted mean ybar_j and the weighted within sum of squares S_j.
struct OneWayFit {
  double mu = 0, var_mu = 0, tau2 = 0, sigma2 = 0, theta = 0, reml = 0;
  bool boundary = false;               // tau2 estimated at zero
  std::vector<double> reliability;     // lambda W_j / (1 + lambda W_j), lambda = tau2 / sigma2
  std::vector<double> estimate;        // mu + u_j (the BLUP plus the fixed effect)
  std::vector<double> cond_var;        // Var(u_j | y) with mu fixed at its estimate (lme4's condVar)
  std::vector<double> pev;             // Var(theta_hat_j - theta_j): cond_var + (1 - R_j)^2 var_mu
};

// `n_obs`: the number of observations (N of the REML criterion, N - 1 residual df).
OneWayFit one_way_reml(const std::vector<double>& W, const std::vector<double>& ybar,
                       const std::vector<double>& S, double n_obs);

// Ranks (1 = the highest value) of the units under the posterior of the fit: per draw,
// mu* ~ N(mu, var_mu) and theta_j* = mu* + R_j (ybar_j - mu*) + sqrt(cond_var_j) z_j.
struct RankIntervals {
  std::vector<double> mean_rank;
  std::vector<int> marginal_low, marginal_high;        // per unit, level conf_level
  std::vector<int> simultaneous_low, simultaneous_high;  // all units jointly
  double simultaneous_coverage = 0;  // share of draws inside all simultaneous intervals
};

// Draws are made in blocks of kRankBlock; block b has its own engine seeded from
// (seed, b), so the ranks do not depend on `threads`.
constexpr int kRankBlock = 64;
RankIntervals rank_intervals(const OneWayFit& fit, const std::vector<double>& ybar, int draws,
                             double conf_level, std::uint64_t seed, int threads);

}  // namespace dm

#endif
