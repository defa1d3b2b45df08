// Least-squares fitter: equilibrated Cholesky with one refinement step for well
// conditioned designs; Householder QR in extended (or quadruple) precision otherwise.
#include "ols.h"

#include "ddouble.h"

#include <cfloat>
#include <cmath>
#include <limits>
#include <stdexcept>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace dm {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- Gram path -------------------------------------------------------------------

// X'WX and X'Wy summed block by block in a fixed order.
void gram(const Design& d, const double* y, int threads, MatrixXd& G, VectorXd& Xty) {
  std::vector<VectorXd> vb(n_blocks(d.n));
  G = scaled_gram(d, threads, [&](std::ptrdiff_t start, std::ptrdiff_t len, MatrixXd& Xb) {
    Eigen::Map<const VectorXd> yb(y + start, len);
    if (d.weighted()) {
      const VectorXd sw = Eigen::Map<const VectorXd>(d.weights + start, len).cwiseSqrt();
      Xb.array().colwise() *= sw.array();
      vb[start / kBlockRows] = Xb.transpose() * yb.cwiseProduct(sw);
    } else {
      vb[start / kBlockRows] = Xb.transpose() * yb;
    }
  });
  Xty = VectorXd::Zero(d.k());
  for (const VectorXd& v : vb) Xty += v;
}

// resid = y - X b, fitted = X b; optionally X'W resid.
void residuals(const Design& d, const double* y, const VectorXd& b, int threads,
               VectorXd& resid, VectorXd& fitted, VectorXd* Xtr) {
  const int k = d.k();
  resid.resize(d.n);
  fitted.resize(d.n);
  std::vector<VectorXd> vb(Xtr ? n_blocks(d.n) : 0);
  for_each_block(d, threads, [&](std::ptrdiff_t blk, std::ptrdiff_t start, std::ptrdiff_t len,
                                 MatrixXd& Xb) {
    // y - X b accumulated in extended precision: the cancellation between y and X b
    // would otherwise limit the refinement step.
    std::vector<long double> acc(len, 0.0L);
    for (int j = 0; j < k; ++j) {
      const long double bj = b[j];
      const double* c = Xb.col(j).data();
      for (std::ptrdiff_t i = 0; i < len; ++i) acc[i] += static_cast<long double>(c[i]) * bj;
    }
    for (std::ptrdiff_t i = 0; i < len; ++i) {
      fitted[start + i] = static_cast<double>(acc[i]);
      resid[start + i] = static_cast<double>(static_cast<long double>(y[start + i]) - acc[i]);
    }
    if (Xtr) {
      VectorXd wr = resid.segment(start, len);
      if (d.weighted())
        wr.array() *= Eigen::Map<const VectorXd>(d.weights + start, len).array();
      vb[blk] = Xb.transpose() * wr;
    }
  });
  if (Xtr) {
    *Xtr = VectorXd::Zero(k);
    for (const VectorXd& v : vb) *Xtr += v;
  }
}

double weighted_rss(const Design& d, const VectorXd& resid) {
  long double s = 0;
  for (std::ptrdiff_t i = 0; i < d.n; ++i) {
    const long double r = resid[i];
    s += weight(d, i) * r * r;
  }
  return static_cast<double>(s);
}

// ---- QR path in extended precision -------------------------------------------------

template <typename T>
T t_sqrt(T x) {
  if (!(x > 0)) return T(0);
  T r = static_cast<T>(std::sqrt(static_cast<double>(x)));
  for (int it = 0; it < 3; ++it) r = (r + x / r) / 2;
  return r;
}

// Householder QR of the equilibrated, row-weighted design in precision T. Columns are
// taken in their order; a column whose norm after orthogonalisation on the accepted
// columns falls below `tol` times its original norm is aliased (the rule of LINPACK's
// dqrdc2 used by lm, with its limited pivoting). The steps, in order: equilibrate(),
// factor(), solve() (with refinement), then residuals_to() and inverse_to() fill the fit.
template <typename T>
class QrFit {
 public:
  QrFit(const Design& d, const double* y) : d_(d), y_(y), n_(d.n), k_(d.k()) {}

  // A = W^{1/2} X with unit columns (scale_j = 1 / norm), z = W^{1/2} y.
  void equilibrate() {
    A_.assign(static_cast<size_t>(n_) * k_, T(0));
    sw_.resize(n_);
    z_.resize(n_);
    for (std::ptrdiff_t i = 0; i < n_; ++i) {
      sw_[i] = d_.weighted() ? t_sqrt<T>(static_cast<T>(d_.weights[i])) : T(1);
      z_[i] = sw_[i] * static_cast<T>(y_[i]);
    }
    scale_.assign(k_, T(0));
    for (int j = 0; j < k_; ++j) {
      T* a = col(j);
      T ss = 0;
      for (std::ptrdiff_t i = 0; i < n_; ++i) {
        a[i] = sw_[i] * static_cast<T>(d_.cols[j][i]);
        ss += a[i] * a[i];
      }
      T nrm = t_sqrt(ss);
      scale_[j] = nrm > 0 ? T(1) / nrm : T(0);
      for (std::ptrdiff_t i = 0; i < n_; ++i) a[i] *= scale_[j];
    }
  }

  // Householder reflections column by column (applied to the later columns and to z);
  // aliased columns are skipped. Returns the rank.
  int factor(double tol) {
    for (int j = 0; j < k_; ++j) {
      T* a = col(j);
      const std::ptrdiff_t r = static_cast<std::ptrdiff_t>(kept_.size());
      if (scale_[j] == 0 || r >= n_) continue;  // zero column or no rows left: aliased
      T ss = 0;
      for (std::ptrdiff_t i = r; i < n_; ++i) ss += a[i] * a[i];
      const T nrm = t_sqrt(ss);
      if (!(nrm >= static_cast<T>(tol))) continue;  // aliased (original norm is 1)
      // Householder vector for a[r..n-1]
      std::vector<T> v(a + r, a + n_);
      const T alpha = v[0] >= 0 ? -nrm : nrm;
      v[0] -= alpha;
      T vnorm2 = 0;
      for (const T& x : v) vnorm2 += x * x;
      const T beta = vnorm2 > 0 ? T(2) / vnorm2 : T(0);
      // apply to this and all later columns, and to z
      auto apply = [&](T* c) {
        T s = 0;
        for (std::ptrdiff_t i = r; i < n_; ++i) s += v[i - r] * c[i];
        s *= beta;
        for (std::ptrdiff_t i = r; i < n_; ++i) c[i] -= s * v[i - r];
      };
      for (int jj = j; jj < k_; ++jj) apply(col(jj));
      apply(z_.data());
      reflectors_.push_back(std::move(v));
      betas_.push_back(beta);
      kept_.push_back(j);
    }
    p_ = static_cast<int>(kept_.size());
    // R (p x p, upper) from the transformed columns
    R_.assign(static_cast<size_t>(p_) * p_, T(0));
    for (int c = 0; c < p_; ++c) {
      const T* a = col(kept_[c]);
      for (int r = 0; r <= c; ++r) R_[static_cast<size_t>(c) * p_ + r] = a[r];
    }
    return p_;
  }
  const std::vector<int>& kept() const { return kept_; }

  // Coefficients of the equilibrated design from R b = Q'z, then two refinement steps
  // on the residuals of the original data in precision T.
  void solve() {
    zc_.assign(z_.begin(), z_.begin() + p_);
    back_solve(zc_);
    res_.resize(n_);
    for (int step = 0; step < 2; ++step) {
      compute_res();
      std::vector<T> wr(n_);
      for (std::ptrdiff_t i = 0; i < n_; ++i) wr[i] = sw_[i] * res_[i];
      apply_qt(wr);
      std::vector<T> dz(wr.begin(), wr.begin() + p_);
      back_solve(dz);
      for (int c = 0; c < p_; ++c) zc_[c] += dz[c];
    }
    compute_res();
  }

  // Coefficients (NaN where aliased), residuals, fitted values and the weighted RSS.
  void residuals_to(OlsFit& fit) const {
    fit.coef = VectorXd::Constant(k_, kNaN);
    for (int c = 0; c < p_; ++c)
      fit.coef[kept_[c]] = static_cast<double>(zc_[c] * scale_[kept_[c]]);
    fit.resid.resize(n_);
    fit.fitted.resize(n_);
    T rss = 0;
    for (std::ptrdiff_t i = 0; i < n_; ++i) {
      fit.resid[i] = static_cast<double>(res_[i]);
      fit.fitted[i] = static_cast<double>(static_cast<T>(y_[i]) - res_[i]);
      rss += sw_[i] * sw_[i] * res_[i] * res_[i];
    }
    fit.rss = static_cast<double>(rss);
  }

  // R^{-1} of the unscaled design, D R_eq^{-1} with D = diag(scale), in precision T;
  // (R'R)^{-1} = R^{-1} R^{-T} also in precision T. rinv + rinv_lo keeps R^{-1} to
  // about twice double precision for the whitening of the robust variances. Also the
  // reciprocal condition number of the equilibrated R.
  void inverse_to(OlsFit& fit) {
    const int p = p_;
    std::vector<T> Rinv(static_cast<size_t>(p) * p, T(0));
    T norm_r = 0, norm_rinv = 0;  // Frobenius norms of the equilibrated R and R^{-1}
    for (int c = 0; c < p; ++c)
      for (int r = 0; r <= c; ++r) norm_r += Rat(r, c) * Rat(r, c);
    for (int c = 0; c < p; ++c) {
      std::vector<T> e(p, T(0));
      e[c] = 1;
      back_solve(e);
      for (int r = 0; r <= c; ++r) norm_rinv += e[r] * e[r];
      for (int r = 0; r <= c; ++r)
        Rinv[static_cast<size_t>(c) * p + r] = e[r] * scale_[kept_[r]];
    }
    fit.rcond = 1.0 / std::sqrt(static_cast<double>(norm_r) * static_cast<double>(norm_rinv));
    fit.rinv = MatrixXd::Zero(p, p);
    fit.rinv_lo = MatrixXd::Zero(p, p);
    for (int c = 0; c < p; ++c) {
      for (int r = 0; r <= c; ++r) {
        const T v = Rinv[static_cast<size_t>(c) * p + r];
        const double hi = static_cast<double>(v);
        fit.rinv(r, c) = hi;
        fit.rinv_lo(r, c) = static_cast<double>(v - static_cast<T>(hi));
      }
    }
    fit.bread.resize(p, p);
    for (int a = 0; a < p; ++a) {
      for (int b = 0; b <= a; ++b) {
        T s = 0;
        for (int c = std::max(a, b); c < p; ++c)
          s += Rinv[static_cast<size_t>(c) * p + a] * Rinv[static_cast<size_t>(c) * p + b];
        const double v = static_cast<double>(s);
        fit.bread(a, b) = v;
        fit.bread(b, a) = v;
      }
    }
  }

 private:
  T* col(int j) { return &A_[static_cast<size_t>(j) * n_]; }
  const T* col(int j) const { return &A_[static_cast<size_t>(j) * n_]; }
  T Rat(int r, int c) const { return R_[static_cast<size_t>(c) * p_ + r]; }
  void back_solve(std::vector<T>& rhs) const {
    for (int r = p_ - 1; r >= 0; --r) {
      T s = rhs[r];
      for (int c = r + 1; c < p_; ++c) s -= Rat(r, c) * rhs[c];
      rhs[r] = s / Rat(r, r);
    }
  }
  void apply_qt(std::vector<T>& vec) const {
    for (int m = 0; m < p_; ++m) {
      const std::vector<T>& v = reflectors_[m];
      T s = 0;
      for (std::ptrdiff_t i = m; i < n_; ++i) s += v[i - m] * vec[i];
      s *= betas_[m];
      for (std::ptrdiff_t i = m; i < n_; ++i) vec[i] -= s * v[i - m];
    }
  }
  // Residuals of the original data in precision T.
  void compute_res() {
    for (std::ptrdiff_t i = 0; i < n_; ++i) {
      T f = 0;
      for (int c = 0; c < p_; ++c)
        f += static_cast<T>(d_.cols[kept_[c]][i]) * (zc_[c] * scale_[kept_[c]]);
      res_[i] = static_cast<T>(y_[i]) - f;
    }
  }

  const Design& d_;
  const double* y_;
  std::ptrdiff_t n_;
  int k_, p_ = 0;
  std::vector<T> A_, sw_, z_, scale_, R_, zc_, res_;
  std::vector<int> kept_;
  std::vector<std::vector<T>> reflectors_;  // Householder vectors v (rows r..n-1)
  std::vector<T> betas_;
};

template <typename T>
void qr_fit(const Design& d, const double* y, double tol, OlsFit& fit) {
  QrFit<T> qr(d, y);
  qr.equilibrate();
  const int p = qr.factor(tol);
  fit.kept = qr.kept();
  if (p == 0) return;
  qr.solve();
  qr.residuals_to(fit);
  qr.inverse_to(fit);
}

}  // namespace

Design subset_columns(const Design& d, const std::vector<int>& cols) {
  Design out;
  out.n = d.n;
  out.weights = d.weights;
  for (int j : cols) out.cols.push_back(d.cols[j]);
  return out;
}

bool long_double_is_wide() {
  // Decided at run time: valgrind, for one, runs x87 long double arithmetic in double.
  volatile long double one = 1.0L;
  volatile long double tiny = std::ldexp(1.0L, -60);
  return LDBL_MANT_DIG > 53 && (one + tiny) != one;
}

Solver auto_qr_solver(std::ptrdiff_t n, int k) {
#ifdef DIGIMATURITY_PLAIN_DOUBLE
  (void)n;
  (void)k;
  return Solver::QRDouble;
#else
#ifdef __SIZEOF_FLOAT128__
  // Quadruple precision (software) for small problems, where it costs little.
  if (static_cast<double>(n) * k * k <= 4e6) return Solver::QRQuad;
#endif
  (void)n;
  (void)k;
  return long_double_is_wide() ? Solver::QRExtended : Solver::QRDoubleDouble;
#endif
}

OlsFit ols_fit(const Design& d, const double* y, int threads, double tol,
               double rcond_min, Precision precision) {
  const int k = d.k();
  if (k == 0) throw std::invalid_argument("the design has no columns");
  OlsFit fit;
  MatrixXd G;
  VectorXd Xty;
  gram(d, y, threads, G, Xty);
  VectorXd dscale(k);
  bool zero_col = false;
  for (int j = 0; j < k; ++j) {
    if (!(G(j, j) > 0)) zero_col = true;
    dscale[j] = G(j, j) > 0 ? 1.0 / std::sqrt(G(j, j)) : 0.0;
  }
  bool use_chol = !zero_col && d.n > k;
  Eigen::LLT<MatrixXd> llt;
  if (use_chol) {
    MatrixXd Gs = dscale.asDiagonal() * G * dscale.asDiagonal();
    llt.compute(Gs);
    if (llt.info() != Eigen::Success) {
      use_chol = false;
    } else {
      use_chol = llt.rcond() >= rcond_min;
    }
  }
  if (use_chol) {
    fit.solver = Solver::Cholesky;
    fit.kept.resize(k);
    for (int j = 0; j < k; ++j) fit.kept[j] = j;
    VectorXd b = dscale.asDiagonal() * llt.solve(dscale.asDiagonal() * Xty);
    // one step of iterative refinement with the residuals of the data
    VectorXd Xtr;
    residuals(d, y, b, threads, fit.resid, fit.fitted, &Xtr);
    b += dscale.asDiagonal() * llt.solve(dscale.asDiagonal() * Xtr);
    residuals(d, y, b, threads, fit.resid, fit.fitted, nullptr);
    fit.coef = b;
    fit.rss = weighted_rss(d, fit.resid);
    // X'WX = R'R with R = L_eq' D^{-1}: R^{-1} = D L_eq^{-T}, M = R^{-1} R^{-T}.
    MatrixXd Linv = llt.matrixL().solve(MatrixXd::Identity(k, k));
    fit.rinv = dscale.asDiagonal() * Linv.transpose();
    fit.rinv.triangularView<Eigen::StrictlyLower>().setZero();
    fit.rinv_lo.resize(0, 0);
    {
      const MatrixXd Leq = llt.matrixL();
      fit.rcond = 1.0 / (Leq.norm() * Linv.norm());
    }
    fit.bread = fit.rinv * fit.rinv.transpose();
    fit.bread = 0.5 * (fit.bread + fit.bread.transpose()).eval();
    return fit;
  }
  Precision prec = precision;
#ifdef DIGIMATURITY_PLAIN_DOUBLE
  if (prec == Precision::Auto) prec = Precision::Double;
#endif
  Solver solver = Solver::QRDouble;
  switch (prec) {
    case Precision::Auto: solver = auto_qr_solver(d.n, k); break;
    case Precision::Double: solver = Solver::QRDouble; break;
    case Precision::DoubleDouble: solver = Solver::QRDoubleDouble; break;
    case Precision::LongDouble: solver = Solver::QRExtended; break;
    case Precision::Quad:
#ifdef __SIZEOF_FLOAT128__
      solver = Solver::QRQuad;
#else
      throw std::invalid_argument("quadruple precision (__float128) is not available here");
#endif
      break;
  }
  switch (solver) {
#ifdef __SIZEOF_FLOAT128__
    case Solver::QRQuad: qr_fit<__float128>(d, y, tol, fit); break;
#endif
    case Solver::QRExtended: qr_fit<long double>(d, y, tol, fit); break;
    case Solver::QRDoubleDouble: qr_fit<ddouble>(d, y, tol, fit); break;
    default: qr_fit<double>(d, y, tol, fit); break;
  }
  fit.solver = solver;
  return fit;
}

}  // namespace dm
