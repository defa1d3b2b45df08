# `make replicate`: the main job on the bundled data. Reproduces the UGent study's tables
# from the synthetic respondent data (items -> scores -> models -> tables), prints them
# beside the published figures, and renders the replication report to
# replication/index.html.
suppressPackageStartupMessages(library(digimaturity))
rep <- dm_replicate(language = "en")
print(rep)

cat("\nThe same models with CR2 standard errors clustered by municipality:\n")
cr2 <- dm_replicate(vcov = "CR2")
tab <- cr2$regression[cr2$regression$term != "(Intercept)",
                      c("model", "term", "estimate", "std_error", "stars")]
names(tab)[4:5] <- c("std_error_cr2", "stars_cr2")
tab$stars_classical <- rep$regression$stars[match(paste(tab$model, tab$term),
                                                  paste(rep$regression$model, rep$regression$term))]
print(tab, row.names = FALSE)

if (requireNamespace("rmarkdown", quietly = TRUE) && rmarkdown::pandoc_available()) {
  out <- file.path(getwd(), "replication")
  dir.create(out, showWarnings = FALSE)
  rmarkdown::render("vignettes/replication.Rmd", output_dir = out, output_file = "index.html",
                    intermediates_dir = tempdir(), quiet = TRUE)
  cat("\nReport written to replication/index.html\n")
} else {
  stop("rmarkdown and pandoc are needed to render replication/index.html (tools/install-deps.sh installs them)")
}
