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
  # variable labels (question texts of Qualtrics, SPSS) are no part of the scores
  for (k in seq_along(survey)) attr(survey[[k]], "label") <- NULL
  # (the results differ only in the call that made them)
  expect_equal(dm_score(survey, id = "respondent"), dm_score(d, id = "respondent"), ignore_attr = "call")
  expect_equal(dm_agree(survey), dm_agree(d), ignore_attr = "call")
  expect_equal(dm_aggregate(survey), dm_aggregate(d), ignore_attr = "call")
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
  out <- capture.output(print(summary(s)), print(s))
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
  expect_equal(dm_score(s), dm_score(d), ignore_attr = "call")
  expect_equal(dm_aggregate(s), dm_aggregate(d), ignore_attr = "call")
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
  expect_equal(dm_score(s), dm_score(ref), ignore_attr = "call")
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
  expect_equal(sc, dm_score(ref, id = "respondent"), ignore_attr = "call")
  # SPSS's empty strings are missing values, counted in the report
  expect_identical(rep$blank_strings, c(municipality = 2L))
  expect_true(any(grepl("Empty strings set to missing: municipality 2", capture.output(print(rep)))))
  expect_message(a <- dm_aggregate(s), NA)
  expect_equal(a, dm_aggregate(ref), ignore_attr = "call")
  # the same file as .zsav, and with haven::as_factor() words
  pathz <- tempfile(fileext = ".zsav")
  haven::write_sav(e, pathz, compress = "zsav")
  expect_equal(dm_score(read_quiet(pathz)), dm_score(ref), ignore_attr = "call")
  f <- haven::as_factor(haven::read_sav(path))
  expect_equal(suppressMessages(dm_score(read_quiet(f, mapping = q_map))), dm_score(ref), ignore_attr = "call")
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
  expect_equal(dm_score(read_quiet(path, mapping = q_map)), dm_score(d), ignore_attr = "call")
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
  expect_equal(dm_score(s), dm_score(d), ignore_attr = "call")
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

# ---- issue 18: real exports --------------------------------------------------------------

# A Qualtrics CSV: the header, the question texts and the import ids, then the answers.
write_qualtrics <- function(e, path, texts = names(e)) {
  ids <- sprintf("{\"ImportId\":\"QID%d\"}", seq_along(e))
  body <- rbind(as.data.frame(as.list(texts), col.names = names(e)),
                as.data.frame(as.list(ids), col.names = names(e)),
                as.data.frame(lapply(e, as.character), col.names = names(e)))
  utils::write.csv(body, path, row.names = FALSE, na = "")
  path
}
qualtrics_names <- sprintf("Q3_%d", 1:24)
qualtrics_map <- stats::setNames(dmm_items$item, qualtrics_names)

test_that("Qualtrics' stock agreement scale is read; other wordings through `response_labels`", {
  d <- original(60)
  e <- as_export(d)
  names(e)[-(1:2)] <- qualtrics_names
  stock <- c("Strongly disagree", "Somewhat disagree", "Neither agree nor disagree",
             "Somewhat agree", "Strongly agree")
  for (q in qualtrics_names) e[[q]] <- stock[e[[q]]]
  s <- read_quiet(write_qualtrics(e, tempfile(fileext = ".csv")), mapping = qualtrics_map)
  same_scores(s, d)
  expect_true("Somewhat agree" %in% attr(s, "read_report")$translations$value)
  # a frequency scale: refused in one line naming the file's columns and their items
  freq <- c("Never", "Rarely", "Sometimes", "Often", "Always")
  f <- as_export(d)
  names(f)[-(1:2)] <- qualtrics_names
  for (q in qualtrics_names) f[[q]] <- freq[f[[q]]]
  path <- write_qualtrics(f, tempfile(fileext = ".csv"))
  err <- tryCatch(dm_read(path, mapping = qualtrics_map, verbose = FALSE), error = identity)
  expect_s3_class(err, "digimaturity_error_unmatched_label")
  lines <- strsplit(conditionMessage(err), "\n", fixed = TRUE)[[1]]
  expect_length(lines, 3L)
  expect_match(lines[2], "in 24 columns: `Q3_1` -> portfolio_management, `Q3_2` -> maintenance_management,",
               fixed = TRUE)
  expect_match(lines[3], "response_labels = c(\"Never\"", fixed = TRUE)
  # ... and read with the labels in code order, or as 'code=label' pairs
  same_scores(read_quiet(path, mapping = qualtrics_map, response_labels = freq), d)
  s2 <- read_quiet(path, mapping = qualtrics_map,
                   response_labels = "1=Never|2=Rarely|3=Sometimes|4=Often|5=Always")
  same_scores(s2, d)
  expect_error(dm_read(path, mapping = qualtrics_map, response_labels = freq[1:4]),
               "`response_labels` gives 4 labels, but items .* have 5 codes",
               class = "digimaturity_error_input")
  expect_error(dm_read(path, mapping = qualtrics_map, response_labels = "1=Never|7=Always"),
               "`response_labels` cannot be used: .*'7=Always'", class = "digimaturity_error_input")
})

test_that("columns without a heading are named or, when empty, dropped, and reported", {
  d <- original(20)
  e <- as_export(d)
  lines <- c(paste(names(e), collapse = ","),
             apply(as.matrix(format(e, trim = TRUE)), 1, paste, collapse = ","))
  # a trailing comma on every line (an older Qualtrics layout)
  path <- tempfile(fileext = ".csv")
  writeLines(paste0(lines, ","), path)
  s <- read_quiet(path, mapping = q_map)
  expect_identical(names(s), c("respondent", "municipality", dmm_items$item))
  same_scores(s, d)
  rep <- attr(s, "read_report")
  expect_identical(rep$empty_headings, "1 empty column without a heading dropped (column 27)")
  expect_true(any(grepl("empty column without a heading dropped", capture.output(print(rep)))))
  # an empty heading with data: named by its position, as readxl does
  hdr <- names(e)
  hdr[2] <- ""
  writeLines(c(paste(hdr, collapse = ","), lines[-1]), path)
  s2 <- read_quiet(path, mapping = q_map)
  expect_identical(names(s2)[1:2], c("respondent", "...2"))
  expect_identical(s2$...2, e$municipality)
  expect_identical(attr(s2, "read_report")$empty_headings,
                   "column 2 without a heading named '...2'")
  expect_equal(dm_score(s2), dm_score(d), ignore_attr = "call")
  # the same holds for a data frame (read.csv(check.names = FALSE) keeps the empty name)
  e3 <- e
  names(e3)[2] <- ""
  expect_identical(names(dm_read(e3, mapping = q_map, verbose = FALSE))[2], "...2")
})

test_that("labelled SPSS and Stata columns that are not items are read as factors", {
  skip_if_not_installed("haven")
  d <- original(40)
  e <- as_export(d)
  roles <- c(Burgemeester = 1, Schepen = 2, Secretaris = 3, "IT-verantwoordelijke" = 4,
             "weet niet" = 9)
  code <- rep(c(2, 1, 4, 3, 5, 9), length.out = 40)  # 5 has no label, 9 is user-missing
  e$functie <- haven::labelled_spss(code, roles, na_values = 9, label = "Functie")
  e$regio <- haven::labelled(rep(c(1, 2), 20), c(Vlaanderen = 1, Brussel = 2))
  path <- tempfile(fileext = ".sav")
  haven::write_sav(e, path)
  s <- read_quiet(path, mapping = q_map)
  # haven::as_factor() semantics: levels in code order, the label as level, an unlabelled
  # value as its own level; the user-missing 9 is missing and no level
  expect_s3_class(s$functie, "factor")
  expect_identical(levels(s$functie), c("Burgemeester", "Schepen", "Secretaris",
                                        "IT-verantwoordelijke", "5"))
  expect_identical(as.character(s$functie[1:6]),
                   c("Schepen", "Burgemeester", "IT-verantwoordelijke", "Secretaris", "5", NA))
  expect_identical(attr(s$functie, "label"), "Functie")
  expect_identical(levels(s$regio), c("Vlaanderen", "Brussel"))
  rep <- attr(s, "read_report")
  expect_identical(rep$labelled_factors, c(functie = 4L, regio = 2L))
  out <- capture.output(print(rep))
  expect_true(any(grepl("functie: 4 value labels -> factor, regio: 2 value labels -> factor", out,
                        fixed = TRUE)))
  same_scores(s, d)
  # labelled = "codes" keeps the numbers
  s2 <- read_quiet(path, mapping = q_map, labelled = "codes")
  expect_identical(as.vector(s2$functie[1:6]), c(2, 1, 4, 3, 5, NA))
  expect_length(attr(s2, "read_report")$labelled_factors, 0L)
  expect_error(dm_read(path, mapping = q_map, labelled = "labels"),
               "`labelled` must be \"factor\" or \"codes\"; you passed 'labels'",
               class = "digimaturity_error_input")
  # Stata
  e$functie <- haven::labelled(pmin(code, 4), roles[1:4])
  p2 <- tempfile(fileext = ".dta")
  haven::write_dta(e, p2)
  s3 <- read_quiet(p2, mapping = q_map)
  expect_identical(levels(s3$functie), names(roles)[1:4])
  expect_identical(as.integer(s3$functie), as.integer(pmin(code, 4)))
})

test_that("Qualtrics previews and spam are dropped, break-offs kept; both can be changed", {
  d <- original(30)
  e <- as_export(d)
  names(e)[-(1:2)] <- qualtrics_names
  for (q in qualtrics_names) e[[q]] <- nl[e[[q]]]
  status <- rep("IP Address", 30)
  status[c(1, 2)] <- "Survey Preview"
  status[3] <- "Spam"
  finished <- rep("True", 30)
  finished[c(4, 5, 6)] <- "False"
  e <- cbind(data.frame(Status = status, Progress = ifelse(finished == "True", 100, 40),
                        Finished = finished), e)
  path <- write_qualtrics(e, tempfile(fileext = ".csv"))
  s <- read_quiet(path, mapping = qualtrics_map)
  rep <- attr(s, "read_report")
  expect_identical(nrow(s), 27L)
  expect_identical(rep$previews, c("survey preview" = 2L, "spam response" = 1L))
  expect_identical(rep$unfinished, 3L)
  same_scores(s, d[-(1:3), ])
  out <- capture.output(print(rep))
  expect_true(any(grepl("Qualtrics: 2 survey previews, 1 spam response dropped (`drop_previews = FALSE` keeps them)",
                        out, fixed = TRUE)))
  expect_true(any(grepl("Qualtrics: 3 break-offs (unfinished responses) kept", out, fixed = TRUE)))
  expect_true(any(grepl("Respondents kept: 27 of 30 rows", out, fixed = TRUE)))
  expect_identical(nrow(read_quiet(path, mapping = qualtrics_map, drop_previews = FALSE)), 30L)
  s2 <- read_quiet(path, mapping = qualtrics_map, drop_unfinished = TRUE)
  expect_equal(as.vector(s2$respondent), d$respondent[-(1:6)])
  # numeric codes (Status 1 = preview, 8 = spam; Finished 0/1), and labels kept after dropping
  e$Status <- c(1, 1, 8, rep(0, 27))
  e$Finished <- as.integer(finished == "True")
  path2 <- write_qualtrics(e, tempfile(fileext = ".csv"),
                           texts = c("Response Type", "Progress", "Finished", "Response ID", "Gemeente",
                                     paste("Vraag -", dmm_items$label_nl)))
  s3 <- read_quiet(path2)
  expect_identical(attr(s3, "read_report")$matched$how, rep("label", 24))
  expect_identical(attr(s3, "read_report")$previews, c("survey preview" = 2L, "spam response" = 1L))
  expect_identical(nrow(s3), 27L)
  # a `Status` of one's own (codes 1-3 are no Qualtrics set) is left alone
  e$Status <- rep(1:3, 10)
  s4 <- read_quiet(write_qualtrics(e, tempfile(fileext = ".csv")), mapping = qualtrics_map)
  expect_identical(nrow(s4), 30L)
  expect_length(attr(s4, "read_report")$previews, 0L)
  expect_error(dm_read(path, drop_previews = "yes"), "`drop_previews` must be TRUE or FALSE",
               class = "digimaturity_error_input")
})

test_that("LimeSurvey break-offs (empty submitdate) are counted with their last page", {
  d <- original(20)
  e <- as_export(d)
  e$submitdate <- ifelse(seq_len(20) %in% c(2, 7), "", "2024-03-01 10:00:00")
  e$lastpage <- ifelse(seq_len(20) == 2, 1, ifelse(seq_len(20) == 7, 2, 3))
  e$startlanguage <- "nl"
  path <- tempfile(fileext = ".csv")
  utils::write.csv(e, path, row.names = FALSE, na = "")
  s <- read_quiet(path, mapping = q_map)
  rep <- attr(s, "read_report")
  expect_identical(nrow(s), 20L)
  expect_identical(rep$unfinished, 2L)
  expect_identical(rep$last_page, c("1" = 1L, "2" = 1L))
  expect_true(any(grepl("LimeSurvey: 2 break-offs (unfinished responses) kept (`drop_unfinished = TRUE` drops them); last page seen: 1 (1), 2 (1)",
                        capture.output(print(rep)), fixed = TRUE)))
  expect_equal(read_quiet(path, mapping = q_map, drop_unfinished = TRUE)$respondent,
               d$respondent[-c(2, 7)])
})

test_that("a workbook whose first sheet is a codebook: the error lists the sheets; `codebook =`", {
  skip_if_not_installed("readxl")
  skip_if_not_installed("openxlsx")
  d <- original(30)
  e <- as_export(d)
  names(e)[-(1:2)] <- sprintf("V%d", 1:24)
  cb <- data.frame(Variable = names(e),
                   Question = c("Respondent", "Gemeente",
                                paste("Hoe goed is dit geregeld? -", dmm_items$label_nl)))
  path <- tempfile(fileext = ".xlsx")
  wb <- openxlsx::createWorkbook()
  openxlsx::addWorksheet(wb, "Codebook")
  openxlsx::addWorksheet(wb, "Data")
  openxlsx::writeData(wb, "Codebook", cb)
  openxlsx::writeData(wb, "Data", e)
  openxlsx::saveWorkbook(wb, path)
  err <- tryCatch(dm_read(path, verbose = FALSE), error = identity)
  expect_s3_class(err, "digimaturity_error_missing_column")
  expect_match(conditionMessage(err), paste0(
    "the first sheet, 'Codebook', has no item columns and looks like a codebook.*",
    "The workbook's sheets are 'Codebook', 'Data'.*sheet = \"Data\", codebook = \"Codebook\""))
  expect_identical(err$sheets, c("Codebook", "Data"))
  # the codebook sheet's question texts map the columns
  s <- read_quiet(path, sheet = "Data", codebook = "Codebook")
  expect_identical(attr(s, "read_report")$matched$how, rep("label", 24))
  expect_identical(attr(s, "read_report")$matched$column, sprintf("V%d", 1:24))
  same_scores(s, d)
  expect_match(attr(s, "read_report")$codebook[["what"]], "the codebook sheet 'Codebook'")
  # a data frame codebook with an item column; by sheet number too
  cb2 <- data.frame(column = sprintf("V%d", 1:24), item = dmm_items$item)
  s2 <- read_quiet(path, sheet = 2, codebook = cb2)
  same_scores(s2, d)
  expect_identical(attr(s2, "read_report")$matched$how, rep("codebook", 24))
  expect_true(any(grepl("Items matched: 24 of 24 (24 by codebook)", capture.output(print(summary(s2))),
                        fixed = TRUE)))
  same_scores(read_quiet(path, sheet = "Data", codebook = 1), d)
  expect_error(dm_read(path, sheet = "Data", codebook = "Vragen"),
               "`codebook` 'Vragen' is not a sheet of .*'Codebook', 'Data'", class = "digimaturity_error_input")
  expect_error(dm_read(e, codebook = "Codebook"), "needs an Excel workbook", class = "digimaturity_error_input")
  expect_error(dm_read(e, codebook = data.frame(column = "V1", item = "open_dta")),
               "`codebook` names item that `items` does not have: 'open_dta'",
               class = "digimaturity_error_mapping")
})

test_that("printing a dm_survey is short; summary() and dm_read_report() give the report", {
  d <- original(30)
  e <- as_export(d)
  e$Q05[1] <- "weet niet"
  s <- dm_read(e, mapping = q_map, verbose = FALSE)
  out <- capture.output(print(s))
  expect_identical(out[1:3], c("<dm_survey> 30 respondents, 26 columns",
                               "  read from a data frame; items matched: 24 of 24",
                               "  the full read report: summary(x) or dm_read_report(x)"))
  expect_false(any(grepl("No answer", out)))
  expect_identical(summary(s), attr(s, "read_report"))
  expect_identical(dm_read_report(s), attr(s, "read_report"))
  expect_true(any(grepl("\"No answer\" labels set to missing: 1 answer", capture.output(print(summary(s))))))
  # a place for notes (e.g. items that look mis-keyed)
  rep <- dm_read_report(s)
  rep$notes <- "an item correlates negatively with its dimension"
  expect_identical(utils::tail(capture.output(print(rep)), 2),
                   c("Notes:", "* an item correlates negatively with its dimension"))
  expect_error(dm_read_report(d), "`x` has no read report", class = "digimaturity_error_input")
})

test_that("the read report names items that look mis-keyed and warns", {
  # poor_past_it reversed in the data although the codebook reverses it (keyed = -1):
  # reversed twice, it correlates negatively with the rest of the legacy items
  d <- flanders_dm
  d$poor_past_it <- 6L - d$poor_past_it
  expect_warning(s <- dm_read(d, verbose = FALSE), "poor_past_it \\(legacy, keyed = -1\\)",
                 class = "digimaturity_warning_keying")
  notes <- dm_read_report(s)$notes
  expect_true(any(grepl("poor_past_it (legacy, keyed = -1)", notes, fixed = TRUE)))
  expect_true(any(grepl("reversed twice", notes)))
  out <- capture.output(print(dm_read_report(s)))
  expect_true("Notes:" %in% out)
  # the items as they are: no note, no warning
  expect_no_warning(s0 <- dm_read(flanders_dm, verbose = FALSE))
  expect_length(dm_read_report(s0)$notes, 0L)
})

test_that("dm_read()'s `...` are checked against the reader: a misspelled or foreign argument is an error", {
  path <- tempfile(fileext = ".csv")
  on.exit(unlink(path))
  utils::write.csv(head(flanders_dm, 5), path, row.names = FALSE)
  err <- expect_error(dm_read(path, encodng = "latin1", verbose = FALSE),
                      "`encodng` \\(did you mean `encoding`\\?\\)", class = "digimaturity_error_argument_spelling")
  expect_identical(err$arguments, "encodng")
  # read.csv's `sep` is not dm_read()'s spelling: it would have been ignored
  expect_error(dm_read(path, sep = ";", verbose = FALSE), "`sep`.*Its arguments: `delim`, `dec`, `encoding`",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_read(path, sheet = 2, verbose = FALSE), "a text file",
               class = "digimaturity_error_argument_spelling")
  # the reader's own arguments still pass
  expect_s3_class(quiet_keying(dm_read(path, delim = ",", encoding = "UTF-8", verbose = FALSE)), "dm_survey")
  skip_if_not_installed("haven")
  sav <- tempfile(fileext = ".sav")
  on.exit(unlink(sav), add = TRUE)
  haven::write_sav(head(flanders_dm, 5), sav)
  expect_error(dm_read(sav, delim = ";", verbose = FALSE), "`delim`.*read by haven",
               class = "digimaturity_error_argument_spelling")
  expect_identical(nrow(quiet_keying(dm_read(sav, n_max = 3, verbose = FALSE))), 3L)
})
