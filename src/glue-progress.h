// Progress bars for long calls into the core. An export that takes an R callback
// creates a ProgressScope around its core call; while the scope lives, the core's
// parallel loops (dm::parallel_for(), on the calling thread, after each of its items,
// where they already ask R about interrupts) call `callback(done, total)` at most every
// `interval` seconds with the counts of src/progress.h. The threads never call R: only
// the calling thread does, between items, inside R_ToplevelExec (an error or interrupt in
// the callback never longjmps across C++ frames; it stops the call as an interrupt).
// R/progress.R makes the callback (progress_callback()) and the bar.
#ifndef DIGIMATURITY_GLUE_PROGRESS_H
#define DIGIMATURITY_GLUE_PROGRESS_H

#include <Rcpp.h>

#include "parallel.h"

namespace dm_glue {

class ProgressScope {
 public:
  // callback: an R function(done, total), or NULL (no progress; the scope does nothing).
  // Scopes do not nest: an inner scope while one is active does nothing.
  explicit ProgressScope(SEXP callback, double interval = 0.2);
  ~ProgressScope();
  ProgressScope(const ProgressScope&) = delete;
  ProgressScope& operator=(const ProgressScope&) = delete;

 private:
  bool active_ = false;
};

}  // namespace dm_glue

#endif
