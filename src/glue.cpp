// The only file with Rcpp exports: converts R objects, calls the plain C++ core, converts back.
#include <RcppEigen.h>

#include <atomic>
#include <memory>

#include "ols.h"
#include "parallel.h"
#include "sandwich.h"

#include <new>
#include <stdexcept>

#ifdef _OPENMP
#include <omp.h>
#endif

using Rcpp::List;
using Rcpp::NumericVector;
using Rcpp::IntegerVector;

namespace {

// User interrupts: the core's parallel loops ask this from the calling thread only.
// R_ToplevelExec keeps R's longjmp on an interrupt from leaving the C++ frames.
void check_interrupt_fn(void*) { R_CheckUserInterrupt(); }
bool r_interrupt_pending() { return R_ToplevelExec(check_interrupt_fn, nullptr) == FALSE; }
const bool interrupt_check_set = (dm::interrupt_check() = &r_interrupt_pending, true);

// Runs a call into the core, turning its interrupt into R's and an allocation failure
// into an error that R/utils-checks.R's cpp_call() classes as digimaturity_error_memory.
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const dm::Interrupted&) {
    throw Rcpp::internal::InterruptedException();
  } catch (const std::bad_alloc&) {
    throw std::runtime_error(
        "digimaturity_memory: the C++ core could not allocate the memory it needed.");
  }
}

// Column pointers of a numeric matrix or of a list of double vectors, without copying.
dm::Design make_design(SEXP X, SEXP weights) {
  dm::Design d;
  if (Rf_isMatrix(X)) {
    if (TYPEOF(X) != REALSXP) Rcpp::stop("the design matrix must be double");
    Rcpp::NumericMatrix m(X);
    d.n = m.nrow();
    for (int j = 0; j < m.ncol(); ++j) d.cols.push_back(REAL(X) + static_cast<R_xlen_t>(j) * d.n);
  } else {
    List l(X);
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

Rcpp::NumericMatrix to_r(const Eigen::MatrixXd& m) {
  Rcpp::NumericMatrix out(m.rows(), m.cols());
  std::copy(m.data(), m.data() + m.size(), out.begin());
  return out;
}

NumericVector to_r(const Eigen::VectorXd& v) {
  return NumericVector(v.data(), v.data() + v.size());
}

Eigen::MatrixXd to_eigen(const Rcpp::NumericMatrix& m) {
  return Eigen::Map<const Eigen::MatrixXd>(m.begin(), m.nrow(), m.ncol());
}

// R's 1-based cluster codes (1..G), one per row of the design.
dm::Clusters make_clusters(const IntegerVector& code, std::ptrdiff_t n, int G) {
  if (code.size() != n) Rcpp::stop("cluster codes differ in length from the data");
  std::vector<int> c0(code.begin(), code.end());
  for (int& c : c0) --c;
  return dm::Clusters(c0.data(), n, G);
}

}  // namespace

// [[Rcpp::export(rng = false)]]
int dm_num_procs() {
#ifdef _OPENMP
  return omp_get_num_procs();
#else
  return 1;
#endif
}

namespace {

// The whitening R^{-1} = rinv + rinv_lo of a fit (rinv_lo NULL or a zero-size matrix:
// none).
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

IntegerVector one_based(const std::vector<int>& v) {
  IntegerVector out(v.size());
  for (size_t j = 0; j < v.size(); ++j) out[j] = v[j] + 1;
  return out;
}

}  // namespace

// [[Rcpp::export(rng = false)]]
List dm_lm_cpp(SEXP X, NumericVector y, SEXP weights, int vcov_type, SEXP cluster, int G,
               int threads, double tol, double rcond_min, int precision = 0) {
  return guarded([&]() -> List {
  dm::Design d = make_design(X, weights);
  if (y.size() != d.n) Rcpp::stop("response and design differ in length");
  if (precision < 0 || precision > 4) Rcpp::stop("unknown precision");
  dm::OlsFit fit = dm::ols_fit(d, y.begin(), threads, tol, rcond_min,
                               static_cast<dm::Precision>(precision));
  List out = List::create(Rcpp::Named("coefficients") = to_r(fit.coef),
                          Rcpp::Named("kept") = one_based(fit.kept),
                          Rcpp::Named("rank") = fit.rank(),
                          Rcpp::Named("solver") = static_cast<int>(fit.solver));
  if (fit.rank() == 0) return out;
  out["bread"] = to_r(fit.bread);
  out["rinv"] = to_r(fit.rinv);
  out["rinv_lo"] = to_r(fit.rinv_lo);
  out["residuals"] = to_r(fit.resid);
  out["fitted"] = to_r(fit.fitted);
  out["rss"] = fit.rss;
  out["rcond"] = fit.rcond;
  const dm::VcovType type = static_cast<dm::VcovType>(vcov_type);
  if (type == dm::VcovType::Classical) return out;
  dm::Design dk = dm::subset_columns(d, fit.kept);
  std::unique_ptr<dm::Clusters> cl;
  if (dm::is_cluster_type(type))
    cl.reset(new dm::Clusters(make_clusters(IntegerVector(cluster), d.n, G)));
  dm::Whitening wh;
  wh.rinv = fit.rinv;
  wh.rinv_lo = fit.rinv_lo;
  dm::VcovResult v = dm::sandwich_vcov(dk, fit.resid.data(), wh, type, cl.get(), threads);
  out["vcov"] = to_r(v.V);
  out["leverage_one"] = one_based(v.leverage_one);
  out["undefined"] = one_based(v.undefined);
  return out;
  });
}

// The stacked variance of m outcomes fitted on the same design and weights: `resid` is
// n x m (one column per outcome), rinv / rinv_lo the shared whitening of the fits.
// Returns the mk x mk covariance (equation-major), the rows or clusters with leverage
// one and the undefined coefficients (1-based, within one equation).
// [[Rcpp::export(rng = false)]]
List dm_mlm_vcov_cpp(SEXP X, Rcpp::NumericMatrix resid, SEXP weights, int vcov_type,
                     SEXP cluster, int G, Rcpp::NumericMatrix rinv, SEXP rinv_lo, int threads) {
  return guarded([&]() -> List {
    dm::Design d = make_design(X, weights);
    if (resid.nrow() != d.n) Rcpp::stop("residuals and design differ in length");
    if (resid.ncol() < 1) Rcpp::stop("no residual column");
    if (vcov_type < 0 || vcov_type > 9) Rcpp::stop("unknown variance type");
    const dm::VcovType type = static_cast<dm::VcovType>(vcov_type);
    std::unique_ptr<dm::Clusters> cl;
    if (dm::is_cluster_type(type))
      cl.reset(new dm::Clusters(make_clusters(IntegerVector(cluster), d.n, G)));
    const dm::Whitening wh = make_whitening(rinv, rinv_lo);
    if (wh.k() != d.k()) Rcpp::stop("rinv and design differ in columns");
    const dm::VcovResult v = dm::sandwich_vcov(d, resid.begin(), wh, type, cl.get(), threads,
                                               static_cast<int>(resid.ncol()));
    return List::create(Rcpp::Named("vcov") = to_r(v.V),
                        Rcpp::Named("leverage_one") = one_based(v.leverage_one),
                        Rcpp::Named("undefined") = one_based(v.undefined));
  });
}

// Leverages h_i = w_i x_i'(X'WX)^{-1} x_i of a fit from its whitening.
// [[Rcpp::export(rng = false)]]
NumericVector dm_hat_cpp(SEXP X, SEXP weights, Rcpp::NumericMatrix rinv, SEXP rinv_lo,
                         int threads) {
  return guarded([&]() {
    dm::Design d = make_design(X, weights);
    const dm::Whitening wh = make_whitening(rinv, rinv_lo);
    if (wh.k() != d.k()) Rcpp::stop("rinv and design differ in columns");
    return to_r(dm::leverages(d, wh, threads));
  });
}

// [[Rcpp::export(rng = false)]]
double dm_htz_cpp(SEXP X, NumericVector resid, SEXP weights, IntegerVector cluster, int G,
                  Rcpp::NumericMatrix rinv, SEXP rinv_lo, Rcpp::NumericMatrix C, int threads) {
  return guarded([&]() {
    dm::Design d = make_design(X, weights);
    return dm::htz_nu(d, resid.begin(), make_whitening(rinv, rinv_lo),
                      make_clusters(cluster, d.n, G), to_eigen(C), threads);
  });
}

// [[Rcpp::export(rng = false)]]
NumericVector dm_contrast_df_cpp(SEXP X, NumericVector resid, SEXP weights,
                                 IntegerVector cluster, int G, Rcpp::NumericMatrix rinv,
                                 SEXP rinv_lo, Rcpp::NumericMatrix C, int threads) {
  return guarded([&]() {
    dm::Design d = make_design(X, weights);
    return to_r(dm::contrast_df(d, resid.begin(), make_whitening(rinv, rinv_lo),
                                make_clusters(cluster, d.n, G), to_eigen(C), threads));
  });
}

// For the tests: a parallel loop of n items on `threads` threads whose item `fail_at`
// throws (kind 1: std::runtime_error, 2: std::bad_alloc); returns the items run.
// [[Rcpp::export(rng = false)]]
double dm_parallel_selftest(int n, int threads, int fail_at, int kind) {
  return guarded([&]() {
    std::atomic<long> done(0);
    dm::parallel_for(n, threads, [&](std::ptrdiff_t i) {
      if (i == fail_at) {
        if (kind == 2) throw std::bad_alloc();
        throw std::runtime_error("item failed on purpose");
      }
      ++done;
    });
    return static_cast<double>(done.load());
  });
}

// What the QR path can use in this build and on this machine.
// [[Rcpp::export(rng = false)]]
List dm_build_info() {
#ifdef DIGIMATURITY_PLAIN_DOUBLE
  const bool plain = true;
#else
  const bool plain = false;
#endif
#ifdef __SIZEOF_FLOAT128__
  const bool quad = true;
#else
  const bool quad = false;
#endif
  return List::create(Rcpp::Named("plain_double") = plain, Rcpp::Named("float128") = quad,
                      Rcpp::Named("long_double_wide") = dm::long_double_is_wide());
}

// ---- scoring ----
#include "score.h"

namespace {

// The item columns (a list of double or integer vectors, read in place, not copied) and
// the codebook as integer vectors; `missing` is a list of per-item missing codes.
dm::ResponseSet response_set(const Rcpp::List& columns, const Rcpp::List& spec) {
  const Rcpp::IntegerVector dimension = spec["dimension"], keyed = spec["keyed"],
                            scale_min = spec["scale_min"], scale_max = spec["scale_max"];
  const Rcpp::List missing = spec["missing_codes"];
  dm::ResponseSet rs;
  rs.n_rows = static_cast<std::size_t>(Rcpp::as<double>(spec["n_rows"]));
  rs.n_dimensions = Rcpp::as<int>(spec["n_dimensions"]);
  rs.int_na = NA_INTEGER;
  const R_xlen_t n_items = columns.size();
  if (dimension.size() != n_items || keyed.size() != n_items || scale_min.size() != n_items ||
      scale_max.size() != n_items || missing.size() != n_items)
    throw std::invalid_argument("scoring glue: codebook and columns differ in length");
  for (R_xlen_t j = 0; j < n_items; ++j) {
    SEXP col = columns[j];
    if (static_cast<std::size_t>(Rf_xlength(col)) != rs.n_rows)
      throw std::invalid_argument("scoring glue: item columns differ in length");
    dm::Column c;
    if (TYPEOF(col) == REALSXP) c.dbl = REAL(col);
    else if (TYPEOF(col) == INTSXP) c.itg = INTEGER(col);
    else throw std::invalid_argument("scoring glue: item columns must be double or integer");
    rs.columns.push_back(c);
    dm::ItemSpec s;
    s.dimension = dimension[j] - 1;
    s.keyed = keyed[j];
    s.scale_min = scale_min[j];
    s.scale_max = scale_max[j];
    s.missing_codes = Rcpp::as<std::vector<double>>(missing[j]);
    rs.items.push_back(s);
  }
  return rs;
}

// Invalid codes per item for R to report: item (1-based), count, rows (1-based), values.
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

const int* group_codes(const Rcpp::Nullable<Rcpp::IntegerVector>& group, std::size_t n_rows) {
  if (group.isNull()) return nullptr;
  Rcpp::IntegerVector g(group.get());
  if (static_cast<std::size_t>(g.size()) != n_rows)
    throw std::invalid_argument("scoring glue: group codes must have one value per row");
  return g.begin();
}

}  // namespace

// [[Rcpp::export(rng = false)]]
Rcpp::List dm_score_cpp(Rcpp::List columns, Rcpp::List spec, int scale, double min_answered) {
  const dm::ResponseSet rs = response_set(columns, spec);
  if (scale < 0 || scale > 2) throw std::invalid_argument("scoring glue: unknown scale");
  Rcpp::List scores(rs.n_dimensions), counts(rs.n_dimensions);
  std::vector<double*> out_score;
  std::vector<int*> out_count;
  for (int d = 0; d < rs.n_dimensions; ++d) {
    Rcpp::NumericVector s(rs.n_rows);
    Rcpp::IntegerVector c(rs.n_rows);
    scores[d] = s;
    counts[d] = c;
    out_score.push_back(s.begin());
    out_count.push_back(c.begin());
  }
  std::vector<double> z_center, z_scale;
  const dm::CodeProblems p = dm::score(rs, static_cast<dm::Scale>(scale), min_answered,
                                       NA_REAL, out_score, out_count, z_center, z_scale);
  return Rcpp::List::create(Rcpp::Named("scores") = scores, Rcpp::Named("counts") = counts,
                            Rcpp::Named("z_center") = z_center,
                            Rcpp::Named("z_scale") = z_scale,
                            Rcpp::Named("problems") = problems_to_r(p));
}

// [[Rcpp::export(rng = false)]]
Rcpp::List dm_agree_cpp(Rcpp::List columns, Rcpp::List spec, double threshold,
                        Rcpp::Nullable<Rcpp::NumericVector> weights,
                        Rcpp::Nullable<Rcpp::IntegerVector> group, int n_groups) {
  const dm::ResponseSet rs = response_set(columns, spec);
  const double* w = nullptr;
  Rcpp::NumericVector wv;
  if (weights.isNotNull()) {
    wv = Rcpp::NumericVector(weights.get());
    if (static_cast<std::size_t>(wv.size()) != rs.n_rows)
      throw std::invalid_argument("scoring glue: weights must have one value per row");
    w = wv.begin();
  }
  dm::AgreeCounts out;
  const dm::CodeProblems p =
      dm::agree(rs, threshold, w, group_codes(group, rs.n_rows), n_groups, out);
  return Rcpp::List::create(Rcpp::Named("n") = out.n, Rcpp::Named("favourable") = out.favourable,
                            Rcpp::Named("sum_w") = out.sum_w,
                            Rcpp::Named("sum_w_fav") = out.sum_w_fav,
                            Rcpp::Named("sum_w2") = out.sum_w2,
                            Rcpp::Named("problems") = problems_to_r(p));
}

// [[Rcpp::export(rng = false)]]
Rcpp::List dm_moments_cpp(Rcpp::List columns, Rcpp::List spec) {
  const dm::ResponseSet rs = response_set(columns, spec);
  std::vector<dm::DimensionMoments> out;
  const dm::CodeProblems p = dm::dimension_moments(rs, out);
  Rcpp::List dims(out.size());
  for (std::size_t d = 0; d < out.size(); ++d) {
    std::vector<int> items(out[d].items.begin(), out[d].items.end());
    for (int& j : items) j += 1;
    dims[d] = Rcpp::List::create(Rcpp::Named("items") = items,
                                 Rcpp::Named("n") = static_cast<double>(out[d].n),
                                 Rcpp::Named("mean") = Rcpp::wrap(out[d].mean),
                                 Rcpp::Named("cov") = Rcpp::wrap(out[d].cov),
                                 Rcpp::Named("n_any") = static_cast<double>(out[d].n_any),
                                 Rcpp::Named("pair_n") = Rcpp::wrap(out[d].pair_n),
                                 Rcpp::Named("pair_mean") = Rcpp::wrap(out[d].pair_mean),
                                 Rcpp::Named("pair_cov") = Rcpp::wrap(out[d].pair_cov),
                                 Rcpp::Named("pair_cor") = Rcpp::wrap(out[d].pair_cor));
  }
  return Rcpp::List::create(Rcpp::Named("dimensions") = dims,
                            Rcpp::Named("problems") = problems_to_r(p));
}

// [[Rcpp::export(rng = false)]]
Rcpp::List dm_group_moments_cpp(Rcpp::List columns, Rcpp::List spec,
                                Rcpp::IntegerVector group, int n_groups) {
  const dm::ResponseSet rs = response_set(columns, spec);
  dm::GroupItemMoments out;
  const dm::CodeProblems p =
      dm::group_item_moments(rs, group_codes(group, rs.n_rows), n_groups, out);
  return Rcpp::List::create(Rcpp::Named("n") = out.n, Rcpp::Named("sum") = out.sum,
                            Rcpp::Named("sum_sq") = out.sum_sq,
                            Rcpp::Named("problems") = problems_to_r(p));
}

// [[Rcpp::export(rng = false)]]
Rcpp::List dm_group_anova_cpp(Rcpp::NumericVector y, Rcpp::IntegerVector group, int n_groups) {
  if (y.size() != group.size())
    throw std::invalid_argument("scoring glue: scores and groups differ in length");
  const dm::GroupAnova a = dm::group_anova(y.begin(), group.begin(), y.size(), n_groups);
  return Rcpp::List::create(Rcpp::Named("n") = a.n, Rcpp::Named("mean") = a.mean,
                            Rcpp::Named("ss_between") = a.ss_between,
                            Rcpp::Named("ss_within") = a.ss_within,
                            Rcpp::Named("n_total") = a.n_total,
                            Rcpp::Named("groups_used") = a.groups_used);
}

// ---- wild (cluster) bootstrap ----
#include "wild.h"

namespace {

// The arguments the single and the joint wild bootstrap share, checked and converted.
struct WildArgs {
  dm::Design d;
  dm::Whitening wh;
  std::unique_ptr<dm::Clusters> cl;
  std::vector<int> cols;  // 0-based
  Eigen::VectorXd beta;
  dm::WildWeights weights;
  std::uint64_t seed;
  WildArgs(SEXP X, const NumericVector& b, const NumericVector& resid, SEXP w, SEXP cluster,
           int G, const Rcpp::NumericMatrix& rinv, SEXP rinv_lo, const IntegerVector& coefs,
           int weight_type, const NumericVector& s)
      : d(make_design(X, w)), wh(make_whitening(rinv, rinv_lo)) {
    if (resid.size() != d.n) Rcpp::stop("residuals and design differ in length");
    if (b.size() != d.k()) Rcpp::stop("coefficients and design differ in size");
    if (weight_type < 0 || weight_type > 3) Rcpp::stop("unknown bootstrap weights");
    if (s.size() != 2) Rcpp::stop("bad seed");
    if (!Rf_isNull(cluster)) cl.reset(new dm::Clusters(make_clusters(IntegerVector(cluster), d.n, G)));
    cols.assign(coefs.begin(), coefs.end());
    for (int& c : cols) --c;
    beta = Eigen::Map<const Eigen::VectorXd>(b.begin(), b.size());
    weights = static_cast<dm::WildWeights>(weight_type);
    seed = (static_cast<std::uint64_t>(s[0]) << 32) ^ static_cast<std::uint64_t>(s[1]);
  }
};

}  // namespace

// Tests H0: beta_j = null_j for the coefficients `coefs` (1-based among the columns of
// X) by the wild (cluster) bootstrap; `seed`: two numbers in [0, 2^32) drawn from R's
// RNG. Returns per coefficient estimate, CR1/HC1 s.e., t, p-value, the test-inversion
// confidence set (a matrix of [low, high] rows) and the smallest attainable p-value.
// `direct_max`: the most clusters for which the bootstrap scores are formed directly
// (dm::kWildDirectMax; the tests lower it to check the expanded computation).
// [[Rcpp::export(rng = false)]]
List dm_wild_cpp(SEXP X, NumericVector beta, NumericVector resid, SEXP weights,
                 SEXP cluster, int G, Rcpp::NumericMatrix rinv, SEXP rinv_lo,
                 IntegerVector coefs, NumericVector null, int B, int weight_type,
                 bool restricted, NumericVector seed, double conf_level, int threads,
                 int direct_max) {
  return guarded([&]() -> List {
    if (null.size() != coefs.size()) Rcpp::stop("bad null values");
    const WildArgs a(X, beta, resid, weights, cluster, G, rinv, rinv_lo, coefs, weight_type, seed);
    const dm::WildDraws w = dm::wild_draws(a.d, resid.begin(), a.wh, a.cl.get(), a.cols, a.beta,
                                           B, a.weights, restricted, a.seed, threads, direct_max);
    const int m = static_cast<int>(a.cols.size());
    // plain vectors: the threads never touch R objects
    const std::vector<double> h0(null.begin(), null.end());
    std::vector<double> t(m), p(m);
    std::vector<dm::WildConfSet> sets(m);
    dm::parallel_for(m, threads, [&](std::ptrdiff_t j) {
      const int c = static_cast<int>(j);
      t[c] = dm::wild_t(w, c, h0[c]);
      p[c] = dm::wild_pvalue(w, c, h0[c]);
      sets[c] = dm::wild_confset(w, c, conf_level, h0[c]);
    });
    List conf_set(m);
    std::vector<double> p_min(m);
    for (int c = 0; c < m; ++c) {
      const std::size_t r = sets[c].low.size();
      Rcpp::NumericMatrix s(static_cast<int>(r), 2);
      for (std::size_t i = 0; i < r; ++i) {
        s(i, 0) = sets[c].low[i];
        s(i, 1) = sets[c].high[i];
      }
      conf_set[c] = s;
      p_min[c] = sets[c].p_min;
    }
    return List::create(Rcpp::Named("estimate") = to_r(w.estimate),
                        Rcpp::Named("std.error") = to_r(w.se),
                        Rcpp::Named("statistic") = Rcpp::wrap(t),
                        Rcpp::Named("p.value") = Rcpp::wrap(p),
                        Rcpp::Named("conf.set") = conf_set,
                        Rcpp::Named("p.min") = Rcpp::wrap(p_min), Rcpp::Named("B") = w.B,
                        Rcpp::Named("enumerated") = w.enumerated);
  });
}

// ---- cluster summary (leverage, jackknife) ----
#include "cluster_summary.h"

// [[Rcpp::export(rng = false)]]
List dm_cluster_summary_cpp(SEXP X, NumericVector resid, SEXP weights, IntegerVector cluster,
                            int G, Rcpp::NumericMatrix rinv, SEXP rinv_lo, int threads) {
  return guarded([&]() -> List {
    dm::Design d = make_design(X, weights);
    if (resid.size() != d.n) Rcpp::stop("residuals and design differ in length");
    const dm::ClusterSummary s =
        dm::cluster_summary(d, resid.begin(), make_whitening(rinv, rinv_lo),
                            make_clusters(cluster, d.n, G), threads);
    return List::create(Rcpp::Named("leverage") = to_r(s.leverage),
                        Rcpp::Named("dfbeta") = to_r(s.dfbeta), Rcpp::Named("a2") = to_r(s.a2),
                        Rcpp::Named("a1") = to_r(s.a1),
                        Rcpp::Named("leverage_one") = one_based(s.leverage_one));
  });
}

// ---- relative importance (all-subsets R^2, LMG) ----
#include "importance.h"

namespace {

// Blocks of 1-based columns of C (a list of integer vectors) and the always-in columns.
dm::BlockSpec block_spec(const List& blocks, const IntegerVector& always) {
  dm::BlockSpec spec;
  for (R_xlen_t b = 0; b < blocks.size(); ++b) {
    IntegerVector v = blocks[b];
    std::vector<int> cols(v.begin(), v.end());
    for (int& c : cols) --c;
    spec.blocks.push_back(cols);
  }
  spec.always.assign(always.begin(), always.end());
  for (int& c : spec.always) --c;
  return spec;
}

}  // namespace

// R^2 of every subset of blocks (index: bit mask) and the LMG, first and last of each
// block, from the centred cross-product matrix C (response last).
// [[Rcpp::export(rng = false)]]
List dm_importance_cpp(Rcpp::NumericMatrix C, List blocks, IntegerVector always) {
  return guarded([&]() -> List {
    const dm::BlockSpec spec = block_spec(blocks, always);
    const Eigen::VectorXd r2 = dm::subset_r2(to_eigen(C), spec);
    const dm::Importance imp = dm::importance_from_r2(r2, spec.nb());
    return List::create(Rcpp::Named("r2") = to_r(r2), Rcpp::Named("lmg") = to_r(imp.lmg),
                        Rcpp::Named("first") = to_r(imp.first),
                        Rcpp::Named("last") = to_r(imp.last));
  });
}

// The cluster bootstrap of dm_importance_cpp(): `mom` the per-cluster moments, `counts`
// (G x B) the draws of each cluster. Returns 3 nb x B (lmg, first, last).
// [[Rcpp::export(rng = false)]]
Rcpp::NumericMatrix dm_importance_boot_cpp(Rcpp::NumericMatrix mom, IntegerVector counts,
                                           List blocks, IntegerVector always, int threads) {
  return guarded([&]() {
    const dm::BlockSpec spec = block_spec(blocks, always);
    const Eigen::Index G = mom.ncol();
    if (G == 0 || counts.size() % G != 0) Rcpp::stop("counts do not match the clusters");
    const Eigen::MatrixXi cnt =
        Eigen::Map<const Eigen::MatrixXi>(counts.begin(), G, counts.size() / G);
    return to_r(dm::importance_bootstrap(to_eigen(mom), cnt, spec, threads));
  });
}

// The joint wild (cluster) bootstrap test that the coefficients `coefs` (1-based) are all
// zero: the Wald statistic (F form, Q / q) and its bootstrap p-value; `direct_max` as
// in dm_wild_cpp().
// [[Rcpp::export(rng = false)]]
List dm_wild_joint_cpp(SEXP X, NumericVector beta, NumericVector resid, SEXP weights,
                       SEXP cluster, int G, Rcpp::NumericMatrix rinv, SEXP rinv_lo,
                       IntegerVector coefs, int B, int weight_type, bool restricted,
                       NumericVector seed, int threads, int direct_max) {
  return guarded([&]() -> List {
    const WildArgs a(X, beta, resid, weights, cluster, G, rinv, rinv_lo, coefs, weight_type, seed);
    const dm::WildJoint w = dm::wild_joint(a.d, resid.begin(), a.wh, a.cl.get(), a.cols, a.beta,
                                           B, a.weights, restricted, a.seed, threads, direct_max);
    return List::create(Rcpp::Named("statistic") = w.statistic,
                        Rcpp::Named("p.value") = w.p_value, Rcpp::Named("B") = w.B,
                        Rcpp::Named("enumerated") = w.enumerated);
  });
}
