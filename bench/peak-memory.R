# Peak resident memory of a call (bytes), in a fresh R process, above the memory held
# after `setup` ran: the high-water mark (VmHWM) is reset just before `code`. Linux only.
# Sourced by the bench scripts (run from the package's top folder).
peak_memory <- function(code, setup) {
  script <- tempfile(fileext = ".R")
  on.exit(unlink(script))
  writeLines(c(setup,
    "rss <- function(f) as.numeric(sub('[^0-9]*([0-9]+).*', '\\\\1', grep(f, readLines('/proc/self/status'), value = TRUE))) * 1024",
    "invisible(gc()); before <- rss('VmRSS')",
    "writeLines('5', '/proc/self/clear_refs')",
    code,
    "cat(rss('VmHWM') - before, '\\n')"), script)
  out <- system2(file.path(R.home("bin"), "Rscript"), script, stdout = TRUE)
  as.numeric(utils::tail(out, 1))
}
