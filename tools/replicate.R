# `make replicate`: the main job on the bundled data. Reproduces the UGent study's tables
# from the synthetic respondent data (items -> scores -> models -> tables), prints them
# beside the published figures, and renders the replication report to
# replication/index.html.
suppressPackageStartupMessages(library(digimaturity))
rep <- dm_replicate(language = "en")
print(rep)

cat("\nDoes the design change the conclusions? The same models with CR2 standard errors\n")
cat("clustered by municipality (Satterthwaite df, HTZ overall test), beside the classical ones:\n")
cr2 <- dm_replicate(vcov = "CR2")
both <- c(setNames(rep$models, paste(names(rep$models), "OLS")),
          setNames(cr2$models, paste(names(cr2$models), "CR2")))
print(dm_table(both, blocks = "study", leading_zero = FALSE,
               fit = c("r.squared", "statistic", "nobs", "n_clusters")))

if (requireNamespace("rmarkdown", quietly = TRUE) && rmarkdown::pandoc_available()) {
  out <- file.path(getwd(), "replication")
  dir.create(out, showWarnings = FALSE)
  rmarkdown::render("vignettes/replication.Rmd", output_dir = out, output_file = "index.html",
                    intermediates_dir = tempdir(), quiet = TRUE)
  cat("\nReport written to replication/index.html\n")
} else {
  stop("rmarkdown and pandoc are needed to render replication/index.html (tools/install-deps.sh installs them)")
}
