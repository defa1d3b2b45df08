// Scoring core: reads item columns row by row, validates and keys codes, and accumulates
// what dm_score(), dm_agree(), dm_reliability() and dm_aggregate() need, in one pass each.
#ifndef DIGIMATURITY_SCORE_H
#define DIGIMATURITY_SCORE_H

#include <cstddef>
#include <vector>
#include <Eigen/Dense>

namespace dm {

// How a dimension score is expressed (validated by match.arg() in R).
enum class Scale { mean = 0, pomp = 1, z = 2 };

// One item column: either doubles (NaN = missing) or integers (int_na = missing).
struct Column {
  const double* dbl = nullptr;
  const int* itg = nullptr;
};

struct ItemSpec {
  int dimension = 0;   // 0-based dimension index
  int keyed = 1;       // 1 or -1
  int scale_min = 1;
  int scale_max = 5;
  std::vector<double> missing_codes;  // codes that mean "no answer" for this item
};

struct ResponseSet {
  std::size_t n_rows = 0;
  int n_dimensions = 0;
  int int_na = 0;                 // the integer that codes a missing value
  std::vector<Column> columns;    // one per item, in the order of `items`
  std::vector<ItemSpec> items;
};

// Invalid codes (outside the item's range, non-integer or non-finite) found in a scan:
// per item, how many, and the first `max_shown` rows (0-based) and values.
struct CodeProblems {
  std::vector<std::size_t> count;
  std::vector<std::vector<std::size_t>> rows;
  std::vector<std::vector<double>> values;
  std::size_t max_shown = 5;
  explicit CodeProblems(std::size_t n_items = 0);
  bool any() const;
  void record(std::size_t item, std::size_t row, double value);
};

struct DimensionMoments;

// Dimension scores and the number of answered items, per row. `out_score[d]` and
// `out_count[d]` point to n_rows-long buffers; rows without a score get `na`. For
// Scale::z, `z_center` and `z_scale` receive the mean and sd used per dimension.
// With `moments`, the same pass also computes what dimension_moments() computes (the
// keying check's item statistics), so dm_score() reads the columns once.
CodeProblems score(const ResponseSet& rs, Scale scale, double min_answered, double na,
                   const std::vector<double*>& out_score, const std::vector<int*>& out_count,
                   std::vector<double>& z_center, std::vector<double>& z_scale,
                   std::vector<DimensionMoments>* moments = nullptr);

// Counts for "% favourable" per item and group (item fastest, n_items x n_groups):
// valid answers, favourable answers (keyed value >= threshold), and with weights the
// sums of w, w * favourable and w^2. `group` holds codes 1..n_groups or is null.
// In the same pass, the keyed answer distribution (for the plots): per item j, from
// dist_offset[j], n_groups x K_j cells (code fastest, K_j = scale_max - scale_min + 1),
// the number of answers with each keyed code or, with weights, the sum of their weights
// (accumulated in long double in row order, as R's sum(), then rounded).
struct AgreeCounts {
  std::vector<double> n, favourable, sum_w, sum_w_fav, sum_w2;
  std::vector<double> dist;
  std::vector<std::size_t> dist_offset;
};
CodeProblems agree(const ResponseSet& rs, double threshold, const double* weights,
                   const int* group, int n_groups, AgreeCounts& out);

// Per dimension, in one pass: over the rows that answered all its items (complete
// cases) their number, the item means and the covariance matrix (denominator n - 1) of
// the keyed values; and pairwise-complete moments as R's cov(use = "pairwise"): per pair
// of items the rows that answered both (pair_n, its diagonal the rows that answered the
// item), the covariance over those rows (each pair with its own means) and per item the
// mean over its answers; pair_cor the correlation of each pair over the rows that answered
// both, with their standard deviations over those rows (R's cor(use = "pairwise")). n_any
// counts the rows that answered at least one item.
struct DimensionMoments {
  std::vector<int> items;   // 0-based item indices of the dimension
  std::size_t n = 0;
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov;
  std::size_t n_any = 0;
  Eigen::MatrixXd pair_n;
  Eigen::VectorXd pair_mean;
  Eigen::MatrixXd pair_cov;
  Eigen::MatrixXd pair_cor;
};
CodeProblems dimension_moments(const ResponseSet& rs, std::vector<DimensionMoments>& out);

// The sums behind DimensionMoments, fed block by block (the keyed row-major blocks of the
// scan), so that any pass over the columns can compute the moments on the way.
class MomentSums {
 public:
  explicit MomentSums(const ResponseSet& rs);
  // buf: nb rows of keyed values, item fastest (NaN = no valid answer)
  void add_block(std::size_t nb, const double* buf);
  void finish(std::vector<DimensionMoments>& out);

 private:
  const ResponseSet& rs_;
  std::vector<std::vector<int>> dim_items_;
  std::vector<std::vector<double>> s1_, s2_, pn_, p1_, p2_, p11_, tn_, t1_, t11_;
  std::vector<double> cnt_, cnt_any_;
  std::vector<double> x_;
  std::vector<std::size_t> present_, absent_;
};

// Per group and dimension, over the group's rows that answered all of the dimension's
// items: their number (n_groups x n_dimensions, group fastest) and per item the sum and
// sum of squares of the keyed values (n_groups x n_items, group fastest).
struct GroupItemMoments {
  std::vector<double> n, sum, sum_sq;
};
CodeProblems group_item_moments(const ResponseSet& rs, const int* group, int n_groups,
                                GroupItemMoments& out);

// One-way ANOVA of y (NaN = no score, skipped) on groups 1..n_groups, two-pass.
struct GroupAnova {
  std::vector<double> n, mean;   // per group (mean NaN when the group has no score)
  double ss_between = 0, ss_within = 0, n_total = 0;
  int groups_used = 0;
};
GroupAnova group_anova(const double* y, const int* group, std::size_t n_rows, int n_groups);

}  // namespace dm

#endif
