// Wild (cluster) bootstrap "fast and wild": an O(n k) set-up reduces the data to
// cluster-level scores, after which each draw costs O(G k) per coefficient.
#include "wild.h"

#include "progress.h"
#include "streams.h"

#include <Eigen/Cholesky>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace dm {

namespace {

// The weights of the draws of one block, draw after draw, from the block's own stream
// (seeded from the R seed and the block number) or, under full enumeration, the sign
// vectors numbered start, start + 1, ...: the same numbers however they are consumed.
class WeightStream {
 public:
  // chunk >= 0: the stream of one chunk of clusters of the block (its own seed)
  WeightStream(WildWeights type, bool enumerate, std::uint64_t seed, std::ptrdiff_t block,
               std::ptrdiff_t start, std::ptrdiff_t chunk = -1)
      : type_(type), enumerate_(enumerate), next_(static_cast<std::uint64_t>(start)),
        eng_(splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(block) + 1) ^
                        (chunk < 0 ? 0 : splitmix64(~static_cast<std::uint64_t>(chunk))))) {}

  // The G weights of the next draw.
  void next(double* v, int G) {
    if (enumerate_) {
      const std::uint64_t b = next_++;
      for (int g = 0; g < G; ++g) v[g] = ((b >> g) & 1U) ? -1.0 : 1.0;
      return;
    }
    switch (type_) {
      case WildWeights::Rademacher: {
        std::uint64_t bits = 0;
        for (int g = 0; g < G; ++g) {
          if (g % 64 == 0) bits = eng_();
          v[g] = (bits & 1U) ? -1.0 : 1.0;
          bits >>= 1;
        }
        break;
      }
      case WildWeights::Webb: {
        const double pts[6] = {-std::sqrt(1.5), -1.0, -std::sqrt(0.5), std::sqrt(0.5), 1.0,
                               std::sqrt(1.5)};
        for (int g = 0; g < G; ++g) v[g] = pts[pick_(eng_)];
        break;
      }
      case WildWeights::Mammen: {
        const double s5 = std::sqrt(5.0);
        const double lo = -(s5 - 1) / 2, hi = (s5 + 1) / 2, p_lo = (s5 + 1) / (2 * s5);
        for (int g = 0; g < G; ++g) v[g] = unif_(eng_) < p_lo ? lo : hi;
        break;
      }
      case WildWeights::Normal:
        for (int g = 0; g < G; ++g) v[g] = norm_(eng_);
        break;
    }
  }

  // Rademacher weights only: the next draw as sign bits, bit g % 64 of word g / 64 set
  // where v_g = -1 (the bits next() turns into +-1); (G + 63) / 64 words, `stride` apart.
  void next_bits(std::uint64_t* words, int G, std::ptrdiff_t stride) {
    const int nw = (G + 63) / 64;
    if (enumerate_) {  // G < 31
      words[0] = next_++;
      for (int w = 1; w < nw; ++w) words[w * stride] = 0;
      return;
    }
    for (int w = 0; w < nw; ++w) words[w * stride] = eng_();
  }

 private:
  WildWeights type_;
  bool enumerate_;
  std::uint64_t next_;
  boost::random::mt19937_64 eng_;
  boost::random::uniform_int_distribution<int> pick_{0, 5};
  boost::random::uniform_01<double> unif_;
  boost::random::normal_distribution<double> norm_;
};

// Fills V (G x len) with the weights of draws [start, start + len) of block `block`.
void fill_weights(MatrixXd& V, std::ptrdiff_t start, std::ptrdiff_t len, WildWeights type,
                  bool enumerate, std::uint64_t seed, std::ptrdiff_t block) {
  WeightStream ws(type, enumerate, seed, block, start);
  for (std::ptrdiff_t d = 0; d < len; ++d) ws.next(V.col(d).data(), static_cast<int>(V.rows()));
}

// The whitened design Z = W^1/2 X R^-1 and residuals W^1/2 e, in the fixed row blocks,
// and R^-1 (with its low-order part): the set-up of both bootstraps.
void whitened_rows(const Design& d, const double* resid, const Whitening& wh, int threads,
                   MatrixXd& Z, VectorXd& u, MatrixXd& Rinv) {
  Z.resize(d.n, d.k());
  u.resize(d.n);
  for_each_block(d, threads, [&](std::ptrdiff_t, std::ptrdiff_t start, std::ptrdiff_t len,
                                 MatrixXd& Xb) {
    MatrixXd Zb;
    wh.apply(Xb, d.weights ? d.weights + start : nullptr, Zb);
    Z.middleRows(start, len) = Zb;
    for (std::ptrdiff_t i = 0; i < len; ++i)
      u[start + i] = resid[start + i] * std::sqrt(weight(d, start + i));
  });
  Rinv = wh.rinv;
  if (wh.rinv_lo.size()) Rinv += wh.rinv_lo;
}

}  // namespace

namespace {

// The checks both bootstraps make; returns the number of clusters (rows without a cluster).
int check_wild_inputs(const Design& d, const Whitening& wh, const Clusters* cl,
                      const std::vector<int>& coefs, const VectorXd& beta, int B) {
  const int k = d.k();
  if (B < 1) throw std::invalid_argument("wild bootstrap: B must be at least 1");
  if (wh.k() != k || beta.size() != k)
    throw std::invalid_argument("wild bootstrap: design, whitening and coefficients differ in size");
  for (int j : coefs)
    if (j < 0 || j >= k) throw std::invalid_argument("wild bootstrap: coefficient out of range");
  const int G = cl ? cl->G : static_cast<int>(d.n);
  if (G < 2) throw std::invalid_argument("wild bootstrap: needs at least 2 clusters");
  return G;
}

}  // namespace

namespace {

// The whitened rows and the cluster-level scores of the tested coefficients: with
// a = Z rho_j (the row weights of beta_j, A = [a_1 .. a_m]), Su_g = Z_g' u_g (k x G),
// cu_g = a_g' u_g and caa_g = a_g' a_g (G x m).
struct WildScores {
  MatrixXd Z, A, Su, cu, caa;
  VectorXd u;
};

// Cluster g's entries [begin, end) of cl->rows (every row its own cluster without cl).
void cluster_range(const Clusters* cl, int g, int& begin, int& end) {
  begin = cl ? cl->start[g] : g;
  end = cl ? cl->start[g + 1] : g + 1;
}
int cluster_row(const Clusters* cl, int r) { return cl ? cl->rows[r] : r; }

// L (G x k) of the c-th tested coefficient: rows L_g = Z_g' a_g.
MatrixXd cluster_L(const WildScores& s, const Clusters* cl, int G, int c) {
  MatrixXd L = MatrixXd::Zero(G, s.Z.cols());
  for (int g = 0; g < G; ++g) {
    int b0, b1;
    cluster_range(cl, g, b0, b1);
    for (int r = b0; r < b1; ++r) {
      const int i = cluster_row(cl, r);
      L.row(g) += s.A(i, c) * s.Z.row(i);
    }
  }
  return L;
}

// A draw whose restricted residuals do not depend on beta0 (Fa = 0, as for a constant v)
// has qaa = qua = 0 exactly; their rounding (relative to sum caa^2: ~1e-32 computed
// directly, ~1e-16 from the expanded sums) would otherwise end the confidence set at
// some |beta0| ~ 1e14.
void clean_degenerate(WildDraws& out, int c, std::ptrdiff_t start, std::ptrdiff_t len,
                      double tiny) {
  for (std::ptrdiff_t i = start; i < start + len; ++i)
    if (out.qaa(i, c) <= tiny) out.qaa(i, c) = out.qua(i, c) = 0;
}

// Few clusters: the bootstrap cluster scores F (G x draws) are formed for blocks of 256
// draws, O(G k) per draw and coefficient, G x 256 doubles per thread.
void direct_draws(const WildScores& s, const Clusters* cl, int G, WildWeights weights,
                  std::uint64_t seed, int threads, WildDraws& out) {
  const int k = static_cast<int>(s.Z.cols()), m = static_cast<int>(s.cu.cols());
  std::vector<MatrixXd> L(m);
  for (int c = 0; c < m; ++c) L[c] = cluster_L(s, cl, G, c);
  const std::ptrdiff_t nb = (out.B + kWildBlock - 1) / kWildBlock;
  parallel_for(nb, threads, [&](std::ptrdiff_t b) {
    const std::ptrdiff_t start = b * kWildBlock;
    const std::ptrdiff_t len = std::min<std::ptrdiff_t>(kWildBlock, out.B - start);
    MatrixXd V(G, len);
    fill_weights(V, start, len, weights, out.enumerated, seed, b);
    const MatrixXd SuV = s.Su * V;  // k x len: Z'(u . v), shared by the coefficients
    MatrixXd F(G, len), Fa(G, len), LtV(k, len);
    for (int c = 0; c < m; ++c) {
      // bootstrap cluster scores of beta_j: c_g v_g - L_g' Z'(u . v)
      F.noalias() = s.cu.col(c).asDiagonal() * V;
      F.noalias() -= L[c] * SuV;
      out.nu.col(c).segment(start, len).noalias() = V.transpose() * s.cu.col(c);
      out.quu.col(c).segment(start, len) = F.colwise().squaredNorm().transpose();
      if (!out.restricted) continue;
      // the part of the restricted residuals proportional to beta_j - beta0
      LtV.noalias() = L[c].transpose() * V;
      Fa.noalias() = s.caa.col(c).asDiagonal() * V;
      Fa.noalias() -= L[c] * LtV;
      out.na.col(c).segment(start, len).noalias() = V.transpose() * s.caa.col(c);
      out.qua.col(c).segment(start, len) = F.cwiseProduct(Fa).colwise().sum().transpose();
      out.qaa.col(c).segment(start, len) = Fa.colwise().squaredNorm().transpose();
      clean_degenerate(out, c, start, len, 1e-20 * s.caa.col(c).squaredNorm());
    }
    progress_add(static_cast<long long>(len) * m);
  });
}

// The linear functionals W'v of the draws [start, start + len) of block b into Y
// (ncol(W) x len) and, for weights with |v| != 1, those of v^2 by W2 into Y2. Rademacher
// weights: sums of table rows, one table of the 16 sign patterns of each 4 clusters
// (W'v = W'1 - 2 sum over the clusters with v_g = -1): G / 4 additions of a row per draw.
// Other weights: products with chunks of 1024 clusters x the block's draws, the weights of
// each chunk from a stream of its own (so that no G x 256 matrix of weights is kept; the
// draws thus differ from those of direct_draws() for the same seed).
void draw_functionals(const MatrixXd& W, const MatrixXd& W2, WildWeights weights,
                      bool enumerated, std::uint64_t seed, std::ptrdiff_t b,
                      std::ptrdiff_t start, std::ptrdiff_t len, MatrixXd& Y, MatrixXd& Y2) {
  const int G = static_cast<int>(W.rows()), nc = static_cast<int>(W.cols());
  Y.resize(nc, len);
  if (weights == WildWeights::Rademacher) {
    WeightStream ws(weights, enumerated, seed, b, start);
    const int nw = (G + 63) / 64;
    // word w of draw d at words[w * len + d]: the draws of one group are adjacent
    std::vector<std::uint64_t> words(static_cast<std::size_t>(len) * nw);
    for (std::ptrdiff_t d = 0; d < len; ++d) ws.next_bits(&words[d], G, len);
    MatrixXd acc = MatrixXd::Zero(nc, len), T(nc, 16);
    for (int g0 = 0; g0 < G; g0 += 4) {
      const int cnt = std::min(4, G - g0);
      T.col(0).setZero();
      for (int mask = 1; mask < (1 << cnt); ++mask) {
        const int low = mask & -mask, j = low == 1 ? 0 : low == 2 ? 1 : low == 4 ? 2 : 3;
        T.col(mask) = T.col(mask ^ low) + W.row(g0 + j).transpose();
      }
      const std::uint64_t keep = (1U << cnt) - 1;
      const std::uint64_t* wd = &words[static_cast<std::size_t>(g0 / 64) * len];
      for (std::ptrdiff_t d = 0; d < len; ++d)
        acc.col(d) += T.col(static_cast<int>((wd[d] >> (g0 % 64)) & keep));
    }
    const VectorXd total = W.colwise().sum().transpose();
    Y = (-2 * acc).colwise() + total;
    return;
  }
  constexpr int kChunk = 1024;
  Y.setZero();
  Y2.setZero(W2.cols(), len);
  MatrixXd V(kChunk, len);
  for (int g0 = 0, chunk = 0; g0 < G; g0 += kChunk, ++chunk) {
    const int rows = std::min(kChunk, G - g0);
    WeightStream wc(weights, false, seed, b, start, chunk);
    for (std::ptrdiff_t d = 0; d < len; ++d) wc.next(V.col(d).data(), rows);
    Y.noalias() += W.middleRows(g0, rows).transpose() * V.topRows(rows);
    Y2.noalias() += W2.middleRows(g0, rows).transpose() * V.topRows(rows).cwiseAbs2();
  }
}

// The five numbers of the draws [start, start + len) for coefficient c from its
// functionals (rows o.. of Y: cu'v, caa'v, r = L'v, t = L' diag(cu) v, w = L' diag(caa) v;
// rows o2.. of Y2 or sq: the v^2 sums), Q = L'L and s (columns of S).
void expanded_quadratics(const MatrixXd& Y, const MatrixXd& Y2, const VectorXd& sq,
                         const MatrixXd& Q, const MatrixXd& S, int o, int o2, int c,
                         std::ptrdiff_t start, std::ptrdiff_t len, bool unit, WildDraws& out) {
  const int k = static_cast<int>(Q.rows());
  VectorXd Qs(k), Qr(k);
  for (std::ptrdiff_t d = 0; d < len; ++d) {
    const auto y = Y.col(d);
    const auto sv = S.col(start + d);
    const auto r = y.segment(o + 2, k), t = y.segment(o + 2 + k, k), w = y.segment(o + 2 + 2 * k, k);
    const double q_uu = unit ? sq[o2] : Y2(o2, d), q_ua = unit ? sq[o2 + 1] : Y2(o2 + 1, d),
                 q_aa = unit ? sq[o2 + 2] : Y2(o2 + 2, d);
    Qs.noalias() = Q * sv;
    out.nu(start + d, c) = y[o];
    out.quu(start + d, c) = std::max(0.0, q_uu - 2 * sv.dot(t) + sv.dot(Qs));
    if (!out.restricted) continue;
    Qr.noalias() = Q * r;
    out.na(start + d, c) = y[o + 1];
    out.qua(start + d, c) = q_ua - sv.dot(w) - r.dot(t) + sv.dot(Qr);
    out.qaa(start + d, c) = std::max(0.0, q_aa - 2 * r.dot(w) + r.dot(Qr));
  }
}

// Many clusters (the heteroskedastic case: one per row): the quadratic forms of the
// bootstrap scores F = diag(cu) v - L Z'(u . v) and Fa = diag(caa) v - L L'v expanded
// into linear functionals of v (and of v^2) and k x k forms, e.g.
//   quu = sum cu_g^2 v_g^2 - 2 s'(L' diag(cu) v) + s'(L'L)s,  s = Z'(u . v),
// so that a draw costs O(G k) additions per coefficient and memory is O(G k + B k): no
// G x draws matrix. The columns of W (G x ...) are [s: Z_g'u_g | per coefficient: cu, caa,
// L, diag(cu) L, diag(caa) L]; as many coefficients per pass as fit in 24 MB (the first
// pass also keeps s of every draw, k x B).
void expanded_draws(const WildScores& s, const Clusters* cl, int G, WildWeights weights,
                    std::uint64_t seed, int threads, WildDraws& out) {
  const int k = static_cast<int>(s.Z.cols()), m = static_cast<int>(s.cu.cols());
  const int per = 2 + 3 * k;
  const int fit = std::max<int>(1, static_cast<int>(3e6 / (static_cast<double>(G) * per)));
  const std::ptrdiff_t nb = (out.B + kWildBlock - 1) / kWildBlock;
  MatrixXd S(k, out.B);  // s of every draw
  for (int c0 = 0; c0 < m; c0 += fit) {
    const int mc = std::min(fit, m - c0), off = c0 == 0 ? k : 0;
    MatrixXd W(G, off + mc * per), W2(G, 3 * mc);
    std::vector<MatrixXd> Q(mc);
    if (off) W.leftCols(k) = s.Su.transpose();
    for (int i = 0; i < mc; ++i) {
      const int c = c0 + i, o = off + i * per;
      const MatrixXd L = cluster_L(s, cl, G, c);
      Q[i] = L.transpose() * L;
      W.col(o) = s.cu.col(c);
      W.col(o + 1) = s.caa.col(c);
      W.middleCols(o + 2, k) = L;
      W.middleCols(o + 2 + k, k) = s.cu.col(c).asDiagonal() * L;
      W.middleCols(o + 2 + 2 * k, k) = s.caa.col(c).asDiagonal() * L;
      W2.col(3 * i) = s.cu.col(c).cwiseAbs2();
      W2.col(3 * i + 1) = s.cu.col(c).cwiseProduct(s.caa.col(c));
      W2.col(3 * i + 2) = s.caa.col(c).cwiseAbs2();
    }
    const VectorXd sq = W2.colwise().sum().transpose();  // the v^2 sums when v^2 = 1
    parallel_for(nb, threads, [&](std::ptrdiff_t b) {
      const std::ptrdiff_t start = b * kWildBlock;
      const std::ptrdiff_t len = std::min<std::ptrdiff_t>(kWildBlock, out.B - start);
      MatrixXd Y, Y2;
      draw_functionals(W, W2, weights, out.enumerated, seed, b, start, len, Y, Y2);
      if (off) S.middleCols(start, len) = Y.topRows(k);
      for (int i = 0; i < mc; ++i)
        expanded_quadratics(Y, Y2, sq, Q[i], S, off + i * per, 3 * i, c0 + i, start, len,
                            weights == WildWeights::Rademacher, out);
      if (out.restricted)
        for (int i = 0; i < mc; ++i)
          clean_degenerate(out, c0 + i, start, len, 1e-12 * s.caa.col(c0 + i).squaredNorm());
      progress_add(static_cast<long long>(len) * mc);
    });
  }
}

}  // namespace

WildDraws wild_draws(const Design& d, const double* resid, const Whitening& wh,
                     const Clusters* cl, const std::vector<int>& coefs,
                     const VectorXd& beta, int B, WildWeights weights, bool restricted,
                     std::uint64_t seed, int threads, int direct_max) {
  const int k = d.k();
  const std::ptrdiff_t n = d.n;
  const int m = static_cast<int>(coefs.size());
  const int G = check_wild_inputs(d, wh, cl, coefs, beta, B);

  WildScores s;
  MatrixXd Rinv;
  whitened_rows(d, resid, wh, threads, s.Z, s.u, Rinv);
  // rho_j = R^-T e_j: beta_j = rho_j' Z' y~ and a = Z rho_j are the row weights of beta_j.
  MatrixXd P(k, m);
  for (int c = 0; c < m; ++c) P.col(c) = Rinv.row(coefs[c]).transpose();
  s.A = s.Z * P;  // n x m
  s.Su = MatrixXd::Zero(k, G);
  s.cu = MatrixXd::Zero(G, m);
  s.caa = MatrixXd::Zero(G, m);
  for (int g = 0; g < G; ++g) {
    int b0, b1;
    cluster_range(cl, g, b0, b1);
    for (int r = b0; r < b1; ++r) {
      const int i = cluster_row(cl, r);
      s.Su.col(g) += s.Z.row(i).transpose() * s.u[i];
      for (int c = 0; c < m; ++c) {
        s.cu(g, c) += s.A(i, c) * s.u[i];
        s.caa(g, c) += s.A(i, c) * s.A(i, c);
      }
    }
  }

  WildDraws out;
  out.restricted = restricted;
  out.kappa = cl ? G / (G - 1.0) : static_cast<double>(n) / static_cast<double>(n - k);
  out.estimate.resize(m);
  out.se.resize(m);
  out.scale.resize(m);
  for (int c = 0; c < m; ++c) {
    out.estimate[c] = beta[coefs[c]];
    out.se[c] = std::sqrt(out.kappa * s.cu.col(c).squaredNorm());
    out.scale[c] = 1.0 / P.col(c).squaredNorm();
  }
  out.enumerated = weights == WildWeights::Rademacher && G < 31 && (1LL << G) <= B;
  out.B = out.enumerated ? static_cast<int>(1LL << G) : B;
  out.nu.resize(out.B, m);
  out.quu.resize(out.B, m);
  if (restricted) {
    out.na.resize(out.B, m);
    out.qua.resize(out.B, m);
    out.qaa.resize(out.B, m);
  }
  progress_expect(static_cast<long long>(out.B) * m);  // units: draws x coefficients
  if (G <= direct_max) {
    direct_draws(s, cl, G, weights, seed, threads, out);
  } else {
    expanded_draws(s, cl, G, weights, seed, threads, out);
  }
  return out;
}

double wild_pvalue(const WildDraws& w, int j, double beta0) {
  const double t0 = wild_t(w, j, beta0);
  if (!std::isfinite(t0)) return std::numeric_limits<double>::quiet_NaN();
  const double crit = t0 * t0 * (1 - 1e-10) * w.kappa;  // t*^2 >= t^2, without roots
  const double* nu = w.nu.col(j).data();
  const double* quu = w.quu.col(j).data();
  long count = 0;
  if (w.restricted) {
    const double dd = w.scale[j] * (w.estimate[j] - beta0);
    const double* na = w.na.col(j).data();
    const double* qua = w.qua.col(j).data();
    const double* qaa = w.qaa.col(j).data();
    for (int b = 0; b < w.B; ++b) {
      const double num = nu[b] + dd * na[b];
      const double den2 = quu[b] + 2 * dd * qua[b] + dd * dd * qaa[b];
      count += num * num >= crit * den2;
    }
  } else {
    for (int b = 0; b < w.B; ++b) count += nu[b] * nu[b] >= crit * quu[b];
  }
  return static_cast<double>(count) / w.B;
}

double wild_pvalue_limit(const WildDraws& w, int j) {
  const double* nu = w.nu.col(j).data();
  const double* quu = w.quu.col(j).data();
  long count = 0;
  if (w.restricted) {
    // t*^2 / t^2 -> na^2 (s_j se)^2 / (kappa qaa): only draws with qaa = 0 (cleaned of
    // rounding in wild_draws) keep up with t, and then t*^2 / t^2 -> na^2 (s_j se)^2 /
    // (kappa quu)
    const double c = std::pow(w.scale[j] * w.se[j], 2) / w.kappa;
    const double* na = w.na.col(j).data();
    const double* qaa = w.qaa.col(j).data();
    for (int b = 0; b < w.B; ++b)
      count += qaa[b] == 0 && na[b] != 0 && na[b] * na[b] * c >= (1 - 1e-10) * quu[b];
  } else {
    for (int b = 0; b < w.B; ++b) count += quu[b] == 0 && nu[b] != 0;
  }
  return static_cast<double>(count) / w.B;
}

namespace {

// Offsets from the estimate, in standard errors, at which the confidence set is scanned.
const std::vector<double>& scan_offsets() {
  static const std::vector<double> y = [] {
    std::vector<double> v;
    for (int i = 1; i <= 50; ++i) v.push_back(0.1 * i);
    while (v.back() < 1e4) v.push_back(v.back() * 1.1);
    return v;
  }();
  return y;
}

}  // namespace

WildConfSet wild_confset(const WildDraws& w, int j, double conf_level, double keep) {
  const double alpha = 1 - conf_level, est = w.estimate[j], se = w.se[j];
  const double inf = std::numeric_limits<double>::infinity();
  WildConfSet out;
  out.p_min = wild_pvalue_limit(w, j);
  if (!(se > 0) || !std::isfinite(se) || !std::isfinite(est)) {
    out.low.assign(1, std::numeric_limits<double>::quiet_NaN());
    out.high = out.low;
    return out;
  }
  auto in = [&](double b0) { return wild_pvalue(w, j, b0) > alpha; };
  const bool in_limit = out.p_min > alpha;
  std::vector<std::pair<double, bool>> pts{{est, true}};
  for (int side = -1; side <= 1; side += 2) {
    for (double y : scan_offsets()) pts.emplace_back(est + side * y * se, in(est + side * y * se));
    double y = scan_offsets().back();
    for (int grow = 0; pts.back().second != in_limit && grow < 60; ++grow) {
      y *= 2;
      pts.emplace_back(est + side * y * se, in(est + side * y * se));
    }
  }
  if (std::isfinite(keep)) pts.emplace_back(keep, in(keep));
  std::sort(pts.begin(), pts.end());
  // a change of status between neighbours: bisected to 1e-7 s.e. (or to the last bit)
  auto boundary = [&](double lo, double hi, bool in_lo) {
    for (int it = 0; it < 200 && hi - lo > 1e-7 * se; ++it) {
      const double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) break;
      (in(mid) == in_lo ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  };
  if (pts.front().second) out.low.push_back(-inf);
  for (std::size_t i = 1; i < pts.size(); ++i) {
    const bool a = pts[i - 1].second, b = pts[i].second;
    if (a == b) continue;
    const double x = boundary(pts[i - 1].first, pts[i].first, a);
    (b ? out.low : out.high).push_back(x);
  }
  if (pts.back().second) out.high.push_back(inf);
  return out;
}

namespace {

// W = num' (kappa Vm)^-1 num / q; false when kappa Vm is not positive definite.
bool wald_stat(const VectorXd& num, const MatrixXd& Vm, double kappa, double& W) {
  Eigen::LLT<MatrixXd> llt(kappa * Vm);
  if (llt.info() != Eigen::Success) return false;
  W = num.dot(llt.solve(num)) / static_cast<double>(num.size());
  return std::isfinite(W);
}

// The joint test with many clusters, as expanded_draws(): with s = S v and the bootstrap
// scores sc_gc = C_gc v_g - L_c,g' s, their cross-products are
//   sum_g sc_gc sc_ge = sum_g C_gc C_ge v_g^2 - s'P_ce - s'P_ec + s'(L_c'L_e)s,
// P_ce = sum_g L_e,g C_gc v_g, all linear functionals of v. The number of draws with
// W* >= crit (or a singular bootstrap variance).
long joint_hits_expanded(const MatrixXd& S, const MatrixXd& C, const std::vector<MatrixXd>& L,
                         double kappa, double crit, WildWeights weights, bool enumerated,
                         std::uint64_t seed, int B, int threads) {
  const int k = static_cast<int>(S.rows()), G = static_cast<int>(S.cols());
  const int q = static_cast<int>(C.cols());
  MatrixXd W(G, k + q + q * q * k), W2(G, q * q);
  W.leftCols(k) = S.transpose();
  W.middleCols(k, q) = C;
  std::vector<MatrixXd> Q(q * q);
  for (int c = 0; c < q; ++c)
    for (int e = 0; e < q; ++e) {
      W.middleCols(k + q + (c * q + e) * k, k) = C.col(c).asDiagonal() * L[e];
      W2.col(c * q + e) = C.col(c).cwiseProduct(C.col(e));
      Q[c * q + e] = L[c].transpose() * L[e];
    }
  const VectorXd sq = W2.colwise().sum().transpose();  // the v^2 sums when v^2 = 1
  const std::ptrdiff_t nb = (B + kWildBlock - 1) / kWildBlock;
  std::vector<long> hits(nb, 0);
  parallel_for(nb, threads, [&](std::ptrdiff_t b) {
    const std::ptrdiff_t start = b * kWildBlock;
    const std::ptrdiff_t len = std::min<std::ptrdiff_t>(kWildBlock, B - start);
    MatrixXd Y, Y2;
    draw_functionals(W, W2, weights, enumerated, seed, b, start, len, Y, Y2);
    MatrixXd Vm(q, q);
    for (std::ptrdiff_t d = 0; d < len; ++d) {
      const VectorXd sv = Y.col(d).head(k);
      auto P = [&](int c, int e) { return Y.col(d).segment(k + q + (c * q + e) * k, k); };
      for (int c = 0; c < q; ++c)
        for (int e = 0; e <= c; ++e) {
          const double v2 = weights == WildWeights::Rademacher ? sq[c * q + e] : Y2(c * q + e, d);
          Vm(c, e) = Vm(e, c) =
              v2 - sv.dot(P(c, e)) - sv.dot(P(e, c)) + sv.dot(Q[c * q + e] * sv);
        }
      double Wd;
      if (!wald_stat(Y.col(d).segment(k, q), Vm, kappa, Wd) || Wd >= crit) ++hits[b];
    }
    progress_add(len);
  });
  long total = 0;
  for (long h : hits) total += h;
  return total;
}

}  // namespace

WildJoint wild_joint(const Design& d, const double* resid, const Whitening& wh,
                     const Clusters* cl, const std::vector<int>& coefs,
                     const VectorXd& beta, int B, WildWeights weights, bool restricted,
                     std::uint64_t seed, int threads, int direct_max) {
  const int k = d.k();
  const std::ptrdiff_t n = d.n;
  const int q = static_cast<int>(coefs.size());
  if (q < 1) throw std::invalid_argument("wild bootstrap: no coefficient to test");
  const int G = check_wild_inputs(d, wh, cl, coefs, beta, B);

  MatrixXd Z, Rinv;
  VectorXd u;
  whitened_rows(d, resid, wh, threads, Z, u, Rinv);
  MatrixXd P(k, q);
  VectorXd bJ(q);
  for (int c = 0; c < q; ++c) {
    P.col(c) = Rinv.row(coefs[c]).transpose();
    bJ[c] = beta[coefs[c]];
  }
  const MatrixXd A = Z * P;  // n x q: b_J = A' y~
  // the residuals of the bootstrap DGP: restricted (b_J = 0 imposed) or the fit's
  VectorXd ur = u;
  if (restricted) ur += Z * (P * (P.transpose() * P).ldlt().solve(bJ));
  const double kappa = cl ? G / (G - 1.0) : static_cast<double>(n) / static_cast<double>(n - k);

  // per cluster: C0_g = A_g'u_g (observed scores), C_g = A_g'ur_g, S_g = Z_g'ur_g and
  // L_r (G x k) with rows Z_g'A_g[, r]
  MatrixXd C0 = MatrixXd::Zero(G, q), C = MatrixXd::Zero(G, q), S = MatrixXd::Zero(k, G);
  std::vector<MatrixXd> L(q, MatrixXd::Zero(G, k));
  for (int g = 0; g < G; ++g) {
    const int b0 = cl ? cl->start[g] : g, b1 = cl ? cl->start[g + 1] : g + 1;
    for (int r = b0; r < b1; ++r) {
      const int i = cl ? cl->rows[r] : r;
      S.col(g) += Z.row(i).transpose() * ur[i];
      for (int c = 0; c < q; ++c) {
        C0(g, c) += A(i, c) * u[i];
        C(g, c) += A(i, c) * ur[i];
        L[c].row(g) += A(i, c) * Z.row(i);
      }
    }
  }
  WildJoint out;
  if (!wald_stat(bJ, C0.transpose() * C0, kappa, out.statistic))
    throw std::invalid_argument("wild bootstrap: the variance of the tested coefficients is singular");

  out.enumerated = weights == WildWeights::Rademacher && G < 31 && (1LL << G) <= B;
  out.B = out.enumerated ? static_cast<int>(1LL << G) : B;
  const double crit = out.statistic * (1 - 1e-10);
  progress_expect(out.B);
  if (G > direct_max) {
    out.p_value = static_cast<double>(joint_hits_expanded(S, C, L, kappa, crit, weights,
                                                          out.enumerated, seed, out.B, threads)) /
                  out.B;
    return out;
  }
  const std::ptrdiff_t nb = (out.B + kWildBlock - 1) / kWildBlock;
  std::vector<long> hits(nb, 0);
  parallel_for(nb, threads, [&](std::ptrdiff_t b) {
    const std::ptrdiff_t start = b * kWildBlock;
    const std::ptrdiff_t len = std::min<std::ptrdiff_t>(kWildBlock, out.B - start);
    MatrixXd V(G, len);
    fill_weights(V, start, len, weights, out.enumerated, seed, b);
    const MatrixXd SV = S * V;           // k x len
    const MatrixXd N = C.transpose() * V;  // q x len: b*_J - (0 or b_J)
    std::vector<MatrixXd> T(q);
    for (int c = 0; c < q; ++c) T[c].noalias() = L[c] * SV;  // G x len
    MatrixXd sc(G, q);
    long h = 0;
    for (std::ptrdiff_t dd = 0; dd < len; ++dd) {
      for (int c = 0; c < q; ++c)
        sc.col(c) = C.col(c).cwiseProduct(V.col(dd)) - T[c].col(dd);
      double W;
      if (!wald_stat(N.col(dd), sc.transpose() * sc, kappa, W) || W >= crit) ++h;
    }
    hits[b] = h;
    progress_add(len);
  });
  long total = 0;
  for (long h : hits) total += h;
  out.p_value = static_cast<double>(total) / out.B;
  return out;
}

}  // namespace dm
