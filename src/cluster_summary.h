// Per-cluster leverage, omit-one-cluster (jackknife) coefficients and the pieces of the
// effective number of clusters (MacKinnon, Nielsen and Webb 2023).
#ifndef DIGIMATURITY_CLUSTER_SUMMARY_H
#define DIGIMATURITY_CLUSTER_SUMMARY_H

#include "design.h"
#include "sandwich.h"

#include <vector>

namespace dm {

struct ClusterSummary {
  VectorXd leverage;          // G: trace of the cluster's block of the hat matrix
  MatrixXd dfbeta;            // G x k: b - b_(-g), the change when cluster g is left out
  MatrixXd a2, a1;            // G x k: sum over the cluster of a_ij^2 and of a_ij, where
                              // b_j = sum_i a_ij y_i (W^1/2-weighted rows)
  std::vector<int> leverage_one;  // clusters (0-based) whose removal leaves X'WX singular
};

// For a fit with design d (non-aliased columns), residuals `resid` and whitening `wh`.
// Where I - P_g is singular (leverage one) the jackknife uses its pseudo-inverse, as the
// package's CR3 does; the caller marks the coefficients that CR3 leaves undefined.
ClusterSummary cluster_summary(const Design& d, const double* resid, const Whitening& wh,
                               const Clusters& cl, int threads);

}  // namespace dm

#endif
