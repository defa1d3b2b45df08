// Polychoric correlations: keyed categories and thresholds per item, then each pair's
// correlation by maximising the bivariate normal likelihood of its contingency table with
// the thresholds held fixed (two-step ML, Olsson 1979), as lavaan's lavCor() does.
//
// Step 1 (per item): the observed codes are the categories (an unobserved code of the
// scale gets no threshold, as in lavaan, which turns the column into an ordered factor);
// thresholds tau_c = qnorm(share of answers in categories <= c), the ML estimates.
// Step 2 (per pair): the table of the rows that answered both items (pairwise complete),
// lavaan's zero-cell rule (zero.add = c(0.5, 0), zero.keep.margins = TRUE), and the
// log-likelihood l(rho) = sum n_ab log P_ab(rho), maximised by Newton's method on the
// exact first and second derivatives (dF/drho is the bivariate density at the corner)
// inside a bracket that shrinks with the sign of the score, within [-bound, bound].
// Standard errors: the two-step sandwich with lavaan's outer-product estimates of its
// blocks (muthen1984()), including the sampling error of the thresholds.
#include "polychoric.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "parallel.h"
#include "tolerances.h"

namespace dm {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoPi = 6.28318530717958647693;
const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Half of an n-point Gauss-Legendre rule on [-1, 1] (the n/2 negative nodes and their
// weights), by Newton's method on the Legendre polynomial; computed once.
struct HalfRule {
  std::vector<double> x, w;
};

HalfRule gauss_legendre_half(int n) {
  HalfRule r;
  for (int i = 1; i <= n / 2; ++i) {
    double z = std::cos(kPi * (i - 0.25) / (n + 0.5));
    double dp = 0;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1, p1 = z;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2.0 * k - 1) * z * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (z * p1 - p0) / (z * z - 1);
      const double dz = p1 / dp;
      z -= dz;
      if (std::fabs(dz) < 1e-16) break;
    }
    r.x.push_back(-z);
    r.w.push_back(2 / ((1 - z * z) * dp * dp));
  }
  return r;
}

const HalfRule& rule(int which) {
  static const HalfRule rules[3] = {gauss_legendre_half(6), gauss_legendre_half(12),
                                    gauss_legendre_half(20)};
  return rules[which];
}

// Genz's BVND, P(X > h, Y > k) for finite h, k, split in two: what depends on r alone
// (the nodes' sines, or the abscissae of the |r| >= 0.925 series) is computed once per r,
// so that each corner of a table costs only exponentials. ph = Phi(-h) and pk = Phi(-k),
// pmk = Phi(k) are passed in (known per threshold).
class BvnAtRho {
 public:
  explicit BvnAtRho(double r) : r_(r) {
    const double ar = std::fabs(r);
    g_ = &rule(ar < 0.3 ? 0 : (ar < 0.75 ? 1 : 2));
    const std::size_t lg = g_->x.size();
    if (ar < 0.925) {
      const double asr = std::asin(r);
      scale_ = asr / (2 * kTwoPi);
      for (std::size_t i = 0; i < lg; ++i)
        for (double side : {1.0, -1.0}) {
          const double sn = std::sin(asr * (side * g_->x[i] + 1) / 2);
          sn_.push_back(sn);
          inv_.push_back(1 / (1 - sn * sn));
        }
    } else if (ar < 1) {
      as_ = (1 - r) * (1 + r);
      a_ = std::sqrt(as_);
      const double a2 = a_ / 2;
      for (std::size_t i = 0; i < lg; ++i) {
        double xs = a2 * (g_->x[i] + 1);
        xs *= xs;
        xs1_.push_back(xs);
        rs1_.push_back(std::sqrt(1 - xs));
        xs = as_ * (1 - g_->x[i]) * (1 - g_->x[i]) / 4;
        xs2_.push_back(xs);
        rs2_.push_back(std::sqrt(1 - xs));
      }
    }
  }

  double upper(double h, double k, double ph, double pk, double pmk) const {
    const double ar = std::fabs(r_);
    if (ar < 0.925) {
      const double hk = h * k, hs = (h * h + k * k) / 2;
      double bvn = 0;
      for (std::size_t i = 0; i < sn_.size(); ++i)
        bvn += g_->w[i / 2] * std::exp((sn_[i] * hk - hs) * inv_[i]);
      return bvn * scale_ + ph * pk;
    }
    double bvn = 0;
    if (r_ < 0) {  // P(X > h, Y > k; r) through P(X > h, -Y > -k; -r)
      k = -k;
      std::swap(pk, pmk);
    }
    if (ar < 1) {
      const double hk = h * k, bs = (h - k) * (h - k);
      const double c = (4 - hk) / 8, d = (12 - hk) / 16;
      bvn = a_ * std::exp(-(bs / as_ + hk) / 2) *
            (1 - c * (bs - as_) * (1 - d * bs / 5) / 3 + c * d * as_ * as_ / 5);
      if (hk > -160) {
        const double b = std::sqrt(bs);
        bvn -= std::exp(-hk / 2) * std::sqrt(kTwoPi) * norm_cdf(-b / a_) * b *
               (1 - c * bs * (1 - d * bs / 5) / 3);
      }
      const double a2 = a_ / 2;
      for (std::size_t i = 0; i < xs1_.size(); ++i) {
        double xs = xs1_[i], rs = rs1_[i];
        bvn += a2 * g_->w[i] *
               (std::exp(-bs / (2 * xs) - hk / (1 + rs)) / rs -
                std::exp(-(bs / xs + hk) / 2) * (1 + c * xs * (1 + d * xs)));
        xs = xs2_[i];
        rs = rs2_[i];
        bvn += a2 * g_->w[i] * std::exp(-(bs / xs + hk) / 2) *
               (std::exp(-hk * (1 - rs) / (2 * (1 + rs))) / rs - (1 + c * xs * (1 + d * xs)));
      }
      bvn = -bvn / kTwoPi;
    }
    if (r_ > 0) return bvn + std::min(ph, pk);  // Phi(-max(h, k))
    return -bvn + std::max(0.0, ph - pk);       // k negated: Phi(-h) - Phi(k)
  }

 private:
  double r_;
  const HalfRule* g_ = nullptr;
  double scale_ = 0, as_ = 0, a_ = 0;
  std::vector<double> sn_, inv_, xs1_, rs1_, xs2_, rs2_;
};

// P(X <= h, Y <= k) from the part of r computed once and Ph = Phi(h), Pk = Phi(k),
// Pmk = Phi(-k); infinite h, k allowed; clamped to the Frechet bounds (a tail value of
// about 1e-17 or less may round below 0).
double lower_at(const BvnAtRho& b, double h, double k, double Ph, double Pk, double Pmk) {
  if (h == -kInf || k == -kInf) return 0;
  if (h == kInf) return Pk;
  if (k == kInf) return Ph;
  const double lo = std::max(0.0, Ph + Pk - 1);
  // P(X <= h, Y <= k) = P(-X > -h, -Y > -k): upper(-h, -k) with Phi(-(-h)) = Phi(h)
  return std::min(std::max(b.upper(-h, -k, Ph, Pk, Pmk), lo), std::min(Ph, Pk));
}

// d F(t, s; r) / d t = phi(t) Phi((s - r t) / sqrt(1 - r^2)).
double bvn_dh(double t, double s, double r) {
  if (!std::isfinite(t) || s == -kInf) return 0;
  const double phi = std::exp(-t * t / 2) / std::sqrt(kTwoPi);
  if (s == kInf) return phi;
  return phi * norm_cdf((s - r * t) / std::sqrt(1 - r * r));
}

// The table of one pair and everything its likelihood needs at a given rho.
struct PairTable {
  int c1 = 0, c2 = 0;
  std::vector<double> t1, t2;  // thresholds with -Inf and +Inf at the ends
  std::vector<double> p1, p2, q2;  // Phi(t1), Phi(t2) and Phi(-t2) at them
  std::vector<double> freq;    // c1 x c2, column-major (a + c1 * b)
  double n = 0;
};

struct LogLik {
  double value = 0, score = 0, hessian = 0;
};

// Cell probabilities P (c1 x c2) and, when wanted, dP/drho and d2P/drho2, from the
// corners' distribution function F, density phi2 and d phi2 / d rho = phi2 ((rho + hk) /
// s - rho Q / s^2), s = 1 - rho^2, Q = h^2 - 2 rho h k + k^2.
void cell_probs(const PairTable& t, double rho, std::vector<double>& P, std::vector<double>* d1,
                std::vector<double>* d2) {
  const int n1 = t.c1 + 1, n2 = t.c2 + 1;
  const BvnAtRho bvn(rho);
  const double s = 1 - rho * rho, norm = 1 / (kTwoPi * std::sqrt(s));
  std::vector<double> G(n1 * n2), D(d1 ? n1 * n2 : 0), DD(d2 ? n1 * n2 : 0);
  for (int b = 0; b < n2; ++b)
    for (int a = 0; a < n1; ++a) {
      const double h = t.t1[a], k = t.t2[b];
      G[a + n1 * b] = lower_at(bvn, h, k, t.p1[a], t.p2[b], t.q2[b]);
      if (!d1 || !std::isfinite(h) || !std::isfinite(k)) continue;
      const double q = h * h - 2 * rho * h * k + k * k;
      const double dens = norm * std::exp(-q / (2 * s));
      D[a + n1 * b] = dens;
      if (d2) DD[a + n1 * b] = dens * ((rho + h * k) / s - rho * q / (s * s));
    }
  auto rect = [&](const std::vector<double>& M, int a, int b) {
    return M[(a + 1) + n1 * (b + 1)] - M[a + n1 * (b + 1)] - M[(a + 1) + n1 * b] + M[a + n1 * b];
  };
  P.assign(t.c1 * t.c2, 0);
  if (d1) d1->assign(t.c1 * t.c2, 0);
  if (d2) d2->assign(t.c1 * t.c2, 0);
  for (int b = 0; b < t.c2; ++b)
    for (int a = 0; a < t.c1; ++a) {
      P[a + t.c1 * b] = std::max(rect(G, a, b), std::numeric_limits<double>::min());
      if (d1) (*d1)[a + t.c1 * b] = rect(D, a, b);
      if (d2) (*d2)[a + t.c1 * b] = rect(DD, a, b);
    }
}

LogLik loglik(const PairTable& t, double rho) {
  std::vector<double> P, d1, d2;
  cell_probs(t, rho, P, &d1, &d2);
  LogLik out;
  for (std::size_t c = 0; c < P.size(); ++c) {
    const double f = t.freq[c];
    if (f == 0) continue;
    const double u = d1[c] / P[c];
    out.value += f * std::log(P[c]);
    out.score += f * u;
    out.hessian += f * (d2[c] / P[c] - u * u);
  }
  return out;
}

// lavaan's zero-cell rule and its closed forms for 2 x 2 tables. Returns true when the
// correlation is settled by the rule (then `fit` holds it).
bool zero_cell_rule(PairTable& t, const PolychoricOptions& opt, PairFit& fit) {
  std::vector<double>& f = t.freq;
  int empty = 0;
  for (double v : f) empty += (v == 0);
  fit.empty_cells = empty;
  if (t.c1 == 2 && t.c2 == 2) {
    if (empty == 2) {  // lavaan: +1 when the first cell is filled, else -1 (and warns)
      fit.rho = f[0] > 0 ? 1.0 : -1.0;
      fit.at_bound = true;
      fit.se = kNaN;
      return true;
    }
    if (empty == 1 && opt.zero_add_2x2 > 0) {
      const double z = opt.zero_add_2x2;
      if (opt.keep_margins) {
        const double s = (f[0] == 0 || f[3] == 0) ? 1.0 : -1.0;
        f[0] += s * z; f[3] += s * z; f[1] -= s * z; f[2] -= s * z;
      } else {
        for (double& v : f) if (v == 0) v = z;
      }
    }
    if (f[0] * f[3] == f[1] * f[2]) {
      fit.rho = 0;
      return true;
    }
    if (t.t1[1] == 0 && t.t2[1] == 0) {  // both medians split: Sheppard's formula
      double tot = 0;
      for (double v : f) tot += v;
      fit.rho = -std::cos(kTwoPi * f[0] / tot);
      return true;
    }
    return false;
  }
  if (empty > 0 && opt.zero_add > 0)
    for (double& v : f) if (v == 0) v = opt.zero_add;
  return false;
}

// The Pearson correlation of the category numbers in the table (the starting value, as
// lavaan's), 0 when undefined.
double table_pearson(const PairTable& t) {
  double n = 0, s1 = 0, s2 = 0, s11 = 0, s22 = 0, s12 = 0;
  for (int b = 0; b < t.c2; ++b)
    for (int a = 0; a < t.c1; ++a) {
      const double f = t.freq[a + t.c1 * b];
      n += f; s1 += f * a; s2 += f * b; s11 += f * a * a; s22 += f * b * b; s12 += f * a * b;
    }
  if (n < 2) return 0;
  const double v1 = s11 - s1 * s1 / n, v2 = s22 - s2 * s2 / n;
  const double r = (s12 - s1 * s2 / n) / std::sqrt(v1 * v2);
  return (std::isfinite(r) && std::fabs(r) < 1) ? r : 0.0;
}

// Maximises l(rho) on [-bound, bound] by safeguarded Newton inside a bracket [lo, hi]
// that holds the maximum (score(lo) > 0 > score(hi)), starting from the Pearson
// correlation. The bounds themselves are never evaluated: there, a cell that the data
// fill can have a probability below rounding, whose score is noise. A maximum beyond a
// bound shows as a bracket that shrinks onto it.
void maximise(const PairTable& t, double bound, PairFit& fit) {
  double lo = -bound, hi = bound;
  double rho = std::min(std::max(table_pearson(t), lo * 0.99), hi * 0.99);
  fit.converged = false;
  for (int it = 1; it <= 200; ++it) {
    const LogLik l = loglik(t, rho);
    fit.iterations = it;
    if (l.score == 0) { fit.converged = true; break; }
    if (l.score > 0) lo = rho; else hi = rho;
    double next = l.hessian < 0 ? rho - l.score / l.hessian : kNaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const double step = next - rho;
    rho = next;
    if (std::fabs(step) <= tol::kPolychoricStep || hi - lo <= tol::kPolychoricStep) {
      fit.converged = true;
      break;
    }
  }
  if (bound - std::fabs(rho) <= 10 * tol::kPolychoricStep) {
    rho = rho > 0 ? bound : -bound;
    fit.at_bound = true;
  }
  fit.rho = rho;
}

// The standard error of rho as lavaan computes it (muthen1984(), the NACOV behind
// lavCor(se = "standard")): the two-step sandwich B^-1 INNER B^-T, whose blocks are
// estimated by outer products of the per-row scores: A11 = sum s_tau s_tau' (each item's
// univariate threshold scores over its answered rows), A22 = sum u^2 (u = dlog P_ab /
// drho), A21 = sum u dlog P_ab / dtau (bivariate threshold scores); the row of B^-1 for
// rho is (-A22^-1 A21 A11^-1, A22^-1). All scores are constant within a cell, so the sums
// run over the table (`freq`, as observed, before any zero-cell correction) and over the
// rows that answered one item only (`miss1[b]`: item 1 missing, item 2 in b; `miss2[a]`).
// lavaan's variance carries the factor N / (N - 1), N the rows of the data (all of them
// under pairwise deletion, the complete ones under listwise): `n_rows`.
double two_step_se(const PairTable& t, const std::vector<double>& freq, double rho,
                   const std::vector<double>& miss1, const std::vector<double>& miss2,
                   double n_rows) {
  std::vector<double> P, d1;
  cell_probs(t, rho, P, &d1, nullptr);
  const int c1 = t.c1, c2 = t.c2;
  std::vector<double> u(P.size());
  double A22 = 0;
  for (std::size_t c = 0; c < P.size(); ++c) {
    u[c] = d1[c] / P[c];
    A22 += freq[c] * u[c] * u[c];
  }
  // univariate threshold scores s(a)_c = phi(tau_c) (1[a = c] - 1[a = c + 1]) / pi_a
  auto uni_scores = [](const std::vector<double>& th, int ncat) {
    Eigen::MatrixXd S = Eigen::MatrixXd::Zero(ncat, ncat - 1);
    for (int a = 0; a < ncat; ++a) {
      const double pi = norm_cdf(th[a + 1]) - norm_cdf(th[a]);
      for (int c = 0; c + 1 < ncat; ++c) {
        const double phi = std::exp(-th[c + 1] * th[c + 1] / 2) / std::sqrt(kTwoPi);
        if (a == c) S(a, c) = phi / pi;
        if (a == c + 1) S(a, c) = -phi / pi;
      }
    }
    return S;
  };
  const Eigen::MatrixXd S1 = uni_scores(t.t1, c1), S2 = uni_scores(t.t2, c2);
  Eigen::VectorXd n1 = Eigen::VectorXd::Zero(c1), n2 = Eigen::VectorXd::Zero(c2);
  for (int b = 0; b < c2; ++b)
    for (int a = 0; a < c1; ++a) {
      n1(a) += freq[a + c1 * b];
      n2(b) += freq[a + c1 * b];
    }
  for (int a = 0; a < c1; ++a) n1(a) += miss2[a];
  for (int b = 0; b < c2; ++b) n2(b) += miss1[b];
  const Eigen::MatrixXd A11_1 = S1.transpose() * n1.asDiagonal() * S1;
  const Eigen::MatrixXd A11_2 = S2.transpose() * n2.asDiagonal() * S2;
  // A21: sum over cells of freq u dlog P / dtau, dP_ab / dtau1_c = +-g(c, b) for a = c, c + 1
  Eigen::VectorXd A21_1 = Eigen::VectorXd::Zero(c1 - 1), A21_2 = Eigen::VectorXd::Zero(c2 - 1);
  for (int c = 0; c + 1 < c1; ++c)
    for (int b = 0; b < c2; ++b) {
      const double g = bvn_dh(t.t1[c + 1], t.t2[b + 1], rho) - bvn_dh(t.t1[c + 1], t.t2[b], rho);
      const int lo = c + c1 * b, hi = (c + 1) + c1 * b;
      A21_1(c) += freq[lo] * u[lo] * g / P[lo] - freq[hi] * u[hi] * g / P[hi];
    }
  for (int c = 0; c + 1 < c2; ++c)
    for (int a = 0; a < c1; ++a) {
      const double g = bvn_dh(t.t2[c + 1], t.t1[a + 1], rho) - bvn_dh(t.t2[c + 1], t.t1[a], rho);
      const int lo = a + c1 * c, hi = a + c1 * (c + 1);
      A21_2(c) += freq[lo] * u[lo] * g / P[lo] - freq[hi] * u[hi] * g / P[hi];
    }
  const Eigen::VectorXd b1 = -A11_1.ldlt().solve(A21_1) / A22;
  const Eigen::VectorXd b2 = -A11_2.ldlt().solve(A21_2) / A22;
  const Eigen::VectorXd e1 = S1 * b1, e2 = S2 * b2;  // threshold parts per category
  double v = 0;
  for (int b = 0; b < c2; ++b)
    for (int a = 0; a < c1; ++a) {
      const double z = e1(a) + e2(b) + u[a + c1 * b] / A22;
      v += freq[a + c1 * b] * z * z;
    }
  for (int b = 0; b < c2; ++b) v += miss1[b] * e2(b) * e2(b);
  for (int a = 0; a < c1; ++a) v += miss2[a] * e1(a) * e1(a);
  return n_rows > 1 ? std::sqrt(v * n_rows / (n_rows - 1)) : kNaN;
}

// Step 1 for one item: categories of the rows (keyed codes; -1 missing or not used),
// validated against the scale; the observed codes become categories 0..C-1.
void first_step(const ResponseSet& rs, std::size_t j, const std::vector<char>* use_row,
                OrdinalItem& item, CodeProblems& problems) {
  const Column& col = rs.columns[j];
  const ItemSpec& s = rs.items[j];
  const int span = s.scale_max - s.scale_min + 1;
  std::vector<double> count(span, 0);
  item.category.assign(rs.n_rows, -1);
  for (std::size_t i = 0; i < rs.n_rows; ++i) {
    double x;
    if (col.dbl) {
      x = col.dbl[i];
      if (std::isnan(x)) continue;
    } else {
      if (col.itg[i] == rs.int_na) continue;
      x = col.itg[i];
    }
    bool miss = false;
    for (double m : s.missing_codes) miss = miss || (x == m);
    if (miss) continue;
    if (!(x >= s.scale_min && x <= s.scale_max) || x != std::floor(x)) {
      problems.record(j, i, x);
      continue;
    }
    if (use_row && !(*use_row)[i]) continue;
    const int v = s.keyed < 0 ? s.scale_max - static_cast<int>(x - s.scale_min)
                              : static_cast<int>(x);
    item.category[i] = v - s.scale_min;
    count[v - s.scale_min] += 1;
  }
  std::vector<std::int32_t> map(span, -1);
  item.codes.clear();
  item.counts.clear();
  for (int v = 0; v < span; ++v)
    if (count[v] > 0) {
      map[v] = static_cast<std::int32_t>(item.codes.size());
      item.codes.push_back(static_cast<double>(s.scale_min + v));
      item.counts.push_back(count[v]);
    }
  for (std::int32_t& c : item.category)
    if (c >= 0) c = map[c];
  item.n = 0;
  for (double c : item.counts) item.n += c;
  item.thresholds.clear();
  double cum = 0;
  for (std::size_t c = 0; c + 1 < item.counts.size(); ++c) {
    cum += item.counts[c];
    // qnorm(cum / n) through the inverse of erfc would need Boost; use Newton on norm_cdf
    double z = 0;
    const double p = cum / item.n;
    for (int it = 0; it < 100; ++it) {
      const double dz = (norm_cdf(z) - p) / (std::exp(-z * z / 2) / std::sqrt(kTwoPi));
      z -= dz;
      if (std::fabs(dz) < 1e-15 * std::max(1.0, std::fabs(z))) break;
    }
    item.thresholds.push_back(z);
  }
}

// Step 2 for the pair (i, j).
PairFit fit_pair(const OrdinalItem& x, const OrdinalItem& y, std::size_t n_rows,
                 double rows_used, const PolychoricOptions& opt) {
  PairTable t;
  t.c1 = static_cast<int>(x.codes.size());
  t.c2 = static_cast<int>(y.codes.size());
  t.freq.assign(t.c1 * t.c2, 0);
  std::vector<double> miss1(t.c2, 0), miss2(t.c1, 0);
  const std::int32_t* cx = x.category.data();
  const std::int32_t* cy = y.category.data();
  for (std::size_t i = 0; i < n_rows; ++i) {
    const std::int32_t a = cx[i], b = cy[i];
    if (a >= 0 && b >= 0) t.freq[a + t.c1 * b] += 1;
    else if (a >= 0) miss2[a] += 1;
    else if (b >= 0) miss1[b] += 1;
  }
  for (double f : t.freq) t.n += f;
  PairFit fit;
  fit.n = t.n;
  fit.se = kNaN;
  if (t.n == 0 || t.c1 < 2 || t.c2 < 2) {
    fit.rho = kNaN;
    fit.converged = false;
    return fit;
  }
  t.t1.push_back(-kInf);
  t.t1.insert(t.t1.end(), x.thresholds.begin(), x.thresholds.end());
  t.t1.push_back(kInf);
  t.t2.push_back(-kInf);
  t.t2.insert(t.t2.end(), y.thresholds.begin(), y.thresholds.end());
  t.t2.push_back(kInf);
  for (double v : t.t1) t.p1.push_back(norm_cdf(v));
  for (double v : t.t2) { t.p2.push_back(norm_cdf(v)); t.q2.push_back(norm_cdf(-v)); }
  const std::vector<double> observed = t.freq;  // before the zero-cell rule
  if (!zero_cell_rule(t, opt, fit)) maximise(t, opt.bound, fit);
  if (opt.std_errors && !fit.at_bound && std::fabs(fit.rho) < 1)
    fit.se = two_step_se(t, observed, fit.rho, miss1, miss2, rows_used);
  return fit;
}

}  // namespace

double norm_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }


double bvn_lower(double h, double k, double r) {
  if (std::isnan(h) || std::isnan(k) || !(r >= -1 && r <= 1))
    throw std::invalid_argument("bvn_lower: h, k must not be NaN and r must lie in [-1, 1]");
  return lower_at(BvnAtRho(r), h, k, norm_cdf(h), norm_cdf(k), norm_cdf(-k));
}

namespace {

// Both steps, with `loop(n, f)` running f(0), ..., f(n - 1): dm::parallel_for() for
// polychoric(), a plain loop for polychoric_serial() (called from the threads of a
// bootstrap, which must not poll R). Each item and pair is computed alone, so the result
// does not depend on the loop.
template <typename Loop>
PolychoricResult polychoric_impl(const ResponseSet& rs, const PolychoricOptions& opt,
                                 CodeProblems& problems, Loop&& loop) {
  const std::size_t p = rs.items.size();
  if (rs.columns.size() != p) throw std::invalid_argument("polychoric core: columns and items differ");
  for (std::size_t j = 0; j < p; ++j) {
    const Column& c = rs.columns[j];
    if ((c.dbl == nullptr) == (c.itg == nullptr) && rs.n_rows > 0)
      throw std::invalid_argument("polychoric core: a column must be either double or integer");
    if (rs.items[j].scale_min >= rs.items[j].scale_max)
      throw std::invalid_argument("polychoric core: scale_min must be below scale_max");
  }
  if (!(opt.bound > 0 && opt.bound < 1))
    throw std::invalid_argument("polychoric core: bound must lie in (0, 1)");
  PolychoricResult res;
  res.items.resize(p);
  std::vector<char> complete;
  if (opt.listwise) {
    // rows are complete when every item is answered with a valid code
    for (std::size_t j = 0; j < p; ++j) first_step(rs, j, nullptr, res.items[j], problems);
    if (problems.any()) return res;
    complete.assign(rs.n_rows, 1);
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t i = 0; i < rs.n_rows; ++i)
        if (res.items[j].category[i] < 0) complete[i] = 0;
    CodeProblems ignore(p);
    loop(static_cast<std::ptrdiff_t>(p), [&](std::ptrdiff_t j) {
      first_step(rs, j, &complete, res.items[j], ignore);
    });
  } else {
    loop(static_cast<std::ptrdiff_t>(p), [&](std::ptrdiff_t j) {
      first_step(rs, j, nullptr, res.items[j], problems);
    });
  }
  if (problems.any()) return res;
  res.rows_used = rs.n_rows;
  if (opt.listwise) res.rows_used = static_cast<std::size_t>(std::count(complete.begin(), complete.end(), 1));
  std::vector<std::pair<int, int>> pairs;
  for (std::size_t j = 1; j < p; ++j)
    for (std::size_t i = 0; i < j; ++i) pairs.emplace_back(static_cast<int>(i), static_cast<int>(j));
  res.pairs.resize(pairs.size());
  loop(static_cast<std::ptrdiff_t>(pairs.size()), [&](std::ptrdiff_t k) {
    res.pairs[k] = fit_pair(res.items[pairs[k].first], res.items[pairs[k].second], rs.n_rows,
                           static_cast<double>(res.rows_used), opt);
  });
  return res;
}

}  // namespace

PolychoricResult polychoric(const ResponseSet& rs, const PolychoricOptions& opt, int threads,
                            CodeProblems& problems) {
  return polychoric_impl(rs, opt, problems, [threads](std::ptrdiff_t n, auto&& f) {
    parallel_for(n, threads, f);
  });
}

PolychoricResult polychoric_serial(const ResponseSet& rs, const PolychoricOptions& opt,
                                   CodeProblems& problems) {
  return polychoric_impl(rs, opt, problems, [](std::ptrdiff_t n, auto&& f) {
    for (std::ptrdiff_t i = 0; i < n; ++i) f(i);
  });
}

}  // namespace dm
