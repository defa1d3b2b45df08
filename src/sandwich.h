// Sandwich variance estimators (HC0-HC3, CR0-CR3), Satterthwaite df and the HTZ test.
#ifndef DIGIMATURITY_SANDWICH_H
#define DIGIMATURITY_SANDWICH_H

#include "design.h"
#include <vector>

namespace dm {

enum class VcovType { Classical = 0, HC0, HC1, HC2, HC3, CR0, CR1, CR1S, CR2, CR3 };

inline bool is_cluster_type(VcovType t) { return t >= VcovType::CR0; }

// Rows of each cluster: cluster codes 0..G-1 sorted by a counting sort.
struct Clusters {
  int G = 0;
  std::vector<int> start;  // length G + 1
  std::vector<int> rows;   // row indices grouped by cluster
  Clusters(const int* code, std::ptrdiff_t n, int G);
};

// The whitening of a fit: z_i = sqrt(w_i) R^{-T} x_i with X'WX = R'R, so that the
// whitened design Z = W^{1/2} X R^{-1} has orthonormal columns. Every robust variance is
// formed from Z and mapped back as R^{-1} S R^{-T}: its accuracy does not depend on the
// condition of X. R^{-1} = rinv + rinv_lo; with rinv_lo (the QR path) the rows of Z are
// accumulated in double-double.
struct Whitening {
  MatrixXd rinv, rinv_lo;
  int k() const { return static_cast<int>(rinv.cols()); }
  // Z (len x k) from the rows Xb of the design; w: their weights (nullptr: unweighted
  // rows x_i' R^{-1}, without sqrt(w_i)).
  void apply(const MatrixXd& Xb, const double* w, MatrixXd& Z) const;
  // R^{-1} S R^{-T}
  MatrixXd unwhiten(const MatrixXd& S) const;
  // (I_m (x) R^{-1}) S (I_m (x) R^{-T}) for an mk x mk S: block (a, b) is
  // R^{-1} S_ab R^{-T} (m = 1: unwhiten()).
  MatrixXd unwhiten_blocks(const MatrixXd& S, int m) const;
};

// The CR3 jackknife of one cluster, written once for the CR3 variance and
// dm_cluster_summary(): from the cluster's whitened rows Z_g (n_g x k, weights
// included), the non-zero spectrum of P_g = Z_g'Z_g (eigenvalues lam in [0, 1], unit
// eigenvectors V, from the smaller of Z_g'Z_g and Z_g Z_g'), and
// (I - P_g)^{-1} s = s + V diag(lam / (1 - lam)) V's, with the pseudo-inverse (the
// component removed) where an eigenvalue is one (tol::kLeverageOne).
struct ClusterJackknife {
  VectorXd lam;
  MatrixXd V;  // k x r
  explicit ClusterJackknife(const MatrixXd& Zg);
  // True when an eigenvalue is one (the cluster alone identifies a direction); its
  // eigenvectors are appended to `dirs` when given.
  bool leverage_one(std::vector<VectorXd>* dirs = nullptr) const;
  // s <- (I - P_g)^{-1} s for the columns of s (k x m).
  void apply(MatrixXd& s) const;
};

struct VcovResult {
  MatrixXd V;          // over the columns of the design (the non-aliased ones)
  // HC2/HC3: rows (0-based) with leverage one; CR2/CR3: clusters (0-based) whose
  // removal leaves X'WX singular. The variance is undefined in their directions: the
  // coefficients that load on them are listed in `undefined` and are NaN in V.
  std::vector<int> leverage_one;
  std::vector<int> undefined;
};

// The variance of the coefficients of a fit with design `d` (non-aliased columns),
// residuals `resid` and whitening `wh`.
//
// Several outcomes on the same design and weights: `resid` holds m columns of length n
// (column-major) and V is the mk x mk covariance of the stacked coefficients
// (equation-major: block (a, b) of k x k is Cov(b_a, b_b)), from one meat of the
// stacked whitened scores, S = sum_g vec(Z_g' W_g^{1/2} E_g) vec(.)', mapped back by
// (I_m (x) R^{-1}). The HC2/HC3 and CR2/CR3 adjustments act on each residual column with
// the same per-row or per-cluster matrices (they depend on X and w only), the
// small-sample factors are those of a single fit (n, k of one equation), and
// `Classical` is Sigma (x) (X'WX)^{-1} with Sigma = E'WE / (n - k). Row and column j
// of every block is NaN for the coefficients listed in `undefined` (0..k-1).
VcovResult sandwich_vcov(const Design& d, const double* resid, const Whitening& wh,
                         VcovType type, const Clusters* cl, int threads, int m = 1);

// Leverages h_i = |z_i|^2 = w_i x_i' (X'WX)^{-1} x_i from the whitening (in
// double-double where the whitening carries rinv_lo); they sum to k.
VectorXd leverages(const Design& d, const Whitening& wh, int threads);

// HTZ test (Tipton and Pustejovsky 2015) of C b = 0 for a CR2 fit: returns the Hotelling
// degrees of freedom nu; the caller forms F = (nu - q + 1) / (nu * q) * Q and its
// p-value on (q, nu - q + 1) df. C has k columns (one fit) or mk (the stacked
// coefficients of m outcomes on the same design, equation-major as in sandwich_vcov():
// the stacked design is I_m (x) X, so every per-cluster piece is I_m (x) its piece).
double htz_nu(const Design& d, const double* resid, const Whitening& wh,
              const Clusters& cl, const MatrixXd& C, int threads);

// Satterthwaite df of each contrast (row of C) for a CR2 fit (C = I: the df of each
// coefficient).
VectorXd contrast_df(const Design& d, const double* resid, const Whitening& wh,
                     const Clusters& cl, const MatrixXd& C, int threads);

}  // namespace dm

#endif
