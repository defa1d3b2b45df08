# The replication report (inst/report/replication.Rmd, rendered by `make replicate`):
# the verdict at the top (the synthetic-data caveat before the count, the stars beside
# it), HTML tables, images, the term x model table with a note for every star that
# differs, the "capacity or pressure?" answer from dm_importance() and dm_wild() beside
# CR2; and, where Chromium is installed, the page as a browser lays it out at a phone's
# 420 px, a laptop's 1024 px and a desktop's 1400 px.

render_report <- function() {
  rmd <- system.file("report", "replication.Rmd", package = "digimaturity")
  skip_if_not(nzchar(rmd), "the report is not installed")
  work <- tempfile("report")
  dir.create(work)
  file.copy(list.files(dirname(rmd), "[.]Rmd$", full.names = TRUE), work)  # with its child documents
  suppressMessages(rmarkdown::render(file.path(work, "replication.Rmd"), output_dir = work,
                                     intermediates_dir = work, quiet = TRUE, envir = new.env()))
}

# Lays the page out in headless Chromium at `width` px and returns what a script measured
# after the load: the page's scroll width, the table of contents' box and whether it is
# open, and the displayed width of every image (in CSS px).
browser_layout <- function(html, width, chromium) {
  page <- tempfile(fileext = ".html")
  probe <- paste0(
    "<script>window.addEventListener('load', function () {",
    "var t = document.getElementById('TOC'), r = t.getBoundingClientRect(), d = t.querySelector('details');",
    "var imgs = Array.prototype.map.call(document.images, function (i) { return Math.round(i.getBoundingClientRect().width); });",
    "document.body.setAttribute('data-layout', [document.documentElement.scrollWidth, window.innerWidth,",
    "Math.round(r.width), Math.round(r.height), d && d.open ? 1 : 0].join(',') + ';' + imgs.join(','));",
    "});</script></body>")
  writeLines(sub("</body>", probe, paste(readLines(html, warn = FALSE, encoding = "UTF-8"), collapse = "\n"),
                 fixed = TRUE), page, useBytes = TRUE)
  dom <- run_external(chromium, c("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             sprintf("--window-size=%d,2000", width), "--virtual-time-budget=5000",
                             "--dump-dom", paste0("file://", page)),
                 stdout = TRUE, stderr = FALSE)
  m <- regmatches(dom, regexpr("data-layout=\"[^\"]*\"", dom))
  if (!length(m)) return(NULL)
  parts <- strsplit(sub("^data-layout=\"(.*)\"$", "\\1", m[1]), ";", fixed = TRUE)[[1]]
  v <- as.numeric(strsplit(parts[1], ",", fixed = TRUE)[[1]])
  list(scroll_width = v[1], window = v[2], toc_width = v[3], toc_height = v[4], toc_open = v[5] == 1,
       images = if (length(parts) > 1) as.numeric(strsplit(parts[2], ",", fixed = TRUE)[[1]]) else numeric())
}

test_that("the replication report: verdict, tables, pictures, every star difference explained, capacity or pressure answered", {
  skip_on_cran()
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("ggplot2")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  out <- render_report()
  raw <- paste(readLines(out, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  # pandoc wraps lines and puts cell contents on lines of their own
  html <- gsub("\\s*(<[^>]*>)\\s*", "\\1", gsub("\\s+", " ", raw))
  has <- function(s) grepl(s, html, fixed = TRUE)
  at <- function(s) regexpr(s, html, fixed = TRUE)
  # the verdict comes first, in one box, with the count; the caveat before the count,
  # the stars beside it
  verdict <- regexpr("<div [^>]*class=\"[^\"]*verdict\"", html)
  expect_true(verdict > 0)
  expect_true(verdict < regexpr("<table", html))
  expect_true(has("71 of 71 published figures reproduced"))
  expect_true(has("stars: 30 of 42 equal"))
  expect_true(at("The data are synthetic") > verdict)
  expect_true(at("The data are synthetic") < at("71 of 71 published figures reproduced"))
  expect_true(at("stars: 30 of 42 equal") - at("71 of 71 published figures reproduced") < 200)
  # the table of contents collapses under a width
  expect_true(has("id=\"TOC\""))
  expect_true(has("@media (max-width: 75em)"))
  expect_true(has("createElement(\"details\")"))
  # HTML tables (dm_table's and the comparisons) and pictures
  expect_gt(length(gregexpr("<table", html)[[1]]), 10L)
  expect_true(has("class=\"dm-table\""))
  expect_gt(length(gregexpr("<img src=\"data:image/png", html, fixed = TRUE)[[1]]), 4L)
  # percentages as percentages, labels whole, both languages
  expect_true(has("Benefits control of digital initiatives"))
  expect_true(has("Interne reputatie (69%)"))
  expect_true(has(">45%<"))
  expect_false(has("0.5971014"))
  expect_false(grepl(">NA<|NA%| NA ", html))

  # the term x model table: one row per term, per model published | replicated
  terms <- regmatches(html, regexpr("<table class=\"rep terms\">.*?</table>", html, perl = TRUE))
  expect_length(terms, 1L)
  expect_identical(lengths(regmatches(terms, gregexpr("<th colspan=\"2\">", terms))), 3L)
  expect_equal(lengths(regmatches(terms, gregexpr("<tr><td>", terms))), 14L)
  # no cell marked equal whose stars differ; every cell whose stars differ has its note
  cell <- function(cls) regmatches(terms, gregexpr(sprintf("<td class=\"num %s\">[^<]*", cls), terms))[[1]]
  stars_of <- function(x) sub("^-?[.0-9]+([*+]*) .*$", "\\1", gsub("&#42;", "*", sub("^<td[^>]*>", "", x)))
  pairs <- regmatches(terms, gregexpr("<td class=\"num\">[^<]*</td><td class=\"num st-ok\">[^<]*", terms))[[1]]
  expect_equal(length(pairs), 42L - 12L)
  for (p in pairs) {
    two <- strsplit(p, "</td>", fixed = TRUE)[[1]]
    expect_identical(stars_of(two[1]), stars_of(two[2]))
  }
  expect_length(cell("st-diff"), 12L)
  notes <- regmatches(html, gregexpr("<li class=\"explain\">", html, fixed = TRUE))[[1]]
  expect_length(notes, 12L)
  expect_true(has("one-sided"))

  # capacity or pressure: LMG shares with cluster-bootstrap intervals, wild beside CR2
  expect_true(has("id=\"importance\""))
  expect_true(has("id=\"wild\""))
  expect_true(grepl("administrative capacity</td><td>\\.[0-9]{3} \\([0-9]+%\\)<br>\\[\\.[0-9]{3}, \\.[0-9]{3}\\]</td>", html))
  expect_true(grepl("The answer on these data:</strong>in each model the largest share goes to", html, fixed = TRUE))
  expect_true(grepl("Efficiency wild</th>", html, fixed = TRUE))
  expect_true(grepl("Of the 39 slopes, [0-9]+ differ from zero at .05 with CR2 and [0-9]+ with the wild bootstrap", html))

  # the synthetic caveat where derived properties are printed
  expect_gte(length(gregexpr("class=\"caveat\"", html, fixed = TRUE)[[1]]), 4L)
  expect_true(has("reliability"))

  # as a browser lays it out (where Chromium is installed)
  chromium <- Sys.which(c("chromium", "chromium-browser", "google-chrome"))
  chromium <- chromium[nzchar(chromium)]
  skip_if(!length(chromium), "Chromium is not installed: the layout at 420, 1024 and 1400 px is not checked")
  phone <- browser_layout(out, 420, chromium[1])
  skip_if(is.null(phone), "headless Chromium did not run")
  laptop <- browser_layout(out, 1024, chromium[1])
  desktop <- browser_layout(out, 1400, chromium[1])
  for (l in list(phone, laptop, desktop)) {
    # nothing wider than the window: wide tables scroll inside their box
    expect_lte(l$scroll_width, l$window)
  }
  # a phone: the table of contents is a closed box at the top, not a sidebar
  expect_false(phone$toc_open)
  expect_lt(phone$toc_height, 80)
  # a laptop: closed too, and the item chart (the first image, 960 px wide) is shown at
  # (nearly) its own size, its text not shrunk
  expect_false(laptop$toc_open)
  expect_gte(laptop$images[1], 900)
  # a desktop: the sidebar, open, a fifth of the width at most
  expect_true(desktop$toc_open)
  expect_lte(desktop$toc_width, desktop$window / 5)
  expect_equal(desktop$images[1], 960)
})
