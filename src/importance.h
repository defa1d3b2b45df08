// R-squared of every subset of blocks of predictors from one cross-product matrix, the
// Shapley (LMG) decomposition of R-squared and its cluster bootstrap.
#ifndef DIGIMATURITY_IMPORTANCE_H
#define DIGIMATURITY_IMPORTANCE_H

#include "design.h"

#include <vector>

namespace dm {

// Blocks of columns of a (p + 1) x (p + 1) centred cross-product matrix C whose last
// row/column is the response. `always`: columns in every model.
struct BlockSpec {
  std::vector<std::vector<int>> blocks;
  std::vector<int> always;
  int nb() const { return static_cast<int>(blocks.size()); }
};

// R^2 of the model with the blocks in `mask` (bit b: block b) and the `always` columns,
// for every mask in [0, 2^nb): a depth-first walk over the subsets in which each model
// appends one block's columns to its parent's Cholesky factor (O(p^2) per column, no
// refit, no downdate). A column that adds less than 1e-10 of its variance (collinear
// with those before it) is skipped.
VectorXd subset_r2(const MatrixXd& C, const BlockSpec& spec);

struct Importance {
  VectorXd lmg, first, last;  // per block: Shapley share, R^2 alone, R^2 added last
  double r2 = 0, r2_always = 0;
};

// LMG shares (sum over orders of the R^2 added by each block; they add up to
// r2 - r2_always), R^2 added first (after `always`) and last.
Importance importance_from_r2(const VectorXd& r2, int nb);

// The cluster bootstrap: `mom` holds per cluster (columns) the weight sum and the
// (weighted, centred) sums and cross-products of the p + 1 variables
// (1 + (p + 1) + (p + 1)^2 rows); `counts` (G x B) how often each cluster is drawn.
// Returns 3 nb x B: the lmg, first and last of each replicate.
MatrixXd importance_bootstrap(const MatrixXd& mom, const Eigen::MatrixXi& counts,
                              const BlockSpec& spec, int threads);

}  // namespace dm

#endif
