# Installs from CRAN the packages named on the command line that are not yet installed,
# or whose installed version is older than a minimum given as name>=version
# (e.g. knitr>=1.43: Debian's knitr 1.42 lacks what CRAN's tinytable registers).
# Packages that fail to install are reported; only Imports/LinkingTo failures are fatal.
specs <- commandArgs(trailingOnly = TRUE)
pkgs <- sub(">=.*$", "", specs)
min_version <- ifelse(grepl(">=", specs), sub("^.*>=", "", specs), NA_character_)
required <- c("Rcpp", "RcppEigen", "generics", "roxygen2", "testthat")
installed <- function(p) nzchar(system.file(package = p))  # without loading it
needs <- function(p, v) {
  if (!installed(p)) return(TRUE)
  !is.na(v) && package_version(utils::packageDescription(p)$Version) < package_version(v)
}
todo <- pkgs[mapply(needs, pkgs, min_version)]
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
still <- pkgs[mapply(function(p, v) {
  # a fresh process would see the new version; here, check the library on disk
  d <- tryCatch(utils::packageDescription(p, lib.loc = .libPaths()), error = function(e) NULL)
  is.null(d) || (!is.na(v) && package_version(d$Version) < package_version(v))
}, pkgs, min_version)]
if (length(still)) message("tools/install-cran.R: not available: ", paste(still, collapse = " "))
if (any(still %in% required)) quit(status = 1)
