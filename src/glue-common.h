// The helpers every glue-*.cpp file shares (declared once here, defined in glue-common.cpp):
// R <-> Eigen conversions, the design, clusters and whitening of a call, and guarded().
#ifndef DIGIMATURITY_GLUE_COMMON_H
#define DIGIMATURITY_GLUE_COMMON_H

#include <RcppEigen.h>

#include <new>
#include <stdexcept>
#include <vector>

#include "design.h"
#include "parallel.h"
#include "sandwich.h"
#include "score.h"

namespace dm_glue {

// Runs the body of an export, turning the core's interrupt into R's and an allocation
// failure into an error that R/utils-checks.R's cpp_call() classes as
// digimaturity_error_memory. Every other exception (std::invalid_argument from the core,
// Rcpp::stop() from the glue) passes on to Rcpp, which makes it an R error. Every
// // [[Rcpp::export]] runs its whole body inside it (tests/testthat/test-RcppExports.R).
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const dm::Interrupted&) {
    throw Rcpp::internal::InterruptedException();
  } catch (const std::bad_alloc&) {
    throw std::runtime_error(
        "digimaturity_memory: the C++ core could not allocate the memory it needed.");
  }
}

// Column pointers of a numeric matrix or of a list of double vectors, without copying;
// `weights` NULL or a double vector of length n.
dm::Design make_design(SEXP X, SEXP weights);

// R's 1-based cluster codes (1..G), one per row of the design.
dm::Clusters make_clusters(const Rcpp::IntegerVector& code, std::ptrdiff_t n, int G);

// The whitening R^{-1} = rinv + rinv_lo of a fit (rinv_lo NULL or a zero-size matrix:
// none).
dm::Whitening make_whitening(const Rcpp::NumericMatrix& rinv, SEXP rinv_lo);

Rcpp::NumericMatrix to_r(const Eigen::MatrixXd& m);
Rcpp::NumericVector to_r(const Eigen::VectorXd& v);
Eigen::MatrixXd to_eigen(const Rcpp::NumericMatrix& m);

// 0-based indices of the core as R's 1-based ones.
Rcpp::IntegerVector one_based(const std::vector<int>& v);

// The item columns (a list of double or integer vectors, read in place, not copied) and
// their codebook as R's dm_responses() builds it (`spec`: keyed, scale_min, scale_max,
// missing_codes, n_rows and, when `dimensions`, dimension and n_dimensions; without,
// every item is in one dimension). `who` names the glue in error messages.
dm::ResponseSet response_set(const Rcpp::List& columns, const Rcpp::List& spec,
                             bool dimensions, const char* who);

// Invalid codes per item for R to report: item (1-based), count, rows (1-based), values.
Rcpp::List problems_to_r(const dm::CodeProblems& p);

}  // namespace dm_glue

#endif
