# dm_read(): each reader on a file written in the test gives the scores of the original.
nl <- c("Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens")
q_names <- sprintf("Q%02d", 1:24)
q_map <- stats::setNames(dmm_items$item, q_names)

# The original: codes 1-5 with missing values, and the same answers as an export with
# question codes as column names.
original <- function(n = 120) {
  d <- sim_responses(n = n, p_missing = 0.05)
  d$municipality <- sprintf("Gemeente %s", d$municipality)
  d
}
as_export <- function(d) {
  e <- d[c("respondent", "municipality", dmm_items$item)]
  names(e)[-(1:2)] <- q_names
  e
}
same_scores <- function(survey, d) {
  expect_equal(dm_score(survey, id = "respondent"), dm_score(d, id = "respondent"))
  expect_equal(dm_agree(survey), dm_agree(d))
  expect_equal(dm_aggregate(survey), dm_aggregate(d))
}
read_quiet <- function(...) suppressWarnings(suppressMessages(dm_read(..., verbose = FALSE)))

test_that("a data frame is mapped by name, by table and by label text", {
  d <- original()
  # by name: nothing to map
  s <- dm_read(d, verbose = FALSE)
  expect_s3_class(s, "dm_survey")
  expect_identical(attr(s, "read_report")$matched$how, rep("name", 24))
  same_scores(s, d)
  # by a named vector and by a data frame
  e <- as_export(d)
  s1 <- dm_read(e, mapping = q_map, verbose = FALSE)
  same_scores(s1, d)
  s2 <- dm_read(e, mapping = data.frame(column = q_names, item = dmm_items$item), verbose = FALSE)
  expect_equal(s2, s1)
  expect_identical(names(s1), c("respondent", "municipality", dmm_items$item))
  # by label text: Dutch question texts as headings, English ones as variable labels
  t <- e
  names(t)[3:14] <- paste("In welke mate is dit goed geregeld? -", dmm_items$label_nl[1:12])
  for (k in 15:26) attr(t[[k]], "label") <- paste0(dmm_items$label_en[k - 2], ":")
  s3 <- dm_read(t, verbose = FALSE)
  expect_identical(attr(s3, "read_report")$matched$how, rep(c("label", "label"), each = 12))
  same_scores(s3, d)
})

test_that("the read report lists matches, translations, no-answer counts and out-of-range codes", {
  d <- original(60)
  e <- as_export(d)
  for (q in q_names) e[[q]] <- nl[e[[q]]]
  e$Q05[1:4] <- c("weet niet", "Weet niet", "n.v.t.", "geen mening")
  e$Q07[2] <- "9"
  e$extra <- 1
  expect_message(s <- dm_read(e, mapping = q_map[-24]),
                 class = "digimaturity_message_read_report") |>
    expect_warning("1 of the 24 items of `items` were not found in the data: 'poor_past_it'",
                   class = "digimaturity_warning_missing_items")
  rep <- attr(s, "read_report")
  expect_s3_class(rep, "dm_read_report")
  expect_identical(rep$missing_items, "poor_past_it")
  expect_setequal(rep$unused_columns, c("respondent", "municipality", "Q24", "extra"))
  expect_equal(sum(rep$no_answer$n[rep$no_answer$item == "it_funding"]), 4)
  expect_identical(rep$out_of_range, data.frame(item = "data_privacy", value = "9", n = 1L,
                                                stringsAsFactors = FALSE))
  expect_true(all(c("Helemaal oneens", "Helemaal eens") %in% rep$translations$value))
  out <- capture.output(print(s))
  expect_true(any(grepl("Items matched: 23 of 24 \\(23 by mapping\\)", out)))
  expect_true(any(grepl("Items not found: poor_past_it", out)))
  expect_true(any(grepl("'Helemaal eens' -> 5", out)))
  expect_true(any(grepl("\"No answer\" labels set to missing: 4 answers", out)))
  expect_true(any(grepl("data_privacy: 9 \\(1\\)", out)))
  expect_true(any(grepl("<dm_survey> 60 respondents", out)))
  # the out-of-range code stops scoring, or is declared
  expect_error(dm_score(s, items = dmm_items[-24, ]), class = "digimaturity_error_invalid_code")
  s9 <- suppressWarnings(dm_read(e, mapping = q_map[-24], missing_codes = 9, verbose = FALSE))
  expect_identical(attr(s9, "read_report")$declared_missing$n, 1L)
})

test_that("mapping slips are classed errors naming the values", {
  e <- as_export(original(10))
  expect_error(dm_read(e, mapping = c(Q99 = "open_data"), verbose = FALSE),
               "`mapping` names column that the data do not have: 'Q99'", class = "digimaturity_error_mapping")
  expect_error(dm_read(e, mapping = c(Q01 = "open_dta"), verbose = FALSE),
               "'open_dta' \\('open_data'\\?\\), which is not an item", class = "digimaturity_error_mapping")
  expect_error(dm_read(e, mapping = c(Q01 = "open_data", Q02 = "open_data"), verbose = FALSE),
               "Q01, Q02 -> 'open_data'", class = "digimaturity_error_mapping")
  expect_error(dm_read(e, mapping = c("open_data"), verbose = FALSE),
               "named character vector", class = "digimaturity_error_mapping")
  err <- tryCatch(dm_read(e, verbose = FALSE), error = identity)
  expect_s3_class(err, "digimaturity_error_missing_column")
  expect_match(conditionMessage(err), "dm_read(path, mapping = c(<your column> = \"<item>\"", fixed = TRUE)
  expect_error(dm_read(file.path(tempdir(), "nope.csv")), "does not exist", class = "digimaturity_error_file")
})

test_that("CSV with ';', decimal commas, Latin-1 and word answers gives the original scores", {
  d <- original()
  e <- as_export(d)
  e$municipality <- paste0(e$municipality, " \u00e9\u00e8")  # accents to encode
  e$weight <- round(runif(nrow(e), 0.5, 2), 2)
  for (q in q_names[1:12]) e[[q]] <- nl[e[[q]]]
  e$Q01[c(5, 9)] <- "weet niet"
  path <- tempfile(fileext = ".csv")
  utils::write.table(e, path, sep = ";", dec = ",", row.names = FALSE, na = "",
                     fileEncoding = "latin1")
  expect_false(validUTF8(rawToChar(readBin(path, "raw", file.size(path)))))
  s <- read_quiet(path, mapping = q_map)
  rep <- attr(s, "read_report")
  expect_match(rep$details, "delimiter ';', encoding windows-1252, decimal commas")
  expect_equal(s$weight, e$weight)
  expect_identical(s$municipality, e$municipality)
  ref <- d
  ref$portfolio_management[c(5, 9)] <- NA
  ref$municipality <- e$municipality
  same_scores(s, ref)
  # UTF-8 with a byte-order mark, tab-delimited, English answers
  e2 <- as_export(d)
  for (q in q_names) e2[[q]] <- c("Strongly disagree", "Disagree", "Neutral", "Agree",
                                   "Strongly agree")[e2[[q]]]
  path2 <- tempfile(fileext = ".tsv")
  con <- file(path2, "wb")
  writeBin(as.raw(c(0xef, 0xbb, 0xbf)), con)
  close(con)
  suppressWarnings(utils::write.table(e2, path2, sep = "\t", row.names = FALSE, na = "",
                                      append = TRUE, fileEncoding = "UTF-8"))
  s2 <- read_quiet(path2, mapping = q_map)
  expect_match(attr(s2, "read_report")$details, "delimiter tab, encoding UTF-8")
  same_scores(s2, d)
})

test_that("a Qualtrics CSV with its two extra header rows is read and matched by question text", {
  d <- original(50)
  e <- as_export(d)
  for (q in q_names) e[[q]] <- nl[e[[q]]]
  texts <- c("Response ID", "Gemeente",
             paste("Hoe goed is dit geregeld in uw bestuur? -", dmm_items$label_nl))
  ids <- sprintf("{\"ImportId\":\"QID%d\"}", seq_along(texts))
  names(e)[1:2] <- c("ResponseId", "municipality")
  body <- rbind(as.data.frame(as.list(texts), col.names = names(e)),
                as.data.frame(as.list(ids), col.names = names(e)),
                as.data.frame(lapply(e, as.character), col.names = names(e)))
  path <- tempfile(fileext = ".csv")
  utils::write.csv(body, path, row.names = FALSE, na = "")
  s <- read_quiet(path)
  rep <- attr(s, "read_report")
  expect_match(rep$details, "Qualtrics export")
  expect_identical(rep$matched$how, rep("label", 24))
  expect_identical(rep$matched$column, q_names)
  expect_equal(nrow(s), 50L)
  expect_equal(dm_score(s), dm_score(d))
  expect_equal(dm_aggregate(s), dm_aggregate(d))
})

test_that("a LimeSurvey CSV with full question and answer texts is read", {
  d <- original(40)
  e <- as_export(d)
  for (q in q_names) e[[q]] <- nl[e[[q]]]
  e$Q03[1] <- "Geen antwoord"
  names(e) <- c("id", "municipality", sprintf("Hoe goed is dit geregeld? [%s]", dmm_items$label_nl))
  path <- tempfile(fileext = ".csv")
  utils::write.csv(e, path, row.names = FALSE, na = "")
  s <- read_quiet(path)
  ref <- d
  ref$project_management[1] <- NA
  expect_equal(dm_score(s), dm_score(ref))
})

test_that("SPSS .sav with value labels and user-missing values gives the original scores", {
  skip_if_not_installed("haven")
  d <- original()
  e <- as_export(d)
  lab <- stats::setNames(c(1:5, 8, 9), c(nl, "n.v.t.", "weet niet"))
  ref <- d
  for (k in seq_along(q_names)) {
    v <- e[[q_names[k]]]
    v[seq(k, nrow(e), by = 17)] <- 9   # user-missing
    v[seq(k + 3, nrow(e), by = 29)] <- 8  # labelled "n.v.t.", not declared missing
    ref[[dmm_items$item[k]]][seq(k, nrow(e), by = 17)] <- NA
    ref[[dmm_items$item[k]]][seq(k + 3, nrow(e), by = 29)] <- NA
    e[[q_names[k]]] <- haven::labelled_spss(v, lab, na_values = 9, label = dmm_items$label_nl[k])
  }
  e$municipality[1:2] <- ""
  ref$municipality[1:2] <- NA
  path <- tempfile(fileext = ".sav")
  haven::write_sav(e, path)
  s <- dm_read(path, verbose = FALSE)   # matched by variable label
  rep <- attr(s, "read_report")
  expect_identical(rep$matched$how, rep("label", 24))
  expect_true(sum(rep$user_missing$n) > 0)
  expect_true(sum(rep$no_answer$n) > 0)
  expect_identical(attr(s$portfolio_management, "label"), dmm_items$label_nl[1])
  expect_message(sc <- dm_score(s, id = "respondent"), NA)
  expect_equal(sc, dm_score(ref, id = "respondent"))
  # SPSS's empty strings are missing values, counted in the report
  expect_identical(rep$blank_strings, c(municipality = 2L))
  expect_true(any(grepl("Empty strings set to missing: municipality 2", capture.output(print(rep)))))
  expect_message(a <- dm_aggregate(s), NA)
  expect_equal(a, dm_aggregate(ref))
  # the same file as .zsav, and with haven::as_factor() words
  pathz <- tempfile(fileext = ".zsav")
  haven::write_sav(e, pathz, compress = "zsav")
  expect_equal(dm_score(read_quiet(pathz)), dm_score(ref))
  f <- haven::as_factor(haven::read_sav(path))
  expect_equal(suppressMessages(dm_score(read_quiet(f, mapping = q_map))), dm_score(ref))
})

test_that("Stata .dta gives the original scores", {
  skip_if_not_installed("haven")
  d <- original()
  e <- as_export(d)
  for (q in q_names) e[[q]] <- haven::labelled(e[[q]], stats::setNames(1:5, nl))
  path <- tempfile(fileext = ".dta")
  haven::write_dta(e, path)
  same_scores(read_quiet(path, mapping = q_map), d)
})

test_that("Excel .xlsx written with openxlsx gives the original scores", {
  skip_if_not_installed("readxl")
  skip_if_not_installed("openxlsx")
  d <- original()
  e <- as_export(d)
  for (q in q_names[13:24]) e[[q]] <- nl[e[[q]]]
  path <- tempfile(fileext = ".xlsx")
  openxlsx::write.xlsx(e, path)
  s <- read_quiet(path, mapping = q_map)
  expect_identical(attr(s, "read_report")$format, "Excel .xlsx")
  same_scores(s, d)
  # a sheet by name through ...
  wb <- openxlsx::createWorkbook()
  openxlsx::addWorksheet(wb, "info")
  openxlsx::addWorksheet(wb, "antwoorden")
  openxlsx::writeData(wb, "antwoorden", e)
  openxlsx::saveWorkbook(wb, path, overwrite = TRUE)
  same_scores(read_quiet(path, mapping = q_map, sheet = "antwoorden"), d)
})

test_that("the format comes from the content when the extension is unknown; missing packages are named", {
  d <- original(30)
  e <- as_export(d)
  path <- tempfile(fileext = ".export")
  utils::write.csv(e, path, row.names = FALSE)
  expect_equal(dm_score(read_quiet(path, mapping = q_map)), dm_score(d))
  skip_if_not_installed("haven")
  p2 <- tempfile(fileext = ".bin")
  haven::write_sav(e, p2)
  expect_identical(attr(read_quiet(p2, mapping = q_map), "read_report")$format, "SPSS .sav")
  err <- tryCatch(need_package("notapackage9", "sav"), error = identity)
  expect_s3_class(err, "digimaturity_error_missing_package")
  expect_match(conditionMessage(err), "needs the package 'notapackage9' to read .sav files.*install.packages\\(\"notapackage9\"\\)")
})

test_that("a Qualtrics .xlsx export and ambiguous or clashing mappings", {
  skip_if_not_installed("readxl")
  skip_if_not_installed("openxlsx")
  d <- original(30)
  e <- as_export(d)
  e$weight <- 1 + (seq_len(30) %% 3) / 4
  texts <- c("Response ID", "Gemeente", paste("Vraag -", dmm_items$label_en), "Weight")
  ids <- sprintf("{\"ImportId\":\"QID%d\"}", seq_along(texts))
  body <- rbind(as.data.frame(as.list(texts), col.names = names(e)),
                as.data.frame(as.list(ids), col.names = names(e)),
                as.data.frame(lapply(e, as.character), col.names = names(e)))
  path <- tempfile(fileext = ".xlsx")
  openxlsx::write.xlsx(body, path)
  s <- read_quiet(path)
  expect_identical(attr(s, "read_report")$matched$how, rep("label", 24))
  expect_equal(as.vector(s$weight), e$weight)
  expect_identical(attr(s$weight, "label"), "Weight")
  expect_equal(dm_score(s), dm_score(d))
})

test_that("an item claimed by two columns' labels, or a mapped name taken, is a classed error", {
  e <- as_export(original(10))
  attr(e$Q01, "label") <- "Portfolio management"
  e$extra <- e$Q01
  attr(e$extra, "label") <- "Portfolio management (again)"
  expect_error(dm_read(e, mapping = q_map[-1], verbose = FALSE),
               "item 'portfolio_management' \\(\"Portfoliobeheer\"\\) matches the labels of several columns: 'Q01', 'extra'.*mapping = c\\(Q01 = \"portfolio_management\"\\)",
               class = "digimaturity_error_mapping")
  e2 <- as_export(original(10))
  e2$open_data <- 1
  expect_error(dm_read(e2, mapping = q_map, verbose = FALSE),
               "the data also have a column of that name", class = "digimaturity_error_mapping")
  bin <- tempfile(fileext = ".xyz")
  writeBin(as.raw(c(0, 1, 2, 3, 0, 255)), bin)
  expect_error(dm_read(bin), "not a format dm_read\\(\\) knows \\(extension 'xyz'\\)",
               class = "digimaturity_error_file")
  expect_error(dm_read(1:3), "`path` must be the name of one file \\(or a data frame\\)",
               class = "digimaturity_error_file")
})
