// Per-cluster leverage and jackknife: with Z = W^1/2 X R^-1 (orthonormal columns),
// P_g = Z_g'Z_g and s_g = Z_g'W_g^1/2 e_g, b - b_(-g) = R^-1 (I - P_g)^-1 s_g.
#include "cluster_summary.h"

#include <algorithm>
#include <cmath>

namespace dm {

ClusterSummary cluster_summary(const Design& d, const double* resid, const Whitening& wh,
                               const Clusters& cl, int threads) {
  const int k = d.k(), G = cl.G;
  ClusterSummary out;
  out.leverage.resize(G);
  out.dfbeta.resize(G, k);
  out.a2.resize(G, k);
  out.a1.resize(G, k);
  const auto Ri = wh.rinv.triangularView<Eigen::Upper>();
  // fixed chunks of clusters; every cluster writes its own rows only
  constexpr int kChunk = 64;
  const std::ptrdiff_t nchunk = (G + kChunk - 1) / kChunk;
  std::vector<std::vector<int>> lev_one(nchunk);
  parallel_for(nchunk, threads, [&](std::ptrdiff_t ch) {
    MatrixXd Xg, Zg;
    std::vector<double> w;
    const int g1 = std::min<int>(G, static_cast<int>((ch + 1) * kChunk));
    for (int g = static_cast<int>(ch * kChunk); g < g1; ++g) {
      const int s = cl.start[g], len = cl.start[g + 1] - s;
      const int* rows = cl.rows.data() + s;
      gather_rows(d, rows, len, Xg);
      w.resize(len);
      for (int i = 0; i < len; ++i) w[i] = weight(d, rows[i]);
      wh.apply(Xg, w.data(), Zg);
      VectorXd e(len);
      for (int i = 0; i < len; ++i) e[i] = resid[rows[i]] * std::sqrt(w[i]);
      MatrixXd comp = Zg.transpose() * e;  // s_g, then (I - P_g)^{-1} s_g
      out.leverage[g] = Zg.squaredNorm();  // trace of P_g
      const ClusterJackknife jk(Zg);      // the CR3 jackknife, as sandwich_vcov()
      if (jk.leverage_one()) lev_one[ch].push_back(g);
      jk.apply(comp);
      out.dfbeta.row(g) = (Ri * comp.col(0)).transpose();
      // a_i = R^-1 z_i: the weights of the rows in each coefficient
      const MatrixXd A = (Ri * Zg.transpose()).transpose();  // len x k
      out.a2.row(g) = A.colwise().squaredNorm();
      out.a1.row(g) = A.colwise().sum();
    }
  });
  for (const auto& v : lev_one) out.leverage_one.insert(out.leverage_one.end(), v.begin(), v.end());
  return out;
}

}  // namespace dm
