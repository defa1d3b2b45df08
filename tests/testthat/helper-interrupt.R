# Interrupt latency (issue #21: Ctrl-C stops a long run within a second): a child process
# waits `after` seconds, writes the time, and sends SIGINT to this R process while `expr`
# runs (with the progress hook on, its bar drawn only after 100 s). Returns the result
# ("interrupted" when the interrupt arrived) and the seconds from the signal to the
# handler. Not a speed test: it checks that the core polls for interrupts.
interrupt_latency <- function(expr, after = 1.5) {
  stamp <- tempfile()
  on.exit(unlink(stamp), add = TRUE)
  system2("sh", c("-c", shQuote(sprintf("sleep %s; date +%%s.%%N > %s; kill -INT %d",
                                        format(after), stamp, Sys.getpid()))), wait = FALSE)
  old <- options(cli.progress_show_after = 100, digimaturity.progress = TRUE)
  on.exit(options(old), add = TRUE)
  caught <- NA_real_
  res <- tryCatch(expr, interrupt = function(e) {
    caught <<- as.numeric(Sys.time())
    "interrupted"
  })
  # wait for the stamp (written just before the signal)
  for (i in 1:50) if (file.exists(stamp) && length(readLines(stamp, warn = FALSE))) break else Sys.sleep(0.1)
  sent <- if (file.exists(stamp)) as.numeric(readLines(stamp, warn = FALSE)) else NA_real_
  list(result = res, latency = caught - sent)
}
