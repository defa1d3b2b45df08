// Wild (cluster) bootstrap of CR1/HC1 t statistics in cluster-level quantities ("fast
// and wild", Roodman, MacKinnon, Nielsen and Webb 2019), p-values and test inversion.
#ifndef DIGIMATURITY_WILD_H
#define DIGIMATURITY_WILD_H

#include "design.h"
#include "sandwich.h"

#include <cstdint>
#include <vector>

namespace dm {

enum class WildWeights { Rademacher = 0, Webb = 1, Mammen = 2, Normal = 3 };

// Draws per item of the parallel loop; the weights of a block come from their own
// stream (seeded from the R seed and the block number), so every draw is the same
// whatever the number of threads.
constexpr int kWildBlock = 256;

// What the test inversion needs of each draw b and tested coefficient j. With
// delta = s_j (estimate_j - beta0) (s_j = 1 / (X'WX)^-1_jj), the bootstrap t statistic
// under H0: beta_j = beta0 is
//   t*_b(beta0) = (nu + delta na) / sqrt(kappa (quu + 2 delta qua + delta^2 qaa))
// for the restricted bootstrap, and nu / sqrt(kappa quu) for the unrestricted one.
struct WildDraws {
  int B = 0;            // draws (2^G when all sign vectors are enumerated)
  bool restricted = true;
  bool enumerated = false;
  double kappa = 1;     // G / (G - 1) (CR1) or n / (n - k) (HC1)
  VectorXd estimate, se, scale;   // per tested coefficient: estimate, CR1/HC1 s.e., s_j
  MatrixXd nu, na, quu, qua, qaa;  // B x m
};

// The draws for the coefficients `coefs` (0-based, among the columns of `d`) of a fit
// with coefficients `beta` (over the columns of d), residuals `resid` and whitening
// `wh`; `cl` nullptr: every row its own cluster (heteroskedastic wild bootstrap).
// Rademacher weights with 2^G <= B enumerate all 2^G sign vectors. Up to `direct_max`
// clusters the bootstrap scores are formed for blocks of draws (G x 256 doubles per
// thread); with more (the heteroskedastic case: G = n) their quadratic forms are expanded
// into linear functionals of the weights, so memory stays O(G k + B k).
constexpr int kWildDirectMax = 4096;
WildDraws wild_draws(const Design& d, const double* resid, const Whitening& wh,
                     const Clusters* cl, const std::vector<int>& coefs,
                     const VectorXd& beta, int B, WildWeights weights, bool restricted,
                     std::uint64_t seed, int threads, int direct_max = kWildDirectMax);

// The bootstrap p-value of H0: beta_j = beta0 for the j-th tested coefficient: the share
// of draws with |t*| >= |t| (up to a relative 1e-10, so that ties count).
double wild_pvalue(const WildDraws& w, int j, double beta0);

// The t statistic of H0: beta_j = beta0 with the CR1/HC1 s.e.
inline double wild_t(const WildDraws& w, int j, double beta0) {
  return (w.estimate[j] - beta0) / w.se[j];
}

// The confidence set of the j-th tested coefficient by test inversion: every beta0 with
// p(beta0) > 1 - conf_level. The restricted p-value is not monotone in beta0, so the set
// is a union of intervals: p is scanned on a grid around the estimate (steps of 0.1
// s.e. to 5 s.e., then 10% wider steps to 1e4 s.e., extended by doubling until p is on
// the side of its limit as |beta0| -> inf), at `keep` as well (the tested null value,
// so that the set and the reported p-value agree there), and every change between grid
// points is bisected to 1e-7 s.e. An end is infinite where p stays above the level.
struct WildConfSet {
  std::vector<double> low, high;  // the intervals, ascending and disjoint
  double p_min = 0;               // the limit of p(beta0) as |beta0| -> inf: its infimum
};
WildConfSet wild_confset(const WildDraws& w, int j, double conf_level, double keep);

// The limit of p(beta0) as |beta0| -> inf (no p-value can be smaller): the share of
// draws whose t* grows as fast as t (restricted: those whose restricted residuals do not
// depend on beta0, e.g. the 2 constant sign vectors of 2^G under full enumeration).
double wild_pvalue_limit(const WildDraws& w, int j);

// The joint test of beta_j = 0 for all j in `coefs` (q of them): the wild (cluster)
// bootstrap of the Wald statistic W = b_J' V_J^-1 b_J / q with the CR1/HC1 variance,
// restricted (all q coefficients zero imposed) or not. p-value: share of W* >= W (a
// draw whose bootstrap variance is singular counts as exceeding).
struct WildJoint {
  int B = 0;
  bool enumerated = false;
  double statistic = 0, p_value = 0;
};

WildJoint wild_joint(const Design& d, const double* resid, const Whitening& wh,
                     const Clusters* cl, const std::vector<int>& coefs,
                     const VectorXd& beta, int B, WildWeights weights, bool restricted,
                     std::uint64_t seed, int threads, int direct_max = kWildDirectMax);

}  // namespace dm

#endif
