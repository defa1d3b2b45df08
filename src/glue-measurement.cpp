// Exports of the measurement core: polychoric correlations and the bivariate normal
// distribution function they rest on.
#include "glue-common.h"

#include <cstdint>

#include "glue-progress.h"
#include "ordinal_boot.h"
#include "polychoric.h"

using namespace dm_glue;

namespace {

// The resampling units of a bootstrap: rows (cluster NULL) or clusters, R's codes 1..G.
dm::Resampling resampling(std::size_t n_rows, SEXP cluster, int G) {
  dm::Resampling r;
  r.n_rows = n_rows;
  if (Rf_isNull(cluster)) return r;
  if (TYPEOF(cluster) != INTSXP || static_cast<std::size_t>(Rf_xlength(cluster)) != n_rows)
    throw std::invalid_argument("measurement glue: cluster must be integer codes, one per row");
  if (G < 1) throw std::invalid_argument("measurement glue: G must be >= 1");
  r.cluster_rows.resize(G);
  const int* c = INTEGER(cluster);
  for (std::size_t i = 0; i < n_rows; ++i) {
    if (c[i] == NA_INTEGER || c[i] < 1 || c[i] > G)
      throw std::invalid_argument("measurement glue: cluster codes must lie in 1..G");
    r.cluster_rows[c[i] - 1].push_back(i);
  }
  return r;
}

std::uint64_t seed_of(const Rcpp::NumericVector& s) {
  if (s.size() != 2 || !(s[0] >= 0 && s[0] < 4294967296.0) || !(s[1] >= 0 && s[1] < 4294967296.0))
    throw std::invalid_argument("measurement glue: seed must be two numbers in [0, 2^32)");
  return (static_cast<std::uint64_t>(s[0]) << 32) ^ static_cast<std::uint64_t>(s[1]);
}

}  // namespace

// [[Rcpp::export(rng = false)]]
Rcpp::List dm_polychoric_cpp(Rcpp::List columns, Rcpp::List spec, bool listwise,
                             double zero_add_2x2, double zero_add, bool keep_margins,
                             double bound, bool std_errors, int threads) {
  return guarded([&]() -> Rcpp::List {
    const dm::ResponseSet rs = response_set(columns, spec, false, "measurement");
    if (threads < 1) throw std::invalid_argument("measurement glue: threads must be >= 1");
    if (!(zero_add_2x2 >= 0) || !(zero_add >= 0))
      throw std::invalid_argument("measurement glue: zero_add must be >= 0");
    dm::PolychoricOptions opt;
    opt.listwise = listwise;
    opt.zero_add_2x2 = zero_add_2x2;
    opt.zero_add = zero_add;
    opt.keep_margins = keep_margins;
    opt.bound = bound;
    opt.std_errors = std_errors;
    dm::CodeProblems problems(rs.items.size());
    const dm::PolychoricResult res = dm::polychoric(rs, opt, threads, problems);
    Rcpp::List items(res.items.size());
    for (std::size_t j = 0; j < res.items.size(); ++j) {
      const dm::OrdinalItem& it = res.items[j];
      items[j] = Rcpp::List::create(Rcpp::Named("codes") = it.codes,
                                    Rcpp::Named("counts") = it.counts,
                                    Rcpp::Named("thresholds") = it.thresholds,
                                    Rcpp::Named("n") = it.n);
    }
    const std::size_t m = res.pairs.size();
    Rcpp::NumericVector rho(m), se(m), n(m);
    Rcpp::IntegerVector iterations(m), empty(m);
    Rcpp::LogicalVector at_bound(m), converged(m);
    for (std::size_t k = 0; k < m; ++k) {
      const dm::PairFit& f = res.pairs[k];
      rho[k] = f.rho;
      se[k] = f.se;
      n[k] = f.n;
      iterations[k] = f.iterations;
      empty[k] = f.empty_cells;
      at_bound[k] = f.at_bound;
      converged[k] = f.converged;
    }
    return Rcpp::List::create(
        Rcpp::Named("items") = items, Rcpp::Named("rho") = rho, Rcpp::Named("se") = se,
        Rcpp::Named("n") = n, Rcpp::Named("iterations") = iterations,
        Rcpp::Named("empty_cells") = empty, Rcpp::Named("at_bound") = at_bound,
        Rcpp::Named("converged") = converged,
        Rcpp::Named("rows_used") = static_cast<double>(res.rows_used),
        Rcpp::Named("problems") = problems_to_r(problems));
  });
}

// P(X <= h, Y <= k) of the standard bivariate normal with correlation r, elementwise
// (h, k, r recycled to the longest).
// [[Rcpp::export(rng = false)]]
Rcpp::NumericVector dm_bvn_cpp(Rcpp::NumericVector h, Rcpp::NumericVector k,
                               Rcpp::NumericVector r) {
  return guarded([&]() -> Rcpp::NumericVector {
    const R_xlen_t n = std::max({h.size(), k.size(), r.size()});
    if (n > 0 && (h.size() == 0 || k.size() == 0 || r.size() == 0))
      throw std::invalid_argument("measurement glue: h, k and r must not be empty");
    Rcpp::NumericVector out(n);
    for (R_xlen_t i = 0; i < n; ++i)
      out[i] = dm::bvn_lower(h[i % h.size()], k[i % k.size()], r[i % r.size()]);
    return out;
  });
}

// The bootstrap of ordinal alpha (src/ordinal_boot.h): `columns`/`spec` as
// dm_polychoric_cpp() with the items' dimension (1-based) and n_dimensions, `listwise`
// (use = "complete"), B draws of rows or of the clusters `cluster` (NULL or codes 1..G),
// `seed` two numbers in [0, 2^32) drawn from R's RNG, with `jackknife` the leave-one-out
// values of every unit (for BCa). `progress`: NULL or an R function(done, total).
// Returns t0 (per dimension), t (B x D) and jack (J x D).
// [[Rcpp::export(rng = false)]]
Rcpp::List dm_ordinal_alpha_boot_cpp(Rcpp::List columns, Rcpp::List spec, bool listwise, int B,
                                     Rcpp::NumericVector seed, SEXP cluster, int G,
                                     bool jackknife, int threads, SEXP progress = R_NilValue) {
  return guarded([&]() -> Rcpp::List {
    const dm::ResponseSet rs = response_set(columns, spec, true, "measurement");
    if (threads < 1) throw std::invalid_argument("measurement glue: threads must be >= 1");
    if (B < 0) throw std::invalid_argument("measurement glue: B must be >= 0");
    for (const dm::ItemSpec& it : rs.items)
      if (it.dimension < 0 || it.dimension >= rs.n_dimensions)
        throw std::invalid_argument("measurement glue: dimension codes must lie in 1..n_dimensions");
    const dm::Resampling r = resampling(rs.n_rows, cluster, G);
    const std::uint64_t s = seed_of(seed);
    dm::PolychoricOptions opt;
    opt.listwise = listwise;
    opt.std_errors = false;
    const ProgressScope bar(progress);
    const dm::OrdinalAlphaBoot res = dm::ordinal_alpha_boot(rs, opt, r, s, B, jackknife, threads);
    Rcpp::NumericMatrix t(res.B, res.D), jack(res.J, res.D);
    std::copy(res.t.begin(), res.t.end(), t.begin());
    std::copy(res.jack.begin(), res.jack.end(), jack.begin());
    return Rcpp::List::create(Rcpp::Named("t0") = res.t0, Rcpp::Named("t") = t,
                              Rcpp::Named("jack") = jack);
  });
}

// The rows (1-based, with repetitions) of the bootstrap draws `draws` (1-based) that
// dm_ordinal_alpha_boot_cpp() uses for the same n, cluster, G and seed: for the tests,
// which recompute draws in R, and for users who want to see what a draw resampled.
// [[Rcpp::export(rng = false)]]
Rcpp::List dm_boot_rows_cpp(double n_rows, SEXP cluster, int G, Rcpp::NumericVector seed,
                            Rcpp::IntegerVector draws) {
  return guarded([&]() -> Rcpp::List {
    if (!(n_rows >= 1)) throw std::invalid_argument("measurement glue: n_rows must be >= 1");
    const dm::Resampling r = resampling(static_cast<std::size_t>(n_rows), cluster, G);
    const std::uint64_t s = seed_of(seed);
    Rcpp::List out(draws.size());
    for (R_xlen_t k = 0; k < draws.size(); ++k) {
      if (draws[k] == NA_INTEGER || draws[k] < 1)
        throw std::invalid_argument("measurement glue: draws must be >= 1");
      const std::vector<std::size_t> rows = dm::boot_rows(r, s, draws[k] - 1);
      Rcpp::IntegerVector v(rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) v[i] = static_cast<int>(rows[i]) + 1;
      out[k] = v;
    }
    return out;
  });
}
