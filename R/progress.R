# Progress bars for long runs, and the interrupt points that go with them.
#
# The package's one way to show progress (cli, the ecosystem's standard): a bar appears
# only when a run lasts longer than cli's `cli.progress_show_after` (2 s by default), so
# short calls stay silent; by default only in interactive sessions (a bar in a script's
# log, a knitted report or R CMD check's test output is noise);
# `options(digimaturity.progress = TRUE)` shows bars there too, `FALSE` silences every bar.
# Bars belong to the frame of the function that starts them (`.envir`): cli closes them
# when that function returns, errors or is interrupted.
#
# Internal API (for every long loop of the package, in R or in the C++ core):
#
#   bar <- progress_start(total, "Bootstrap draws")  # NULL when progress is off
#   for (...) { ...; progress_update(bar, inc = 1) }   # also an interrupt point
#   progress_done(bar)
#
#   progress_lapply(X, FUN, "Municipal reports")      # lapply() with a bar
#
#   # C++: the export takes `progress = progress_callback(bar)` (a function(done, total)
#   # or NULL) and wraps its core call in dm_glue::ProgressScope (src/glue-progress.h);
#   # the core counts with dm::progress_expect() / dm::progress_add() (src/progress.h)
#   # and the calling thread calls back between the items of its parallel loops.
#
# Results never depend on the bar: it only reports work that is split the same way with
# or without it.

# Internal: whether bars are shown (the option; by default in an interactive session
# outside knitr).
progress_enabled <- function() {
  opt <- getOption("digimaturity.progress",
                   interactive() && !isTRUE(getOption("knitr.in.progress")))
  if (!(is.logical(opt) && length(opt) == 1L && !is.na(opt))) {
    dm_abort(sprintf(paste0("`options(digimaturity.progress =)` must be TRUE or FALSE; ",
                            "it is %s."), show_values(opt)), type = "input")
  }
  opt
}

# Internal: starts a bar of `total` units labelled `label` in the frame `.envir` (the
# caller's by default); NULL when progress is off or there is nothing to count.
progress_start <- function(total, label, .envir = parent.frame()) {
  if (!progress_enabled() || !is.numeric(total) || length(total) != 1L ||
      is.na(total) || total <= 0) {
    return(NULL)
  }
  # not terminated at 100%: the core may report again (for the same units) after it
  id <- cli::cli_progress_bar(name = label, total = total, clear = TRUE,
                              auto_terminate = FALSE, .envir = .envir)
  structure(list(id = id, envir = .envir, total = total), class = "dm_progress")
}

# Internal: moves the bar to `done` units (or by `inc`); `total` changes the total.
# Also an interrupt point (cli checks for interrupts as R does between calls).
progress_update <- function(bar, inc = NULL, done = NULL, total = NULL) {
  if (is.null(bar)) return(invisible(NULL))
  if (is.null(done)) {
    cli::cli_progress_update(id = bar$id, inc = inc %||% 1, total = total,
                             .envir = bar$envir)
  } else {
    cli::cli_progress_update(id = bar$id, set = done, total = total, .envir = bar$envir)
  }
  invisible(NULL)
}

# Internal: closes the bar (also done by cli when the bar's frame ends).
progress_done <- function(bar) {
  if (!is.null(bar)) cli::cli_progress_done(id = bar$id, .envir = bar$envir)
  invisible(NULL)
}

# Internal: the callback a C++ export with a ProgressScope calls between items of its
# parallel loops: function(done, total), `total` 0 when the core did not say. NULL
# without a bar, so that the core runs without the hook. The glue takes a callback that
# fails for an interrupt, so an error of the bar itself (a bar that cli has closed) is
# dropped here: a bar never stops a computation, only the user does.
progress_callback <- function(bar) {
  if (is.null(bar)) return(NULL)
  force(bar)
  function(done, total) {
    # force: the glue already calls at most every 0.2 s
    tryCatch(cli::cli_progress_update(id = bar$id, set = done, total = if (total > 0) total,
                                      force = TRUE, .envir = bar$envir),
             error = function(e) NULL)
    invisible(NULL)
  }
}

# Internal: lapply() with a bar of length(X) steps labelled `label`; each step is an
# interrupt point. For loops whose steps take a noticeable time (reports, partial
# invariance searches, bootstrap replicates computed in R).
progress_lapply <- function(X, FUN, label, ..., .envir = parent.frame()) {
  FUN <- match.fun(FUN)
  bar <- progress_start(length(X), label, .envir = .envir)
  out <- vector("list", length(X))
  for (i in seq_along(X)) {
    out[i] <- list(FUN(X[[i]], ...))
    progress_update(bar, inc = 1)
  }
  progress_done(bar)
  names(out) <- names(X)
  out
}

# Internal: the sizes of consecutive chunks that split `total` units so that one chunk
# is about `per_chunk` units (at least 1, at most `max_chunks` chunks): the steps of a
# bar for a loop that is split only to show progress and to be interruptible.
progress_chunks <- function(total, per_chunk, max_chunks = 200L) {
  if (total <= 0) return(integer())
  size <- max(1, ceiling(per_chunk), ceiling(total / max_chunks))
  n <- ceiling(total / size)
  sizes <- rep(size, n)
  sizes[n] <- total - size * (n - 1)
  as.integer(sizes)
}
