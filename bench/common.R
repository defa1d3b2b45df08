# Shared by the bench scripts (sourced from the package's top folder): timing, and the
# record of side-by-side comparisons that bench/run.R (make bench) writes into
# bench/README.md, one line per comparison.

# Median elapsed seconds of `reps` runs of f() (a gc() before each run).
bench_time <- function(f, reps) {
  t <- vapply(seq_len(reps), function(i) {
    gc(FALSE)
    system.time(f())[["elapsed"]]
  }, numeric(1))
  stats::median(t)
}

# Where comparisons are collected: bench/run.R sets `bench_comparisons` (an environment
# with a `rows` list) before sourcing the scripts; a script run on its own gets its own.
if (!exists("bench_comparisons", inherits = TRUE)) {
  bench_comparisons <- new.env()
  bench_comparisons$rows <- list()
}

# One comparison: the work, the anchor (another package's way to do it) and its time, and
# digimaturity's call and time (median seconds of its runs); ratio = anchor / package.
# An anchor that is not installed gets NA and a note saying why.
record_comparison <- function(work, anchor, anchor_s, package, package_s, note = "",
                              runs = NA_character_) {
  bench_comparisons$rows[[length(bench_comparisons$rows) + 1L]] <- data.frame(
    work = work, anchor = anchor, anchor_s = anchor_s, package = package,
    package_s = package_s, ratio = anchor_s / package_s, runs = runs, note = note,
    stringsAsFactors = FALSE)
  invisible(NULL)
}

# The comparisons so far as a markdown table (machine and date on every line, so that a
# line copied elsewhere keeps them).
comparison_table <- function(rows = bench_comparisons$rows, machine = bench_machine(),
                             date = format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC")) {
  if (!length(rows)) return(character(0))
  r <- do.call(rbind, rows)
  # a "|" inside a cell would end it
  cells <- c("work", "anchor", "package", "note")
  r[cells] <- lapply(r[cells], function(x) gsub("|", "\\|", x, fixed = TRUE))
  fmt <- function(s) ifelse(is.na(s), "n/a", ifelse(s >= 100, sprintf("%.0f", s),
                                                   formatC(s, digits = 3, format = "fg", flag = "#")))
  c("| work | anchor | anchor time (s) | digimaturity | digimaturity time (s) | ratio (anchor / digimaturity) | runs | machine | date | note |",
    "|---|---|---:|---|---:|---:|---|---|---|---|",
    sprintf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", r$work, r$anchor,
            fmt(r$anchor_s), r$package, fmt(r$package_s),
            ifelse(is.na(r$ratio), "n/a", sprintf("**%.1fx**", r$ratio)),
            ifelse(is.na(r$runs), "", r$runs), machine, date, r$note))
}

# The machine in a few words: CPU model, cores, load average when asked, R version.
bench_machine <- function() {
  cpu <- tryCatch({
    l <- grep("^model name", readLines("/proc/cpuinfo", warn = FALSE), value = TRUE)[1]
    trimws(sub("^[^:]*:", "", l))
  }, error = function(e) NA_character_, warning = function(w) NA_character_)
  load <- tryCatch(strsplit(readLines("/proc/loadavg", warn = FALSE), " ")[[1]][1],
                   error = function(e) NA_character_, warning = function(w) NA_character_)
  sprintf("%s, %d cores, load %s, R %s", if (is.na(cpu)) R.version$arch else cpu,
          parallel::detectCores(), load, getRversion())
}

has_pkg <- function(p) requireNamespace(p, quietly = TRUE)
