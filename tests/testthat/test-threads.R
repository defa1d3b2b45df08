test_that("dm_threads() reports, sets and resets the number of threads", {
  old <- getOption("digimaturity.threads")
  on.exit(options(digimaturity.threads = old))
  options(digimaturity.threads = NULL)
  n0 <- dm_threads()
  expect_true(is.integer(n0) && n0 >= 1L)
  prev <- dm_threads(1)
  expect_identical(prev, n0)
  expect_identical(dm_threads(), 1L)
  expect_identical(getOption("digimaturity.threads"), 1L)
  dm_threads(0)
  expect_null(getOption("digimaturity.threads"))
  expect_identical(dm_threads(), n0)
  expect_error(dm_threads(-1), "`n` must be a whole number", class = "digimaturity_error_input")
  expect_error(dm_threads(1.5), "you passed 1.5", class = "digimaturity_error_input")
  expect_error(dm_threads("two"), class = "digimaturity_error_input")
})

test_that("OMP_NUM_THREADS and OMP_THREAD_LIMIT limit the default; the option wins over the first", {
  old <- getOption("digimaturity.threads")
  env <- Sys.getenv(c("OMP_NUM_THREADS", "OMP_THREAD_LIMIT", "_R_CHECK_LIMIT_CORES_"), unset = NA)
  on.exit({
    options(digimaturity.threads = old)
    for (v in names(env)) if (is.na(env[[v]])) Sys.unsetenv(v) else do.call(Sys.setenv, as.list(env[v]))
  })
  options(digimaturity.threads = NULL)
  Sys.unsetenv(c("_R_CHECK_LIMIT_CORES_", "OMP_THREAD_LIMIT"))
  Sys.setenv(OMP_NUM_THREADS = "1")
  expect_identical(dm_threads(), 1L)
  Sys.setenv(OMP_NUM_THREADS = "1,1")  # nested levels: the first counts
  expect_identical(dm_threads(), 1L)
  Sys.setenv(OMP_NUM_THREADS = "junk")
  expect_identical(dm_threads(), digimaturity:::dm_num_procs())
  options(digimaturity.threads = 3L)
  Sys.setenv(OMP_NUM_THREADS = "1")
  expect_identical(dm_threads(), 3L)
  Sys.setenv(OMP_THREAD_LIMIT = "2")
  expect_identical(dm_threads(), 2L)
})

test_that("an exception inside a parallel region is an R error on the calling thread, R stays usable", {
  for (th in c(1L, 2L)) {
    expect_identical(digimaturity:::dm_parallel_selftest(100L, th, -1L, 1L), 100)
    expect_error(digimaturity:::dm_parallel_selftest(100L, th, 37L, 1L), "item failed on purpose")
    # an allocation failure becomes a classed error that suggests fewer threads
    expect_error(digimaturity:::cpp_call(digimaturity:::dm_parallel_selftest(100L, th, 5L, 2L)),
                 "could not allocate .* use fewer \\(dm_threads\\(1\\)\\)",
                 class = "digimaturity_error_memory")
  }
  # and the package still computes afterwards
  expect_s3_class(dm_lm(mpg ~ wt, mtcars), "dm_lm")
})

test_that("the core records how many threads its parallel loops really ran on", {
  skip_if(isFALSE(digimaturity:::dm_build_info()$openmp), "built without OpenMP")
  old <- dm_threads(2)
  on.exit(dm_threads(old))
  skip_if(dm_threads() < 2L, "OMP_THREAD_LIMIT allows one thread")
  digimaturity:::dm_threads_used_cpp()  # resets the record
  expect_identical(digimaturity:::dm_parallel_selftest(100L, 1L, -1L, 1L), 100)
  expect_identical(digimaturity:::dm_threads_used_cpp(), 1L)
  expect_identical(digimaturity:::dm_parallel_selftest(100L, 2L, -1L, 1L), 100)
  expect_identical(digimaturity:::dm_threads_used_cpp(), 2L)
  expect_identical(digimaturity:::dm_threads_used_cpp(), 0L)  # read and reset
  # a small fit stays on one thread (threads_for()), whatever dm_threads() says
  fit <- dm_lm(mpg ~ wt, mtcars, vcov = "HC1")
  expect_identical(digimaturity:::dm_threads_used_cpp(), 1L)
})
