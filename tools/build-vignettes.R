# Knits the vignettes of an unpacked digimaturity source directory against the installed
# package and puts them where R CMD build puts them: the .html, the .Rmd and the purled .R
# in inst/doc, so that installing the directory indexes them (vignette(), browseVignettes()).
# Used by tools/install-pkg.sh (`make install`, `make replicate`).
# Usage: Rscript tools/build-vignettes.R PKGDIR
args <- commandArgs(trailingOnly = TRUE)
dir <- normalizePath(if (length(args)) args[1] else ".", mustWork = TRUE)
t0 <- Sys.time()
# tangle = TRUE writes the .R of each vignette (knitr::purl) beside its .html
res <- tools::buildVignettes(dir = dir, tangle = TRUE, quiet = TRUE)
vig <- file.path(dir, "vignettes")
doc <- file.path(dir, "inst", "doc")
dir.create(doc, recursive = TRUE, showWarnings = FALSE)
src <- list.files(vig, pattern = "\\.Rmd$")
stem <- sub("\\.Rmd$", "", src)
outputs <- c(src, paste0(stem, ".html"), paste0(stem, ".R"))
missing <- outputs[!file.exists(file.path(vig, outputs))]
if (length(missing)) stop("the vignettes did not produce: ", paste(missing, collapse = ", "))
ok <- file.copy(file.path(vig, outputs), doc, overwrite = TRUE)
if (!all(ok)) stop("could not copy the vignettes to ", doc)
cat(sprintf("%d vignettes knitted in %.0f s: %s\n", length(src),
            as.numeric(Sys.time() - t0, units = "secs"), paste(stem, collapse = ", ")))
