# Runs an external program of the render tests (Chromium, LibreOffice, pdflatex, poppler)
# as system2() does, but without the sanitizer runtime that `make sanitize` preloads into
# R (LD_PRELOAD: Chromium spins forever with libasan preloaded) and without R's library
# path (LD_LIBRARY_PATH: LibreOffice then cannot load its own libraries), and with a time
# limit, so that a program that hangs fails its test instead of stopping the run.
run_external <- function(cmd, args = character(), ..., timeout = 180) {
  system2("env", c("-u", "LD_PRELOAD", "-u", "LD_LIBRARY_PATH", cmd, args), ..., timeout = timeout)
}
