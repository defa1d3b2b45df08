// The one parallel loop of the core: exceptions and user interrupts never cross an
// OpenMP region; both reach the calling thread after the region.
#ifndef DIGIMATURITY_PARALLEL_H
#define DIGIMATURITY_PARALLEL_H

#include <atomic>
#include <cstddef>
#include <exception>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace dm {

// Thrown (on the calling thread, after the region) when the user interrupted.
struct Interrupted : std::exception {
  const char* what() const noexcept override { return "user interrupt"; }
};

// A function that reports whether the user asked to interrupt; set by the glue (it
// asks R, from the calling thread only). nullptr: never interrupted.
using InterruptCheck = bool (*)();
inline InterruptCheck& interrupt_check() {
  static InterruptCheck check = nullptr;
  return check;
}

// The largest team of threads that ran an item of a parallel_for() since the glue last
// reset it (dm_threads_used_cpp(), for the tests: did a second thread really run?).
inline std::atomic<int>& threads_used() {
  static std::atomic<int> used(0);
  return used;
}

// Runs f(i) for i in [0, n) on `threads` threads, one item at a time (dynamic schedule).
// An exception thrown by f on any thread is caught there; the remaining items are
// skipped and the first exception is rethrown on the calling thread after the region.
// The calling thread (thread 0 of the region) polls interrupt_check() after each of
// its items; on an interrupt the remaining items are skipped and Interrupted is thrown.
template <typename F>
void parallel_for(std::ptrdiff_t n, int threads, F&& f) {
  std::exception_ptr error = nullptr;
  std::atomic<bool> stop(false);
  bool interrupted = false;
  const InterruptCheck check = interrupt_check();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    if (stop.load(std::memory_order_relaxed)) continue;
    try {
      f(i);
    } catch (...) {
#pragma omp critical(dm_parallel_error)
      {
        if (!error) error = std::current_exception();
      }
      stop.store(true);
    }
#ifdef _OPENMP
    const bool main_thread = omp_get_thread_num() == 0;
    const int team = omp_get_num_threads();
#else
    const bool main_thread = true;
    const int team = 1;
#endif
    if (team > threads_used().load(std::memory_order_relaxed))
      threads_used().store(team, std::memory_order_relaxed);
    if (main_thread && check && check()) {
      interrupted = true;
      stop.store(true);
    }
  }
  if (error) std::rethrow_exception(error);
  if (interrupted) throw Interrupted();
}

}  // namespace dm

#endif
