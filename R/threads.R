#' Number of threads of the C++ core
#'
#' Reports, or sets, the number of threads that `dm_lm()` and the variance,
#' df and test computations use, like data.table's `getDTthreads()` /
#' `setDTthreads()`. Results never depend on it: rows are summed in fixed
#' blocks and clusters in fixed chunks, in a fixed order.
#'
#' The default is the number of processors, limited by the environment
#' variables `OMP_THREAD_LIMIT` and `OMP_NUM_THREADS` (so a job in a parallel
#' worker or a scheduler slot that sets `OMP_NUM_THREADS=1` runs on one
#' thread) and to 2 when `_R_CHECK_LIMIT_CORES_` is set (as `R CMD check
#' --as-cran` does). `options(digimaturity.threads = n)`, which `dm_threads(n)`
#' sets, overrides the default (but not `OMP_THREAD_LIMIT`). Small problems
#' always run on one thread, where starting threads would cost more than they
#' save.
#'
#' @param n `NULL` to report; a whole number >= 1 to set the number of threads
#'   for this session; `0` to go back to the default.
#' @param ... Nothing: an unknown or misspelled argument is an error (class
#'   `digimaturity_error_argument_spelling`) that names the argument meant.
#' @return The number of threads in use (`dm_threads()`), or invisibly the
#'   previous setting (`dm_threads(n)`).
#' @export
#' @examples
#' dm_threads()
#' old <- dm_threads(1)
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)
#' dm_threads(old)
dm_threads <- function(n = NULL, ...) {
  check_dots_spelling(..., .strict = TRUE)
  if (!is.null(n)) {
    if (!is.numeric(n) || length(n) != 1L || is.na(n) || !is.finite(n) || n < 0 ||
        n != round(n) || n > .Machine$integer.max) {
      dm_abort(sprintf("`n` must be a whole number >= 1 (or 0 for the default); you passed %s.",
                       show_values(n)), type = "input")
    }
    old <- dm_threads()
    options(digimaturity.threads = if (n == 0) NULL else as.integer(n))
    return(invisible(old))
  }
  opt <- getOption("digimaturity.threads")
  if (!is.null(opt) && (!is.numeric(opt) || length(opt) != 1L || is.na(opt) || opt < 1 ||
                        opt > .Machine$integer.max)) {
    dm_abort(sprintf("option `digimaturity.threads` must be a positive whole number; it is %s.",
                     show_values(opt)), type = "input")
  }
  limit <- env_threads("OMP_THREAD_LIMIT")
  n <- if (!is.null(opt)) as.integer(opt) else {
    d <- dm_num_procs()
    num <- env_threads("OMP_NUM_THREADS")
    if (!is.na(num)) d <- min(d, num)
    if (nzchar(Sys.getenv("_R_CHECK_LIMIT_CORES_"))) d <- min(d, 2L)
    d
  }
  if (!is.na(limit)) n <- min(n, limit)
  as.integer(max(1L, n))
}

# A positive whole number from an environment variable (OMP_NUM_THREADS may be a list
# such as "4,2" for nested levels: its first entry), or NA.
env_threads <- function(var) {
  v <- Sys.getenv(var)
  if (!nzchar(v)) return(NA_integer_)
  first <- suppressWarnings(as.integer(strsplit(v, ",", fixed = TRUE)[[1]][1]))
  if (is.na(first) || first < 1L) NA_integer_ else first
}
