# make render-check: renders the publication tables of dm_table() the way their readers
# see them, into one folder for a person to look at, and checks what can be checked:
#   Word (.docx) -> PDF through LibreOffice: pages, words broken over two lines;
#   LaTeX -> PDF through pdflatex: compiles, no overfull box, pages;
#   HTML: standalone pages (open them in a browser; with Chromium, PNGs at 420, 1024 and
#   1400 px are written too).
# Each PDF page is also written as a PNG (pdftoppm). A tool that is missing is skipped
# with a message. Usage: Rscript tools/render-check.R [outdir]   (default render-check/)
suppressPackageStartupMessages(library(digimaturity))
out <- commandArgs(TRUE)[1]
if (is.na(out)) out <- "render-check"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
out <- normalizePath(out)
has <- function(tool) nzchar(Sys.which(tool))
# LibreOffice and the poppler tools without R's LD_LIBRARY_PATH (LibreOffice would load
# R's libraries instead of its own)
run <- function(cmd, args) system2("env", c("-u", "LD_LIBRARY_PATH", cmd, args), stdout = FALSE, stderr = FALSE)
pages <- function(pdf) {
  info <- system2("pdfinfo", shQuote(pdf), stdout = TRUE, stderr = FALSE)
  as.integer(sub("^Pages:\\s+", "", grep("^Pages:", info, value = TRUE)))
}
failures <- character()
fail <- function(...) {
  msg <- paste0(...)
  failures <<- c(failures, msg)
  message("  FAIL ", msg)
}

fits <- dm_replicate()$models
ag <- dm_agree(flanders_dm)
d <- flanders_dm
d$maturity <- rowMeans(d[c("portfolio_management", "project_management")])
factor_fit <- dm_lm(maturity ~ role + population_class + coercive, d, cluster = ~municipality)
six <- c(fits, stats::setNames(fits, paste(names(fits), "(2)")))
tables <- list(
  agree_nl = list(ag, lang = "nl", caption = TRUE, title = "Digitale maturiteit: % gunstig per item",
                  note = "Synthetische gegevens."),
  agree_en = list(ag, lang = "en", caption = TRUE, title = "Digital maturity: % favourable per item"),
  study_nl = list(fits, lang = "nl", blocks = "study", caption = "Tabel 2", title = "Regressies"),
  study_en = list(fits, blocks = "study", caption = TRUE, title = "Maturity regressions", leading_zero = FALSE),
  factor = list(factor_fit, labels = c(role = "Respondent", coercive = "Coercive pressure")),
  six_ci = list(six, stat = "ci", title = "Six models with confidence intervals")
)
# the expected number of pages of each Word table (A4 portrait)
docx_pages <- c(agree_nl = 1L, agree_en = 1L, study_nl = 1L, study_en = 1L, factor = 1L, six_ci = NA)

message("Word (", out, "/*.docx)")
for (nm in names(tables)) {
  docx <- file.path(out, paste0(nm, ".docx"))
  do.call(dm_table, c(tables[[nm]], format = "docx", file = docx))
  # the table's columns fit between the page's margins
  ex <- tempfile()
  utils::unzip(docx, exdir = ex)
  xml <- paste(readLines(file.path(ex, "word", "document.xml"), warn = FALSE), collapse = "")
  grid <- as.numeric(regmatches(xml, gregexpr("(?<=<w:gridCol w:w=\")[0-9]+", xml, perl = TRUE))[[1]])
  attr_of <- function(tag, a) {
    as.numeric(regmatches(xml, regexec(sprintf("<w:%s[^>]* w:%s=\"([0-9]+)\"", tag, a), xml))[[1]][2])
  }
  pg <- attr_of("pgSz", "w")
  mar <- c(attr_of("pgMar", "left"), attr_of("pgMar", "right"))
  if (length(grid) && !anyNA(c(pg, mar)) && sum(grid) > pg - sum(mar) + 5) {
    fail(nm, ".docx: the table is ", sum(grid), " twips wide, the text ", pg - sum(mar))
  }
}
if (has("soffice")) {
  docs <- file.path(out, paste0(names(tables), ".docx"))
  run("soffice", c("--headless", "--convert-to", "pdf", "--outdir", shQuote(out), shQuote(docs)))
  for (nm in names(tables)) {
    pdf <- file.path(out, paste0(nm, ".pdf"))
    if (!file.exists(pdf)) { fail(nm, ".docx: LibreOffice wrote no PDF"); next }
    if (!has("pdftotext")) next
    spec <- attr(do.call(dm_table, tables[[nm]]), "spec")
    words <- unique(unlist(strsplit(c(vapply(spec$rows, function(r) r$cells[1], ""), spec$header), " ")))
    txt <- unlist(strsplit(system2("pdftotext", c("-layout", shQuote(pdf), "-"), stdout = TRUE), "\\s+"))
    broken <- setdiff(words[nzchar(words)], txt)
    n <- pages(pdf)
    message(sprintf("  %-9s %d page(s); %s", nm, n,
                    if (length(broken)) paste("BROKEN WORDS:", paste(broken, collapse = ", ")) else "no broken word"))
    if (length(broken)) fail(nm, ".docx: words broken over lines: ", paste(broken, collapse = ", "))
    if (!is.na(docx_pages[[nm]]) && n != docx_pages[[nm]]) fail(nm, ".docx: ", n, " pages, expected ", docx_pages[[nm]])
    if (has("pdftoppm")) run("pdftoppm", c("-png", "-r", "80", shQuote(pdf), shQuote(file.path(out, paste0(nm, "-docx")))))
  }
} else message("  skipped the PDF check: LibreOffice (soffice) is not installed (tools/install-render-tools.sh)")

message("LaTeX (", out, "/*-latex.tex)")
for (nm in names(tables)) {
  tex <- file.path(out, paste0(nm, "-latex.tex"))
  do.call(dm_table, c(tables[[nm]], format = "latex", standalone = TRUE, file = tex))
  if (!has("pdflatex")) next
  old <- setwd(out)
  status <- run("pdflatex", c("-interaction=nonstopmode", "-halt-on-error", shQuote(basename(tex))))
  setwd(old)
  log <- readLines(sub("\\.tex$", ".log", tex), warn = FALSE)
  over <- grep("^Overfull|^Underfull \\\\hbox.*badness 10000", log, value = TRUE)
  pdf <- sub("\\.tex$", ".pdf", tex)
  n <- if (file.exists(pdf) && has("pdfinfo")) pages(pdf) else NA
  message(sprintf("  %-9s exit %d; %d page(s); %s", nm, status, n,
                  if (length(over)) paste(over, collapse = " | ") else "no overfull box"))
  if (status != 0L) fail(nm, "-latex.tex: pdflatex failed")
  if (any(grepl("^Overfull", over))) fail(nm, "-latex.tex: ", paste(over, collapse = " | "))
  if (file.exists(pdf) && has("pdftoppm")) run("pdftoppm", c("-png", "-r", "80", shQuote(pdf), shQuote(sub("\\.tex$", "", tex))))
}
if (!has("pdflatex")) message("  skipped compiling: pdflatex is not installed (tools/install-render-tools.sh)")

message("HTML (", out, "/*.html)")
chrome <- c("chromium", "chromium-browser", "google-chrome")[has(c("chromium", "chromium-browser", "google-chrome"))]
for (nm in names(tables)) {
  html <- file.path(out, paste0(nm, ".html"))
  do.call(dm_table, c(tables[[nm]], format = "html", standalone = TRUE, file = html))
  if (length(chrome)) {
    for (w in c(420, 1024, 1400)) {
      run(chrome[1], c("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                       sprintf("--window-size=%d,1400", w),
                       sprintf("--screenshot=%s", shQuote(file.path(out, sprintf("%s-%d.png", nm, w)))),
                       shQuote(paste0("file://", html))))
    }
  }
}
if (!length(chrome)) message("  no screenshots: Chromium is not installed; open the .html files in a browser")

if (length(failures)) {
  message("\nrender-check: ", length(failures), " problem(s):\n  ", paste(failures, collapse = "\n  "))
  quit(status = 1L)
}
message("\nrender-check: all renders pass; look at them in ", out)
