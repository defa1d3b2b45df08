// The progress hook of glue-progress.h: chained in front of the interrupt check that
// glue-common.cpp installs, for the lifetime of a ProgressScope.
#include "glue-progress.h"

#include <chrono>

#include "progress.h"

namespace {

struct ProgressState {
  SEXP callback = R_NilValue;  // protected by the caller: an argument of the running export
  dm::InterruptCheck previous = nullptr;
  double interval = 0.2;
  std::chrono::steady_clock::time_point last;
  bool active = false;
};

ProgressState& state() {
  static ProgressState s;
  return s;
}

void call_callback(void*) {
  ProgressState& s = state();
  SEXP done = PROTECT(Rf_ScalarReal(static_cast<double>(dm::progress_done().load())));
  SEXP total = PROTECT(Rf_ScalarReal(static_cast<double>(dm::progress_total().load())));
  SEXP call = PROTECT(Rf_lang3(s.callback, done, total));
  Rf_eval(call, R_GlobalEnv);
  UNPROTECT(3);
}

// Called by dm::parallel_for() on the calling thread after each of its items: the usual
// interrupt check, then the progress callback when `interval` has passed. A callback that
// fails (most likely interrupted while it ran) stops the call as an interrupt would.
bool check_with_progress() {
  ProgressState& s = state();
  if (s.previous && s.previous()) return true;
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - s.last).count() < s.interval) return false;
  s.last = now;
  return R_ToplevelExec(call_callback, nullptr) == FALSE;
}

}  // namespace

namespace dm_glue {

ProgressScope::ProgressScope(SEXP callback, double interval) {
  ProgressState& s = state();
  if (Rf_isNull(callback) || s.active) return;
  if (!Rf_isFunction(callback)) Rcpp::stop("progress must be a function or NULL");
  s.callback = callback;
  s.interval = interval;
  // the first check reports at once (cli itself decides when a bar is worth drawing)
  s.last = std::chrono::steady_clock::now() - std::chrono::hours(1);
  s.previous = dm::interrupt_check();
  s.active = true;
  dm::progress_done().store(0);
  dm::progress_total().store(0);
  dm::interrupt_check() = &check_with_progress;
  active_ = true;
}

ProgressScope::~ProgressScope() {
  if (!active_) return;
  ProgressState& s = state();
  dm::interrupt_check() = s.previous;
  s.callback = R_NilValue;
  s.previous = nullptr;
  s.active = false;
}

}  // namespace dm_glue
