# dm_table(): the five formats, labels, blocks, and stars and F following each model's vcov.

fits_mtcars <- function() {
  list(classical = dm_lm(mpg ~ wt + hp, mtcars, vcov = "classical"),
       HC2 = dm_lm(mpg ~ wt + hp, mtcars, vcov = "HC2"),
       CR2 = without_few_clusters(dm_lm(mpg ~ wt + hp, mtcars, cluster = ~cyl)))
}

study_models <- function() dm_replicate()$models

test_that("text tables show the study's models in its layout, English and Dutch", {
  m <- study_models()
  tab <- dm_table(m, blocks = "study", leading_zero = FALSE)
  expect_s3_class(tab, "dm_table")
  expect_output(print(tab), "Institutional pressures")
  expect_true(any(grepl("Digital strategy +\\.417\\*\\*\\* \\(\\.057\\)", tab)))
  # the replicated balance model gives -.070 (.029) the star of its t test
  expect_true(any(grepl("IT-representative in management .*-\\.070\\* \\(\\.029\\)$", tab)))
  # headings come before their terms, the constant after the blocks, fit rows last
  pos <- function(s) grep(s, tab, fixed = TRUE)[1]
  expect_true(pos("Institutional pressures") < pos("Coercive isomorphism"))
  expect_true(pos("Control") < pos("Consensus"))
  expect_true(pos("Consensus") < pos("Constant"))
  expect_true(pos("Constant") < pos("R\u00b2"))
  # the classical F of the replicated fits: the values R2, N and k imply
  f_line <- tab[grepl("^F ", tab)]
  expect_match(f_line, "31\\.663\\*\\*\\*")
  expect_true(any(grepl("efficiency: classical (OLS) s.e.; t tests on n - k = 284 df; overall test: F(13, 284).",
                        tab, fixed = TRUE)))
  expect_true(any(grepl("Stars: + p < .10, * p < .05, ** p < .01, *** p < .001", tab, fixed = TRUE)))
  nl <- dm_table(m, lang = "nl", blocks = "study")
  expect_true(any(grepl("Institutionele druk", nl)))
  expect_true(any(grepl("Digitale strategie", nl)))
  expect_true(any(grepl("Constante", nl)))
  expect_true(any(grepl("Aangepaste R\u00b2", nl)))
  expect_true(any(grepl("Standaardfouten tussen haakjes", nl)))
  # leading zeros by default; the number of rows: 13 terms + constant + 4 fit + 4 headings
  expect_true(any(grepl("0\\.417\\*\\*\\* \\(0\\.057\\)", dm_table(m))))
  # every row has the same aligned width of the table or less
  body <- tab[2:(grep("^=+$", tab)[2] - 1)]
  expect_true(all(nchar(body, type = "width") <= nchar(tab[1])))
})

test_that("stars and the overall test follow each model's own vcov and df", {
  fits <- fits_mtcars()
  tab <- without_few_clusters(dm_table(fits, fit = c("statistic", "nobs", "n_clusters")))
  for (nm in names(fits)) {
    td <- tidy(fits[[nm]])
    expect_equal(sum(grepl(sprintf("%.3f%s", td$estimate[2], digimaturity:::signif_stars(td$p.value[2])),
                           tab, fixed = TRUE)), 1L)
  }
  # hp: ** with classical s.e., *** with HC2, none with CR2 (Satterthwaite df)
  hp <- tab[grepl("^hp", tab)]
  expect_match(hp, "-0.032\\*\\* \\(0.009\\) +-0.032\\*\\*\\* \\(0.008\\) +-0.032 \\(0.009\\)")
  # the overall test is each fit's glance(): classical F, Wald F, HTZ, each tagged
  g <- lapply(fits, glance)
  f_row <- tab[grepl("^Overall test", tab)]
  expect_match(f_row, sprintf("%.3f\\*\\*\\* \\[F\\]", g$classical$statistic))
  expect_match(f_row, sprintf("%.3f\\*\\*\\* \\[Wald\\]", g$HC2$statistic))
  expect_match(f_row, sprintf("%.3f \\[HTZ\\]", g$CR2$statistic))
  # never the classical F beside robust s.e.
  expect_false(grepl(sprintf("%.3f", g$classical$statistic), sub("^.*\\[F\\]", "", f_row)))
  # the notes (wrapped in the text format)
  notes <- paste(tab, collapse = " ")
  expect_match(notes, "HC2: robust s.e. (HC2); t tests on n - k = 29 df; overall test: Wald F(2, 29) HC2.",
               fixed = TRUE)
  expect_match(notes, "clustered by cyl (3 clusters); t tests on Satterthwaite df", fixed = TRUE)
  expect_true(any(grepl("^Clusters +3$", sub("\\s+$", "", tab))))
  # one robust model alone: the row says it is a robust Wald F
  one <- dm_table(list(HC2 = fits$HC2))
  expect_true(any(grepl("^Wald F \\(robust\\)", one)))
  expect_false(any(grepl("^F ", one)))
  # custom stars and stat = "t" / "ci"
  t_tab <- dm_table(fits["classical"], stat = "t", stars = c("*" = 0.05))
  expect_true(any(grepl(sprintf("(%.2f)", tidy(fits$classical)$statistic[2]), t_tab, fixed = TRUE)))
  expect_true(any(grepl("Stars: * p < .05", t_tab, fixed = TRUE)))
  ci <- dm_table(fits["HC2"], stat = "ci")
  td <- tidy(fits$HC2)
  expect_true(any(grepl(sprintf("[%.3f, %.3f]", td$conf.low[2], td$conf.high[2]), ci, fixed = TRUE)))
})

test_that("labels override, and blocks group terms under headings", {
  fits <- fits_mtcars()
  tab <- without_few_clusters(dm_table(fits, labels = c(wt = "Weight", hp = "Horsepower"),
                  blocks = list(Engine = "hp", Body = "wt")))
  pos <- function(s) grep(s, tab, fixed = TRUE)[1]
  expect_true(pos("Engine") < pos("Horsepower"))
  expect_true(pos("Horsepower") < pos("Body"))
  expect_true(pos("Body") < pos("Weight"))
  expect_true(any(grepl("^  Weight", tab)))
  expect_error(dm_table(fits, blocks = list(A = "nope")), "`blocks` names term.*'nope'",
               class = "digimaturity_error_input")
  expect_error(dm_table(fits, lang = "fr"), "`lang` must be one of", class = "digimaturity_error_input")
  expect_error(dm_table(fits, format = "pdf"), "`format` must be one of", class = "digimaturity_error_input")
  expect_error(dm_table(fits, stat = "p"), "`stat` must be one of", class = "digimaturity_error_input")
  expect_error(dm_table(fits, fit = "aic"), "`fit` must be some of.*'aic'", class = "digimaturity_error_input")
  expect_error(dm_table(list(a = lm(mpg ~ wt, mtcars))), "class 'lm'", class = "digimaturity_error_input")
  expect_error(dm_table(fits, digits = 2.5), "`digits` must be a whole number",
               class = "digimaturity_error_input")
  expect_error(dm_table(fits, format = "docx"), "`file` must be given", class = "digimaturity_error_input")
  # unnamed lists and single fits get numbered headers
  expect_match(dm_table(fits$HC2)[2], "\\(1\\)")
})

test_that("markdown is a pipe table with escaped stars", {
  tab <- dm_table(study_models(), format = "markdown", blocks = "study", lang = "nl")
  rows <- tab[grepl("^\\|", tab)]
  expect_true(all(lengths(regmatches(rows, gregexpr("(?<!\\\\)\\|", rows, perl = TRUE))) == 5L))
  expect_identical(rows[2], "| :--- | ---: | ---: | ---: |")
  expect_true(any(grepl("| **Institutionele druk** |  |  |  |", rows, fixed = TRUE)))
  expect_true(any(grepl("0.417\\*\\*\\* (0.057)", rows, fixed = TRUE)))
})

test_that("LaTeX is a complete booktabs tabularx in a threeparttable (and compiles where TeX is installed)", {
  tab <- dm_table(study_models(), format = "latex", blocks = "study")
  expect_identical(tab[1], "\\begin{center}")
  expect_identical(tab[length(tab)], "\\end{center}")
  expect_equal(sum(tab == "\\begin{threeparttable}"), 1L)
  spec_line <- grep("^\\\\begin\\{tabularx\\}\\{\\\\linewidth\\}", tab, value = TRUE)
  expect_length(spec_line, 1L)
  expect_equal(sum(tab == "\\toprule"), 1L)
  expect_equal(sum(tab == "\\bottomrule"), 1L)
  expect_equal(sum(tab == "\\midrule"), 2L)
  # every row has as many cells as the column specification has columns
  cols <- sub("^\\\\begin\\{tabularx\\}\\{\\\\linewidth\\}\\{(.*)\\}$", "\\1", spec_line)
  while (grepl("\\{[^{}]*\\}", cols)) cols <- gsub("\\{[^{}]*\\}", "", cols)
  ncol <- nchar(gsub("[^Xrl]", "", cols))
  expect_gte(ncol, 7L)
  body <- tab[grepl(" \\\\\\\\$", tab) & !grepl("multicolumn", tab)]
  expect_true(all(lengths(regmatches(body, gregexpr("(?<!\\\\)&", body, perl = TRUE))) == ncol - 1L))
  expect_true(any(grepl("Knowledge \\& development opportunities", tab, fixed = TRUE)))
  expect_true(any(grepl("R$^2$", tab, fixed = TRUE)))
  expect_true(any(grepl(sprintf("\\multicolumn{%d}{@{}l}{\\textit{Institutional pressures}} \\\\", ncol), tab,
                        fixed = TRUE)))
  # the minus and `<` in math, the stars as superscripts, the notes as wrapping items
  expect_true(any(grepl("$-$2.703", tab, fixed = TRUE)))
  expect_false(any(grepl("(^|[^$])-[0-9]", tab)))
  expect_true(any(grepl("\\item Stars: + p $<$ .10", tab, fixed = TRUE)))
  expect_true(any(grepl("0.417 & \\textsuperscript{***}", tab, fixed = TRUE)))
  expect_true(any(grepl("\\item \\textit{Note.} Standard errors in parentheses.", tab, fixed = TRUE)))
  # balanced braces on every line
  opens <- lengths(regmatches(tab, gregexpr("(?<!\\\\)\\{", tab, perl = TRUE)))
  closes <- lengths(regmatches(tab, gregexpr("(?<!\\\\)\\}", tab, perl = TRUE)))
  expect_identical(opens, closes)
  # a title makes it a float with a numbered caption
  cap <- dm_table(study_models(), format = "latex", title = "Maturity & capacity")
  expect_identical(cap[1:2], c("\\begin{table}[htbp]", "\\centering"))
  expect_true("\\caption{Maturity \\& capacity}" %in% cap)
  lit <- dm_table(study_models(), format = "latex", title = "T", caption = "Table 3")
  expect_true("\\textbf{Table 3}\\par" %in% lit)
  expect_false(any(grepl("\\caption", lit, fixed = TRUE)))
})

test_that("HTML is a valid table", {
  tab <- dm_table(study_models(), format = "html", blocks = "study", lang = "nl")
  html <- paste(tab, collapse = "\n")
  if (requireNamespace("xml2", quietly = TRUE)) {
    doc <- xml2::read_xml(html)
    expect_identical(xml2::xml_name(doc), "table")
    trs <- xml2::xml_find_all(doc, "//tbody/tr")
    expect_length(trs, 4L + 14L + 4L)
    cells <- xml2::xml_text(xml2::xml_find_all(doc, "//tbody/tr[th[.='Digitale strategie']]/td"))
    expect_identical(cells, c("0.417*** (0.057)", "0.308*** (0.061)", "0.223*** (0.059)"))
    expect_length(xml2::xml_find_all(doc, "//thead/tr/th"), 4L)
    expect_match(xml2::xml_text(xml2::xml_find_all(doc, "//tfoot")), "p &lt; .05|p < .05")
  }
  # balanced tags in any case
  for (tag in c("table", "thead", "tbody", "tfoot", "tr", "th", "td")) {
    open <- lengths(regmatches(html, gregexpr(sprintf("<%s[ >]", tag), html)))
    close <- lengths(regmatches(html, gregexpr(sprintf("</%s>", tag), html)))
    expect_identical(open, close)
  }
  expect_false(grepl("<[^/a-z!]", gsub("&lt;", "", html)))
})

test_that("docx is a valid Word document with the table", {
  skip_if_not_installed("officer")
  path <- tempfile(fileext = ".docx")
  res <- dm_table(study_models(), format = "docx", file = path, blocks = "study", lang = "nl")
  expect_true(file.exists(path))
  expect_identical(attr(res, "file"), path)
  files <- utils::unzip(path, list = TRUE)$Name
  expect_true(all(c("[Content_Types].xml", "word/document.xml") %in% files))
  dir <- tempfile()
  utils::unzip(path, exdir = dir)
  xml <- paste(readLines(file.path(dir, "word/document.xml"), warn = FALSE, encoding = "UTF-8"),
               collapse = "")
  skip_if_not_installed("xml2")
  doc <- xml2::read_xml(xml)
  ns <- xml2::xml_ns(doc)
  expect_length(xml2::xml_find_all(doc, "//w:tbl", ns), 1L)
  # header + 4 headings + 14 terms + 4 fit rows (+ 14 rows of standard errors when they
  # stand below the estimates)
  expect_true(length(xml2::xml_find_all(doc, "//w:tbl/w:tr", ns)) %in% c(23L, 37L))
  # no text directly inside a table row (only cells)
  expect_length(xml2::xml_find_all(doc, "//w:tr/text()[normalize-space(.) != '']", ns), 0L)
  txt <- xml2::xml_text(doc)
  expect_match(txt, "Digitale strategie0.417***", fixed = TRUE)
  expect_match(txt, "(0.057)", fixed = TRUE)
  expect_match(txt, "Sterren: + p < .10", fixed = TRUE)
})

test_that("file output returns the table invisibly", {
  path <- tempfile(fileext = ".md")
  expect_invisible(res <- without_few_clusters(dm_table(fits_mtcars(), format = "markdown", file = path)))
  expect_identical(readLines(path), as.character(unclass(res)))
})

test_that("dm_agree() results: items per dimension with % favourable, interval, n and marks", {
  ag <- dm_agree(flanders_dm)
  tab <- dm_table(ag)
  expect_true(any(grepl("^Efficiency$", tab)))
  expect_true(any(grepl("% favourable", tab, fixed = TRUE)))
  sec <- ag[ag$item == "information_security", ]
  line <- tab[grepl("Information security", tab)]
  expect_match(line, sprintf("%.0f +\\[%.0f, %.0f\\] +%d +going well$", 100 * sec$favourable,
                             100 * sec$conf.low, 100 * sec$conf.high, sec$n))
  expect_match(tab[grepl("Monitoring effects", tab)], "challenge$")
  nl <- dm_table(ag, lang = "nl", cut = 0.6)
  expect_true(any(grepl("^Effici\u00ebntie$", nl)))
  expect_true(any(grepl("Informatiebeveiliging .* gaat goed$", nl)))
  expect_true(any(grepl("gaat goed vanaf 60% gunstig", nl, fixed = TRUE)))
  # items sorted by % favourable within a dimension
  eff <- ag[ag$dimension == "efficiency", ]
  lbl <- eff$label_en[order(-eff$favourable)]
  expect_identical(order(vapply(lbl, function(l) grep(l, tab, fixed = TRUE)[1], integer(1))),
                   seq_along(lbl))
  # the other formats
  md <- dm_table(ag, format = "markdown", digits = 1)
  expect_true(any(grepl(sprintf("| %.1f |", 100 * sec$favourable), md, fixed = TRUE)))
  tex <- dm_table(ag, format = "latex")
  expect_true(any(grepl("\\% favourable", tex, fixed = TRUE)))
  expect_true("\\begin{tabularx}{\\linewidth}{>{\\raggedright\\arraybackslash}Xrrrl}" %in% tex)
  if (requireNamespace("xml2", quietly = TRUE)) {
    doc <- xml2::read_xml(paste(dm_table(ag, format = "html", lang = "nl"), collapse = "\n"))
    expect_length(xml2::xml_find_all(doc, "//tbody/tr"), 24L + 4L)
  }
  if (requireNamespace("officer", quietly = TRUE)) {
    path <- tempfile(fileext = ".docx")
    dm_table(ag, format = "docx", file = path)
    expect_true("word/document.xml" %in% utils::unzip(path, list = TRUE)$Name)
  }
  # groups become headings
  grp <- dm_agree(flanders_dm, by = "complete")
  expect_true(any(grepl("^TRUE: Efficiency$", dm_table(grp))))
  expect_error(dm_table(ag, n = 0), "`n` must be", class = "digimaturity_error_input")
  expect_error(dm_table(fits_mtcars(), n = 2), "no argument `n`", class = "digimaturity_error_argument_spelling")
})

test_that("a dm_mlm holding its per-outcome fits is tabulated like a named list", {
  fits <- list(mpg = dm_lm(mpg ~ wt + hp, mtcars), qsec = dm_lm(qsec ~ wt + hp, mtcars))
  mlm <- structure(list(fits = fits), class = "dm_mlm")
  expect_identical(unclass(dm_table(mlm)), unclass(dm_table(fits)))
  expect_error(dm_table(structure(list(a = 1), class = "dm_mlm")), "dm_mlm without per-outcome fits",
               class = "digimaturity_error_input")
  expect_error(dm_table(fits, file = 3), "`file` must be NULL or a single path",
               class = "digimaturity_error_input")
})

test_that("an lm() fit is refused with a pointer to dm_lm(), not a list of its components", {
  e <- tryCatch(dm_table(lm(mpg ~ wt, mtcars)), digimaturity_error = function(e) e)
  expect_s3_class(e, "digimaturity_error_input")
  expect_match(conditionMessage(e), "`models` is an lm fit (class 'lm')", fixed = TRUE)
  expect_match(conditionMessage(e), "refit it with dm_lm()", fixed = TRUE)
  expect_false(grepl("qr|numeric", conditionMessage(e)))
  expect_error(dm_table(glm(mpg ~ wt, data = mtcars)), "`models` is a glm fit .*refit it with dm_lm\\(\\)",
               class = "digimaturity_error_input")
  expect_error(dm_table(list(a = lm(mpg ~ wt, mtcars), b = dm_lm(mpg ~ wt, mtcars))),
               "holds a fit of class 'lm' \\(element 1\\), not dm_lm fits; refit it with dm_lm\\(\\)",
               class = "digimaturity_error_input")
})

test_that("dm_table() takes the language as `lang`, term labels as `labels`, and refuses the rest", {
  fits <- fits_mtcars()
  # the language and the term labels are two arguments now; a named vector is `labels`
  tab <- without_few_clusters(dm_table(fits, lang = "nl", labels = c(wt = "Gewicht")))
  expect_true(any(grepl("^Gewicht +-3.878", tab)))
  expect_true(any(grepl("Aangepaste R\u00b2", tab, fixed = TRUE)))
  expect_error(dm_table(fits, labels = "nl"), "`labels` must be NULL or a character vector.*The language is `lang`",
               class = "digimaturity_error_input")
  expect_error(dm_table(fits, language = "nl"), "did you mean `lang`",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_table(fits, conf.level = 0.9), "dm_table\\(\\) has no argument `conf.level`",
               class = "digimaturity_error_argument_spelling")
  # `n` and `cut` are dm_highlights()'s, for dm_agree() results only
  expect_error(dm_table(fits, cut = 0.5), "no argument `cut`", class = "digimaturity_error_argument_spelling")
  expect_error(dm_table(dm_agree(flanders_dm), cutt = 0.5), "did you mean `cut`",
               class = "digimaturity_error_argument_spelling")
})

test_that("the study's labels only with blocks = \"study\"; items and dimensions from the result", {
  m <- study_models()
  expect_true(any(grepl("Digital strategy", dm_table(m, blocks = "study"), fixed = TRUE)))
  # without the study's blocks, its term labels are not imposed on a model
  expect_false(any(grepl("Digital strategy", dm_table(m), fixed = TRUE)))
  # an agree table of one's own instrument: its item and dimension labels
  freq <- data.frame(item = c("f1", "f2"), dimension = "use", keyed = 1, scale_max = 4,
                     label_en = c("Uses e-mail", "Uses video calls"),
                     dimension_label_en = "Everyday use")
  a <- dm_agree(data.frame(f1 = c(1, 2, 3, 4, 4, 3), f2 = c(4, 4, 3, 2, 1, 1)), freq, threshold = 3)
  tab <- dm_table(a)
  expect_true("Everyday use" %in% tab)
  expect_true(any(grepl("^  Uses e-mail", tab)))
})

test_that("a factor's reference row renders in every format with several models", {
  d <- mtcars
  d$cyl <- factor(d$cyl)
  fits <- list(a = dm_lm(mpg ~ wt + cyl, d), b = dm_lm(qsec ~ wt + cyl, d), c = dm_lm(hp ~ wt + cyl, d))
  for (f in c("text", "markdown", "latex", "html")) {
    out <- dm_table(fits, format = f)
    expect_true(any(grepl("(reference)", out, fixed = TRUE)), label = f)
  }
  skip_if_not_installed("flextable", "0.9.0")
  path <- tempfile(fileext = ".docx")
  on.exit(unlink(path))
  dm_table(fits, format = "docx", file = path)
  expect_true(file.exists(path))
})
