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

struct VcovResult {
  MatrixXd V;          // over the columns of the design (the non-aliased ones)
  VectorXd df;         // Satterthwaite df per coefficient (CR2 with satterthwaite only)
  int bad_cluster = -1;  // CR3: a cluster whose removal leaves X'WX singular
};

// The variance of the coefficients of a fit with design `d` (non-aliased columns),
// residuals `resid`, bread = (X'WX)^{-1} and its Cholesky factor L (X'WX = L L').
VcovResult sandwich_vcov(const Design& d, const double* resid, const MatrixXd& bread,
                         const MatrixXd& chol_lower, VcovType type, const Clusters* cl,
                         bool satterthwaite, int threads);

// HTZ test (Tipton and Pustejovsky 2015) of C b = 0 for a CR2 fit: returns the F
// statistic's numerator df q and the Hotelling degrees of freedom nu; the caller forms
// F = (nu - q + 1) / (nu * q) * Q and its p-value on (q, nu - q + 1) df.
double htz_nu(const Design& d, const double* resid, const MatrixXd& bread,
              const Clusters& cl, const MatrixXd& C, int threads);

// Satterthwaite df of each contrast (row of C) for a CR2 fit, as the per-coefficient
// df of sandwich_vcov (which is the case C = I).
VectorXd contrast_df(const Design& d, const double* resid, const MatrixXd& bread,
                     const Clusters& cl, const MatrixXd& C, int threads);

}  // namespace dm

#endif
