# The publication formats of dm_table() rendered the way their readers see them: Word
# documents converted to PDF by LibreOffice (no word broken, the expected number of
# pages), LaTeX compiled by pdflatex (no overfull box), HTML parsed as a page. Each
# render test skips where its tool is missing.

study_fits <- local({
  fits <- NULL
  function() {
    if (is.null(fits)) fits <<- dm_replicate()$models
    fits
  }
})

pdf_pages <- function(pdf) {
  info <- run_external("pdfinfo", shQuote(pdf), stdout = TRUE, stderr = FALSE)
  as.integer(sub("^Pages:\\s+", "", grep("^Pages:", info, value = TRUE)))
}

pdf_words <- function(pdf) {
  txt <- run_external("pdftotext", c("-layout", shQuote(pdf), "-"), stdout = TRUE, stderr = FALSE)
  unlist(strsplit(enc2utf8(txt), "\\s+"))
}

# The words of the labels that do not appear whole in the PDF's text: a word broken
# over two lines appears as two pieces.
broken_words <- function(labels, pdf) {
  words <- unique(unlist(strsplit(labels, " ", fixed = TRUE)))
  setdiff(words[nzchar(words)], pdf_words(pdf))
}

# The row labels (and headings) of a table's specification.
label_words <- function(spec) vapply(spec$rows, function(r) r$cells[1], character(1))

test_that("title, note and caption are checked and printed; partial names are not taken", {
  ag <- dm_agree(flanders_dm)
  tab <- dm_table(ag, title = "Items", note = c("Synthetic data.", "Second."), caption = "Table 4")
  expect_identical(unclass(tab)[1:2], c("Table 4", "Items"))
  expect_true(all(c("Synthetic data.", "Second.") %in% tab))
  expect_lt(which(tab == "Second."), grep("^% favourable: share", tab))
  md <- dm_table(ag, format = "markdown", title = "Items")
  expect_identical(md[1], "**Items**")
  expect_error(dm_table(ag, title = c("a", "b")), "`title` must be NULL or a single non-empty string.*'a', 'b'",
               class = "digimaturity_error_input")
  expect_error(dm_table(ag, note = NA_character_), "`note` must be NULL or a character vector",
               class = "digimaturity_error_input")
  expect_error(dm_table(ag, caption = 3), "`caption` must be NULL.*class 'numeric'",
               class = "digimaturity_error_input")
  expect_error(dm_table(ag, standalone = "yes"), "`standalone`", class = "digimaturity_error_input")
  # `n` is dm_highlights()'s, never a partial `note`
  expect_error(dm_table(ag, n = 0), "`n` must be", class = "digimaturity_error_input")
  expect_true(any(grepl("the 2 highest", dm_table(ag, n = 2), fixed = TRUE)))
  # every column has a header, in both languages
  for (lang in c("en", "nl")) {
    spec <- attr(dm_table(ag, lang = lang), "spec")
    expect_true(all(nzchar(spec$header)))
    expect_true(all(nzchar(attr(dm_table(study_fits(), lang = lang), "spec")$header)))
  }
})

test_that("factors show their reference level; variable labels become row labels", {
  d <- flanders_dm
  d$maturity <- rowMeans(d[c("portfolio_management", "project_management")])
  m <- dm_lm(maturity ~ role + population_class + coercive, d, cluster = ~municipality)
  tab <- dm_table(m, labels = c(role = "Respondent"))
  at <- function(s) grep(s, tab, fixed = TRUE)[1]
  expect_true(at("Respondent") < at("general director (reference)"))
  expect_true(at("general director (reference)") < at("  staff"))
  td <- tidy(m)
  expect_match(tab[at("  staff")], sprintf("%.3f", td$estimate[td$term == "rolestaff"]), fixed = TRUE)
  expect_match(tab[at("general director (reference)")], "\u2014$")
  # an ordered factor: its polynomial contrasts in words, no reference level
  expect_match(tab[at("  linear")], sprintf("%.3f", td$estimate[td$term == "population_class.L"]), fixed = TRUE)
  expect_false(any(grepl("<10000 (reference)", tab, fixed = TRUE)))
  nl <- dm_table(m, lang = "nl")
  expect_true(any(grepl("general director (referentie)", nl, fixed = TRUE)))
  # a variable label on the model's column (as haven sets it)
  attr(m$model$coercive, "label") <- "Coercive pressure"
  expect_true(any(grepl("^Coercive pressure +0\\.", dm_table(m))))
  expect_true(any(grepl("^Coercive pressure +0\\.", dm_table(m, labels = c(role = "R")))))
  expect_true(any(grepl("^Dwang +0\\.", dm_table(m, labels = c(coercive = "Dwang")))))
})

test_that("HTML: a fragment with classes, a standalone page with its own CSS, knit_print", {
  skip_if_not_installed("xml2")
  fits <- study_fits()
  frag <- dm_table(fits, format = "html", blocks = "study", title = "Models", caption = "Table 1")
  doc <- xml2::read_xml(paste(frag, collapse = "\n"))
  expect_identical(xml2::xml_attr(doc, "class"), "dm-table")
  heads <- xml2::xml_text(xml2::xml_find_all(doc, "//thead/tr/th"))
  expect_true(all(nzchar(heads)))
  ncell <- vapply(xml2::xml_find_all(doc, "//tbody/tr[not(@class='dm-heading')]"),
                  function(tr) length(xml2::xml_children(tr)), integer(1))
  expect_true(all(ncell == length(heads)))
  expect_identical(xml2::xml_text(xml2::xml_find_first(doc, "//caption/span[@class='dm-title']")), "Models")
  expect_length(xml2::xml_find_all(doc, "//span[@class='dm-stars']"), 3L * 14L + 3L * 4L)
  expect_length(xml2::xml_find_all(doc, "//tr[contains(@class, 'dm-fit-first')]"), 1L)
  expect_match(xml2::xml_text(xml2::xml_find_first(doc, "//tfoot//em")), "^Note\\.$")
  # the agree table's last column has a header too
  ag <- xml2::read_xml(paste(dm_table(dm_agree(flanders_dm), format = "html", lang = "nl"), collapse = "\n"))
  expect_identical(xml2::xml_text(xml2::xml_find_all(ag, "//thead/tr/th"))[5], "Lezing")

  page <- dm_table(fits, format = "html", standalone = TRUE, lang = "nl", title = "Modellen")
  expect_identical(page[1], "<!DOCTYPE html>")
  html <- xml2::read_html(paste(page, collapse = "\n"))
  expect_identical(xml2::xml_attr(xml2::xml_find_first(html, "//html"), "lang"), "nl")
  expect_identical(xml2::xml_text(xml2::xml_find_first(html, "//title")), "Modellen")
  css <- xml2::xml_text(xml2::xml_find_first(html, "//head/style"))
  expect_match(css, ".dm-table thead tr { border-top", fixed = TRUE)
  expect_length(xml2::xml_find_all(html, "//body//table[@class='dm-table']"), 1L)
  # the file holds the page
  path <- tempfile(fileext = ".html")
  dm_table(fits, format = "html", standalone = TRUE, file = path)
  expect_identical(readLines(path, n = 1L), "<!DOCTYPE html>")

  skip_if_not_installed("knitr")
  tab <- dm_table(fits, blocks = "study")  # made as text, printed for the document
  old <- knitr::opts_knit$get("rmarkdown.pandoc.to")
  on.exit(knitr::opts_knit$set(rmarkdown.pandoc.to = old), add = TRUE)
  knitr::opts_knit$set(rmarkdown.pandoc.to = "html")
  out <- knitr::knit_print(tab)
  expect_s3_class(out, "knit_asis")
  expect_match(out, "<style>", fixed = TRUE)
  expect_match(out, "<table class=\"dm-table\">", fixed = TRUE)
  knitr::opts_knit$set(rmarkdown.pandoc.to = "latex")
  invisible(knitr::knit_meta(clean = TRUE))
  out <- knitr::knit_print(tab)
  expect_match(out, "\\begin{tabularx}", fixed = TRUE)
  deps <- vapply(knitr::knit_meta("latex_dependency", clean = TRUE), function(d) d$name, character(1))
  expect_true(all(c("booktabs", "tabularx", "threeparttable") %in% deps))
  knitr::opts_knit$set(rmarkdown.pandoc.to = "docx")
  expect_match(knitr::knit_print(tab), "| :--- |", fixed = TRUE)
  expect_error(knitr::knit_print(tab, optoins = list()), "did you mean `options`",
               class = "digimaturity_error_argument_spelling")
})

test_that("LaTeX compiles with pdflatex without overfull boxes, on one page", {
  skip_if(Sys.which("pdflatex") == "", "pdflatex is not installed")
  fits <- study_fits()
  many <- c(fits, stats::setNames(fits, paste(names(fits), "(2)")))
  cases <- list(
    study = dm_table(fits, format = "latex", blocks = "study", standalone = TRUE, caption = TRUE,
                     title = "Maturity", note = "A note long enough to wrap under the table of course, more than one line of text in the article class."),
    agree_nl = dm_table(dm_agree(flanders_dm), format = "latex", lang = "nl", standalone = TRUE),
    six_ci = dm_table(many, format = "latex", stat = "ci", standalone = TRUE))
  dir <- tempfile()
  dir.create(dir)
  old <- setwd(dir)
  on.exit(setwd(old))
  for (nm in names(cases)) {
    writeLines(cases[[nm]], paste0(nm, ".tex"), useBytes = TRUE)
    status <- run_external("pdflatex", c("-interaction=nonstopmode", "-halt-on-error", paste0(nm, ".tex")),
                      stdout = FALSE, stderr = FALSE)
    expect_equal(status, 0L, label = nm)
    log <- readLines(paste0(nm, ".log"), warn = FALSE)
    expect_false(any(grepl("^Overfull", log)), label = paste(nm, "has no overfull box"))
    if (nzchar(Sys.which("pdfinfo"))) expect_equal(pdf_pages(paste0(nm, ".pdf")), 1L, label = nm)
  }
  # the check can fail: a fixed table wider than the text is reported
  writeLines(c("\\documentclass{article}", "\\begin{document}",
               "\\begin{tabular}{l}", strrep("wide ", 120), "\\end{tabular}", "\\end{document}"), "bad.tex")
  run_external("pdflatex", c("-interaction=nonstopmode", "bad.tex"), stdout = FALSE, stderr = FALSE)
  expect_true(any(grepl("^Overfull \\\\hbox", readLines("bad.log", warn = FALSE))))
})

test_that("Word: APA layout in the XML, and through LibreOffice no broken word on the expected pages", {
  skip_if_not_installed("flextable")
  skip_if_not_installed("xml2")
  dir <- tempfile()
  dir.create(dir)
  ag <- dm_agree(flanders_dm)
  fits <- study_fits()
  agree <- file.path(dir, "agree.docx")
  dm_table(ag, format = "docx", file = agree, lang = "nl", caption = TRUE,
           title = "Digitale maturiteit: % gunstig per item", note = "Synthetische gegevens.")
  study <- file.path(dir, "study.docx")
  dm_table(fits, format = "docx", file = study, blocks = "study", lang = "nl", caption = "Tabel 2")
  xml_of <- function(path) {
    ex <- tempfile()
    utils::unzip(path, exdir = ex)
    xml2::read_xml(file.path(ex, "word", "document.xml"))
  }
  doc <- xml_of(agree)
  ns <- xml2::xml_ns(doc)
  # APA rules: borders only on the header's top and bottom and the table's bottom
  top <- xml2::xml_find_all(doc, "//w:tbl/w:tr[1]/w:tc/w:tcPr/w:tcBorders/w:top[@w:val='single']", ns)
  expect_length(top, 5L)
  verticals <- xml2::xml_find_all(doc, "//w:tcBorders/*[self::w:left or self::w:right][@w:val!='none' and @w:val!='nil']", ns)
  expect_length(verticals, 0L)
  # fixed widths, in twips, that sum to at most the text width of A4 with 1 in margins
  expect_length(xml2::xml_find_all(doc, "//w:tblLayout[@w:type='fixed']", ns), 1L)
  grid <- as.numeric(xml2::xml_attr(xml2::xml_find_all(doc, "//w:tblGrid/w:gridCol", ns), "w"))
  expect_lte(sum(grid), (8.27 - 2) * 1440 + 5)
  # the caption is a Word field (SEQ), the title and note paragraphs are there
  expect_length(xml2::xml_find_all(doc, "//w:instrText[contains(., 'SEQ table')]", ns), 1L)
  txt <- xml2::xml_text(doc)
  expect_match(txt, "Digitale maturiteit: % gunstig per item", fixed = TRUE)
  expect_match(txt, "Noot. Synthetische gegevens.", fixed = TRUE)
  # decimal tab stops in the regression table, and the minus sign
  sdoc <- xml_of(study)
  expect_gt(length(xml2::xml_find_all(sdoc, "//w:tabs/w:tab[@w:val='decimal']", ns)), 0L)
  expect_match(xml2::xml_text(sdoc), "\u22122.703***", fixed = TRUE)

  skip_if(Sys.which("soffice") == "", "LibreOffice (soffice) is not installed")
  skip_if(Sys.which("pdftotext") == "" || Sys.which("pdfinfo") == "", "poppler-utils are not installed")
  # a table whose label column is too narrow: the check below must see its broken words
  bad <- file.path(dir, "bad.docx")
  ft <- flextable::width(flextable::flextable(data.frame(x = "Portfoliobeheer Informatiebeveiliging")),
                         width = 0.5)
  ft <- flextable::set_table_properties(ft, layout = "fixed")
  print(flextable::body_add_flextable(officer::read_docx(), ft), target = bad)
  # (without R's LD_LIBRARY_PATH, which keeps LibreOffice from finding its own libraries)
  status <- run_external("soffice", c("--headless", "--convert-to", "pdf",
                             "--outdir", shQuote(dir), shQuote(c(agree, study, bad))), stdout = FALSE, stderr = FALSE)
  expect_equal(status, 0L)
  pdf <- function(p) sub("\\.docx$", ".pdf", p)
  expect_gt(length(broken_words("Portfoliobeheer Informatiebeveiliging", pdf(bad))), 0L)
  # the 24 Dutch items, their dimensions and headers: whole words, on one portrait page
  labels <- c(ag$label_nl, "Effici\u00ebntie", "Innovatie", "Balans", "Digitale erfenis", "gunstig", "95%-interval",
              "Lezing", "gaat goed", "uitdaging")
  expect_identical(broken_words(labels, pdf(agree)), character())
  expect_equal(pdf_pages(pdf(agree)), 1L)
  info <- run_external("pdfinfo", shQuote(pdf(agree)), stdout = TRUE)
  size <- as.numeric(regmatches(grep("^Page size", info, value = TRUE),
                                gregexpr("[0-9.]+", grep("^Page size", info, value = TRUE)))[[1]][1:2])
  expect_lt(size[1], size[2])  # portrait
  # the regression table: study labels whole, on one page
  st <- attr(dm_table(fits, blocks = "study", lang = "nl"), "spec")
  expect_identical(broken_words(label_words(st), pdf(study)), character())
  expect_equal(pdf_pages(pdf(study)), 1L)
})
