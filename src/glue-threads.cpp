// Exports about the build and the threads: processors, build info, the parallel-loop self test.
#include "glue-common.h"

#include <atomic>

#include "ols.h"

#ifdef _OPENMP
#include <omp.h>
#endif

using Rcpp::IntegerVector;
using Rcpp::List;
using Rcpp::NumericVector;
using namespace dm_glue;

// [[Rcpp::export(rng = false)]]
int dm_num_procs() {
  return guarded([]() {
#ifdef _OPENMP
    return omp_get_num_procs();
#else
    return 1;
#endif
  });
}

// For the tests: a parallel loop of n items on `threads` threads whose item `fail_at`
// throws (kind 1: std::runtime_error, 2: std::bad_alloc); returns the items run.
// [[Rcpp::export(rng = false)]]
double dm_parallel_selftest(int n, int threads, int fail_at, int kind) {
  return guarded([&]() {
    std::atomic<long> done(0);
    dm::parallel_for(n, threads, [&](std::ptrdiff_t i) {
      if (i == fail_at) {
        if (kind == 2) throw std::bad_alloc();
        throw std::runtime_error("item failed on purpose");
      }
      ++done;
    });
    return static_cast<double>(done.load());
  });
}

// What the QR path can use in this build and on this machine, and whether it has OpenMP.
// [[Rcpp::export(rng = false)]]
List dm_build_info() {
  return guarded([]() -> List {
#ifdef DIGIMATURITY_PLAIN_DOUBLE
    const bool plain = true;
#else
    const bool plain = false;
#endif
#ifdef __SIZEOF_FLOAT128__
    const bool quad = true;
#else
    const bool quad = false;
#endif
#ifdef _OPENMP
    const bool openmp = true;
#else
    const bool openmp = false;
#endif
    return List::create(Rcpp::Named("plain_double") = plain, Rcpp::Named("float128") = quad,
                        Rcpp::Named("long_double_wide") = dm::long_double_is_wide(),
                        Rcpp::Named("openmp") = openmp);
  });
}

// For the tests: the largest team of threads that ran items of the core's parallel loops
// since the previous call (which it resets), so that a test can tell that a second
// thread really ran and did not just get asked for.
// [[Rcpp::export(rng = false)]]
int dm_threads_used_cpp() {
  return guarded([]() { return dm::threads_used().exchange(0); });
}
