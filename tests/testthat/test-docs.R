# The documentation of the source tree: _pkgdown.yml lists every topic of the installed
# package (pkgdown::build_site() stops on a topic missing from the reference index, so
# `make site` would fail), the vignettes purl without errors, and the README's example runs.
# _pkgdown.yml, README.md and vignettes/ are not all in the built tarball: the tests look
# for the source tree upwards from the working directory (tests/testthat under
# tools/run-tests.R; check-output/digimaturity.Rcheck/tests/testthat under `make test`)
# and skip where there is none (a check of the tarball elsewhere, CRAN).

source_tree <- function() {
  d <- normalizePath(getwd(), mustWork = FALSE)
  for (i in 1:6) {
    desc <- file.path(d, "DESCRIPTION")
    if (file.exists(file.path(d, "_pkgdown.yml")) && file.exists(desc) &&
        identical(unname(read.dcf(desc, fields = "Package")[1, 1]), "digimaturity")) {
      return(d)
    }
    up <- dirname(d)
    if (identical(up, d)) break
    d <- up
  }
  NULL
}

# The topics named in the reference index, with pkgdown's selectors that the file uses
# resolved against the topics (an unknown selector is an error: the test must not pass
# by ignoring an entry).
pkgdown_listed <- function(reference, topics) {
  entries <- unlist(lapply(reference, function(s) s$contents), use.names = FALSE)
  hits <- lapply(entries, function(e) {
    sel <- regmatches(e, regexec("^(starts_with|ends_with|matches)\\(\"(.*)\"\\)$", e))[[1]]
    if (!length(sel)) {
      if (grepl("(", e, fixed = TRUE)) stop("test-docs.R does not know the selector ", e)
      return(e)
    }
    pattern <- switch(sel[2], starts_with = paste0("^", sel[3]), ends_with = paste0(sel[3], "$"),
                      matches = sel[3])
    topics[grepl(pattern, topics)]
  })
  list(entries = entries, hits = hits)
}

test_that("_pkgdown.yml lists every documented topic of the package, and only those", {
  skip_if_not_installed("yaml")
  root <- source_tree()
  skip_if(is.null(root), "no source tree with _pkgdown.yml above the working directory")
  cfg <- yaml::read_yaml(file.path(root, "_pkgdown.yml"))
  db <- tools::Rd_db("digimaturity")
  expect_gt(length(db), 20L)
  name <- vapply(db, function(rd) {
    tags <- vapply(rd, attr, "", "Rd_tag")
    as.character(rd[[which(tags == "\\name")]][[1]])
  }, "")
  aliases <- lapply(db, function(rd) {
    tags <- vapply(rd, attr, "", "Rd_tag")
    vapply(rd[tags == "\\alias"], function(a) as.character(a[[1]]), "")
  })
  internal <- vapply(db, function(rd) {
    tags <- vapply(rd, attr, "", "Rd_tag")
    any(vapply(rd[tags == "\\keyword"], function(k) identical(as.character(k[[1]]), "internal"), TRUE))
  }, TRUE)
  listed <- pkgdown_listed(cfg$reference, name)
  # pkgdown matches an entry to a topic by its name or one of its aliases
  found <- vapply(seq_along(name), function(i) {
    any(c(name[i], aliases[[i]]) %in% unlist(listed$hits))
  }, TRUE)
  # every exported object's topic must be listed, internal or not (reexports)
  exports <- getNamespaceExports("digimaturity")
  export_topic <- vapply(seq_along(name), function(i) any(aliases[[i]] %in% exports), TRUE)
  missing <- name[!found & (!internal | export_topic)]
  expect(length(missing) == 0L,
         sprintf("_pkgdown.yml: topic(s) not in the reference index: %s (add them to a section).",
                 paste(missing, collapse = ", ")))
  # and every entry names an existing topic (pkgdown fails on a stale one too)
  all_names <- c(name, unlist(aliases))
  stale <- listed$entries[vapply(listed$hits, function(h) !any(h %in% all_names), TRUE)]
  expect(length(stale) == 0L,
         sprintf("_pkgdown.yml names topic(s) the package does not have: %s.",
                 paste(stale, collapse = ", ")))
  # the articles index names every vignette of the source tree
  vig <- sub("\\.Rmd$", "", list.files(file.path(root, "vignettes"), pattern = "\\.Rmd$"))
  arts <- unlist(lapply(cfg$articles, function(s) s$contents))
  expect_setequal(arts, vig)
})

test_that("the vignettes of the source tree purl without errors into code that parses", {
  skip_if_not_installed("knitr")
  root <- source_tree()
  skip_if(is.null(root), "no source tree above the working directory")
  vigs <- list.files(file.path(root, "vignettes"), pattern = "\\.Rmd$", full.names = TRUE)
  expect_gte(length(vigs), 3L)
  for (v in vigs) {
    out <- tempfile(fileext = ".R")
    # purl evaluates the chunk options in a fresh environment: an option such as
    # eval = !has_haven, whose variable the setup chunk defines, fails there. knitr
    # catches that error with try() and only prints it, so the printout is what fails.
    said <- utils::capture.output(
      res <- tryCatch(knitr::purl(v, output = out, quiet = TRUE, envir = new.env()),
                      error = function(e) e),
      type = "message")
    expect_false(inherits(res, "error"), info = basename(v))
    expect(!any(grepl("Error", said)),
           sprintf("knitr::purl(\"%s\") failed: %s", basename(v), paste(said, collapse = " ")))
    expect_true(file.exists(out), info = basename(v))
    expect_no_error(parse(out))
    unlink(out)
  }
})

test_that("the README's first example runs on flanders_dm, clustered by municipality", {
  root <- source_tree()
  skip_if(is.null(root), "no source tree above the working directory")
  md <- readLines(file.path(root, "README.md"), encoding = "UTF-8")
  open <- which(md == "```r")
  expect_gte(length(open), 1L)
  close <- which(md == "```")
  first <- md[(open[1] + 1):(min(close[close > open[1]]) - 1)]
  code <- paste(first, collapse = "\n")
  expect_match(code, "flanders_dm", fixed = TRUE)
  expect_match(code, "municipality", fixed = TRUE)
  expect_false(grepl("mtcars", code, fixed = TRUE))
  env <- new.env(parent = globalenv())
  # the example prints; what matters is that it runs and fits a clustered model
  utils::capture.output(eval(parse(text = code), envir = env))
  expect_s3_class(env$fit, "dm_lm")
  expect_identical(env$fit$vcov_type, "CR2")
  expect_gt(env$fit$n_clusters, 100L)
})
