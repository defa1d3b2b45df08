// Least-squares fitter: Cholesky of the equilibrated Gram matrix when it is well
// conditioned, otherwise a Householder QR in extended precision with lm-style pivoting.
#ifndef DIGIMATURITY_OLS_H
#define DIGIMATURITY_OLS_H

#include "design.h"
#include <string>
#include <vector>

namespace dm {

// The solver used; the QR variants name the precision its arithmetic was done in.
enum class Solver { Cholesky = 0, QRExtended = 1, QRQuad = 2, QRDoubleDouble = 3, QRDouble = 4 };

// Precision asked for the QR path: Auto picks quadruple precision for small designs where
// __float128 exists, else long double when it is wider than double at run time (it is
// not under valgrind, nor on arm64 macOS), else double-double. Building with
// -DDIGIMATURITY_PLAIN_DOUBLE makes Auto mean Double.
enum class Precision { Auto = 0, Double = 1, DoubleDouble = 2, LongDouble = 3, Quad = 4 };

struct OlsFit {
  VectorXd coef;             // length k; NaN where aliased
  std::vector<int> kept;     // non-aliased columns, in their original order
  MatrixXd bread;            // (X'WX)^{-1} over the kept columns
  // R^{-1} (upper triangular) with X'WX = R'R over the kept columns: the whitening
  // z_i = sqrt(w_i) R^{-T} x_i of every robust variance. On the QR path R^{-1} is known
  // in extended precision and rinv_lo holds the rest, R^{-1} = rinv + rinv_lo;
  // otherwise rinv_lo is empty.
  MatrixXd rinv, rinv_lo;
  VectorXd resid;            // y - X b, length n
  VectorXd fitted;           // X b, length n
  double rss = 0;            // sum of w * resid^2
  // 1 / (|R|_F |R^{-1}|_F) of the column-equilibrated factor: the reciprocal condition
  // number (Frobenius) of the equilibrated, weighted design.
  double rcond = 1;
  Solver solver = Solver::Cholesky;
  int rank() const { return static_cast<int>(kept.size()); }
};

// Fits y on the design. `tol` is the relative tolerance below which a column, after
// orthogonalisation on the columns before it, counts as aliased (lm's rule, with a
// tighter default). `rcond_min` is the smallest reciprocal condition number of the
// equilibrated Gram matrix for which the Cholesky path is used.
OlsFit ols_fit(const Design& d, const double* y, int threads, double tol,
               double rcond_min, Precision precision = Precision::Auto);

// True when long double carries more bits than double at run time.
bool long_double_is_wide();

// The solver Precision::Auto resolves to for an n x k design on the QR path.
Solver auto_qr_solver(std::ptrdiff_t n, int k);

// Design restricted to the given columns.
Design subset_columns(const Design& d, const std::vector<int>& cols);

}  // namespace dm

#endif
