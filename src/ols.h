// Least-squares fitter: Cholesky of the equilibrated Gram matrix when it is well
// conditioned, otherwise a Householder QR in extended precision with lm-style pivoting.
#ifndef DIGIMATURITY_OLS_H
#define DIGIMATURITY_OLS_H

#include "design.h"
#include <string>
#include <vector>

namespace dm {

enum class Solver { Cholesky = 0, QRExtended = 1, QRQuad = 2 };

struct OlsFit {
  VectorXd coef;             // length k; NaN where aliased
  std::vector<int> kept;     // non-aliased columns, in their original order
  MatrixXd bread;            // (X'WX)^{-1} over the kept columns
  MatrixXd chol_lower;       // L, lower triangular, with X'WX = L L' over the kept columns
  VectorXd resid;            // y - X b, length n
  VectorXd fitted;           // X b, length n
  double rss = 0;            // sum of w * resid^2
  Solver solver = Solver::Cholesky;
  int rank() const { return static_cast<int>(kept.size()); }
};

// Fits y on the design. `tol` is the relative tolerance below which a column, after
// orthogonalisation on the columns before it, counts as aliased (lm's rule, with a
// tighter default). `rcond_min` is the smallest reciprocal condition number of the
// equilibrated Gram matrix for which the Cholesky path is used.
OlsFit ols_fit(const Design& d, const double* y, int threads, double tol,
               double rcond_min);

// Design restricted to the given columns.
Design subset_columns(const Design& d, const std::vector<int>& cols);

}  // namespace dm

#endif
