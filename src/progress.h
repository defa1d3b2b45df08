// Progress of the current call into the core: units of work done, counted from any
// thread. The core only counts; the glue (glue-progress.h) reads the count from the
// calling thread, between the items of a parallel loop, and shows it in R.
#ifndef DIGIMATURITY_PROGRESS_H
#define DIGIMATURITY_PROGRESS_H

#include <atomic>

namespace dm {

// Units done so far and the units expected in all (0: unknown); reset by the glue when a
// call with a progress bar starts.
inline std::atomic<long long>& progress_done() {
  static std::atomic<long long> done(0);
  return done;
}
inline std::atomic<long long>& progress_total() {
  static std::atomic<long long> total(0);
  return total;
}

// Any thread: `units` more units done. Cheap (one relaxed atomic add): call it once per
// item of a parallel loop, not per row or draw.
inline void progress_add(long long units) {
  progress_done().fetch_add(units, std::memory_order_relaxed);
}

// The calling thread, before the loops: how many units the whole call will count.
inline void progress_expect(long long units) {
  progress_total().store(units, std::memory_order_relaxed);
}

}  // namespace dm

#endif
