// Scoring core: one row-wise pass over the item columns per statistic, with code validation.
#include "score.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

namespace dm {

CodeProblems::CodeProblems(std::size_t n_items)
    : count(n_items, 0), rows(n_items), values(n_items) {}

bool CodeProblems::any() const {
  for (std::size_t c : count) if (c > 0) return true;
  return false;
}

void CodeProblems::record(std::size_t item, std::size_t row, double value) {
  ++count[item];
  if (rows[item].size() < max_shown) {
    rows[item].push_back(row);
    values[item].push_back(value);
  }
}

namespace {

const double nan = std::numeric_limits<double>::quiet_NaN();

void check_set(const ResponseSet& rs) {
  if (rs.columns.size() != rs.items.size())
    throw std::invalid_argument("score core: columns and items differ in number");
  for (std::size_t j = 0; j < rs.columns.size(); ++j) {
    const Column& c = rs.columns[j];
    if ((c.dbl == nullptr) == (c.itg == nullptr) && rs.n_rows > 0)
      throw std::invalid_argument("score core: a column must be either double or integer");
    const ItemSpec& s = rs.items[j];
    if (s.dimension < 0 || s.dimension >= rs.n_dimensions)
      throw std::invalid_argument("score core: dimension index out of range");
    if (s.scale_min >= s.scale_max)
      throw std::invalid_argument("score core: scale_min must be below scale_max");
  }
}

void check_groups(const int* group, std::size_t n_rows, int n_groups) {
  if (group == nullptr) return;
  for (std::size_t i = 0; i < n_rows; ++i)
    if (group[i] < 1 || group[i] > n_groups)
      throw std::invalid_argument("score core: group codes must lie in 1..n_groups");
}

// The keyed value of item j in row i, or NaN when missing or invalid (then recorded).
inline double keyed_value(const ResponseSet& rs, std::size_t j, std::size_t i,
                          CodeProblems& problems) {
  const Column& c = rs.columns[j];
  double x;
  if (c.dbl) {
    x = c.dbl[i];
    if (std::isnan(x)) return nan;
  } else {
    const int v = c.itg[i];
    if (v == rs.int_na) return nan;
    x = static_cast<double>(v);
  }
  const ItemSpec& s = rs.items[j];
  for (double m : s.missing_codes)
    if (x == m) return nan;
  if (!(x >= s.scale_min && x <= s.scale_max) || x != std::floor(x)) {
    problems.record(j, i, x);
    return nan;
  }
  return s.keyed < 0 ? static_cast<double>(s.scale_min + s.scale_max) - x : x;
}

// Rows are read in blocks: each column is read sequentially into a row-major buffer
// (validated and keyed on the way), then fn(first_row, n_block_rows, buffer) processes the
// block, buffer[r * n_items + j] holding the keyed value of item j in row first_row + r
// (NaN if none). Reading the columns row by row instead would touch n_items far-apart
// addresses per row, which alias in the cache and make every read a miss.
constexpr std::size_t block_rows = 1024;

template <class BlockFn>
CodeProblems scan_blocks(const ResponseSet& rs, BlockFn&& fn) {
  check_set(rs);
  const std::size_t n_items = rs.columns.size();
  CodeProblems problems(n_items);
  std::vector<double> buf(block_rows * n_items);
  for (std::size_t i0 = 0; i0 < rs.n_rows; i0 += block_rows) {
    const std::size_t nb = std::min(block_rows, rs.n_rows - i0);
    for (std::size_t j = 0; j < n_items; ++j)
      for (std::size_t r = 0; r < nb; ++r)
        buf[r * n_items + j] = keyed_value(rs, j, i0 + r, problems);
    fn(i0, nb, static_cast<const double*>(buf.data()));
  }
  return problems;
}

std::vector<std::vector<int>> items_by_dimension(const ResponseSet& rs) {
  std::vector<std::vector<int>> out(rs.n_dimensions);
  for (std::size_t j = 0; j < rs.items.size(); ++j)
    out[rs.items[j].dimension].push_back(static_cast<int>(j));
  return out;
}

}  // namespace

CodeProblems score(const ResponseSet& rs, Scale scale, double min_answered, double na,
                   const std::vector<double*>& out_score, const std::vector<int*>& out_count,
                   std::vector<double>& z_center, std::vector<double>& z_scale,
                   std::vector<DimensionMoments>* moments) {
  const int n_dim = rs.n_dimensions;
  if (static_cast<int>(out_score.size()) != n_dim || static_cast<int>(out_count.size()) != n_dim)
    throw std::invalid_argument("score core: one output buffer per dimension is needed");
  const std::vector<std::vector<int>> dim_items = items_by_dimension(rs);
  // Per item: a * keyed + b is what enters the mean (pomp rescales by the item's range).
  const std::size_t n_items = rs.items.size();
  std::vector<double> a(n_items, 1.0), b(n_items, 0.0);
  if (scale == Scale::pomp) {
    for (std::size_t j = 0; j < n_items; ++j) {
      const double range = rs.items[j].scale_max - rs.items[j].scale_min;
      a[j] = 100.0 / range;
      b[j] = -100.0 * rs.items[j].scale_min / range;
    }
  }
  const std::size_t J = n_items;
  std::unique_ptr<MomentSums> sums(moments ? new MomentSums(rs) : nullptr);
  CodeProblems problems = scan_blocks(rs, [&](std::size_t i0, std::size_t nb, const double* buf) {
    if (sums) sums->add_block(nb, buf);
    for (int d = 0; d < n_dim; ++d) {
      const std::vector<int>& its = dim_items[d];
      const double k = static_cast<double>(its.size());
      double* score_out = out_score[d] + i0;
      int* count_out = out_count[d] + i0;
      for (std::size_t r = 0; r < nb; ++r) {
        const double* v = buf + r * J;
        double sum = 0;
        int answered = 0;
        for (int j : its) {
          if (!std::isnan(v[j])) {
            sum += scale == Scale::pomp ? a[j] * v[j] + b[j] : v[j];
            ++answered;
          }
        }
        count_out[r] = answered;
        const bool has_score = answered > 0 && static_cast<double>(answered) / k >= min_answered;
        score_out[r] = has_score ? sum / answered : na;
      }
    }
  });
  if (sums) sums->finish(*moments);
  z_center.assign(n_dim, nan);
  z_scale.assign(n_dim, nan);
  if (scale == Scale::z && !problems.any()) {
    // Standardise over the rows with a score (sd with denominator n - 1, as scale()).
    for (int d = 0; d < n_dim; ++d) {
      double* y = out_score[d];
      const int* cnt = out_count[d];
      const double k = static_cast<double>(dim_items[d].size());
      auto scored = [&](std::size_t i) {
        return cnt[i] > 0 && static_cast<double>(cnt[i]) / k >= min_answered;
      };
      double sum = 0, m = 0;
      for (std::size_t i = 0; i < rs.n_rows; ++i) if (scored(i)) { sum += y[i]; m += 1; }
      const double mean = sum / m;
      double ss = 0;
      for (std::size_t i = 0; i < rs.n_rows; ++i) if (scored(i)) ss += (y[i] - mean) * (y[i] - mean);
      const double sd = std::sqrt(ss / (m - 1));
      z_center[d] = m > 0 ? mean : nan;
      z_scale[d] = m > 1 ? sd : nan;
      for (std::size_t i = 0; i < rs.n_rows; ++i) {
        if (!scored(i)) continue;
        y[i] = (m > 1 && sd > 0) ? (y[i] - mean) / sd : na;
      }
    }
  }
  return problems;
}

CodeProblems agree(const ResponseSet& rs, double threshold, const double* weights,
                   const int* group, int n_groups, AgreeCounts& out) {
  if (group == nullptr) n_groups = 1;
  check_groups(group, rs.n_rows, n_groups);
  const std::size_t n_items = rs.items.size();
  const std::size_t G = static_cast<std::size_t>(n_groups);
  const std::size_t cells = n_items * G;
  out.n.assign(cells, 0);
  out.favourable.assign(cells, 0);
  out.sum_w.assign(cells, 0);
  out.sum_w_fav.assign(cells, 0);
  out.sum_w2.assign(cells, 0);
  // the distribution: item j's cells from dist_offset[j], group-major, code fastest
  std::vector<std::size_t> K(n_items);
  out.dist_offset.assign(n_items + 1, 0);
  for (std::size_t j = 0; j < n_items; ++j) {
    K[j] = static_cast<std::size_t>(rs.items[j].scale_max - rs.items[j].scale_min + 1);
    out.dist_offset[j + 1] = out.dist_offset[j] + G * K[j];
  }
  std::vector<double> dist(out.dist_offset[n_items], 0.0);
  std::vector<long double> dist_w(weights ? dist.size() : 0, 0.0L);
  CodeProblems problems = scan_blocks(rs, [&](std::size_t i0, std::size_t nb, const double* buf) {
    for (std::size_t r = 0; r < nb; ++r) {
      const std::size_t i = i0 + r;
      const double* v = buf + r * n_items;
      const std::size_t g = group ? static_cast<std::size_t>(group[i] - 1) : 0;
      const std::size_t base = g * n_items;
      const double w = weights ? weights[i] : 1.0;
      for (std::size_t j = 0; j < n_items; ++j) {
        if (std::isnan(v[j])) continue;
        const std::size_t cell = base + j;
        const double fav = v[j] >= threshold ? 1.0 : 0.0;
        out.n[cell] += 1;
        out.favourable[cell] += fav;
        const std::size_t code = static_cast<std::size_t>(v[j] - rs.items[j].scale_min);
        const std::size_t at = out.dist_offset[j] + g * K[j] + code;
        if (weights) {
          out.sum_w[cell] += w;
          out.sum_w_fav[cell] += w * fav;
          out.sum_w2[cell] += w * w;
          dist_w[at] += w;
        } else {
          dist[at] += 1;
        }
      }
    }
  });
  if (weights)
    for (std::size_t c = 0; c < dist.size(); ++c) dist[c] = static_cast<double>(dist_w[c]);
  out.dist.swap(dist);
  return problems;
}

// The sums behind DimensionMoments, accumulated block by block (see MomentSums in
// score.h). Sums of (x - scale_min) and their cross-products: the values are small
// integers, so these sums are exact and the covariances carry no accumulated rounding
// error. Complete cases: s1 (k), s2 (k x k, lower triangle used), cnt. Pairwise,
// accumulated over the incomplete rows only and completed by the complete-case sums: pn
// and p2 (k x k, lower triangle) the count and cross-product over the rows that answered
// both items, p1 (k x k, full) at [a * k + b] the sum of item a over the rows that
// answered a and b, and p11 (k x k, full) the sum of its squares over those rows. While
// rows are added, pn, p1 and p11 hold the complements (over the rows that answered a but
// not b) and tn, t1, t11 (k) the count and sums per item; finish() subtracts.
MomentSums::MomentSums(const ResponseSet& rs)
    : rs_(rs), dim_items_(items_by_dimension(rs)), s1_(rs.n_dimensions), s2_(rs.n_dimensions),
      pn_(rs.n_dimensions), p1_(rs.n_dimensions), p2_(rs.n_dimensions), p11_(rs.n_dimensions),
      tn_(rs.n_dimensions), t1_(rs.n_dimensions), t11_(rs.n_dimensions),
      cnt_(rs.n_dimensions, 0), cnt_any_(rs.n_dimensions, 0), x_(rs.items.size()),
      present_(rs.items.size()), absent_(rs.items.size()) {
  for (int d = 0; d < rs.n_dimensions; ++d) {
    const std::size_t k = dim_items_[d].size();
    s1_[d].assign(k, 0.0);
    s2_[d].assign(k * k, 0.0);
    pn_[d].assign(k * k, 0.0);
    p1_[d].assign(k * k, 0.0);
    p2_[d].assign(k * k, 0.0);
    p11_[d].assign(k * k, 0.0);
    tn_[d].assign(k, 0.0);
    t1_[d].assign(k, 0.0);
    t11_[d].assign(k, 0.0);
  }
}

void MomentSums::add_block(std::size_t nb, const double* buf) {
  const std::size_t J = rs_.items.size();
  double* x = x_.data();
  std::size_t* present = present_.data();
  std::size_t* absent = absent_.data();
  for (int d = 0; d < rs_.n_dimensions; ++d) {
    const std::vector<int>& its = dim_items_[d];
    const std::size_t k = its.size();
    double* c1 = s1_[d].data();
    double* c2 = s2_[d].data();
    double* qn = pn_[d].data();
    double* q1 = p1_[d].data();
    double* q2 = p2_[d].data();
    double* q11 = p11_[d].data();
    double* tn = tn_[d].data();
    double* t1 = t1_[d].data();
    double* t11 = t11_[d].data();
    for (std::size_t r = 0; r < nb; ++r) {
      const double* v = buf + r * J;
      std::size_t m = 0, nm = 0;  // answered items present[0..m), the others absent[0..nm)
      for (std::size_t a = 0; a < k; ++a) {
        x[a] = v[its[a]] - rs_.items[its[a]].scale_min;
        if (!std::isnan(x[a])) present[m++] = a; else absent[nm++] = a;
      }
      if (m == 0) continue;
      cnt_any_[d] += 1;
      if (m == k) {
        // a complete row: its pairwise sums are the complete-case sums, added at the end
        cnt_[d] += 1;
        for (std::size_t a = 0; a < k; ++a) {
          c1[a] += x[a];
          for (std::size_t b = 0; b <= a; ++b) c2[a * k + b] += x[a] * x[b];
        }
        continue;
      }
      // An incomplete row: per answered item a its count and sums (t), and per unanswered
      // item b what a adds to the rows without b (qn, q1, q11 at [a * k + b]); the sums
      // over the rows that answered both are their difference, formed in finish(): m (k - m)
      // updates instead of m^2 (sums of small integers: exact either way).
      for (std::size_t i = 0; i < m; ++i) {
        const std::size_t a = present[i];
        const double xa = x[a], xa2 = xa * xa;
        tn[a] += 1;
        t1[a] += xa;
        t11[a] += xa2;
        for (std::size_t j = 0; j < nm; ++j) {
          const std::size_t b = absent[j];
          qn[a * k + b] += 1;
          q1[a * k + b] += xa;
          q11[a * k + b] += xa2;
        }
        for (std::size_t j = 0; j <= i; ++j) q2[a * k + present[j]] += xa * x[present[j]];
      }
    }
  }
}

// Long (about 90 lines) because it turns the raw sums into the complete-case and the
// pairwise moments of every dimension in one place; each step is a few lines.
void MomentSums::finish(std::vector<DimensionMoments>& out) {
  const int n_dim = rs_.n_dimensions;
  // The pairwise sums over the incomplete rows: the sums of a over its rows, less those
  // over the rows without b ([a * k + a] holds 0: no row both answered and skipped a);
  // then add those of the complete rows.
  for (int d = 0; d < n_dim; ++d) {
    const std::size_t k = dim_items_[d].size();
    for (std::size_t a = 0; a < k; ++a) {
      for (std::size_t b = 0; b < k; ++b) {
        pn_[d][a * k + b] = tn_[d][a] - pn_[d][a * k + b];
        p1_[d][a * k + b] = t1_[d][a] - p1_[d][a * k + b];
        p11_[d][a * k + b] = t11_[d][a] - p11_[d][a * k + b];
      }
    }
    for (std::size_t a = 0; a < k; ++a) {
      for (std::size_t b = 0; b < k; ++b) {
        p1_[d][a * k + b] += s1_[d][a];
        p11_[d][a * k + b] += s2_[d][a * k + a];
        if (b <= a) {
          pn_[d][a * k + b] += cnt_[d];
          p2_[d][a * k + b] += s2_[d][a * k + b];
        }
      }
    }
  }
  out.assign(n_dim, DimensionMoments());
  for (int d = 0; d < n_dim; ++d) {
    const std::vector<int>& its = dim_items_[d];
    const Eigen::Index k = static_cast<Eigen::Index>(its.size());
    const std::vector<double>& pn = pn_[d];
    const std::vector<double>& p1 = p1_[d];
    const std::vector<double>& p2 = p2_[d];
    const std::vector<double>& p11 = p11_[d];
    DimensionMoments& m = out[d];
    m.items = its;
    m.n = static_cast<std::size_t>(cnt_[d]);
    m.n_any = static_cast<std::size_t>(cnt_any_[d]);
    m.mean = Eigen::VectorXd::Constant(k, nan);
    m.cov = Eigen::MatrixXd::Constant(k, k, nan);
    m.pair_n = Eigen::MatrixXd::Zero(k, k);
    m.pair_mean = Eigen::VectorXd::Constant(k, nan);
    m.pair_cov = Eigen::MatrixXd::Constant(k, k, nan);
    m.pair_cor = Eigen::MatrixXd::Constant(k, k, nan);
    for (Eigen::Index a = 0; a < k; ++a) {
      const double lo = rs_.items[its[a]].scale_min;
      const double na = pn[a * k + a];
      if (na >= 1) m.pair_mean(a) = p1[a * k + a] / na + lo;
      for (Eigen::Index b = 0; b <= a; ++b) {
        const double nab = pn[a * k + b];
        m.pair_n(a, b) = nab;
        m.pair_n(b, a) = nab;
        if (nab < 2) continue;
        const double c = (p2[a * k + b] - p1[a * k + b] * p1[b * k + a] / nab) / (nab - 1);
        m.pair_cov(a, b) = c;
        m.pair_cov(b, a) = c;
        // the correlation over the same rows, with their own standard deviations
        const double sa = p1[a * k + b], sb = p1[b * k + a];
        const double va = (p11[a * k + b] - sa * sa / nab) / (nab - 1);
        const double vb = (p11[b * k + a] - sb * sb / nab) / (nab - 1);
        if (va > 0 && vb > 0) {
          const double r = a == b ? 1.0 : c / std::sqrt(va * vb);
          m.pair_cor(a, b) = r;
          m.pair_cor(b, a) = r;
        }
      }
    }
    if (cnt_[d] < 1) continue;
    for (Eigen::Index a = 0; a < k; ++a)
      m.mean(a) = s1_[d][a] / cnt_[d] + rs_.items[its[a]].scale_min;
    if (cnt_[d] < 2) continue;
    for (Eigen::Index a = 0; a < k; ++a) {
      for (Eigen::Index b = 0; b <= a; ++b) {
        const double c = (s2_[d][a * k + b] - s1_[d][a] * s1_[d][b] / cnt_[d]) / (cnt_[d] - 1);
        m.cov(a, b) = c;
        m.cov(b, a) = c;
      }
    }
  }
}

CodeProblems dimension_moments(const ResponseSet& rs, std::vector<DimensionMoments>& out) {
  MomentSums sums(rs);
  CodeProblems problems = scan_blocks(rs, [&](std::size_t, std::size_t nb, const double* buf) {
    sums.add_block(nb, buf);
  });
  sums.finish(out);
  return problems;
}

CodeProblems group_item_moments(const ResponseSet& rs, const int* group, int n_groups,
                                GroupItemMoments& out) {
  if (group == nullptr) throw std::invalid_argument("score core: groups are required");
  check_groups(group, rs.n_rows, n_groups);
  const std::vector<std::vector<int>> dim_items = items_by_dimension(rs);
  const std::size_t G = static_cast<std::size_t>(n_groups);
  out.n.assign(G * rs.n_dimensions, 0);
  out.sum.assign(G * rs.items.size(), 0);
  out.sum_sq.assign(G * rs.items.size(), 0);
  const std::size_t J = rs.items.size();
  return scan_blocks(rs, [&](std::size_t i0, std::size_t nb, const double* buf) {
    for (std::size_t r = 0; r < nb; ++r) {
      const double* v = buf + r * J;
      const std::size_t g = static_cast<std::size_t>(group[i0 + r] - 1);
      for (int d = 0; d < rs.n_dimensions; ++d) {
        const std::vector<int>& its = dim_items[d];
        bool complete = true;
        for (int j : its) if (std::isnan(v[j])) { complete = false; break; }
        if (!complete) continue;
        out.n[g + G * d] += 1;
        for (int j : its) {
          out.sum[g + G * j] += v[j];
          out.sum_sq[g + G * j] += v[j] * v[j];
        }
      }
    }
  });
}

GroupAnova group_anova(const double* y, const int* group, std::size_t n_rows, int n_groups) {
  check_groups(group, n_rows, n_groups);
  GroupAnova out;
  out.n.assign(n_groups, 0);
  out.mean.assign(n_groups, 0);
  for (std::size_t i = 0; i < n_rows; ++i) {
    if (std::isnan(y[i])) continue;
    out.n[group[i] - 1] += 1;
    out.mean[group[i] - 1] += y[i];
  }
  double grand = 0;
  for (int g = 0; g < n_groups; ++g) {
    grand += out.mean[g];
    out.n_total += out.n[g];
    if (out.n[g] > 0) {
      out.mean[g] /= out.n[g];
      ++out.groups_used;
    } else {
      out.mean[g] = nan;
    }
  }
  grand /= out.n_total;
  for (std::size_t i = 0; i < n_rows; ++i) {
    if (std::isnan(y[i])) continue;
    const double e = y[i] - out.mean[group[i] - 1];
    out.ss_within += e * e;
  }
  for (int g = 0; g < n_groups; ++g)
    if (out.n[g] > 0) out.ss_between += out.n[g] * (out.mean[g] - grand) * (out.mean[g] - grand);
  return out;
}

}  // namespace dm
