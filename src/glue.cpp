// The only file with Rcpp exports: converts R objects, calls the plain C++ core, converts back.
#include <RcppEigen.h>

// [[Rcpp::export(rng = false)]]
int dm_threads_available() {
#ifdef _OPENMP
  return 1;
#else
  return 0;
#endif
}
