# Progress bars (R/progress.R, src/glue-progress.h) and interrupts of long runs.
# cli's "logger" handler prints each bar event as a line on stdout: what a test can see
# of a bar that a terminal would draw; show_after = 0 shows a bar at once.
with_logged_bars <- function(code) {
  withr_opts <- options(digimaturity.progress = getOption("digimaturity.progress", TRUE),
                        cli.progress_show_after = 0,
                        cli.progress_handlers_only = "logger",
                        cli.progress_handlers = NULL)
  on.exit(options(withr_opts))
  utils::capture.output(force(code), type = "output")
}

# A clustered design whose wild bootstrap takes long enough to watch and to interrupt:
# n = 6000, G = 600, k = 6.
long_wild_fit <- function() {
  set.seed(3)
  n <- 6000
  d <- data.frame(g = sample.int(600, n, replace = TRUE), x1 = rnorm(n), x2 = rnorm(n),
                  x3 = rnorm(n), x4 = rnorm(n), x5 = rnorm(n))
  d$y <- 0.1 * d$x1 + rnorm(600)[d$g] + rnorm(n)
  dm_lm(y ~ x1 + x2 + x3 + x4 + x5, data = d, cluster = ~g)
}

test_that("the internal API: bars, steps, chunks, and the option that silences them", {
  f <- function() {
    bar <- progress_start(4, "Steps")
    for (i in 1:4) progress_update(bar, inc = 1)
    progress_done(bar)
    bar
  }
  out <- with_logged_bars(bar <- f())
  expect_s3_class(bar, "dm_progress")
  expect_true(any(grepl("created", out)))
  expect_true(any(grepl("4/4", out)))
  # the option silences every bar
  old <- options(digimaturity.progress = FALSE)
  on.exit(options(old))
  out <- with_logged_bars(bar <- f())
  expect_null(bar)
  expect_identical(out, character(0))
  expect_null(progress_callback(NULL))
  # the core may report again after 100% (later loops of the same call), or after cli has
  # closed the bar: never an error (the glue would take it for an interrupt)
  g <- function() {
    bar <- progress_start(10, "Again")
    cb <- progress_callback(bar)
    cb(10, 10)
    cb(10, 10)
    progress_done(bar)
    cb(10, 10)
    TRUE
  }
  options(digimaturity.progress = TRUE)
  expect_true(g())
  options(digimaturity.progress = FALSE)
  options(digimaturity.progress = "yes")
  expect_error(progress_start(1, "x"), "digimaturity.progress", class = "digimaturity_error_input")
  options(digimaturity.progress = TRUE)
  # progress_lapply() is lapply() with a bar
  out <- with_logged_bars(res <- progress_lapply(list(a = 1, b = 2), function(x, y) x + y,
                                                 "Add", y = 10))
  expect_identical(res, list(a = 11, b = 12))
  expect_true(any(grepl("2/2", out)))
  # chunks: consecutive sizes adding up to the total, at most max_chunks of them
  expect_identical(progress_chunks(10, 3), c(3L, 3L, 3L, 1L))
  expect_identical(sum(progress_chunks(1e6, 1)), 1000000L)
  expect_length(progress_chunks(1e6, 1, max_chunks = 50), 50L)
  expect_identical(progress_chunks(0, 5), integer())
})

test_that("dm_wild() with many draws shows a bar fed by the core; the option hides it", {
  fit <- long_wild_fit()
  # enough draws (about 0.8 s on a quiet machine) that the core reports at least once after
  # its first 0.2 s interval: an update with the total the core announced
  set.seed(1)
  out <- with_logged_bars(a <- dm_wild(fit, "x1", B = 2e5))
  expect_true(any(grepl("Wild bootstrap draws|created", out)))
  expect_true(any(grepl("/(200000|2e[+]05) (added|updated)", out)))
  set.seed(1)
  with_logged_bars(a <- dm_wild(fit, "x1", B = 20000))  # with the bar
  old <- options(digimaturity.progress = FALSE)
  on.exit(options(old))
  set.seed(1)
  out <- with_logged_bars(b <- dm_wild(fit, "x1", B = 20000))
  expect_identical(out, character(0))
  # the bar changes nothing in the results
  expect_identical(a, b)
  # nor does it in a joint test
  set.seed(2)
  j1 <- dm_wild(fit, c("x1", "x2"), joint = TRUE, B = 5000)
  options(digimaturity.progress = TRUE)
  set.seed(2)
  out <- with_logged_bars(j2 <- dm_wild(fit, c("x1", "x2"), joint = TRUE, B = 5000))
  expect_identical(j1, j2)
  expect_true(any(grepl("created", out)))
})

test_that("with the bar on, the draws do not depend on the threads", {
  skip_if(isFALSE(digimaturity:::dm_build_info()$openmp), "built without OpenMP")
  fit <- long_wild_fit()
  old <- dm_threads(1)
  on.exit(dm_threads(old))
  set.seed(4)
  out1 <- with_logged_bars(one <- dm_wild(fit, c("x1", "x2"), B = 5000))
  dm_threads(2)
  skip_if(dm_threads() < 2L, "OMP_THREAD_LIMIT allows one thread")
  set.seed(4)
  out2 <- with_logged_bars(two <- dm_wild(fit, c("x1", "x2"), B = 5000))
  expect_identical(one, two)
  expect_true(length(out1) > 0 && length(out2) > 0)
})

test_that("dm_importance(B =) shows a bar; its draws do not depend on the chunks", {
  fit <- without_few_clusters(dm_lm(mpg ~ wt + hp + qsec, data = mtcars, cluster = ~carb))
  set.seed(5)
  out <- with_logged_bars(a <- without_few_clusters(dm_importance(fit, B = 400)))
  expect_true(any(grepl("/400", out)))
  old <- options(digimaturity.progress = FALSE)
  on.exit(options(old))
  set.seed(5)
  out <- with_logged_bars(b <- without_few_clusters(dm_importance(fit, B = 400)))
  expect_identical(out, character(0))
  expect_identical(a, b)
  # the draws of the chunked loop are those of one sample.int() for all B draws at once
  set.seed(5)
  G <- fit$n_clusters
  draws <- matrix(sample.int(G, G * 400, replace = TRUE), G, 400)
  set.seed(5)
  expect_identical(
    unname(apply(draws, 2L, tabulate, nbins = G))[, 1:3],
    matrix(tabulate(sample.int(G, G * 3, replace = TRUE) + G * rep(0:2, each = G),
                    nbins = G * 3), G, 3))
  # chunks of one draw, or of 7, give the same bootstrap
  options(digimaturity.importance_chunk = 1)
  on.exit(options(digimaturity.importance_chunk = NULL), add = TRUE)
  set.seed(5)
  c1 <- without_few_clusters(dm_importance(fit, B = 400))
  expect_identical(attr(c1, "boot"), attr(a, "boot"))
  options(digimaturity.importance_chunk = 7)
  set.seed(5)
  c7 <- without_few_clusters(dm_importance(fit, B = 400))
  expect_identical(c7, a)
})

test_that("an interrupt stops dm_wild(B = 1e6) within a second and R keeps working", {
  skip_on_cran()
  skip_on_os("windows")  # no kill(1) to send SIGINT from a child process
  fit <- long_wild_fit()
  set.seed(1)
  # the bar is on (the hook chained before the interrupt check) but drawn only after 100 s
  run <- interrupt_latency(dm_wild(fit, "x1", B = 1e6))
  expect_identical(run$result, "interrupted")
  expect_lt(run$latency, 1)
  # R keeps working, and so does the core: the hook was removed, the results are the same
  # with the hook chained again (the bar on) and without it
  old_on <- options(cli.progress_show_after = 100, digimaturity.progress = TRUE)
  set.seed(7)
  a <- dm_wild(fit, "x1", B = 2000)
  options(old_on)
  old <- options(digimaturity.progress = FALSE)
  on.exit(options(old), add = TRUE)
  set.seed(7)
  b <- dm_wild(fit, "x1", B = 2000)
  expect_identical(a, b)
})

# A small benchmark for the report tests (computed once per file).
progress_bench <- local({
  b <- NULL
  function() {
    if (is.null(b)) {
      set.seed(21)
      b <<- dm_benchmark(flanders_dm, peers = ~population_class, draws = 200)
    }
    b
  }
})

test_that("dm_reports() shows one bar step per report; the option hides it; same files", {
  b <- progress_bench()
  ids <- unique(b$units$unit)[1:4]
  d1 <- tempfile()
  d2 <- tempfile()
  on.exit(unlink(c(d1, d2), recursive = TRUE))
  out <- with_logged_bars(f1 <- dm_reports(b, dir = d1, lang = "en", units = ids))
  expect_true(any(grepl("created", out)))
  expect_true(any(grepl("4/4", out)))
  expect_false(any(grepl("5/4", out)))
  old <- options(digimaturity.progress = FALSE)
  on.exit(options(old), add = TRUE)
  out <- with_logged_bars(f2 <- dm_reports(b, dir = d2, lang = "en", units = ids))
  expect_identical(out, character(0))
  expect_identical(basename(f1), basename(f2))
  expect_identical(unname(tools::md5sum(f1)), unname(tools::md5sum(f2)))
})

test_that("dm_invariance() shows a bar over the lavaan fits, grown by the partial search", {
  skip_if_not_installed("lavaan", "0.6.14")
  skip_if_not_installed("semTools", "0.5.6")
  lam <- list(c(0.8, 0.7, 0.75, 0.6, 0.7))
  items <- sim_codebook(lam)
  # a planted shift of item 3 (continuous ML: an intercept the search frees)
  d <- rbind(cbind(sim_ordinal(300, lam, seed = 1), g = "A"),
             cbind(sim_ordinal(300, lam, shift = list(item = 3, k = 2, by = 0.75), seed = 2), g = "B"))
  out <- with_logged_bars(a <- dm_invariance(d, items, group = ~g, estimator = "ML", max_free = 3))
  expect_identical(a$steps$decision, c("reference", "holds", "fails", "holds partially"))
  expect_true(any(grepl("created", out)))
  # three steps, then the search: its total grows by the 3 refits it may make and shrinks
  # to the 1 it made, so the bar ends at 4 of 4
  expect_identical(nrow(a$steps), 4L)
  expect_true(any(grepl("4/4 terminated", out)))
  old <- options(digimaturity.progress = FALSE)
  on.exit(options(old))
  out <- with_logged_bars(b <- dm_invariance(d, items, group = ~g, estimator = "ML", max_free = 3))
  expect_identical(out, character(0))
  a$fits <- b$fits <- NULL  # lavaan objects hold their own call environments
  attr(a, "call") <- attr(b, "call") <- NULL
  expect_identical(a, b)
})

test_that("dm_representativeness() shows a bar over the B draws; same draws with or without it", {
  ex <- weights_frame()
  set.seed(8)
  out <- with_logged_bars(a <- dm_representativeness(ex$data, ex$frame,
                                                     by = c("size_class", "province"), B = 60))
  expect_true(any(grepl("created", out)))
  # 60 draws for each of the two margins and for the frame's model
  expect_true(any(grepl("180/180", out)))
  old <- options(digimaturity.progress = FALSE)
  on.exit(options(old))
  set.seed(8)
  out <- with_logged_bars(b <- dm_representativeness(ex$data, ex$frame,
                                                     by = c("size_class", "province"), B = 60))
  expect_identical(out, character(0))
  attr(a, "call") <- attr(b, "call") <- NULL
  expect_identical(a, b)
  # the chunks do not matter: the draws are those of replicate(B, ...) one margin after
  # the other, then the frame's
  options(digimaturity.representativeness_chunk = 7)
  on.exit(options(digimaturity.representativeness_chunk = NULL), add = TRUE)
  set.seed(8)
  c7 <- dm_representativeness(ex$data, ex$frame, by = c("size_class", "province"), B = 60)
  expect_identical(c7$r_indicator, a$r_indicator)
  set.seed(8)
  se <- vapply(c("size_class", "province"), function(m) {
    s <- a$shares[a$shares$margin == m, ]
    Nk <- s$population_n
    stats::sd(replicate(60, r_from_rates(stats::rbinom(length(Nk), Nk, s$sample_n / Nk) / Nk, Nk)))
  }, numeric(1))
  expect_identical(a$r_indicator$se[1:2], unname(se))
})

test_that("an interrupt stops dm_reports() between reports and leaves only complete files", {
  skip_on_cran()
  skip_on_os("windows")  # no SIGINT to a child process
  b <- progress_bench()
  work <- tempfile("dm-reports-int-")
  dir.create(work)
  on.exit(unlink(work, recursive = TRUE), add = TRUE)
  out_dir <- file.path(work, "reports")
  saveRDS(b, file.path(work, "bench.rds"))
  # the child: all 183 reports (several seconds), with the bar on but not drawn; it notes
  # the time at which it catches the interrupt
  writeLines(c(
    "library(digimaturity)",
    "options(digimaturity.progress = TRUE, cli.progress_show_after = 100)",
    sprintf("b <- readRDS('%s')", file.path(work, "bench.rds")),
    sprintf("stamp <- '%s'", file.path(work, "caught")),
    "tryCatch(dm_reports(b, dir = file.path(dirname(stamp), 'reports'), lang = 'nl'),",
    "         interrupt = function(e) writeLines(format(as.numeric(Sys.time()), digits = 15), stamp))"),
    file.path(work, "child.R"))
  rscript <- file.path(R.home("bin"), "Rscript")
  libs <- paste(.libPaths(), collapse = ":")
  # R_TESTS unset: under R CMD check it names a startup file the child must not read
  system2("sh", c("-c", shQuote(sprintf("R_TESTS= R_LIBS='%s' '%s' '%s' > '%s' 2>&1 & echo $! > '%s'",
                                        libs, rscript, file.path(work, "child.R"),
                                        file.path(work, "log"), file.path(work, "pid")))),
          wait = TRUE)
  pid <- as.integer(readLines(file.path(work, "pid")))
  on.exit(tools::pskill(pid, tools::SIGKILL), add = TRUE, after = FALSE)
  # wait until a few reports are written (at most 30 s: loading the package and the bench)
  for (i in 1:300) {
    if (length(list.files(out_dir, pattern = "^unit-")) >= 5) break
    Sys.sleep(0.1)
  }
  expect_gte(length(list.files(out_dir, pattern = "^unit-")), 5)
  sent <- as.numeric(Sys.time())
  tools::pskill(pid, tools::SIGINT)
  for (i in 1:50) if (file.exists(file.path(work, "caught"))) break else Sys.sleep(0.1)
  expect_true(file.exists(file.path(work, "caught")),
              label = paste(readLines(file.path(work, "log")), collapse = "\n"))
  caught <- as.numeric(readLines(file.path(work, "caught")))
  expect_lt(caught - sent, 1.5)
  # the child stops writing: no new report after the interrupt, no temporary file left
  Sys.sleep(0.3)
  written <- list.files(out_dir, all.files = TRUE, no.. = TRUE)
  expect_lt(length(written), 183L)
  expect_false("index.html" %in% written)
  expect_identical(grep("\\.part$|^\\.dm-report-", written, value = TRUE), character(0))
  # every file written is the complete report of its unit
  ids <- unique(b$units$unit)
  for (f in written) {
    id <- ids[match(f, report_file_name(ids))]
    expect_false(is.na(id), label = f)
    path <- file.path(out_dir, f)
    expect_identical(readBin(path, "raw", file.size(path)),
                     charToRaw(enc2utf8(unclass(dm_report(b, id, lang = "nl")))), label = f)
  }
})
