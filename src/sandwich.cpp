// Sandwich variance estimators, CR2 in O(n k^2 + G k^3) without n_g x n_g matrices for
// large clusters, per-coefficient Satterthwaite df and the HTZ Wald test, all formed in
// whitened coordinates.
//
// Whitening: with X'WX = R'R (R from the fit's QR or Cholesky factor), the rows
// x~_i = R^{-T} x_i and z_i = sqrt(w_i) x~_i give Z'Z = I. Every sandwich
// M X' Omega X M (M = (X'WX)^{-1}) equals R^{-1} S R^{-T} with S = Z' Omega~ Z a
// well-conditioned k x k matrix; nothing is formed from the explicit inverse of an
// ill-conditioned cross-product, so robust variances keep the accuracy of R^{-1}.
// The leverages are h_i = |z_i|^2 and the cluster blocks P_g = Z_g'Z_g (eigenvalues in
// [0, 1]), so rank and leverage tests are scale free.
//
// CR2 (notation in whitened coordinates, where M = I; weights w, working model
// Theta = I as clubSandwich uses for lm): Omega = X~'W^2X~.
//   For cluster g: G_g = I - X~_g X~_g'W_g - W_g X~_g X~_g' + X~_g Omega X~_g'
//                      = I + B C B', B = [X~_g, W_g X~_g], C = [[Omega, -I], [-I, 0]]
//   (unweighted: G_g = I - Z_g Z_g', B = Z_g, C = -I); A_g = G_g^{-1/2} (pseudo-inverse
//   square root: eigenvalues <= 1e-12 give 0). The estimating component of cluster g is
//   X~_g'W_g A_g e_g. For the Satterthwaite df of a contrast c, gamma = R^{-T} c,
//   u_g = A_g W_g X~_g gamma and, under the working model, P[g,h] = delta_gh u_g'u_h -
//   y_g' Cz y_h with y_g = [X~_g'u_g; X~_g'W_g u_g] and Cz = [[-Omega, I], [I, 0]]
//   (unweighted: y_g = Z_g'u_g, Cz = I); df = (sum_g P[g,g])^2 / sum_{g,h} P[g,h]^2,
//   expanded so that only sums over clusters of k x k quantities are needed.
#include "sandwich.h"

#include "ddouble.h"
#include "tolerances.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace dm {

namespace {

// Clusters are summed in chunks whose number depends on G only (not on the threads):
// about 32 clusters a chunk, at most 64 chunks.
int n_cluster_chunks(int G) { return std::max(1, std::min(64, G / 32)); }

inline double inv_sqrt_or_zero(double mu) { return mu > tol::kCr2Eigen ? 1.0 / std::sqrt(mu) : 0.0; }

// Per-cluster pieces of CR2.
struct Cr2Parts {
  MatrixXd comp;  // X_g'W_g A_g E_g (k x m: one column per residual column)
  MatrixXd S;     // U'U with U = A_g W_g X_g M (k x k)
  MatrixXd Y;     // [X_g'U; X_g'W_g U] (c x k), or X_g'U unweighted
};

class Cr2Engine {
 public:
  // k: columns; Omega: X~'W^2X~ (weighted only). In whitened coordinates M = I.
  Cr2Engine(int k, const MatrixXd& Omega, bool weighted)
      : Om_(Omega), weighted_(weighted), k_(k) {
    c_ = weighted_ ? 2 * k_ : k_;
    const MatrixXd I = MatrixXd::Identity(k_, k_);
    Cz_ = MatrixXd::Zero(c_, c_);
    C_ = MatrixXd::Zero(c_, c_);
    if (weighted_) {
      Cz_.topLeftCorner(k_, k_) = -Om_;
      Cz_.topRightCorner(k_, k_) = I;
      Cz_.bottomLeftCorner(k_, k_) = I;
      C_.topLeftCorner(k_, k_) = Om_;
      C_.topRightCorner(k_, k_) = -I;
      C_.bottomLeftCorner(k_, k_) = -I;
    } else {
      Cz_ = I;
      C_ = -I;
    }
  }
  int c() const { return c_; }
  const MatrixXd& Cz() const { return Cz_; }

  // Xg: n_g x k rows of the cluster; w: weights (empty if unweighted); e: residuals
  // (n_g x m, one column per outcome: A_g acts on each).
  void compute(const MatrixXd& Xg, const VectorXd& w, const MatrixXd& e, bool need_df,
               Cr2Parts& out) const {
    const std::ptrdiff_t ng = Xg.rows();
    MatrixXd WX = weighted_ ? MatrixXd(w.asDiagonal() * Xg) : Xg;
    if (ng <= c_) {
      explicit_case(Xg, WX, e, need_df, out);
    } else {
      low_rank_case(Xg, WX, e, need_df, out);
    }
  }

 private:
  void explicit_case(const MatrixXd& Xg, const MatrixXd& WX, const MatrixXd& e,
                     bool need_df, Cr2Parts& out) const {
    const std::ptrdiff_t ng = Xg.rows();
    MatrixXd Gm;
    if (weighted_) {
      MatrixXd t = Xg * WX.transpose();
      Gm = Xg * Om_ * Xg.transpose() - t - t.transpose();
    } else {
      Gm = -(Xg * Xg.transpose());
    }
    Gm.diagonal().array() += 1.0;
    Eigen::SelfAdjointEigenSolver<MatrixXd> es(0.5 * (Gm + Gm.transpose()));
    VectorXd h(ng);
    for (std::ptrdiff_t i = 0; i < ng; ++i) h[i] = inv_sqrt_or_zero(es.eigenvalues()[i]);
    MatrixXd A = es.eigenvectors() * h.asDiagonal() * es.eigenvectors().transpose();
    out.comp = WX.transpose() * (A * e);
    if (need_df) {
      MatrixXd U = A * WX;
      out.S = U.transpose() * U;
      out.Y.resize(c_, k_);
      out.Y.topRows(k_) = Xg.transpose() * U;
      if (weighted_) out.Y.bottomRows(k_) = WX.transpose() * U;
    }
  }

  void low_rank_case(const MatrixXd& Xg, const MatrixXd& WX, const MatrixXd& e,
                     bool need_df, Cr2Parts& out) const {
    const int k = k_, c = c_;
    MatrixXd XX = MatrixXd::Zero(k, k);
    XX.selfadjointView<Eigen::Lower>().rankUpdate(Xg.transpose());
    XX = XX.selfadjointView<Eigen::Lower>();
    MatrixXd XWX, XW2X;
    if (weighted_) {
      XWX = Xg.transpose() * WX;
      XW2X = MatrixXd::Zero(k, k);
      XW2X.selfadjointView<Eigen::Lower>().rankUpdate(WX.transpose());
      XW2X = XW2X.selfadjointView<Eigen::Lower>();
    }
    // S = B'B, XB = X_g'B, WXB = (W_g X_g)'B, Be = B'e
    MatrixXd S(c, c), XB(k, c), WXB(k, c);
    MatrixXd Be(c, e.cols());
    MatrixXd Xe = Xg.transpose() * e;
    if (weighted_) {
      S << XX, XWX, XWX.transpose(), XW2X;
      XB << XX, XWX;
      WXB << XWX.transpose(), XW2X;
      Be << Xe, WX.transpose() * e;
    } else {
      S = XX;
      XB = XX;
      WXB = XX;
      Be = Xe;
    }
    // Orthonormal basis of range(B) from the equilibrated B'B.
    VectorXd ds(c);
    for (int j = 0; j < c; ++j) ds[j] = S(j, j) > 0 ? 1.0 / std::sqrt(S(j, j)) : 0.0;
    MatrixXd St = ds.asDiagonal() * S * ds.asDiagonal();
    Eigen::SelfAdjointEigenSolver<MatrixXd> es(St);
    const double dmax = es.eigenvalues().maxCoeff();
    std::vector<int> keep;
    for (int j = 0; j < c; ++j)
      if (es.eigenvalues()[j] > tol::kRelativeRank * dmax) keep.push_back(j);
    const int r = static_cast<int>(keep.size());
    MatrixXd Phi0(c, r);
    for (int j = 0; j < r; ++j)
      Phi0.col(j) = ds.asDiagonal() * es.eigenvectors().col(keep[j]) /
                    std::sqrt(es.eigenvalues()[keep[j]]);
    MatrixXd SPhi = S * Phi0;  // c x r
    MatrixXd T = SPhi.transpose() * C_ * SPhi;
    Eigen::SelfAdjointEigenSolver<MatrixXd> et(0.5 * (T + T.transpose()));
    MatrixXd Phi = Phi0 * et.eigenvectors();
    VectorXd f(r), f2(r);
    for (int j = 0; j < r; ++j) {
      f[j] = inv_sqrt_or_zero(1.0 + et.eigenvalues()[j]) - 1.0;
      f2[j] = 2.0 * f[j] + f[j] * f[j];
    }
    MatrixXd WXBPhi = WXB * Phi;  // k x r
    out.comp = WX.transpose() * e + WXBPhi * (f.asDiagonal() * (Phi.transpose() * Be));
    if (need_df) {
      const MatrixXd& XW2Xg = weighted_ ? XW2X : XX;
      const MatrixXd& XWXg = weighted_ ? XWX : XX;
      MatrixXd core = XW2Xg + WXBPhi * f2.asDiagonal() * WXBPhi.transpose();
      out.S = core;
      MatrixXd PhiBWX = WXBPhi.transpose();  // r x k = Phi'(B'W X)
      MatrixXd P = XWXg + (XB * Phi) * f.asDiagonal() * PhiBWX;
      out.Y.resize(c, k);
      out.Y.topRows(k) = P;
      if (weighted_) out.Y.bottomRows(k) = XW2X + WXBPhi * f.asDiagonal() * PhiBWX;
    }
  }

  const MatrixXd& Om_;
  bool weighted_;
  int k_, c_;
  MatrixXd Cz_, C_;
};

// x'Cz y in double-double for double x, y (Cz = I when cz_identity).
ddouble dd_quad_form(const MatrixXd& Cz, bool cz_identity, const double* x, const double* y,
                     int c) {
  ddouble out = 0;
  if (cz_identity) {
    for (int a = 0; a < c; ++a) out += ddouble(x[a]) * ddouble(y[a]);
    return out;
  }
  for (int b = 0; b < c; ++b) {
    ddouble t = 0;
    for (int a = 0; a < c; ++a)
      if (Cz(a, b) != 0) t += ddouble(Cz(a, b)) * ddouble(x[a]);
    out += t * ddouble(y[b]);
  }
  return out;
}

// The lower triangle of (hi + lo) += y y' in double-double.
void dd_rank1(MatrixXd& hi, MatrixXd& lo, const double* y, int c) {
  for (int b = 0; b < c; ++b) {
    for (int a = b; a < c; ++a) {
      double p, e, s, t;
      two_prod(y[a], y[b], p, e);
      two_sum(hi(a, b), p, s, t);
      t += lo(a, b) + e;
      quick_two_sum(s, t, hi(a, b), lo(a, b));
    }
  }
}

// tr(Cz A Cz B) for c x c double-double matrices A, B (column-major).
ddouble dd_trace_cz(const MatrixXd& Cz, bool cz_identity, const std::vector<ddouble>& A,
                    const std::vector<ddouble>& B, int c) {
  auto mult = [&](const std::vector<ddouble>& X) {  // Cz X
    if (cz_identity) return X;
    std::vector<ddouble> out(X.size());
    for (int j = 0; j < c; ++j) {
      for (int i = 0; i < c; ++i) {
        ddouble s = 0;
        for (int l = 0; l < c; ++l)
          if (Cz(i, l) != 0) s += ddouble(Cz(i, l)) * X[static_cast<size_t>(j) * c + l];
        out[static_cast<size_t>(j) * c + i] = s;
      }
    }
    return out;
  };
  const std::vector<ddouble> CA = mult(A), CB = mult(B);
  ddouble tr = 0;  // sum_ij CA_ij CB_ji
  for (int j = 0; j < c; ++j)
    for (int i = 0; i < c; ++i)
      tr += CA[static_cast<size_t>(j) * c + i] * CB[static_cast<size_t>(i) * c + j];
  return tr;
}

// Sums over clusters for the Satterthwaite df of m contrasts: with sigma_g = u_g'u_g
// and y_g as above, E = sum_g (sigma_g - y_g'Cz y_g), sum P^2 = sum sigma_g^2
// - 2 sum sigma_g y_g'Cz y_g + tr(Cz T Cz T), T = sum_g y_g y_g'; df = E^2 / sum P^2.
// The y_g are buffered and added to T by one matrix product. The expanded sum P^2 is a
// difference of large terms when clusters carry much of their own fit (weights spanning
// orders of magnitude, near-leverage-one clusters): `cancellation` reports the ratio of
// the result to the size of its terms, and contrasts that lost too much are computed
// again by DfSumsExact.
class DfSumsFast {
 public:
  DfSumsFast() = default;
  DfSumsFast(int m, int c, int n_clusters, bool cz_identity)
      : cz_identity_(cz_identity), E_(VectorXd::Zero(m)), A1_(E_), A2_(E_),
        T_(m, MatrixXd::Zero(c, c)),
        buf_(std::max(1, std::min(64, n_clusters))), ybuf_(m, MatrixXd(c, buf_)),
        filled_(m, 0) {}
  // Contrast j: sigma = u_g'u_g and y = y_g (length c). One contrast at a time, so
  // that its sums do not depend on which other contrasts are computed with it.
  void add(int j, double sigma, const VectorXd& y, const MatrixXd& Cz) {
    const double z = cz_identity_ ? y.squaredNorm() : y.dot(Cz * y);
    E_[j] += sigma - z;
    A1_[j] += sigma * sigma;
    A2_[j] += sigma * z;
    ybuf_[j].col(filled_[j]) = y;
    if (++filled_[j] == buf_) flush(j);
  }
  void flush(size_t j) {
    T_[j].noalias() += ybuf_[j].leftCols(filled_[j]) * ybuf_[j].leftCols(filled_[j]).transpose();
    filled_[j] = 0;
  }
  void finish() {
    for (size_t j = 0; j < T_.size(); ++j) flush(j);
  }
  // The df from the sums of all chunks, added in chunk order; `cancellation` gets the
  // ratio of sum P^2 to the sum of the magnitudes of its three terms.
  static VectorXd df(const std::vector<DfSumsFast>& parts, const MatrixXd& Cz,
                     VectorXd* cancellation) {
    const int m = static_cast<int>(parts.front().E_.size());
    VectorXd out(m);
    if (cancellation) cancellation->resize(m);
    for (int j = 0; j < m; ++j) {
      double E = 0, A1 = 0, A2 = 0;
      MatrixXd T = MatrixXd::Zero(Cz.rows(), Cz.cols());
      for (const DfSumsFast& p : parts) {
        E += p.E_[j];
        A1 += p.A1_[j];
        A2 += p.A2_[j];
        T += p.T_[j];
      }
      double tr;
      if (parts.front().cz_identity_) {
        tr = T.squaredNorm();  // T symmetric: tr(T T)
      } else {
        const MatrixXd CT = Cz * T;
        tr = CT.cwiseProduct(CT.transpose()).sum();
      }
      const double P2 = A1 - 2 * A2 + tr;
      out[j] = E * E / P2;
      if (cancellation) (*cancellation)[j] = P2 / (A1 + 2 * std::fabs(A2) + std::fabs(tr));
    }
    return out;
  }

 private:
  bool cz_identity_ = false;
  VectorXd E_, A1_, A2_;
  std::vector<MatrixXd> T_;
  int buf_ = 1;
  std::vector<MatrixXd> ybuf_;
  std::vector<int> filled_;
};

class DfSumsExact {
 public:
  DfSumsExact() = default;
  DfSumsExact(int m, int c, int /*n_clusters*/, bool cz_identity)
      : E_(m), P2_(m), N2_(m), Thi_(m, MatrixXd::Zero(c, c)), Tlo_(Thi_),
        cz_identity_(cz_identity) {}
  // Contrast j: sigma = u_g'u_g and y = y_g (length c).
  void add(int j, double sigma, const VectorXd& y, const MatrixXd& Cz) {
    const int c = static_cast<int>(y.size());
    const ddouble N = dd_quad_form(Cz, cz_identity_, y.data(), y.data(), c);  // y'Cz y
    const ddouble P = ddouble(sigma) - N;
    E_[j] += P;
    P2_[j] += P * P;
    N2_[j] += N * N;
    dd_rank1(Thi_[j], Tlo_[j], y.data(), c);
  }
  void finish() {}
  // The df from the sums of all chunks, added in chunk order.
  static VectorXd df(const std::vector<DfSumsExact>& parts, const MatrixXd& Cz) {
    const int m = static_cast<int>(parts.front().E_.size());
    const int c = static_cast<int>(Cz.rows());
    VectorXd out(m);
    std::vector<ddouble> T(static_cast<size_t>(c) * c);
    for (int j = 0; j < m; ++j) {
      ddouble E = 0, P2 = 0, N2 = 0;
      std::fill(T.begin(), T.end(), ddouble(0));
      for (const DfSumsExact& p : parts) {
        E += p.E_[j];
        P2 += p.P2_[j];
        N2 += p.N2_[j];
        for (int b = 0; b < c; ++b)
          for (int a = b; a < c; ++a)
            T[static_cast<size_t>(b) * c + a] += ddouble(p.Thi_[j](a, b), p.Tlo_[j](a, b));
      }
      for (int b = 0; b < c; ++b)
        for (int a = 0; a < b; ++a) T[static_cast<size_t>(b) * c + a] = T[static_cast<size_t>(a) * c + b];
      const ddouble tr = dd_trace_cz(Cz, parts.front().cz_identity_, T, T, c);
      const double e = static_cast<double>(E);
      out[j] = e * e / static_cast<double>(P2 + (tr - N2));
    }
    return out;
  }

 private:
  std::vector<ddouble> E_, P2_, N2_;
  std::vector<MatrixXd> Thi_, Tlo_;  // lower triangles
  bool cz_identity_ = false;
};

// Leverage (or a cluster's largest eigenvalue of P_g) this close to one: the variance is
// undefined in that direction.
constexpr double kLeverageTol = tol::kLeverageOne;

// One cluster: its rows of the design (Xg), their unweighted whitened rows
// (Xt = Xg R^{-1}), weights (empty: unweighted) and residuals.
struct ClusterRows {
  MatrixXd Xg, Xt;
  VectorXd w;
  MatrixXd e;  // n_g x m
};

// `resid`: m columns of length d.n.
void gather_cluster(const Design& d, const Clusters& cl, int g, const double* resid,
                    const Whitening& wh, ClusterRows& c, int m = 1) {
  const int s = cl.start[g];
  const int len = cl.start[g + 1] - s;
  const int* rows = cl.rows.data() + s;
  gather_rows(d, rows, len, c.Xg);
  wh.apply(c.Xg, nullptr, c.Xt);
  c.e.resize(len, m);
  for (int j = 0; j < m; ++j)
    for (int i = 0; i < len; ++i) c.e(i, j) = resid[static_cast<std::ptrdiff_t>(j) * d.n + rows[i]];
  if (d.weighted()) {
    c.w.resize(len);
    for (int i = 0; i < len; ++i) c.w[i] = d.weights[rows[i]];
  } else {
    c.w.resize(0);
  }
}

// The clusters [g0, g1) of chunk ch of nchunk.
inline void chunk_clusters(int G, int nchunk, int ch, int& g0, int& g1) {
  g0 = static_cast<int>(static_cast<long long>(G) * ch / nchunk);
  g1 = static_cast<int>(static_cast<long long>(G) * (ch + 1) / nchunk);
}

// Calls f(parts) with the CR2 pieces (df included) of each cluster of chunk ch.
template <typename F>
void for_each_cr2_cluster(const Design& d, const Clusters& cl, const double* resid,
                          const Whitening& wh, const Cr2Engine& engine, int nchunk, int ch,
                          F&& f) {
  int g0, g1;
  chunk_clusters(cl.G, nchunk, ch, g0, g1);
  ClusterRows c;
  Cr2Parts parts;
  for (int g = g0; g < g1; ++g) {
    gather_cluster(d, cl, g, resid, wh, c);
    engine.compute(c.Xt, c.w, c.e, true, parts);
    f(parts);
  }
}

// Omega = X~'W^2X~ (whitened; zero size when unweighted).
MatrixXd omega_matrix(const Design& d, const Whitening& wh, int threads) {
  if (!d.weighted()) return MatrixXd();
  return scaled_gram(d, threads, [&](std::ptrdiff_t start, std::ptrdiff_t len, MatrixXd& Xb) {
    MatrixXd Xt;
    wh.apply(Xb, nullptr, Xt);
    Xt.array().colwise() *= Eigen::Map<const VectorXd>(d.weights + start, len).array();
    Xb = std::move(Xt);
  });
}

// Symmetric inverse square root; eigenvalues below 1e-12 of the largest count as zero
// (pseudo-inverse, the rule of clubSandwich made relative).
MatrixXd sym_inv_sqrt(const MatrixXd& X) {
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(0.5 * (X + X.transpose()));
  const double top = es.eigenvalues().maxCoeff();
  VectorXd h = es.eigenvalues().unaryExpr(
      [top](double v) { return v > tol::kRelativeRank * top ? 1.0 / std::sqrt(v) : 0.0; });
  return es.eigenvectors() * h.asDiagonal() * es.eigenvectors().transpose();
}

// The non-zero spectrum of P = Z'Z for the n_g x k block Z: eigenvalues lam and unit
// eigenvectors V (k x r), from the eigen decomposition of Z'Z or, when n_g < k, of the
// smaller Z Z' (with v = Z'u / sqrt(lam)).
void cluster_spectrum(const MatrixXd& Z, VectorXd& lam, MatrixXd& V) {
  const Eigen::Index ng = Z.rows(), k = Z.cols();
  if (ng >= k) {
    MatrixXd P = MatrixXd::Zero(k, k);
    P.selfadjointView<Eigen::Lower>().rankUpdate(Z.transpose());
    Eigen::SelfAdjointEigenSolver<MatrixXd> es(MatrixXd(P.selfadjointView<Eigen::Lower>()));
    lam = es.eigenvalues();
    V = es.eigenvectors();
    return;
  }
  MatrixXd Q = MatrixXd::Zero(ng, ng);
  Q.selfadjointView<Eigen::Lower>().rankUpdate(Z);
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(MatrixXd(Q.selfadjointView<Eigen::Lower>()));
  std::vector<Eigen::Index> keep;
  const double top = std::max(es.eigenvalues().maxCoeff(), 0.0);
  for (Eigen::Index j = 0; j < ng; ++j)
    if (es.eigenvalues()[j] > tol::kClusterSpectrum * std::max(top, 1.0)) keep.push_back(j);
  lam.resize(static_cast<Eigen::Index>(keep.size()));
  V.resize(k, static_cast<Eigen::Index>(keep.size()));
  for (size_t j = 0; j < keep.size(); ++j) {
    const double l = es.eigenvalues()[keep[j]];
    lam[j] = l;
    V.col(j) = Z.transpose() * es.eigenvectors().col(keep[j]) / std::sqrt(l);
  }
}

// Coefficients whose variance loads on any of the (whitened, unit) directions.
std::vector<int> undefined_coefficients(const Whitening& wh,
                                        const std::vector<VectorXd>& dirs) {
  const int k = wh.k();
  std::vector<bool> bad(k, false);
  const MatrixXd& Ri = wh.rinv;
  VectorXd rn(k);
  for (int j = 0; j < k; ++j) rn[j] = Ri.row(j).norm();
  for (const VectorXd& v : dirs) {
    const VectorXd u = Ri.triangularView<Eigen::Upper>() * v;
    for (int j = 0; j < k; ++j)
      if (std::fabs(u[j]) > tol::kUndefinedLoad * rn[j]) bad[j] = true;
  }
  std::vector<int> out;
  for (int j = 0; j < k; ++j)
    if (bad[j]) out.push_back(j);
  return out;
}

}  // namespace

void Whitening::apply(const MatrixXd& Xb, const double* w, MatrixXd& Z) const {
  const Eigen::Index len = Xb.rows(), k = rinv.cols();
  if (rinv_lo.size() == 0) {
    Z.noalias() = Xb * rinv.triangularView<Eigen::Upper>();
  } else {
    Z.resize(len, k);
    for (Eigen::Index j = 0; j < k; ++j) {
      for (Eigen::Index i = 0; i < len; ++i) {
        DdAccumulator acc;
        for (Eigen::Index a = 0; a <= j; ++a) acc.add_product(Xb(i, a), rinv(a, j), rinv_lo(a, j));
        Z(i, j) = acc.value();
      }
    }
  }
  if (w) {
    for (Eigen::Index i = 0; i < len; ++i) Z.row(i) *= std::sqrt(w[i]);
  }
}

MatrixXd Whitening::unwhiten(const MatrixXd& S) const {
  const auto Ri = rinv.triangularView<Eigen::Upper>();
  MatrixXd RS = Ri * S;                                // R^{-1} S
  MatrixXd V = (Ri * RS.transpose()).transpose();      // R^{-1} S R^{-T}
  return 0.5 * (V + V.transpose());
}

Clusters::Clusters(const int* code, std::ptrdiff_t n, int G_) : G(G_) {
  start.assign(G + 1, 0);
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    if (code[i] < 0 || code[i] >= G) throw std::invalid_argument("cluster code out of range");
    ++start[code[i] + 1];
  }
  for (int g = 0; g < G; ++g) start[g + 1] += start[g];
  rows.resize(n);
  std::vector<int> pos(start.begin(), start.end() - 1);
  for (std::ptrdiff_t i = 0; i < n; ++i) rows[pos[code[i]]++] = static_cast<int>(i);
}

ClusterJackknife::ClusterJackknife(const MatrixXd& Zg) { cluster_spectrum(Zg, lam, V); }

bool ClusterJackknife::leverage_one(std::vector<VectorXd>* dirs) const {
  bool one = false;
  for (int j = 0; j < lam.size(); ++j) {
    if (1.0 - lam[j] <= tol::kLeverageOne) {
      one = true;
      if (dirs) dirs->push_back(V.col(j));
    }
  }
  return one;
}

void ClusterJackknife::apply(MatrixXd& s) const {
  VectorXd f(lam.size());
  for (int j = 0; j < lam.size(); ++j)
    f[j] = 1.0 - lam[j] > tol::kLeverageOne ? lam[j] / (1.0 - lam[j]) : -1.0;
  s += V * (f.asDiagonal() * (V.transpose() * s));
}

MatrixXd Whitening::unwhiten_blocks(const MatrixXd& S, int m) const {
  if (m == 1) return unwhiten(S);
  const int k = this->k();
  MatrixXd V(S.rows(), S.cols());
  const auto Ri = rinv.triangularView<Eigen::Upper>();
  for (int b = 0; b < m; ++b) {
    for (int a = b; a < m; ++a) {
      const MatrixXd RS = Ri * S.block(a * k, b * k, k, k);                // R^{-1} S_ab
      V.block(a * k, b * k, k, k) = (Ri * RS.transpose()).transpose();    // ... R^{-T}
      if (a != b) V.block(b * k, a * k, k, k) = V.block(a * k, b * k, k, k).transpose();
    }
  }
  return 0.5 * (V + V.transpose());
}

namespace {

// Directions (whitened, unit length) in which a robust variance is undefined, and the
// rows or clusters they come from.
struct Undefined {
  std::vector<int> where;
  std::vector<VectorXd> dirs;
};

// HC0-HC3 meat: sum_i vec(s_i z_i e_i')vec(.)' with s_i = sqrt(w_i) / (1 - h_i)^(p/2)
// (p = 0, 1, 2 for HC0/HC1, HC2, HC3) and e_i the m residuals of row i; rows with
// leverage one get s_i = 0 and are reported.
MatrixXd hc_meat(const Design& d, const double* resid, const Whitening& wh, VcovType type,
                 int m, int threads, Undefined& und) {
  const int k = d.k();
  const int power = type == VcovType::HC2 ? 1 : (type == VcovType::HC3 ? 2 : 0);
  std::vector<std::vector<int>> lev(n_blocks(d.n));
  std::vector<std::vector<VectorXd>> lev_dirs(n_blocks(d.n));
  const MatrixXd S = scaled_gram(
      d, threads,
      [&](std::ptrdiff_t start, std::ptrdiff_t len, MatrixXd& Xb) {
        const std::ptrdiff_t blk = start / kBlockRows;
        MatrixXd Z;
        wh.apply(Xb, d.weighted() ? d.weights + start : nullptr, Z);
        VectorXd adj = VectorXd::Ones(len);  // (1 - h_i)^(power / 2), 0: leverage one
        if (power > 0) {
          for (std::ptrdiff_t i = 0; i < len; ++i) {
            const double h = Z.row(i).squaredNorm();
            const double one_h = 1.0 - h;
            if (one_h <= kLeverageTol) {
              lev[blk].push_back(static_cast<int>(start + i));
              lev_dirs[blk].push_back(Z.row(i).transpose() / std::sqrt(h));
              adj[i] = 0;
            } else {
              adj[i] = power == 1 ? std::sqrt(one_h) : one_h;
            }
          }
        }
        MatrixXd out(len, static_cast<Eigen::Index>(m) * k);
        for (int j = 0; j < m; ++j) {
          const double* e = resid + static_cast<std::ptrdiff_t>(j) * d.n + start;
          VectorXd scale(len);  // sqrt(w_i) e_ij / (1 - h_i)^(power / 2)
          for (std::ptrdiff_t i = 0; i < len; ++i) {
            const double om = std::sqrt(weight(d, start + i)) * e[i];
            scale[i] = power == 0 ? om : (adj[i] == 0 ? 0.0 : om / adj[i]);
          }
          out.middleCols(static_cast<Eigen::Index>(j) * k, k) = Z.array().colwise() * scale.array();
        }
        Xb = std::move(out);
      },
      m * k);
  for (size_t b = 0; b < lev.size(); ++b) {
    und.where.insert(und.where.end(), lev[b].begin(), lev[b].end());
    und.dirs.insert(und.dirs.end(), lev_dirs[b].begin(), lev_dirs[b].end());
  }
  return S;
}

// CR0-CR3 meat: sum_g vec(s_g) vec(s_g)' with s_g = Z_g'W_g^{1/2} E_g (k x m), adjusted
// by A_g (CR2) or (I - P_g)^{-1} (CR3) per residual column; clusters that alone
// identify a direction (an eigenvalue of P_g at one) are reported.
MatrixXd cluster_meat(const Design& d, const double* resid, const Whitening& wh,
                      VcovType type, const Clusters& cl, int m, int threads, Undefined& und) {
  const int k = d.k(), mk = m * k;
  const int G = cl.G;
  const int nchunk = n_cluster_chunks(G);
  const bool cr2 = type == VcovType::CR2;
  const bool adjusted = cr2 || type == VcovType::CR3;
  const MatrixXd Om = cr2 ? omega_matrix(d, wh, threads) : MatrixXd();
  Cr2Engine engine(k, Om, d.weighted() && cr2);  // used by CR2 only
  struct Acc {
    MatrixXd meat;
    Undefined und;
  };
  std::vector<Acc> acc(nchunk);
  parallel_for(nchunk, threads, [&](std::ptrdiff_t chunk) {
    const int ch = static_cast<int>(chunk);
    Acc& a = acc[ch];
    a.meat = MatrixXd::Zero(mk, mk);
    int g0, g1;
    chunk_clusters(G, nchunk, ch, g0, g1);
    ClusterRows cr;
    Cr2Parts parts;
    MatrixXd Zg, comp;
    for (int g = g0; g < g1; ++g) {
      gather_cluster(d, cl, g, resid, wh, cr, m);
      Zg = cr.Xt;
      MatrixXd et = cr.e;  // W^{1/2} E
      if (d.weighted()) {
        const VectorXd sw = cr.w.cwiseSqrt();
        Zg.array().colwise() *= sw.array();
        et.array().colwise() *= sw.array();
      }
      comp.noalias() = Zg.transpose() * et;  // s_g = Z_g' W^{1/2} E_g
      if (adjusted) {
        const ClusterJackknife jk(Zg);
        if (jk.leverage_one(&a.und.dirs)) a.und.where.push_back(g);
        if (type == VcovType::CR3) {
          jk.apply(comp);
        } else {
          engine.compute(cr.Xt, cr.w, cr.e, false, parts);
          comp = parts.comp;
        }
      }
      a.meat.selfadjointView<Eigen::Lower>().rankUpdate(
          Eigen::Map<const VectorXd>(comp.data(), mk));
    }
  });
  MatrixXd meat = MatrixXd::Zero(mk, mk);
  for (auto& a : acc) {
    meat += a.meat;
    und.where.insert(und.where.end(), a.und.where.begin(), a.und.where.end());
    und.dirs.insert(und.dirs.end(), a.und.dirs.begin(), a.und.dirs.end());
  }
  return meat.selfadjointView<Eigen::Lower>();
}

// Classical: Sigma (x) I_k in whitened coordinates, Sigma = E'WE / (n - k).
MatrixXd classical_meat(const Design& d, const double* resid, int m) {
  const int k = d.k();
  MatrixXd Sigma = MatrixXd::Zero(m, m);
  for (int a = 0; a < m; ++a) {
    for (int b = 0; b <= a; ++b) {
      DdAccumulator acc;
      const double* ea = resid + static_cast<std::ptrdiff_t>(a) * d.n;
      const double* eb = resid + static_cast<std::ptrdiff_t>(b) * d.n;
      for (std::ptrdiff_t i = 0; i < d.n; ++i) acc.add_product(weight(d, i) * ea[i], eb[i], 0.0);
      Sigma(a, b) = Sigma(b, a) = acc.value() / (static_cast<double>(d.n) - k);
    }
  }
  MatrixXd S = MatrixXd::Zero(m * k, m * k);
  for (int a = 0; a < m; ++a)
    for (int b = 0; b < m; ++b) S.block(a * k, b * k, k, k).diagonal().setConstant(Sigma(a, b));
  return S;
}

// The small-sample factor of a type (n, k of one equation).
double small_sample_factor(VcovType type, double n, int k, int G) {
  const double Gd = G;
  switch (type) {
    case VcovType::HC1: return n / (n - k);
    case VcovType::CR1: return Gd / (Gd - 1);
    case VcovType::CR1S: return Gd * (n - 1) / ((Gd - 1) * (n - k));
    default: return 1.0;
  }
}

}  // namespace

VcovResult sandwich_vcov(const Design& d, const double* resid, const Whitening& wh,
                         VcovType type, const Clusters* cl, int threads, int m) {
  const int k = d.k();
  if (m < 1) throw std::invalid_argument("sandwich_vcov needs at least one residual column");
  VcovResult res;
  Undefined und;
  MatrixXd S;
  if (type == VcovType::Classical) {
    S = classical_meat(d, resid, m);
  } else if (!is_cluster_type(type)) {
    S = hc_meat(d, resid, wh, type, m, threads, und);
  } else {
    if (!cl) throw std::invalid_argument("a cluster-robust type needs clusters");
    S = cluster_meat(d, resid, wh, type, *cl, m, threads, und);
  }
  res.V = wh.unwhiten_blocks(S, m);
  const double f = small_sample_factor(type, static_cast<double>(d.n), k, cl ? cl->G : 0);
  if (f != 1.0) res.V *= f;
  res.leverage_one = std::move(und.where);
  res.undefined = undefined_coefficients(wh, und.dirs);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int j : res.undefined) {
    for (int a = 0; a < m; ++a) {
      res.V.row(a * k + j).setConstant(nan);
      res.V.col(a * k + j).setConstant(nan);
    }
  }
  return res;
}

VectorXd leverages(const Design& d, const Whitening& wh, int threads) {
  VectorXd h(d.n);
  for_each_block(d, threads, [&](std::ptrdiff_t, std::ptrdiff_t start, std::ptrdiff_t len,
                                 MatrixXd& Xb) {
    MatrixXd Z;
    wh.apply(Xb, d.weighted() ? d.weights + start : nullptr, Z);
    h.segment(start, len) = Z.rowwise().squaredNorm();
  });
  return h;
}

namespace {

// I_m (x) A.
MatrixXd stack_blocks(const MatrixXd& A, int m) {
  if (m == 1) return A;
  MatrixXd out = MatrixXd::Zero(m * A.rows(), m * A.cols());
  for (int j = 0; j < m; ++j) out.block(j * A.rows(), j * A.cols(), A.rows(), A.cols()) = A;
  return out;
}

// The CR2 pieces of a cluster for m stacked equations on the same design: S and Y
// become I_m (x) S and I_m (x) Y (the residual part is not needed by the df).
const Cr2Parts& lift_parts(const Cr2Parts& p, int m, Cr2Parts& out) {
  out.S = stack_blocks(p.S, m);
  out.Y = stack_blocks(p.Y, m);
  return out;
}

// What the two passes of the HTZ test share: the data, the CR2 engine (k-space) and,
// for m stacked outcomes on the same design, the lifted quadratic form I_m (x) Cz of
// size c = m c_k (each cluster's pieces are lifted to I_m (x) S, I_m (x) Y).
struct HtzContext {
  const Design& d;
  const Clusters& cl;
  const double* resid;
  const Whitening& wh;
  const Cr2Engine& engine;
  int m, c, threads;
  MatrixXd Czs;
  template <typename F>
  void for_each_cluster(int nchunk, int ch, F&& f) const {
    Cr2Parts lifted;
    for_each_cr2_cluster(d, cl, resid, wh, engine, nchunk, ch, [&](const Cr2Parts& p) {
      f(m == 1 ? p : lift_parts(p, m, lifted));
    });
  }
};

// The contrasts in whitened coordinates (C (I_m (x) R^{-1})), rows scaled to unit
// length: the test of C b = 0 does not depend on the scale of the rows of C, and the
// eigenvalue cut of the normalisation is then free of the units of the coefficients.
MatrixXd whitened_contrasts(const MatrixXd& C, const Whitening& wh, int k, int m) {
  MatrixXd Cw(C.rows(), C.cols());
  for (int j = 0; j < m; ++j)
    Cw.middleCols(j * k, k) = C.middleCols(j * k, k) * wh.rinv.triangularView<Eigen::Upper>();
  for (Eigen::Index r = 0; r < Cw.rows(); ++r) {
    const double nr = Cw.row(r).norm();
    if (nr > 0) Cw.row(r) /= nr;
  }
  return Cw;
}

// Pass 1: Omega_HT = sum_g P[., ., g, g] for the (whitened) contrasts Cmat.
MatrixXd htz_omega(const HtzContext& h, const MatrixXd& Cmat) {
  const int q = static_cast<int>(Cmat.rows());
  const int nchunk = n_cluster_chunks(h.cl.G);
  std::vector<MatrixXd> part(nchunk);
  parallel_for(nchunk, h.threads, [&](std::ptrdiff_t chunk) {
    const int ch = static_cast<int>(chunk);
    part[ch] = MatrixXd::Zero(q, q);
    h.for_each_cluster(nchunk, ch, [&](const Cr2Parts& parts) {
      MatrixXd Yc = parts.Y * Cmat.transpose();
      part[ch] += Cmat * parts.S * Cmat.transpose() - Yc.transpose() * h.Czs * Yc;
    });
  });
  MatrixXd OmHT = MatrixXd::Zero(q, q);
  for (auto& p : part) OmHT += p;
  return OmHT;
}

// Pass 2 for the normalised contrasts Ct: the total variance sum(T) of the HTZ test.
double htz_total_variance(const HtzContext& h, const MatrixXd& Ct) {
  const int q = static_cast<int>(Ct.rows());
  const int c = h.c;
  const int nchunk = n_cluster_chunks(h.cl.G);
  // Pass 2: the total variance of the normalised estimator,
  //   sum_{s,t} sum_{g,h} (P^st_gh P^ts_gh + P^ss_gh P^tt_gh),
  // P^st_gh = delta_gh sigma^st_g - N^st_gh, N^st_gh = y_gs'Cz y_ht. As for the df, each
  // double sum is sum_g P_gg P'_gg + [tr(Cz T Cz T') - sum_g N_gg N'_gg] with the
  // bracket (the off-diagonal part) accumulated in double-double: T_st = sum_g y_gs y_gt'
  // are the blocks of the (cq x cq) sum of vec(Y_g) vec(Y_g)'.
  const int nchunk2 = std::min(nchunk, 8);
  const int cq = c * q;
  struct Acc {
    std::vector<ddouble> D1, D2, K1, K2;  // q x q, column-major
    MatrixXd Thi, Tlo;                    // lower triangle of T
  };
  const bool cz_identity = !h.d.weighted();
  const MatrixXd& Cz = h.Czs;
  std::vector<Acc> acc(nchunk2);
  parallel_for(nchunk2, h.threads, [&](std::ptrdiff_t chunk) {
    const int ch = static_cast<int>(chunk);
    Acc& a = acc[ch];
    a.D1.assign(static_cast<size_t>(q) * q, ddouble(0));
    a.D2 = a.K1 = a.K2 = a.D1;
    a.Thi = MatrixXd::Zero(cq, cq);
    a.Tlo = MatrixXd::Zero(cq, cq);
    std::vector<ddouble> N(static_cast<size_t>(q) * q), P(N.size());
    h.for_each_cluster(nchunk2, ch, [&](const Cr2Parts& parts) {
      const MatrixXd sig = Ct * parts.S * Ct.transpose();
      const MatrixXd Yt = parts.Y * Ct.transpose();  // c x q
      for (int t = 0; t < q; ++t) {
        for (int s = 0; s <= t; ++s) {
          const ddouble n = dd_quad_form(Cz, cz_identity, Yt.col(s).data(), Yt.col(t).data(), c);
          N[static_cast<size_t>(t) * q + s] = N[static_cast<size_t>(s) * q + t] = n;
          P[static_cast<size_t>(t) * q + s] = P[static_cast<size_t>(s) * q + t] =
              ddouble(sig(s, t)) - n;
        }
      }
      for (int t = 0; t < q; ++t) {
        for (int s = 0; s < q; ++s) {
          const size_t st = static_cast<size_t>(t) * q + s;
          const size_t ss = static_cast<size_t>(s) * q + s, tt = static_cast<size_t>(t) * q + t;
          a.D1[st] += P[st] * P[st];
          a.D2[st] += P[ss] * P[tt];
          a.K1[st] += N[st] * N[st];
          a.K2[st] += N[ss] * N[tt];
        }
      }
      dd_rank1(a.Thi, a.Tlo, Yt.data(), cq);
    });
  });
  std::vector<ddouble> D1(static_cast<size_t>(q) * q, ddouble(0)), D2(D1), K1(D1), K2(D1);
  std::vector<ddouble> T(static_cast<size_t>(cq) * cq, ddouble(0));
  for (const Acc& a : acc) {
    for (size_t m = 0; m < D1.size(); ++m) {
      D1[m] += a.D1[m];
      D2[m] += a.D2[m];
      K1[m] += a.K1[m];
      K2[m] += a.K2[m];
    }
    for (int b = 0; b < cq; ++b)
      for (int r = b; r < cq; ++r) T[static_cast<size_t>(b) * cq + r] += ddouble(a.Thi(r, b), a.Tlo(r, b));
  }
  for (int b = 0; b < cq; ++b)
    for (int r = 0; r < b; ++r) T[static_cast<size_t>(b) * cq + r] = T[static_cast<size_t>(r) * cq + b];
  // block (x, y) of T, c x c, column-major
  auto block = [&](int x, int y) {
    std::vector<ddouble> B(static_cast<size_t>(c) * c);
    for (int j = 0; j < c; ++j)
      for (int i = 0; i < c; ++i)
        B[static_cast<size_t>(j) * c + i] = T[static_cast<size_t>(y * c + j) * cq + x * c + i];
    return B;
  };
  ddouble total = 0;
  for (int s = 0; s < q; ++s) {
    for (int t = 0; t < q; ++t) {
      const size_t st = static_cast<size_t>(t) * q + s;
      const std::vector<ddouble> Tts = block(t, s), Tst = block(s, t);
      const ddouble first = D1[st] + (dd_trace_cz(Cz, cz_identity, Tts, Tts, c) - K1[st]);
      const ddouble second = D2[st] + (dd_trace_cz(Cz, cz_identity, Tst, Tts, c) - K2[st]);
      total += first + second;
    }
  }
  return static_cast<double>(total);
}

}  // namespace

double htz_nu(const Design& d, const double* resid, const Whitening& wh,
              const Clusters& cl, const MatrixXd& Cmat_orig, int threads) {
  const int q = static_cast<int>(Cmat_orig.rows());
  const int k = d.k();
  if (k == 0 || Cmat_orig.cols() % k != 0)
    throw std::invalid_argument("the contrasts of the HTZ test need k or m k columns");
  const int m = static_cast<int>(Cmat_orig.cols() / k);  // outcomes (stacked equations)
  const MatrixXd Cmat = whitened_contrasts(Cmat_orig, wh, k, m);
  const MatrixXd Om = omega_matrix(d, wh, threads);
  const Cr2Engine engine(k, Om, d.weighted());
  const HtzContext h{d, cl, resid, wh, engine, m, m * engine.c(), threads,
                     stack_blocks(engine.Cz(), m)};
  const MatrixXd Ct = sym_inv_sqrt(htz_omega(h, Cmat)) * Cmat;
  return q * (q + 1.0) / htz_total_variance(h, Ct);
}

// One pass over the clusters accumulating the df sums of the contrasts Gamma (whitened,
// k x m), per chunk of clusters.
template <typename Sums>
std::vector<Sums> df_pass(const Design& d, const Clusters& cl, const double* resid,
                          const Whitening& wh, const Cr2Engine& engine, const MatrixXd& Gamma,
                          int threads) {
  const int m = static_cast<int>(Gamma.cols());
  const int nchunk = std::min(n_cluster_chunks(cl.G), 8);
  std::vector<Sums> parts(nchunk);
  parallel_for(nchunk, threads, [&](std::ptrdiff_t chunk) {
    const int ch = static_cast<int>(chunk);
    int g0, g1;
    chunk_clusters(cl.G, nchunk, ch, g0, g1);
    parts[ch] = Sums(m, engine.c(), g1 - g0, !d.weighted());
    VectorXd y;
    for_each_cr2_cluster(d, cl, resid, wh, engine, nchunk, ch, [&](const Cr2Parts& p) {
      for (int j = 0; j < m; ++j) {
        const auto gj = Gamma.col(j);
        y.noalias() = p.Y * gj;
        parts[ch].add(j, gj.dot(p.S * gj), y, engine.Cz());
      }
    });
    parts[ch].finish();
  });
  return parts;
}

VectorXd contrast_df(const Design& d, const double* resid, const Whitening& wh,
                     const Clusters& cl, const MatrixXd& Cmat, int threads) {
  const int k = d.k();
  const MatrixXd Gamma = wh.rinv.transpose() * Cmat.transpose();  // k x m, whitened
  const MatrixXd Om = omega_matrix(d, wh, threads);
  Cr2Engine engine(k, Om, d.weighted());
  // Fast pass for all contrasts; those whose sum of squares kept fewer than about 11
  // digits (cancellation below 1e-5) are summed again in double-double.
  VectorXd cancel;
  VectorXd df = DfSumsFast::df(df_pass<DfSumsFast>(d, cl, resid, wh, engine, Gamma, threads),
                               engine.Cz(), &cancel);
  std::vector<int> redo;
  for (int j = 0; j < df.size(); ++j)
    if (!(cancel[j] > tol::kDfCancellation)) redo.push_back(j);
  if (!redo.empty()) {
    MatrixXd G2(k, static_cast<int>(redo.size()));
    for (size_t j = 0; j < redo.size(); ++j) G2.col(j) = Gamma.col(redo[j]);
    const VectorXd exact = DfSumsExact::df(
        df_pass<DfSumsExact>(d, cl, resid, wh, engine, G2, threads), engine.Cz());
    for (size_t j = 0; j < redo.size(); ++j) df[redo[j]] = exact[j];
  }
  return df;
}

}  // namespace dm
