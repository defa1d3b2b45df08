// Per-unit benchmarks: REML fit of the one-way random-intercept model from per-unit
// sufficient statistics, empirical-Bayes predictions, and rank intervals by posterior
// simulation.
//
// Model: y_ij = mu + u_j + e_ij, u_j ~ N(0, tau2), e_ij ~ N(0, sigma2 / w_ij). With
// lambda = tau2 / sigma2, W_j = sum_i w_ij, ybar_j the weighted mean, S_j the weighted
// within sum of squares and a_j = W_j / (1 + lambda W_j):
//   V_j^{-1} = (W - lambda w w' / (1 + lambda W_j)) / sigma2,
//   1'V_j^{-1}1 = a_j / sigma2, y'V_j^{-1}y = (S_j + a_j ybar_j^2) / sigma2,
// so mu(lambda) = sum a_j ybar_j / sum a_j, Q(lambda) = sum S_j + sum a_j (ybar_j - mu)^2,
// sigma2 = Q / (N - 1), and -2 times the REML log-likelihood, profiled over sigma2, is
//   (N - 1) (1 + log(2 pi Q / (N - 1))) + sum log(1 + lambda W_j) + log sum a_j
// (minus sum log w_ij, a constant). It is minimised over theta = sqrt(lambda) >= 0, lme4's
// parameter. The BLUP is u_j = R_j (ybar_j - mu) with R_j = lambda W_j / (1 + lambda W_j),
// the reliability; its conditional variance given y with mu fixed (lme4's condVar) is
// tau2 (1 - R_j); the prediction error variance of mu + u_j, which adds the uncertainty of
// mu (flat prior), is tau2 (1 - R_j) + (1 - R_j)^2 sigma2 / sum a_j (the two parts are
// uncorrelated).
#include "benchmark.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

#include "parallel.h"
#include "streams.h"
#include "tolerances.h"

namespace dm {

namespace {

constexpr double kPi = 3.14159265358979323846;

// The profiled REML criterion at theta (weights already scaled to mean one).
struct Criterion {
  const std::vector<double>& W;
  const std::vector<double>& ybar;
  double s_within, n_obs;
  double operator()(double theta) const {
    const double lambda = theta * theta;
    double sa = 0, say = 0, logdet = 0;
    for (std::size_t j = 0; j < W.size(); ++j) {
      if (W[j] <= 0) continue;
      const double a = W[j] / (1 + lambda * W[j]);
      sa += a;
      say += a * ybar[j];
      logdet += std::log1p(lambda * W[j]);
    }
    const double mu = say / sa;
    double q = s_within;
    for (std::size_t j = 0; j < W.size(); ++j) {
      if (W[j] <= 0) continue;
      const double d = ybar[j] - mu;
      q += W[j] / (1 + lambda * W[j]) * d * d;
    }
    const double df = n_obs - 1;
    return df * (1 + std::log(2 * kPi * q / df)) + logdet + std::log(sa);
  }
};

// Minimises f on [0, theta_max]: a grid on a log scale (the criterion may have more than
// one local minimum), then golden sections around the best grid point.
double minimise_theta(const Criterion& f) {
  std::vector<double> grid{0.0};
  for (int k = -160; k <= 120; ++k) grid.push_back(std::pow(10.0, k / 40.0));
  std::size_t best = 0;
  double fbest = f(0.0);
  for (std::size_t i = 1; i < grid.size(); ++i) {
    const double v = f(grid[i]);
    if (v < fbest) { fbest = v; best = i; }
  }
  double lo = best == 0 ? 0.0 : grid[best - 1];
  double hi = best + 1 < grid.size() ? grid[best + 1] : grid[best];
  const double g = (std::sqrt(5.0) - 1) / 2;
  double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
  double f1 = f(x1), f2 = f(x2);
  for (int it = 0; it < 200 && hi - lo > tol::kRemlTheta * (1 + hi); ++it) {
    if (f1 <= f2) {
      hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = f(x1);
    } else {
      lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = f(x2);
    }
  }
  const double theta = (lo + hi) / 2;
  return f(theta) <= fbest ? theta : grid[best];
}

// One standard normal from the engine (Box-Muller; both of a pair are not kept, so the
// stream's use does not depend on where a draw starts).
double std_normal(std::mt19937_64& eng) {
  const double u1 = (static_cast<double>(eng() >> 11) + 0.5) * 0x1.0p-53;
  const double u2 = (static_cast<double>(eng() >> 11) + 0.5) * 0x1.0p-53;
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * kPi * u2);
}

}  // namespace

OneWayFit one_way_reml(const std::vector<double>& W, const std::vector<double>& ybar,
                       const std::vector<double>& S, double n_obs) {
  const std::size_t J = W.size();
  if (ybar.size() != J || S.size() != J) throw std::invalid_argument("benchmark: sizes differ");
  double w_total = 0, s_within = 0;
  std::size_t groups = 0;
  for (std::size_t j = 0; j < J; ++j) {
    if (!(W[j] >= 0) || !std::isfinite(W[j]) || !(S[j] >= 0))
      throw std::invalid_argument("benchmark: weights and sums of squares must be >= 0");
    if (W[j] > 0) {
      ++groups;
      w_total += W[j];
      s_within += S[j];
    }
  }
  if (groups < 2 || n_obs <= groups) {
    throw std::invalid_argument(
        "benchmark: the model needs two units with data and more observations than units");
  }
  // weights scaled to mean one: the criterion is then on the same scale whatever the
  // weights' units (theta' = theta sqrt(c), sigma2' = sigma2 / c)
  const double c = w_total / n_obs;
  std::vector<double> Ws(J);
  for (std::size_t j = 0; j < J; ++j) Ws[j] = W[j] / c;
  const Criterion f{Ws, ybar, s_within / c, n_obs};
  const double theta_s = minimise_theta(f);
  OneWayFit fit;
  fit.reml = f(theta_s);
  const double lambda = theta_s * theta_s / c;
  fit.theta = std::sqrt(lambda);
  fit.boundary = theta_s == 0;
  double sa = 0, say = 0;
  for (std::size_t j = 0; j < J; ++j) {
    if (W[j] <= 0) continue;
    const double a = W[j] / (1 + lambda * W[j]);
    sa += a;
    say += a * ybar[j];
  }
  fit.mu = say / sa;
  double q = s_within;
  for (std::size_t j = 0; j < J; ++j) {
    if (W[j] <= 0) continue;
    const double d = ybar[j] - fit.mu;
    q += W[j] / (1 + lambda * W[j]) * d * d;
  }
  fit.sigma2 = q / (n_obs - 1);
  fit.tau2 = lambda * fit.sigma2;
  fit.var_mu = fit.sigma2 / sa;
  fit.reliability.resize(J);
  fit.estimate.resize(J);
  fit.cond_var.resize(J);
  fit.pev.resize(J);
  for (std::size_t j = 0; j < J; ++j) {
    const double R = W[j] > 0 ? lambda * W[j] / (1 + lambda * W[j]) : 0.0;
    fit.reliability[j] = R;
    fit.estimate[j] = W[j] > 0 ? fit.mu + R * (ybar[j] - fit.mu) : fit.mu;
    fit.cond_var[j] = fit.sigma2 * lambda / (1 + lambda * W[j]);
    fit.pev[j] = fit.cond_var[j] + (1 - R) * (1 - R) * fit.var_mu;
  }
  return fit;
}

RankIntervals rank_intervals(const OneWayFit& fit, const std::vector<double>& ybar, int draws,
                             double conf_level, std::uint64_t seed, int threads) {
  const std::ptrdiff_t J = static_cast<std::ptrdiff_t>(fit.estimate.size());
  if (draws < 1 || J < 2) throw std::invalid_argument("benchmark: draws >= 1 and two units needed");
  if (!(conf_level > 0 && conf_level < 1)) throw std::invalid_argument("benchmark: bad conf_level");
  const std::ptrdiff_t B = draws;
  std::vector<int> rank(static_cast<std::size_t>(J) * B);  // unit j's draws at [j * B, (j + 1) * B)
  std::vector<double> sd(J);
  for (std::ptrdiff_t j = 0; j < J; ++j) sd[j] = std::sqrt(fit.cond_var[j]);
  const double sd_mu = std::sqrt(fit.var_mu);
  const std::ptrdiff_t blocks = (B + kRankBlock - 1) / kRankBlock;
  parallel_for(blocks, threads, [&](std::ptrdiff_t blk) {
    std::mt19937_64 eng(stream_seed(seed, static_cast<std::uint64_t>(blk)));
    std::vector<double> v(J);
    std::vector<int> order(J);
    const std::ptrdiff_t end = std::min(B, (blk + 1) * kRankBlock);
    for (std::ptrdiff_t b = blk * kRankBlock; b < end; ++b) {
      const double mu = fit.mu + sd_mu * std_normal(eng);
      for (std::ptrdiff_t j = 0; j < J; ++j) {
        const double R = fit.reliability[j];
        // a unit without observations (R = 0) has no mean: the prior alone
        v[j] = mu + (R > 0 ? R * (ybar[j] - mu) : 0.0) + sd[j] * std_normal(eng);
      }
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(), [&](int a, int c) {
        return v[a] > v[c] || (v[a] == v[c] && a < c);
      });
      for (std::ptrdiff_t r = 0; r < J; ++r) rank[static_cast<std::size_t>(order[r]) * B + b] = static_cast<int>(r + 1);
    }
  });
  RankIntervals out;
  out.mean_rank.assign(J, 0);
  std::vector<int> sorted(rank);
  parallel_for(J, threads, [&](std::ptrdiff_t j) {
    auto first = sorted.begin() + j * B;
    std::sort(first, first + B);
    double s = 0;
    for (std::ptrdiff_t b = 0; b < B; ++b) s += first[b];
    out.mean_rank[j] = s / static_cast<double>(B);
  });
  const std::ptrdiff_t k = static_cast<std::ptrdiff_t>(std::floor((1 - conf_level) / 2 * B + 1e-9));
  out.marginal_low.resize(J);
  out.marginal_high.resize(J);
  for (std::ptrdiff_t j = 0; j < J; ++j) {
    out.marginal_low[j] = sorted[j * B + k];
    out.marginal_high[j] = sorted[j * B + B - 1 - k];
  }
  // share of draws whose ranks all lie in the intervals cut k2 draws from each tail
  auto coverage = [&](std::ptrdiff_t k2) {
    std::vector<std::ptrdiff_t> inside(blocks, 0);
    parallel_for(blocks, threads, [&](std::ptrdiff_t blk) {
      const std::ptrdiff_t end = std::min(B, (blk + 1) * kRankBlock);
      for (std::ptrdiff_t b = blk * kRankBlock; b < end; ++b) {
        bool all = true;
        for (std::ptrdiff_t j = 0; j < J && all; ++j) {
          const int r = rank[j * B + b];
          all = r >= sorted[j * B + k2] && r <= sorted[j * B + B - 1 - k2];
        }
        inside[blk] += all;
      }
    });
    return static_cast<double>(std::accumulate(inside.begin(), inside.end(), std::ptrdiff_t(0))) /
           static_cast<double>(B);
  };
  // the largest cut whose joint coverage still reaches conf_level (coverage falls with the cut)
  std::ptrdiff_t lo = 0, hi = k;
  while (lo < hi) {
    const std::ptrdiff_t mid = (lo + hi + 1) / 2;
    if (coverage(mid) >= conf_level) lo = mid; else hi = mid - 1;
  }
  out.simultaneous_coverage = coverage(lo);
  out.simultaneous_low.resize(J);
  out.simultaneous_high.resize(J);
  for (std::ptrdiff_t j = 0; j < J; ++j) {
    out.simultaneous_low[j] = sorted[j * B + lo];
    out.simultaneous_high[j] = sorted[j * B + B - 1 - lo];
  }
  return out;
}

}  // namespace dm
