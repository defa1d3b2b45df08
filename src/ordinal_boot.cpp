// Bootstrap of ordinal alpha: see ordinal_boot.h. Each draw copies its rows of the items
// into a ResponseSet of its own and runs the serial polychoric engine on it, so a draw
// equals dm_polychoric() on data[rows, ] (tests/testthat/test-reliability.R checks it).
#include "ordinal_boot.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "parallel.h"
#include "progress.h"
#include "streams.h"

namespace dm {

namespace {

// The items' values at `rows`, in columns of their own (the type of the original), with
// the codebook of `rs`: the data set of one draw.
struct RowCopy {
  std::vector<std::vector<double>> dbl;
  std::vector<std::vector<std::int32_t>> itg;
  ResponseSet rs;
  RowCopy(const ResponseSet& src, const std::vector<std::size_t>& rows, const std::vector<int>& items) {
    rs.n_rows = rows.size();
    rs.n_dimensions = 1;
    rs.int_na = src.int_na;
    dbl.resize(items.size());
    itg.resize(items.size());
    for (std::size_t q = 0; q < items.size(); ++q) {
      const Column& c = src.columns[items[q]];
      Column out;
      if (c.dbl) {
        dbl[q].resize(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) dbl[q][i] = c.dbl[rows[i]];
        out.dbl = dbl[q].data();
      } else {
        itg[q].resize(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) itg[q][i] = c.itg[rows[i]];
        out.itg = itg[q].data();
      }
      rs.columns.push_back(out);
      ItemSpec s = src.items[items[q]];
      s.dimension = 0;
      rs.items.push_back(s);
    }
  }
};

}  // namespace

std::vector<std::size_t> boot_rows(const Resampling& r, std::uint64_t seed, std::ptrdiff_t b) {
  boost::random::mt19937_64 eng(stream_seed(seed, static_cast<std::uint64_t>(b)));
  const std::size_t m = r.units();
  if (m == 0) return {};
  boost::random::uniform_int_distribution<std::size_t> unit(0, m - 1);
  std::vector<std::size_t> rows;
  if (r.cluster_rows.empty()) {
    rows.resize(m);
    for (std::size_t i = 0; i < m; ++i) rows[i] = unit(eng);
    return rows;
  }
  rows.reserve(r.n_rows);
  for (std::size_t g = 0; g < m; ++g) {
    const std::vector<std::size_t>& c = r.cluster_rows[unit(eng)];
    rows.insert(rows.end(), c.begin(), c.end());
  }
  return rows;
}

std::vector<std::size_t> jackknife_rows(const Resampling& r, std::ptrdiff_t u) {
  std::vector<char> drop(r.n_rows, 0);
  if (r.cluster_rows.empty()) drop[u] = 1;
  else for (std::size_t i : r.cluster_rows[u]) drop[i] = 1;
  std::vector<std::size_t> rows;
  rows.reserve(r.n_rows);
  for (std::size_t i = 0; i < r.n_rows; ++i)
    if (!drop[i]) rows.push_back(i);
  return rows;
}

std::vector<double> ordinal_alpha_rows(const ResponseSet& rs, const PolychoricOptions& opt,
                                       const std::vector<std::size_t>& rows) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> out(rs.n_dimensions, nan);
  for (int d = 0; d < rs.n_dimensions; ++d) {
    std::vector<int> items;
    for (std::size_t j = 0; j < rs.items.size(); ++j)
      if (rs.items[j].dimension == d) items.push_back(static_cast<int>(j));
    const double k = static_cast<double>(items.size());
    if (items.size() < 2) continue;
    const RowCopy copy(rs, rows, items);
    CodeProblems problems(items.size());
    const PolychoricResult res = polychoric_serial(copy.rs, opt, problems);
    if (problems.any()) throw std::invalid_argument("ordinal bootstrap: invalid codes in the data");
    double sum = k;
    bool ok = true;
    for (std::size_t j = 0; j < items.size(); ++j) ok = ok && res.items[j].codes.size() >= 2;
    for (const PairFit& f : res.pairs) {
      if (!std::isfinite(f.rho) || f.n == 0) ok = false;
      sum += 2 * f.rho;
    }
    if (ok) out[d] = k / (k - 1) * (1 - k / sum);
  }
  return out;
}

OrdinalAlphaBoot ordinal_alpha_boot(const ResponseSet& rs, const PolychoricOptions& opt,
                                    const Resampling& r, std::uint64_t seed, int B,
                                    bool jackknife, int threads) {
  if (B < 0) throw std::invalid_argument("ordinal bootstrap: B must be >= 0");
  if (r.n_rows != rs.n_rows) throw std::invalid_argument("ordinal bootstrap: resampling and data differ in rows");
  if (r.units() == 0) throw std::invalid_argument("ordinal bootstrap: nothing to resample");
  OrdinalAlphaBoot out;
  out.B = B;
  out.D = rs.n_dimensions;
  out.J = jackknife ? static_cast<int>(r.units()) : 0;
  const std::size_t D = static_cast<std::size_t>(out.D);
  progress_expect(static_cast<long long>(B) + out.J);
  std::vector<std::size_t> all(rs.n_rows);
  for (std::size_t i = 0; i < rs.n_rows; ++i) all[i] = i;
  out.t0 = ordinal_alpha_rows(rs, opt, all);
  out.t.assign(static_cast<std::size_t>(B) * D, 0);
  out.jack.assign(static_cast<std::size_t>(out.J) * D, 0);
  // one item per draw (a few milliseconds each): interrupts and progress act between them
  parallel_for(static_cast<std::ptrdiff_t>(B) + out.J, threads, [&](std::ptrdiff_t i) {
    const bool boot = i < B;
    const std::ptrdiff_t k = boot ? i : i - B;
    const std::vector<double> a =
        ordinal_alpha_rows(rs, opt, boot ? boot_rows(r, seed, k) : jackknife_rows(r, k));
    std::vector<double>& dest = boot ? out.t : out.jack;
    const std::size_t stride = boot ? static_cast<std::size_t>(B) : static_cast<std::size_t>(out.J);
    for (std::size_t d = 0; d < D; ++d) dest[k + stride * d] = a[d];
    progress_add(1);
  });
  return out;
}

}  // namespace dm
