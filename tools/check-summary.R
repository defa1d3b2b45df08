# Reads an R CMD check directory and prints one line, "N passed, N failed", from
# testthat's results, after listing any check problems. Exits non-zero on a check
# ERROR, WARNING or NOTE, on a failed test, or when no test ran.
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
passed <- 0L; failed <- 0L; found <- FALSE
for (f in outs) {
  txt <- readLines(f, warn = FALSE)
  m <- regmatches(txt, regexec("\\[ FAIL ([0-9]+) \\| WARN ([0-9]+) \\| SKIP ([0-9]+) \\| PASS ([0-9]+) \\]", txt))
  m <- Filter(length, m)
  if (length(m)) {
    last <- m[[length(m)]]
    failed <- failed + as.integer(last[2]); passed <- passed + as.integer(last[5])
    found <- TRUE
  }
  if (grepl("\\.fail$", f)) {
    status <- 1L
    cat(utils::tail(txt, 60), sep = "\n")
  }
}
if (!found) status <- 1L
if (failed > 0) status <- 1L
cat(sprintf("%d passed, %d failed\n", passed, failed))
quit(status = status)
