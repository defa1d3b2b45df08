// Polychoric correlations by two-step maximum likelihood (Olsson 1979), with the
// bivariate normal distribution function they rest on (Genz 2004, after Drezner and
// Wesolowsky 1990). Plain C++; the R glue is src/glue-measurement.cpp.
#ifndef DIGIMATURITY_POLYCHORIC_H
#define DIGIMATURITY_POLYCHORIC_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "score.h"

namespace dm {

// Standard normal distribution function, accurate in both tails (erfc).
double norm_cdf(double x);

// P(X <= h, Y <= k) for a standard bivariate normal (X, Y) with correlation r in [-1, 1];
// h and k may be infinite. Absolute error below 1e-15 (Genz's BVND with 6, 12 or 20
// point Gauss-Legendre rules by |r|).
double bvn_lower(double h, double k, double r);

// How the pairs are estimated (R validates the values).
struct PolychoricOptions {
  bool listwise = false;      // rows with any item missing dropped before everything
  double zero_add_2x2 = 0.5;  // added to an empty cell of a 2 x 2 table (lavaan's zero.add[1])
  double zero_add = 0.0;      // added to empty cells of larger tables (lavaan's zero.add[2])
  bool keep_margins = true;   // 2 x 2: add and subtract so the margins stay (zero.keep.margins)
  double bound = 0.999;       // |rho| is estimated within [-bound, bound] (lavaan's bounds)
  bool std_errors = true;     // two-step standard errors (thresholds' sampling error included)
};

// One item after the first step: the category (0-based, among the codes observed) of
// each row (-1: missing), the observed codes (keyed), their counts and the thresholds.
struct OrdinalItem {
  std::vector<std::int32_t> category;
  std::vector<double> codes;
  std::vector<double> counts;
  std::vector<double> thresholds;  // size = codes.size() - 1
  double n = 0;                    // rows answered (and used)
};

// The result of one pair of items (i < j).
struct PairFit {
  double rho = 0;
  double se = 0;         // NaN when not computed or undefined
  double n = 0;          // rows with both items answered
  int iterations = 0;
  int empty_cells = 0;   // before the zero-cell correction
  bool at_bound = false; // the maximum lies at +-bound (or the 2 x 2 table has two empty cells)
  bool converged = true;
};

struct PolychoricResult {
  std::vector<OrdinalItem> items;
  std::vector<PairFit> pairs;  // pairs (i, j), i < j, in column-major order of the upper triangle
  std::size_t rows_used = 0;   // rows entering (all of them, or the complete ones)
};

// First step: keyed categories and thresholds of every item (parallel over items);
// invalid codes are recorded in `problems` (then the second step is not run). Second
// step: the correlation of every pair (parallel over pairs). Results do not depend on
// the number of threads: each item and each pair is computed by one thread alone.
PolychoricResult polychoric(const ResponseSet& rs, const PolychoricOptions& opt, int threads,
                            CodeProblems& problems);

// The same on the calling thread alone, without polling for interrupts: for the draws of
// a bootstrap, which run it on each of their threads (src/ordinal_boot.cpp). The core is
// thread-safe: no mutable state outside its arguments (the Gauss-Legendre rules are
// built once, in a thread-safe static initialisation, and only read).
PolychoricResult polychoric_serial(const ResponseSet& rs, const PolychoricOptions& opt,
                                   CodeProblems& problems);

}  // namespace dm

#endif
