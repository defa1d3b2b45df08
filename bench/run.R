# make bench: reruns every benchmark in bench/ side by side with its anchors (installed
# by tools/install-deps.sh --bench) and rewrites bench/README.md with one line per
# comparison: work, anchor time, digimaturity time, ratio, machine, date. Each script
# also prints its own detailed table (kept in bench/last-run.log by make bench).
# Run from the package's top folder with the package installed: Rscript bench/run.R
# DM_BENCH_ONLY=scoring (a regular expression) runs the matching scripts only; the
# README then lists only their comparisons.
bench_run_all <- TRUE
source(file.path("bench", "common.R"))
started <- Sys.time()
machine_start <- bench_machine()
only <- Sys.getenv("DM_BENCH_ONLY", "")
scripts <- sort(list.files("bench", pattern = "^bench-.*\\.R$", full.names = TRUE))
if (nzchar(only)) scripts <- scripts[grepl(only, scripts)]
failed <- character(0)
for (f in scripts) {
  cat("\n##", f, "\n\n")
  t <- system.time(ok <- tryCatch({
    source(f, local = new.env())
    TRUE
  }, error = function(e) {
    message(sprintf("%s failed: %s", f, conditionMessage(e)))
    FALSE
  }))[["elapsed"]]
  if (!ok) failed <- c(failed, f)
  cat(sprintf("\n(%s: %.0f s)\n", f, t))
}

# Targets of the issues, read off the comparisons (ratio = anchor / digimaturity); with
# `under_s`, digimaturity's time must also stay under that many seconds.
rows <- if (length(bench_comparisons$rows)) do.call(rbind, bench_comparisons$rows) else NULL
target <- function(pattern, anchor_pattern, at_least, under_s = NULL) {
  if (is.null(rows)) return(NULL)
  r <- rows[grepl(pattern, rows$work, fixed = TRUE) & grepl(anchor_pattern, rows$anchor, fixed = TRUE), ]
  if (!nrow(r) || is.na(r$ratio[1])) return(NULL)
  met <- r$ratio[1] >= at_least && (is.null(under_s) || r$package_s[1] < under_s)
  sprintf("* %s against %s: **%.1fx**%s (target: %sat least %sx): %s.", r$work[1], r$anchor[1],
          r$ratio[1], if (is.null(under_s)) "" else sprintf(", %s in %.3f s", r$package[1], r$package_s[1]),
          if (is.null(under_s)) "" else sprintf("under %s s and ", format(under_s)), at_least,
          if (met) "met" else "**not met in this run**")
}
targets <- c(
  target("200,000 x 10 items", "psych", 30),
  target("OLS with HC1 s.e., n = 1e6, k = 20, 2 threads", "fixest", 3),
  # issue 23: 100,000 respondents x 3 margins, against survey::rake() run to convergence
  target("100,000 respondents x 3 margins", "survey::rake() (converged", 10, under_s = 0.1))

machine <- bench_machine()
date <- format(started, "%Y-%m-%d %H:%M UTC", tz = "UTC")
readme <- c(
  "# Benchmarks",
  "",
  "Written by `make bench` (`bench/run.R`): every `bench/bench-*.R` script, run side by side",
  "with its anchor packages in one R session per script on the same data; the anchors are",
  "installed by `tools/install-deps.sh --bench`. One line per comparison; times are medians",
  "of the runs given (anchor / digimaturity), in seconds; ratio = anchor time / digimaturity",
  "time (above 1: digimaturity is faster). An anchor time computed from a smaller run says so",
  "in its name. Do not edit by hand: rerun `make bench` on a quiet machine.",
  "",
  sprintf("Run of %s, %.0f minutes; machine: %s (load average at the start: %s).", date,
          as.numeric(difftime(Sys.time(), started, units = "mins")), machine,
          sub(".*load ([^,]*),.*", "\\1", machine_start)),
  if (nzchar(only) || nzchar(Sys.getenv("DM_BENCH_ONLY_HC1")))
    c("", sprintf(paste0("**Partial run** (DM_BENCH_ONLY = '%s', DM_BENCH_ONLY_HC1 = '%s'): ",
                         "the other comparisons were not rerun; `make bench` runs them all."),
                  only, Sys.getenv("DM_BENCH_ONLY_HC1"))),
  "",
  comparison_table(machine = machine, date = date),
  "",
  if (length(targets)) c("Targets:", "", targets, ""),
  if (length(failed)) c(sprintf("Scripts that failed in this run: %s.", paste(failed, collapse = ", ")), ""),
  "The scripts print more (memory, accuracy against the anchors, per-case notes): see their",
  "output in `bench/last-run.log`. Earlier runs, with their discussion, are in",
  "`bench/history.md`.")
writeLines(readme, file.path("bench", "README.md"))
cat("\nbench/README.md rewritten:\n\n")
writeLines(readme)
if (length(failed)) quit(status = 1)
