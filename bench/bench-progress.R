# Benchmark of issue 21 (progress bars): what a drawn bar costs in the long runs that
# show one from R (dm_reports(), dm_invariance()'s chain and search, the R-indicator's
# bootstrap in dm_representativeness()). Each call runs with the bar on and drawn at
# once (options(digimaturity.progress = TRUE, cli.progress_show_after = 0)) and with the
# bar off, alternately, on the same data in one R session; the results are checked to be
# the same. `make bench` (bench/run.R) writes one line per call into bench/README.md,
# the "anchor" being the same call without the bar (ratio near 1: the bar costs nothing).
# Run from the package root after installing the package:  Rscript bench/bench-progress.R
# DM_BENCH_QUICK=1: 1 run each, 30 reports, B = 200 (a check in a few seconds).
suppressPackageStartupMessages(library(digimaturity))
source(file.path("bench", "common.R"), local = TRUE)
quick <- nzchar(Sys.getenv("DM_BENCH_QUICK"))
runs <- if (quick) 1L else 3L

# median elapsed seconds with the bar off and on (runs alternate), and whether the
# results agree (f(seed) returns what is compared)
with_and_without <- function(f, runs) {
  t <- matrix(NA_real_, runs, 2, dimnames = list(NULL, c("off", "on")))
  res <- list()
  for (i in seq_len(runs)) {
    for (on in c(FALSE, TRUE)) {
      old <- options(digimaturity.progress = on, cli.progress_show_after = 0)
      gc(FALSE)
      t[i, if (on) "on" else "off"] <- system.time(res[[if (on) "on" else "off"]] <- f())[["elapsed"]]
      options(old)
    }
  }
  list(off = stats::median(t[, "off"]), on = stats::median(t[, "on"]),
       same = identical(res$off, res$on))
}
record <- function(work, package, r) {
  cat(sprintf("| %s | %.3f | %.3f | %.2f | %s |\n", work, r$off, r$on, r$on / r$off, r$same))
  record_comparison(work, "the same call without the bar", r$off, paste(package, "with the bar drawn"),
                    r$on, runs = sprintf("%d / %d", runs, runs),
                    note = sprintf("same results: %s", r$same))
}
cat("| call | bar off (s) | bar on (s) | on / off | same results |\n|---|---:|---:|---:|---|\n")

# 1. dm_reports(): one step per report
set.seed(1)
b <- dm_benchmark(flanders_dm, peers = ~population_class)
ids <- unique(b$units$unit)
if (quick) ids <- ids[1:30]
r <- with_and_without(function() {
  dir <- tempfile("reports-")
  on.exit(unlink(dir, recursive = TRUE))
  files <- dm_reports(b, dir = dir, lang = "nl", units = ids)
  unname(tools::md5sum(files))
}, runs)
record(sprintf("%d HTML reports + index", length(ids)), "dm_reports()", r)

# 2. the R-indicator's bootstrap: B draws per margin and B refits of the frame's model
set.seed(23)
n <- 300
frame <- data.frame(municipality = sprintf("M%03d", seq_len(n)),
                    size_class = sample(c("<10k", "10-20k", "20-50k", ">50k"), n, TRUE),
                    province = sample(c("Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant",
                                        "West-Vlaanderen"), n, TRUE), stringsAsFactors = FALSE)
resp <- frame[stats::runif(n) < stats::plogis(-0.5 + 0.4 * (frame$size_class == ">50k")), ]
B <- if (quick) 200 else 2000
r <- with_and_without(function() {
  set.seed(2)
  dm_representativeness(resp, frame, by = c("size_class", "province"), B = B)$r_indicator
}, runs)
record(sprintf("R-indicator bootstrap, B = %d (2 margins + the frame's logistic model, 300 units)", B),
       "dm_representativeness()", r)

# 3. dm_invariance(): a bar over the lavaan fits
if (has_pkg("lavaan") && has_pkg("semTools")) {
  complete <- flanders_dm[flanders_dm$complete, ]
  r <- with_and_without(function() {
    inv <- dm_invariance(complete, group = ~role, estimator = "ML")
    inv$steps
  }, runs)
  record("measurement invariance, configural -> metric -> scalar (ML, flanders_dm by role)",
         "dm_invariance()", r)
} else {
  record_comparison("measurement invariance, configural -> metric -> scalar (ML, flanders_dm by role)",
                    "the same call without the bar", NA_real_, "dm_invariance() with the bar drawn",
                    NA_real_, note = "lavaan or semTools not installed")
}
if (!exists("bench_run_all")) writeLines(c("", comparison_table()))
