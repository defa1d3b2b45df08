// All-subsets R^2 by appending to Cholesky factors along a depth-first walk, the Shapley
// (LMG) shares, and the cluster bootstrap of both in replicate chunks.
#include "importance.h"
#include "tolerances.h"

#include <cmath>
#include <stdexcept>

namespace dm {

namespace {

// The Cholesky factor of the columns appended so far (rows 0..m-1 of L), the response's
// coordinates b in it and the explained sum of squares.
struct Walk {
  const MatrixXd& C;
  const BlockSpec& spec;
  int y;              // index of the response in C
  MatrixXd L;
  VectorXd b;
  std::vector<int> cols;
  VectorXd& r2;
  double tss;

  Walk(const MatrixXd& C_, const BlockSpec& s, VectorXd& out)
      : C(C_), spec(s), y(static_cast<int>(C_.rows()) - 1), L(MatrixXd::Zero(y, y)),
        b(VectorXd::Zero(y)), cols(y), r2(out), tss(C_(y, y)) {}

  // Appends column t to the factor of m columns; returns the new m.
  int append(int t, int m, double& ess) {
    VectorXd l(m);
    for (int i = 0; i < m; ++i) {
      double s = C(cols[i], t);
      for (int a = 0; a < i; ++a) s -= L(i, a) * l[a];
      l[i] = s / L(i, i);
    }
    const double d2 = C(t, t) - l.squaredNorm();
    if (!(d2 > tol::kCollinear * C(t, t))) return m;  // collinear with the columns before it
    const double dd = std::sqrt(d2);
    double s = C(t, y);
    for (int a = 0; a < m; ++a) s -= l[a] * b[a];
    L.row(m).head(m) = l.transpose();
    L(m, m) = dd;
    b[m] = s / dd;
    ess += b[m] * b[m];
    cols[m] = t;
    return m + 1;
  }

  void visit(unsigned mask, int next, int m, double ess) {
    r2[mask] = tss > 0 ? ess / tss : 0.0;
    for (int blk = next; blk < spec.nb(); ++blk) {
      double e = ess;
      int mm = m;
      for (int t : spec.blocks[blk]) mm = append(t, mm, e);
      visit(mask | (1U << blk), blk + 1, mm, e);
    }
  }
};

int popcount(unsigned x) {
  int c = 0;
  for (; x; x &= x - 1U) ++c;
  return c;
}

}  // namespace

VectorXd subset_r2(const MatrixXd& C, const BlockSpec& spec) {
  const int nb = spec.nb();
  if (nb < 1 || nb > 25) throw std::invalid_argument("importance: between 1 and 25 blocks");
  VectorXd r2(static_cast<Eigen::Index>(1) << nb);
  Walk w(C, spec, r2);
  double ess = 0;
  int m = 0;
  for (int t : spec.always) m = w.append(t, m, ess);
  w.visit(0U, 0, m, ess);
  return r2;
}

Importance importance_from_r2(const VectorXd& r2, int nb) {
  // Shapley weights |S|! (nb - |S| - 1)! / nb! by subset size
  std::vector<double> wt(nb);
  for (int s = 0; s < nb; ++s) {
    double v = 1.0 / nb;
    // 1 / (nb * choose(nb - 1, s))
    for (int i = 1; i <= s; ++i) v *= static_cast<double>(i) / (nb - i);
    wt[s] = v;
  }
  Importance out;
  out.lmg = VectorXd::Zero(nb);
  out.first.resize(nb);
  out.last.resize(nb);
  const unsigned full = (1U << nb) - 1U;
  out.r2 = r2[full];
  out.r2_always = r2[0];
  for (unsigned mask = 0; mask <= full; ++mask) {
    const int s = popcount(mask);
    for (int blk = 0; blk < nb; ++blk) {
      if (mask & (1U << blk)) continue;
      out.lmg[blk] += wt[s] * (r2[mask | (1U << blk)] - r2[mask]);
    }
  }
  for (int blk = 0; blk < nb; ++blk) {
    out.first[blk] = r2[1U << blk] - r2[0];
    out.last[blk] = r2[full] - r2[full & ~(1U << blk)];
  }
  return out;
}

MatrixXd importance_bootstrap(const MatrixXd& mom, const Eigen::MatrixXi& counts,
                              const BlockSpec& spec, int threads) {
  const int nb = spec.nb();
  const Eigen::Index G = counts.rows(), B = counts.cols();
  const int q = static_cast<int>(std::lround(std::sqrt(static_cast<double>(mom.rows() - 1) + 0.25) - 0.5));
  if (mom.cols() != G || mom.rows() != 1 + q + q * q)
    throw std::invalid_argument("importance: cluster moments and counts do not match");
  MatrixXd out(3 * nb, B);
  // one replicate per item: each writes its own column
  parallel_for(B, threads, [&](std::ptrdiff_t r) {
    VectorXd tot = VectorXd::Zero(mom.rows());
    for (Eigen::Index g = 0; g < G; ++g)
      if (counts(g, r)) tot.noalias() += counts(g, r) * mom.col(g);
    const double sw = tot[0];
    const VectorXd mean = tot.segment(1, q) / sw;
    MatrixXd C = Eigen::Map<const MatrixXd>(tot.data() + 1 + q, q, q);
    C.noalias() -= sw * mean * mean.transpose();
    const Importance imp = importance_from_r2(subset_r2(C, spec), nb);
    out.col(r).segment(0, nb) = imp.lmg;
    out.col(r).segment(nb, nb) = imp.first;
    out.col(r).segment(2 * nb, nb) = imp.last;
  });
  return out;
}

}  // namespace dm
