// Exports of the scoring core: scores, % favourable, item moments, group moments and ANOVA.
#include "glue-common.h"

#include "score.h"

using Rcpp::IntegerVector;
using Rcpp::List;
using Rcpp::NumericVector;
using namespace dm_glue;

namespace {

const int* group_codes(const Rcpp::Nullable<Rcpp::IntegerVector>& group, std::size_t n_rows) {
  if (group.isNull()) return nullptr;
  Rcpp::IntegerVector g(group.get());
  if (static_cast<std::size_t>(g.size()) != n_rows)
    throw std::invalid_argument("scoring glue: group codes must have one value per row");
  return g.begin();
}

// The moments of each dimension as R lists (items 1-based).
Rcpp::List moments_to_r(const std::vector<dm::DimensionMoments>& out) {
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
  return dims;
}

}  // namespace

// Scores and answered counts per dimension; with `moments = TRUE` the same pass also
// returns `moments`, what dm_moments_cpp() returns (list(dimensions = ...)), else NULL.
// [[Rcpp::export(rng = false)]]
Rcpp::List dm_score_cpp(Rcpp::List columns, Rcpp::List spec, int scale, double min_answered,
                        bool moments = false) {
  return guarded([&]() -> Rcpp::List {
    const dm::ResponseSet rs = response_set(columns, spec, true, "scoring");
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
    std::vector<dm::DimensionMoments> mom;
    const dm::CodeProblems p =
        dm::score(rs, static_cast<dm::Scale>(scale), min_answered, NA_REAL, out_score,
                  out_count, z_center, z_scale, moments ? &mom : nullptr);
    Rcpp::RObject mom_r;  // NULL unless asked for
    if (moments) mom_r = Rcpp::List::create(Rcpp::Named("dimensions") = moments_to_r(mom));
    return Rcpp::List::create(Rcpp::Named("scores") = scores, Rcpp::Named("counts") = counts,
                              Rcpp::Named("z_center") = z_center,
                              Rcpp::Named("z_scale") = z_scale,
                              Rcpp::Named("moments") = mom_r,
                              Rcpp::Named("problems") = problems_to_r(p));
  });
}

// Counts for "% favourable" per item and group, and the keyed answer distribution:
// `dist` holds, per item j, from dist_offset[j] + 1 (1-based) n_groups x K_j counts (or
// weight sums), code fastest.
// [[Rcpp::export(rng = false)]]
Rcpp::List dm_agree_cpp(Rcpp::List columns, Rcpp::List spec, double threshold,
                        Rcpp::Nullable<Rcpp::NumericVector> weights,
                        Rcpp::Nullable<Rcpp::IntegerVector> group, int n_groups) {
  return guarded([&]() -> Rcpp::List {
    const dm::ResponseSet rs = response_set(columns, spec, true, "scoring");
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
                              Rcpp::Named("dist") = out.dist,
                              Rcpp::Named("dist_offset") = std::vector<double>(
                                  out.dist_offset.begin(), out.dist_offset.end()),
                              Rcpp::Named("problems") = problems_to_r(p));
  });
}

// [[Rcpp::export(rng = false)]]
Rcpp::List dm_moments_cpp(Rcpp::List columns, Rcpp::List spec) {
  return guarded([&]() -> Rcpp::List {
    const dm::ResponseSet rs = response_set(columns, spec, true, "scoring");
    std::vector<dm::DimensionMoments> out;
    const dm::CodeProblems p = dm::dimension_moments(rs, out);
    const Rcpp::List dims = moments_to_r(out);
    return Rcpp::List::create(Rcpp::Named("dimensions") = dims,
                              Rcpp::Named("problems") = problems_to_r(p));
  });
}

// [[Rcpp::export(rng = false)]]
Rcpp::List dm_group_moments_cpp(Rcpp::List columns, Rcpp::List spec,
                                Rcpp::IntegerVector group, int n_groups) {
  return guarded([&]() -> Rcpp::List {
    const dm::ResponseSet rs = response_set(columns, spec, true, "scoring");
    dm::GroupItemMoments out;
    const dm::CodeProblems p =
        dm::group_item_moments(rs, group_codes(group, rs.n_rows), n_groups, out);
    return Rcpp::List::create(Rcpp::Named("n") = out.n, Rcpp::Named("sum") = out.sum,
                              Rcpp::Named("sum_sq") = out.sum_sq,
                              Rcpp::Named("problems") = problems_to_r(p));
  });
}

// [[Rcpp::export(rng = false)]]
Rcpp::List dm_group_anova_cpp(Rcpp::NumericVector y, Rcpp::IntegerVector group, int n_groups) {
  return guarded([&]() -> Rcpp::List {
    if (y.size() != group.size())
      throw std::invalid_argument("scoring glue: scores and groups differ in length");
    const dm::GroupAnova a = dm::group_anova(y.begin(), group.begin(), y.size(), n_groups);
    return Rcpp::List::create(Rcpp::Named("n") = a.n, Rcpp::Named("mean") = a.mean,
                              Rcpp::Named("ss_between") = a.ss_between,
                              Rcpp::Named("ss_within") = a.ss_within,
                              Rcpp::Named("n_total") = a.n_total,
                              Rcpp::Named("groups_used") = a.groups_used);
  });
}
