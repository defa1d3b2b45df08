# Installs from CRAN the packages named on the command line that are not yet installed.
# Packages that fail to install are reported; only Imports/LinkingTo failures are fatal.
pkgs <- commandArgs(trailingOnly = TRUE)
required <- c("Rcpp", "RcppEigen", "generics", "roxygen2", "testthat")
installed <- function(p) nzchar(system.file(package = p))  # without loading it
todo <- pkgs[!vapply(pkgs, installed, logical(1))]
if (length(todo)) {
  lib <- .libPaths()[1]
  if (file.access(lib, 2) != 0) {
    lib <- Sys.getenv("R_LIBS_USER")
    dir.create(lib, recursive = TRUE, showWarnings = FALSE)
    .libPaths(c(lib, .libPaths()))
  }
  message("tools/install-cran.R: installing from CRAN: ", paste(todo, collapse = " "))
  options(Ncpus = 2L)
  utils::install.packages(todo, lib = lib, repos = "https://cloud.r-project.org",
                          quiet = TRUE)
}
still <- pkgs[!vapply(pkgs, installed, logical(1))]
if (length(still)) message("tools/install-cran.R: not available: ", paste(still, collapse = " "))
if (any(still %in% required)) quit(status = 1)
