// Bootstrap of ordinal alpha (Zumbo, Gadermann & Zeisser 2007): resampled respondents or
// whole clusters (municipalities), the polychoric matrix of each dimension recomputed on
// every draw, and the jackknife that gives BCa intervals their acceleration. Plain C++;
// the R glue is src/glue-measurement.cpp, the intervals are formed in R/reliability.R.
#ifndef DIGIMATURITY_ORDINAL_BOOT_H
#define DIGIMATURITY_ORDINAL_BOOT_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "polychoric.h"

namespace dm {

// What a draw resamples: rows one by one (cluster_rows empty) or whole clusters, each
// the list of its rows (0-based).
struct Resampling {
  std::size_t n_rows = 0;
  std::vector<std::vector<std::size_t>> cluster_rows;
  std::size_t units() const { return cluster_rows.empty() ? n_rows : cluster_rows.size(); }
};

// The rows (0-based, with repetitions) of draw b (0-based): `units()` units drawn with
// replacement from the draw's own Mersenne Twister stream, seeded from `seed` (drawn from
// R's RNG) and b alone, so that a draw is the same whichever thread computes it. The rows
// of a drawn cluster follow each other in their order in the data.
std::vector<std::size_t> boot_rows(const Resampling& r, std::uint64_t seed, std::ptrdiff_t b);

// The rows without unit u (0-based): the jackknife's leave-one-out sample.
std::vector<std::size_t> jackknife_rows(const Resampling& r, std::ptrdiff_t u);

// Ordinal alpha of each dimension (items' 0-based `dimension` in the ResponseSet, D of
// them) on the rows `rows` of `rs`: k / (k - 1) (1 - k / sum(R)), R the polychoric matrix
// of the dimension's items on those rows (pairwise or listwise per `opt`). NaN for a
// dimension with fewer than 2 items or whose matrix has an undefined correlation (an
// item with one category among the rows, a pair without common respondents).
std::vector<double> ordinal_alpha_rows(const ResponseSet& rs, const PolychoricOptions& opt,
                                       const std::vector<std::size_t>& rows);

struct OrdinalAlphaBoot {
  std::vector<double> t0;    // D: on all rows
  std::vector<double> t;     // B x D, column-major
  std::vector<double> jack;  // J x D, column-major (J = units(); empty without jackknife)
  int B = 0, J = 0, D = 0;
};

// B draws (and with `jackknife` the units() leave-one-out samples) in parallel through
// dm::parallel_for(), one draw per item; counts one progress unit per draw (progress.h).
// Results do not depend on `threads`.
OrdinalAlphaBoot ordinal_alpha_boot(const ResponseSet& rs, const PolychoricOptions& opt,
                                    const Resampling& r, std::uint64_t seed, int B,
                                    bool jackknife, int threads);

}  // namespace dm

#endif
