# dm_report() / dm_reports(): self-contained, deterministic, safe in parallel, and
# rendered in a real browser (headless Chromium) without overflow at phone and desktop
# widths.

report_bench <- local({
  b <- NULL
  function() {
    if (is.null(b)) {
      set.seed(21)
      b <<- dm_benchmark(flanders_dm, peers = ~population_class, draws = 500)
    }
    b
  }
})

test_that("a report is one self-contained page in the language asked", {
  b <- report_bench()
  nl <- dm_report(b, 9)
  en <- dm_report(b, "9", lang = "en")
  expect_s3_class(nl, "dm_report_html")
  expect_match(nl, "<html lang=\"nl\">", fixed = TRUE)
  expect_match(en, "<html lang=\"en\">", fixed = TRUE)
  expect_match(nl, "Gemeente 9", fixed = TRUE)
  expect_match(en, "Your profile on the four dimensions", fixed = TRUE)
  expect_match(nl, "Uw positie tussen alle gemeenten", fixed = TRUE)
  # nothing external: no script, link, image, font or URL
  for (page in list(nl, en)) {
    expect_false(grepl("<script|<link|<img|<iframe|@import|url\\(|src=", page))
    expect_false(grepl("https?://(?!www\\.w3\\.org/2000/svg)", page, perl = TRUE))
    expect_equal(lengths(regmatches(page, gregexpr("<svg ", page))), 2L)
  }
  # the unit's own figures are printed
  u <- b$units[b$units$unit == "9", ]
  expect_match(en, formatC(u$estimate[1], format = "f", digits = 2), fixed = TRUE)
  expect_output(print(nl), "dm_report_html")
})

test_that("the same input gives the same bytes; reports written in parallel equal serial ones", {
  b <- report_bench()
  expect_identical(unclass(dm_report(b, 12, lang = "en")), unclass(dm_report(b, 12, lang = "en")))
  d1 <- file.path(tempfile(), "a")
  d2 <- file.path(tempfile(), "b")
  ids <- unique(b$units$unit)[1:12]
  f1 <- dm_reports(b, dir = d1, lang = "nl", units = ids)
  expect_equal(basename(f1)[1], "index.html")
  expect_length(f1, 13L)
  skip_on_os("windows")
  # two processes writing into one folder at once, each its half of the units
  dir.create(d2, recursive = TRUE)
  jobs <- lapply(list(ids[1:6], ids[7:12]), function(u) parallel::mcparallel(
    dm_reports(b, dir = d2, lang = "nl", units = u)))
  parallel::mccollect(jobs)
  files <- basename(f1)[-1]
  expect_identical(unname(tools::md5sum(file.path(d2, files))), unname(tools::md5sum(file.path(d1, files))))
  expect_length(list.files(d2, pattern = "\\.part$", all.files = TRUE), 0L)
})

test_that("a write that fails or is interrupted leaves no temporary file and no partial report", {
  dir <- tempfile()
  dir.create(dir)
  on.exit(unlink(dir, recursive = TRUE))
  target <- file.path(dir, "unit-1.html")
  # an error after the temporary file is opened (text that is not a string)
  expect_error(write_atomic(1:3, target))
  expect_identical(list.files(dir, all.files = TRUE, no.. = TRUE), character(0))
  # an interrupt while the temporary file is open (the text is a promise forced only when
  # the bytes are written): the temporary file is removed, the old report kept
  skip_on_os("windows")  # SIGINT to the R process itself
  writeLines("old", target)
  parts <- NA
  res <- tryCatch(write_atomic({
    parts <- length(list.files(dir, pattern = "[.]part$", all.files = TRUE))
    tools::pskill(Sys.getpid(), tools::SIGINT)
    Sys.sleep(2)
    "never written"
  }, target), interrupt = function(e) "interrupted")
  expect_identical(res, "interrupted")
  expect_identical(parts, 1L)
  expect_identical(list.files(dir, all.files = TRUE, no.. = TRUE), "unit-1.html")
  expect_identical(readLines(target), "old")
  # and a complete write replaces it
  write_atomic("new\n", target)
  expect_identical(readLines(target), "new")
  expect_identical(list.files(dir, all.files = TRUE, no.. = TRUE), "unit-1.html")
})

test_that("bad arguments are classed errors", {
  b <- report_bench()
  expect_error(dm_report(b, 1000), "one of the 183 units", class = "digimaturity_error_input")
  expect_error(dm_report(flanders_dm, 9), class = "digimaturity_error_input")
  expect_error(dm_report(b, 9, lang = "fr"), class = "digimaturity_error_input")
  expect_error(dm_report(b, 9, language = "en"), "lang", class = "digimaturity_error_argument_spelling")
  expect_error(dm_report(b, 9, file = file.path(tempfile(), "x", "r.html")), class = "digimaturity_error_file")
  expect_error(dm_reports(b, dir = NA), class = "digimaturity_error_input")
})

# Renders pages in headless Chromium, each inside an iframe of its own width (headless
# windows are at least 500 px wide; the iframe is the page's viewport at any width), in
# one browser start. A host script measures, after each page has loaded, its scroll width,
# its viewport width, the figures drawn (SVG with a non-empty box and content) and the
# table wrappers that scroll; the measurements are read from the dumped DOM of the host.
# The pages themselves are unchanged. `pages`: named list of HTML; `widths`: one each.
browser_measure <- function(pages, widths, chromium) {
  dir <- tempfile("browser")
  dir.create(dir)
  frames <- character()
  for (k in seq_along(pages)) {
    writeLines(pages[[k]], file.path(dir, sprintf("p%d.html", k)), useBytes = TRUE)
    frames <- c(frames, sprintf("<iframe id=\"f%d\" src=\"p%d.html\" style=\"border:0;width:%dpx;height:900px\"></iframe>",
                                k, k, widths[k]))
  }
  host <- paste0(
    "<!DOCTYPE html><html><body style=\"margin:0\">", paste(frames, collapse = ""),
    "<script>window.addEventListener('load',function(){",
    "document.querySelectorAll('iframe').forEach(function(f){",
    "var d=f.contentDocument,w=f.contentWindow,s=d.querySelectorAll('svg'),drawn=0,tw=0;",
    "s.forEach(function(v){var b=v.getBBox(),r=v.getBoundingClientRect();",
    "if(b.width>0&&b.height>0&&r.width>0&&r.height>0&&v.childElementCount>3)drawn++;});",
    "d.querySelectorAll('.table-wrap').forEach(function(t){if(t.scrollWidth>t.clientWidth+1)tw++;});",
    "var p=document.createElement('pre');",
    "p.textContent='M:'+f.id+':'+d.documentElement.scrollWidth+':'+w.innerWidth+':'+s.length+':'+drawn+':'+tw+':M';",
    "document.body.appendChild(p);});});</script></body></html>")
  writeLines(host, file.path(dir, "host.html"))
  out <- suppressWarnings(run_external(chromium, c("--headless", "--no-sandbox", "--disable-gpu",
                                              "--hide-scrollbars", "--allow-file-access-from-files",
                                              "--window-size=1500,1000", "--virtual-time-budget=5000",
                                              "--dump-dom", paste0("file://", file.path(dir, "host.html"))),
                                  stdout = TRUE, stderr = FALSE))
  txt <- paste(out, collapse = "\n")
  m <- regmatches(txt, gregexpr("M:f[0-9]+:[0-9:]+:M", txt))[[1]]
  res <- lapply(m, function(x) {
    v <- strsplit(gsub("^M:|:M$", "", x), ":")[[1]]
    stats::setNames(as.list(as.integer(v[-1])), c("scroll", "window", "svgs", "drawn", "scrolling_tables"))
  })
  names(res) <- vapply(m, function(x) strsplit(x, ":")[[1]][2], "")
  stats::setNames(res[sprintf("f%d", seq_along(pages))], names(pages))
}

test_that("a report renders in headless Chromium: figures drawn, no overflow at 420 and 1400 px", {
  skip_on_cran()
  chromium <- find_chromium()
  skip_if(!nzchar(chromium), "headless Chromium is not installed")
  b <- report_bench()
  nl <- unclass(dm_report(b, 9, lang = "nl"))
  en <- unclass(dm_report(b, 9, lang = "en"))
  # the probe detects overflow: a page with a 2000 px wide block overflows at 420 px
  wide <- sub("</main>", "<div style=\"width:2000px\">x</div></main>", en, fixed = TRUE)
  pages <- list(nl420 = nl, nl1400 = nl, en420 = en, en1400 = en, wide = wide)
  widths <- c(420L, 1400L, 420L, 1400L, 420L)
  m <- browser_measure(pages, widths, chromium)
  for (k in 1:4) {
    mk <- m[[k]]
    expect_false(is.null(mk), info = sprintf("%s: the page did not load", names(pages)[k]))
    if (is.null(mk)) next
    expect_equal(mk$window, widths[k])
    expect_lte(mk$scroll, mk$window)
    expect_equal(mk$svgs, 2L)
    expect_equal(mk$drawn, 2L)
    expect_equal(mk$scrolling_tables, 0L)
  }
  expect_gt(m$wide$scroll, m$wide$window)
})

test_that("the optional PDF is printed through Chromium", {
  skip_on_cran()
  skip_if(!nzchar(find_chromium()), "headless Chromium is not installed")
  b <- report_bench()
  pdf <- tempfile(fileext = ".pdf")
  dm_report(b, 9, lang = "en", pdf = pdf)
  expect_true(file.exists(pdf))
  expect_identical(readBin(pdf, "raw", 4L), charToRaw("%PDF"))
})
