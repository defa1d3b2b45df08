# Reads an R CMD check directory and prints one line, "N passed, N failed, N skipped", from
# testthat's results, after listing any check problems and the reasons of the skipped
# tests (a skipped reference test must be visible). Exits non-zero on a check ERROR,
# WARNING or NOTE, on a failed test, when no test ran, or when a snapshot was created by
# the run (a snapshot that is not committed is re-created and passes whatever it shows).
args <- commandArgs(trailingOnly = TRUE)
rcheck <- if (length(args)) args[1] else "check-output/digimaturity.Rcheck"
log_file <- file.path(rcheck, "00check.log")
status <- 0L
if (!file.exists(log_file)) {
  cat("tools/check-summary.R: no check log at", log_file, "\n")
  status <- 1L
  problems <- character()
} else {
  log <- readLines(log_file, warn = FALSE)
  # a problem is "... WARNING" at the end of a check line, or alone on the next line
  hits <- grep("(\\.\\.\\. *(\\[[^]]*\\] *)?|^ *)(ERROR|WARNING|NOTE)$", log)
  problems <- log[hits]
  # Print each problem with the lines that explain it.
  for (h in hits) {
    end <- h
    while (end < length(log) && !grepl("^\\* ", log[end + 1])) end <- end + 1
    cat(log[h:end], sep = "\n")
  }
  st <- grep("^Status:", log, value = TRUE)
  if (length(st)) {
    cat(st[length(st)], "\n")
    if (!grepl("^Status: OK", st[length(st)])) problems <- c(problems, st[length(st)])
  } else {
    problems <- c(problems, "no Status line: the check did not finish")
  }
}
allowed <- grepl("CRAN incoming feasibility", problems)  # only the "New submission" NOTE
if (any(!allowed)) status <- 1L

tests_dir <- file.path(rcheck, "tests")
outs <- list.files(tests_dir, pattern = "\\.Rout(\\.fail)?$", full.names = TRUE)
passed <- 0L; failed <- 0L; skipped <- 0L; found <- FALSE
for (f in outs) {
  txt <- readLines(f, warn = FALSE)
  m <- regmatches(txt, regexec("\\[ FAIL ([0-9]+) \\| WARN ([0-9]+) \\| SKIP ([0-9]+) \\| PASS ([0-9]+) \\]", txt))
  m <- Filter(length, m)
  if (length(m)) {
    last <- m[[length(m)]]
    failed <- failed + as.integer(last[2]); passed <- passed + as.integer(last[5])
    skipped <- skipped + as.integer(last[4])
    found <- TRUE
  }
  # testthat's "== Skipped tests ==" block: one line per reason, with its count
  sk <- grep("Skipped tests", txt)
  if (length(sk)) {
    rest <- txt[-seq_len(sk[1])]
    stop_at <- which(!grepl("^[\u2022*-] ", rest))[1]
    reasons <- if (is.na(stop_at)) rest else rest[seq_len(stop_at - 1L)]
    if (length(reasons)) cat("Skipped tests:", reasons, sep = "\n")
  }
  if (grepl("\\.fail$", f)) {
    status <- 1L
    cat(utils::tail(txt, 60), sep = "\n")
  }
}
if (!found) status <- 1L
if (failed > 0) status <- 1L

# Snapshots the run created: every snapshot must be in the sources that were checked.
snaps_run <- file.path(tests_dir, "testthat", "_snaps")
snaps_src <- file.path(rcheck, "00_pkg_src", "digimaturity", "tests", "testthat", "_snaps")
rel_files <- function(d) if (dir.exists(d)) list.files(d, recursive = TRUE) else character()
created <- setdiff(rel_files(snaps_run), rel_files(snaps_src))
created <- created[!grepl("\\.new\\.[^.]+$", created)]  # a .new file is a failed comparison
if (length(created)) {
  cat("Snapshots created by this run (not committed; commit them after looking at them):",
      paste0("  tests/testthat/_snaps/", created), sep = "\n")
  failed <- failed + length(created)
  status <- 1L
}
cat(sprintf("%d passed, %d failed, %d skipped\n", passed, failed, skipped))
quit(status = status)
