# `make replicate`: the main job on the bundled data. Reproduces the UGent study's tables
# from the synthetic respondent data (items -> scores -> models -> tables), prints the
# verdict (figures reproduced, inconsistencies of the published figures) and renders the
# replication report, inst/report/replication.Rmd, to replication/index.html.
# Each step prints one line with its time; the report's rendering log goes to
# .make/report.log and is shown only when it fails.
step <- function(label, expr) {
  cat(label, "... ")
  t0 <- Sys.time()
  val <- force(expr)
  cat(sprintf("done (%.0f s)\n", as.numeric(Sys.time() - t0, units = "secs")))
  invisible(val)
}
suppressPackageStartupMessages(library(digimaturity))

rep <- step("Replicating the study on the synthetic data (dm_replicate)", dm_replicate(lang = "en"))
r <- rep$regression
items <- rep$items[!is.na(rep$items$match), ]
chk <- rep$checks
n_ok <- sum(r$match) + sum(items$match) + sum(rep$fit$match) + sum(rep$sample$match)
n_all <- nrow(r) + nrow(items) + nrow(rep$fit) + nrow(rep$sample)
cat(sprintf("  %d of %d published figures reproduced: %d of %d estimate/s.e. pairs, %d of %d item percentages,\n",
            n_ok, n_all, sum(r$match), nrow(r), sum(items$match), nrow(items)))
cat(sprintf("  %d of %d R2/N pairs, %d of %d sample figures; %d of %d printed stars equal (the others explained in the report).\n",
            sum(rep$fit$match), nrow(rep$fit), sum(rep$sample$match), nrow(rep$sample),
            sum(r$stars_match), nrow(r)))
bad <- chk[chk$consistent %in% FALSE, ]
cat(sprintf("  Inconsistencies of the published figures (check_reported): %s.\n",
            paste(sprintf("%d %s", as.integer(table(bad$check)),
                          c(adj_r_squared = "adjusted R2", f_statistic = "F", nobs = "N with adj. R2 and F",
                            stars = "stars", f_stars = "stars of F")[names(table(bad$check))]),
                  collapse = ", ")))

if (!requireNamespace("rmarkdown", quietly = TRUE) || !rmarkdown::pandoc_available()) {
  stop("rmarkdown and pandoc are needed to render replication/index.html (tools/install-deps.sh installs them)")
}
# the report of the source tree (so that editing it needs no reinstall), else the installed one
rmd <- file.path("inst", "report", "replication.Rmd")
if (!file.exists(rmd)) rmd <- system.file("report", "replication.Rmd", package = "digimaturity")
out <- file.path(getwd(), "replication")
dir.create(out, showWarnings = FALSE)
dir.create(".make", showWarnings = FALSE)
log <- file.path(".make", "report.log")
work <- tempfile("report")
dir.create(work)
# the report and its child documents (measurement.Rmd)
invisible(file.copy(list.files(dirname(rmd), "[.]Rmd$", full.names = TRUE), work))
ok <- step("Writing the report (rmarkdown, log: .make/report.log)", {
  res <- tryCatch({
    utils::capture.output(
      rmarkdown::render(file.path(work, "replication.Rmd"), output_dir = out, output_file = "index.html",
                        intermediates_dir = work, quiet = TRUE, envir = new.env()),
      file = log, type = "output")
    TRUE
  }, error = function(e) {
    cat("\n", conditionMessage(e), "\n", file = log, append = TRUE)
    FALSE
  })
  res
})
if (!ok) {
  cat("Writing the report FAILED; the last lines of .make/report.log:\n")
  cat(utils::tail(readLines(log), 40), sep = "\n")
  quit(status = 1)
}
cat("Report: replication/index.html\n")
