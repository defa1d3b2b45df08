// Wild (cluster) bootstrap "fast and wild": an O(n k) set-up reduces the data to
// cluster-level scores, after which each draw costs O(G k) per coefficient.
#include "wild.h"

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

// SplitMix64: turns (seed, block) into a well-mixed 64-bit seed for the block's engine.
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Fills V (G x len) with the weights of draws [start, start + len).
void fill_weights(MatrixXd& V, std::ptrdiff_t start, std::ptrdiff_t len, WildWeights type,
                  bool enumerate, std::uint64_t seed, std::ptrdiff_t block) {
  const int G = static_cast<int>(V.rows());
  if (enumerate) {
    for (std::ptrdiff_t d = 0; d < len; ++d) {
      const std::uint64_t b = static_cast<std::uint64_t>(start + d);
      for (int g = 0; g < G; ++g) V(g, d) = ((b >> g) & 1U) ? -1.0 : 1.0;
    }
    return;
  }
  boost::random::mt19937_64 eng(splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(block) + 1)));
  switch (type) {
    case WildWeights::Rademacher:
      for (std::ptrdiff_t d = 0; d < len; ++d) {
        std::uint64_t bits = 0;
        for (int g = 0; g < G; ++g) {
          if (g % 64 == 0) bits = eng();
          V(g, d) = (bits & 1U) ? -1.0 : 1.0;
          bits >>= 1;
        }
      }
      break;
    case WildWeights::Webb: {
      const double pts[6] = {-std::sqrt(1.5), -1.0, -std::sqrt(0.5), std::sqrt(0.5), 1.0,
                             std::sqrt(1.5)};
      boost::random::uniform_int_distribution<int> pick(0, 5);
      for (std::ptrdiff_t d = 0; d < len; ++d)
        for (int g = 0; g < G; ++g) V(g, d) = pts[pick(eng)];
      break;
    }
    case WildWeights::Mammen: {
      const double s5 = std::sqrt(5.0);
      const double lo = -(s5 - 1) / 2, hi = (s5 + 1) / 2, p_lo = (s5 + 1) / (2 * s5);
      boost::random::uniform_01<double> u;
      for (std::ptrdiff_t d = 0; d < len; ++d)
        for (int g = 0; g < G; ++g) V(g, d) = u(eng) < p_lo ? lo : hi;
      break;
    }
    case WildWeights::Normal: {
      boost::random::normal_distribution<double> z;
      for (std::ptrdiff_t d = 0; d < len; ++d)
        for (int g = 0; g < G; ++g) V(g, d) = z(eng);
      break;
    }
  }
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

WildDraws wild_draws(const Design& d, const double* resid, const Whitening& wh,
                     const Clusters* cl, const std::vector<int>& coefs,
                     const VectorXd& beta, int B, WildWeights weights, bool restricted,
                     std::uint64_t seed, int threads) {
  const int k = d.k();
  const std::ptrdiff_t n = d.n;
  const int m = static_cast<int>(coefs.size());
  const int G = check_wild_inputs(d, wh, cl, coefs, beta, B);

  MatrixXd Z, Rinv;
  VectorXd u;
  whitened_rows(d, resid, wh, threads, Z, u, Rinv);

  // rho_j = R^-T e_j: beta_j = rho_j' Z' y~ and a = Z rho_j are the row weights of beta_j.
  MatrixXd P(k, m);
  for (int c = 0; c < m; ++c) P.col(c) = Rinv.row(coefs[c]).transpose();
  const MatrixXd A = Z * P;  // n x m

  auto rows_of = [&](int g, int& begin, int& end) {
    if (cl) {
      begin = cl->start[g];
      end = cl->start[g + 1];
    } else {
      begin = g;
      end = g + 1;
    }
  };
  auto row = [&](int r) { return cl ? cl->rows[r] : r; };

  // Cluster scores: Su_g = Z_g' u_g; per coefficient cu_g = a_g' u_g, caa_g = a_g' a_g
  // and L_g = Z_g' a_g (rows of L).
  MatrixXd Su = MatrixXd::Zero(k, G), cu = MatrixXd::Zero(G, m), caa = MatrixXd::Zero(G, m);
  std::vector<MatrixXd> L(m, MatrixXd::Zero(G, k));
  for (int g = 0; g < G; ++g) {
    int b0, b1;
    rows_of(g, b0, b1);
    for (int r = b0; r < b1; ++r) {
      const int i = row(r);
      Su.col(g) += Z.row(i).transpose() * u[i];
      for (int c = 0; c < m; ++c) {
        const double a = A(i, c);
        cu(g, c) += a * u[i];
        caa(g, c) += a * a;
        L[c].row(g) += a * Z.row(i);
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
    out.se[c] = std::sqrt(out.kappa * cu.col(c).squaredNorm());
    out.scale[c] = 1.0 / P.col(c).squaredNorm();
  }

  out.enumerated = weights == WildWeights::Rademacher && G < 31 && (1LL << G) <= B;
  out.B = out.enumerated ? static_cast<int>(1LL << G) : B;
  const std::ptrdiff_t nb = (out.B + kWildBlock - 1) / kWildBlock;
  out.nu.resize(out.B, m);
  out.quu.resize(out.B, m);
  if (restricted) {
    out.na.resize(out.B, m);
    out.qua.resize(out.B, m);
    out.qaa.resize(out.B, m);
  }
  parallel_for(nb, threads, [&](std::ptrdiff_t b) {
    const std::ptrdiff_t start = b * kWildBlock;
    const std::ptrdiff_t len = std::min<std::ptrdiff_t>(kWildBlock, out.B - start);
    MatrixXd V(G, len);
    fill_weights(V, start, len, weights, out.enumerated, seed, b);
    const MatrixXd SuV = Su * V;  // k x len: Z'(u . v), shared by the coefficients
    MatrixXd F(G, len), Fa(G, len), LtV(k, len);
    for (int c = 0; c < m; ++c) {
      // bootstrap cluster scores of beta_j: c_g v_g - L_g' Z'(u . v)
      F.noalias() = cu.col(c).asDiagonal() * V;
      F.noalias() -= L[c] * SuV;
      out.nu.col(c).segment(start, len).noalias() = V.transpose() * cu.col(c);
      out.quu.col(c).segment(start, len) = F.colwise().squaredNorm().transpose();
      if (!restricted) continue;
      // the part of the restricted residuals proportional to beta_j - beta0
      LtV.noalias() = L[c].transpose() * V;
      Fa.noalias() = caa.col(c).asDiagonal() * V;
      Fa.noalias() -= L[c] * LtV;
      out.na.col(c).segment(start, len).noalias() = V.transpose() * caa.col(c);
      out.qua.col(c).segment(start, len) = F.cwiseProduct(Fa).colwise().sum().transpose();
      out.qaa.col(c).segment(start, len) = Fa.colwise().squaredNorm().transpose();
      // a draw whose restricted residuals do not depend on beta0 (Fa = 0, as for a
      // constant v) has qaa = 0 exactly: its rounding, ~1e-32 of sum caa^2, would
      // otherwise end the confidence set at some |beta0| ~ 1e14
      const double tiny = 1e-20 * caa.col(c).squaredNorm();
      for (std::ptrdiff_t i = start; i < start + len; ++i)
        if (out.qaa(i, c) <= tiny) out.qaa(i, c) = out.qua(i, c) = 0;
    }
  });
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

WildJoint wild_joint(const Design& d, const double* resid, const Whitening& wh,
                     const Clusters* cl, const std::vector<int>& coefs,
                     const VectorXd& beta, int B, WildWeights weights, bool restricted,
                     std::uint64_t seed, int threads) {
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
  auto wald = [&](const VectorXd& num, const MatrixXd& Vm, double& W) {
    Eigen::LLT<MatrixXd> llt(kappa * Vm);
    if (llt.info() != Eigen::Success) return false;
    W = num.dot(llt.solve(num)) / q;
    return std::isfinite(W);
  };
  WildJoint out;
  if (!wald(bJ, C0.transpose() * C0, out.statistic))
    throw std::invalid_argument("wild bootstrap: the variance of the tested coefficients is singular");

  out.enumerated = weights == WildWeights::Rademacher && G < 31 && (1LL << G) <= B;
  out.B = out.enumerated ? static_cast<int>(1LL << G) : B;
  const std::ptrdiff_t nb = (out.B + kWildBlock - 1) / kWildBlock;
  std::vector<long> hits(nb, 0);
  const double crit = out.statistic * (1 - 1e-10);
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
      if (!wald(N.col(dd), sc.transpose() * sc, W) || W >= crit) ++h;
    }
    hits[b] = h;
  });
  long total = 0;
  for (long h : hits) total += h;
  out.p_value = static_cast<double>(total) / out.B;
  return out;
}

}  // namespace dm
