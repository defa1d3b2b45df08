# The replication report (inst/report/replication.Rmd, rendered by `make replicate`):
# the verdict at the top, HTML tables, images, and no "equal" beside stars that differ.
test_that("the replication report has the verdict, HTML tables, pictures, and explains every star difference", {
  skip_on_cran()
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("ggplot2")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  rmd <- system.file("report", "replication.Rmd", package = "digimaturity")
  skip_if_not(nzchar(rmd), "the report is not installed")
  work <- tempfile("report")
  dir.create(work)
  file.copy(rmd, work)
  out <- suppressMessages(rmarkdown::render(file.path(work, "replication.Rmd"), output_dir = work,
                                            intermediates_dir = work, quiet = TRUE, envir = new.env()))
  html <- paste(readLines(out, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  # pandoc wraps lines and puts cell contents on lines of their own
  html <- gsub("\\s*(<[^>]*>)\\s*", "\\1", gsub("\\s+", " ", html))
  has <- function(s) grepl(s, html, fixed = TRUE)
  # the verdict comes first, in one box, with the count
  verdict <- regexpr("<div [^>]*class=\"[^\"]*verdict\"", html)
  expect_true(verdict > 0)
  expect_true(verdict < regexpr("<table", html))
  expect_true(has("71 of 71 published figures reproduced"))
  expect_true(has("id=\"TOC\""))
  # HTML tables (dm_table's and the comparisons) and pictures
  expect_gt(length(gregexpr("<table", html)[[1]]), 8L)
  expect_true(has("class=\"dm-table\""))
  expect_gt(length(gregexpr("<img src=\"data:image/png", html, fixed = TRUE)[[1]]), 4L)
  # percentages as percentages, labels whole, both languages
  expect_true(has("Benefits control of digital initiatives"))
  expect_true(has("Interne reputatie (69%)"))
  expect_true(has(">45%<"))
  expect_false(has("0.5971014"))
  # no row marked equal whose stars differ: every "stars differ" row is followed by its explanation
  rows <- regmatches(html, gregexpr("<tr class=\"(ok|differs)\">.*?</tr>", html, perl = TRUE))[[1]]
  eq <- rows[grepl("class=\"st\">equal<", rows)]
  stars_of <- function(cell) sub("^-?[.0-9]+([*+]*) .*$", "\\1", gsub("&#42;", "*", cell))
  cells <- regmatches(eq, gregexpr("<td>[^<]*\\([.0-9]+\\)</td>", eq))
  for (cl in cells) if (length(cl) == 2) expect_identical(stars_of(sub("<td>", "", cl[1])), stars_of(sub("<td>", "", cl[2])))
  n_diff <- length(gregexpr("class=\"st\">stars differ<", html, fixed = TRUE)[[1]])
  expect_equal(n_diff, 12L)
  expect_equal(length(gregexpr("<tr class=\"explain\"><td colspan=\"6\">", html, fixed = TRUE)[[1]]), n_diff)
  expect_true(has("one-sided"))
  # the synthetic caveat where derived properties are printed
  expect_gte(length(gregexpr("class=\"caveat\"", html, fixed = TRUE)[[1]]), 3L)
  expect_true(has("reliability"))
})
