// Exports of the measurement core: polychoric correlations and the bivariate normal
// distribution function they rest on.
#include "glue-common.h"

#include "polychoric.h"

using namespace dm_glue;

namespace {

// The item columns (double or integer vectors, read in place) and their codebook
// (keyed, scale_min, scale_max, missing_codes, n_rows), as R's dm_responses() builds it.
dm::ResponseSet measurement_set(const Rcpp::List& columns, const Rcpp::List& spec) {
  const Rcpp::IntegerVector keyed = spec["keyed"], scale_min = spec["scale_min"],
                            scale_max = spec["scale_max"];
  const Rcpp::List missing = spec["missing_codes"];
  dm::ResponseSet rs;
  rs.n_rows = static_cast<std::size_t>(Rcpp::as<double>(spec["n_rows"]));
  rs.n_dimensions = 1;
  rs.int_na = NA_INTEGER;
  const R_xlen_t p = columns.size();
  if (keyed.size() != p || scale_min.size() != p || scale_max.size() != p || missing.size() != p)
    throw std::invalid_argument("measurement glue: codebook and columns differ in length");
  for (R_xlen_t j = 0; j < p; ++j) {
    SEXP col = columns[j];
    if (static_cast<std::size_t>(Rf_xlength(col)) != rs.n_rows)
      throw std::invalid_argument("measurement glue: item columns differ in length");
    dm::Column c;
    if (TYPEOF(col) == REALSXP) c.dbl = REAL(col);
    else if (TYPEOF(col) == INTSXP) c.itg = INTEGER(col);
    else throw std::invalid_argument("measurement glue: item columns must be double or integer");
    rs.columns.push_back(c);
    dm::ItemSpec s;
    s.keyed = keyed[j];
    s.scale_min = scale_min[j];
    s.scale_max = scale_max[j];
    s.missing_codes = Rcpp::as<std::vector<double>>(missing[j]);
    rs.items.push_back(s);
  }
  return rs;
}

Rcpp::List code_problems(const dm::CodeProblems& p) {
  std::vector<int> item;
  std::vector<double> count;
  Rcpp::List rows, values;
  for (std::size_t j = 0; j < p.count.size(); ++j) {
    if (p.count[j] == 0) continue;
    item.push_back(static_cast<int>(j) + 1);
    count.push_back(static_cast<double>(p.count[j]));
    std::vector<double> r(p.rows[j].begin(), p.rows[j].end());
    for (double& x : r) x += 1;
    rows.push_back(Rcpp::wrap(r));
    values.push_back(Rcpp::wrap(p.values[j]));
  }
  return Rcpp::List::create(Rcpp::Named("item") = item, Rcpp::Named("count") = count,
                            Rcpp::Named("rows") = rows, Rcpp::Named("values") = values);
}

}  // namespace

// [[Rcpp::export(rng = false)]]
Rcpp::List dm_polychoric_cpp(Rcpp::List columns, Rcpp::List spec, bool listwise,
                             double zero_add_2x2, double zero_add, bool keep_margins,
                             double bound, bool std_errors, int threads) {
  return guarded([&]() -> Rcpp::List {
    const dm::ResponseSet rs = measurement_set(columns, spec);
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
        Rcpp::Named("problems") = code_problems(problems));
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
