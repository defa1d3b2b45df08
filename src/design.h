// Column-pointer view of a design matrix with optional weights, read in fixed row blocks.
#ifndef DIGIMATURITY_DESIGN_H
#define DIGIMATURITY_DESIGN_H

#include <Eigen/Dense>

#include "parallel.h"
#include <algorithm>
#include <cstddef>
#include <vector>

namespace dm {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// A design matrix held as pointers to its columns (R's column-major storage or the
// columns of a data frame): no copy of X is ever made. Column j is x(., j); row
// weights are optional (nullptr: all 1).
struct Design {
  std::vector<const double*> cols;
  const double* weights = nullptr;
  std::ptrdiff_t n = 0;
  int k() const { return static_cast<int>(cols.size()); }
  bool weighted() const { return weights != nullptr; }
};

// Rows are processed in blocks of a fixed size, so that sums are formed in the same
// order whatever the number of threads (results do not depend on the thread count).
constexpr std::ptrdiff_t kBlockRows = 2048;

inline std::ptrdiff_t n_blocks(std::ptrdiff_t n) {
  return (n + kBlockRows - 1) / kBlockRows;
}

// Copies rows [start, start + len) of the selected columns into `out` (len x k).
inline void gather_rows(const Design& d, std::ptrdiff_t start, std::ptrdiff_t len,
                        MatrixXd& out) {
  const int k = d.k();
  out.resize(len, k);
  for (int j = 0; j < k; ++j) {
    const double* c = d.cols[j] + start;
    double* o = out.col(j).data();
    for (std::ptrdiff_t i = 0; i < len; ++i) o[i] = c[i];
  }
}

// Copies the listed rows of the selected columns into `out` (rows.size() x k).
inline void gather_rows(const Design& d, const int* rows, std::ptrdiff_t len,
                        MatrixXd& out) {
  const int k = d.k();
  out.resize(len, k);
  for (int j = 0; j < k; ++j) {
    const double* c = d.cols[j];
    double* o = out.col(j).data();
    for (std::ptrdiff_t i = 0; i < len; ++i) o[i] = c[rows[i]];
  }
}

inline double weight(const Design& d, std::ptrdiff_t i) {
  return d.weights ? d.weights[i] : 1.0;
}

// Runs f(block, start, len, Xb) over the fixed row blocks, in parallel; Xb holds the
// block's rows of the design. f may write only to outputs of its own block.
template <typename F>
void for_each_block(const Design& d, int threads, F&& f) {
  parallel_for(n_blocks(d.n), threads, [&](std::ptrdiff_t b) {
    const std::ptrdiff_t start = b * kBlockRows;
    const std::ptrdiff_t len = std::min(kBlockRows, d.n - start);
    MatrixXd Xb;
    gather_rows(d, start, len, Xb);
    f(b, start, len, Xb);
  });
}

// sum_i s_i^2 x_i x_i' over all rows, where scale(start, len, Xb) multiplies the rows
// of a block by s_i in place (or replaces Xb by any len x p block of rows: the result
// is then p x p, p = `width`, by default k). Block sums are added in block order.
template <typename Scale>
MatrixXd scaled_gram(const Design& d, int threads, Scale&& scale, int width = -1) {
  const int k = width < 0 ? d.k() : width;
  std::vector<MatrixXd> part(n_blocks(d.n));
  for_each_block(d, threads, [&](std::ptrdiff_t b, std::ptrdiff_t start, std::ptrdiff_t len,
                                 MatrixXd& Xb) {
    scale(start, len, Xb);
    part[b] = MatrixXd::Zero(k, k);
    part[b].selfadjointView<Eigen::Lower>().rankUpdate(Xb.transpose());
  });
  MatrixXd S = MatrixXd::Zero(k, k);
  for (const MatrixXd& m : part) S += m;
  return S.selfadjointView<Eigen::Lower>();
}

}  // namespace dm

#endif
