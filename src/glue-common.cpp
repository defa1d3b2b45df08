// The shared glue helpers of glue-common.h, and the hook through which the core's
// parallel loops ask R about user interrupts.
#include "glue-common.h"

#include <algorithm>
#include <string>

namespace {

// User interrupts: the core's parallel loops ask this from the calling thread only.
// R_ToplevelExec keeps R's longjmp on an interrupt from leaving the C++ frames.
void check_interrupt_fn(void*) { R_CheckUserInterrupt(); }
bool r_interrupt_pending() { return R_ToplevelExec(check_interrupt_fn, nullptr) == FALSE; }
const bool interrupt_check_set = (dm::interrupt_check() = &r_interrupt_pending, true);

}  // namespace

namespace dm_glue {

dm::Design make_design(SEXP X, SEXP weights) {
  dm::Design d;
  if (Rf_isMatrix(X)) {
    if (TYPEOF(X) != REALSXP) Rcpp::stop("the design matrix must be double");
    Rcpp::NumericMatrix m(X);
    d.n = m.nrow();
    for (int j = 0; j < m.ncol(); ++j) d.cols.push_back(REAL(X) + static_cast<R_xlen_t>(j) * d.n);
  } else {
    Rcpp::List l(X);
    d.n = -1;
    for (R_xlen_t j = 0; j < l.size(); ++j) {
      SEXP c = l[j];
      if (TYPEOF(c) != REALSXP) Rcpp::stop("design columns must be double");
      if (d.n < 0) d.n = Rf_xlength(c);
      if (Rf_xlength(c) != d.n) Rcpp::stop("design columns differ in length");
      d.cols.push_back(REAL(c));
    }
    if (d.n < 0) d.n = 0;
  }
  if (!Rf_isNull(weights)) {
    if (TYPEOF(weights) != REALSXP || Rf_xlength(weights) != d.n)
      Rcpp::stop("weights must be double of length n");
    d.weights = REAL(weights);
  }
  return d;
}

dm::Clusters make_clusters(const Rcpp::IntegerVector& code, std::ptrdiff_t n, int G) {
  if (code.size() != n) Rcpp::stop("cluster codes differ in length from the data");
  std::vector<int> c0(code.begin(), code.end());
  for (int& c : c0) --c;
  return dm::Clusters(c0.data(), n, G);
}

dm::Whitening make_whitening(const Rcpp::NumericMatrix& rinv, SEXP rinv_lo) {
  dm::Whitening wh;
  wh.rinv = to_eigen(rinv);
  if (!Rf_isNull(rinv_lo) && Rf_xlength(rinv_lo) > 0) {
    wh.rinv_lo = to_eigen(Rcpp::NumericMatrix(rinv_lo));
    if (wh.rinv_lo.rows() != wh.rinv.rows() || wh.rinv_lo.cols() != wh.rinv.cols())
      Rcpp::stop("rinv and rinv_lo differ in size");
  }
  if (wh.rinv.rows() != wh.rinv.cols()) Rcpp::stop("rinv must be square");
  return wh;
}

Rcpp::NumericMatrix to_r(const Eigen::MatrixXd& m) {
  Rcpp::NumericMatrix out(m.rows(), m.cols());
  std::copy(m.data(), m.data() + m.size(), out.begin());
  return out;
}

Rcpp::NumericVector to_r(const Eigen::VectorXd& v) {
  return Rcpp::NumericVector(v.data(), v.data() + v.size());
}

Eigen::MatrixXd to_eigen(const Rcpp::NumericMatrix& m) {
  return Eigen::Map<const Eigen::MatrixXd>(m.begin(), m.nrow(), m.ncol());
}

Rcpp::IntegerVector one_based(const std::vector<int>& v) {
  Rcpp::IntegerVector out(v.size());
  for (size_t j = 0; j < v.size(); ++j) out[j] = v[j] + 1;
  return out;
}

dm::ResponseSet response_set(const Rcpp::List& columns, const Rcpp::List& spec,
                             bool dimensions, const char* who) {
  const std::string glue(who);
  const Rcpp::IntegerVector keyed = spec["keyed"], scale_min = spec["scale_min"],
                            scale_max = spec["scale_max"];
  const Rcpp::IntegerVector dimension =
      dimensions ? Rcpp::IntegerVector(spec["dimension"]) : Rcpp::IntegerVector(0);
  const Rcpp::List missing = spec["missing_codes"];
  dm::ResponseSet rs;
  rs.n_rows = static_cast<std::size_t>(Rcpp::as<double>(spec["n_rows"]));
  rs.n_dimensions = dimensions ? Rcpp::as<int>(spec["n_dimensions"]) : 1;
  rs.int_na = NA_INTEGER;
  const R_xlen_t p = columns.size();
  if ((dimensions && dimension.size() != p) || keyed.size() != p || scale_min.size() != p ||
      scale_max.size() != p || missing.size() != p)
    throw std::invalid_argument(glue + " glue: codebook and columns differ in length");
  for (R_xlen_t j = 0; j < p; ++j) {
    SEXP col = columns[j];
    if (static_cast<std::size_t>(Rf_xlength(col)) != rs.n_rows)
      throw std::invalid_argument(glue + " glue: item columns differ in length");
    dm::Column c;
    if (TYPEOF(col) == REALSXP) c.dbl = REAL(col);
    else if (TYPEOF(col) == INTSXP) c.itg = INTEGER(col);
    else throw std::invalid_argument(glue + " glue: item columns must be double or integer");
    rs.columns.push_back(c);
    dm::ItemSpec s;
    if (dimensions) s.dimension = dimension[j] - 1;
    s.keyed = keyed[j];
    s.scale_min = scale_min[j];
    s.scale_max = scale_max[j];
    s.missing_codes = Rcpp::as<std::vector<double>>(missing[j]);
    rs.items.push_back(s);
  }
  return rs;
}

Rcpp::List problems_to_r(const dm::CodeProblems& p) {
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

}  // namespace dm_glue
