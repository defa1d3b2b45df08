codebook <- function(...) {
  x <- data.frame(item = c("a", "b", "c"), dimension = c("d1", "d1", "d2"),
                  keyed = c(1, -1, 1), stringsAsFactors = FALSE)
  mods <- list(...)
  for (nm in names(mods)) x[[nm]] <- mods[[nm]]
  x
}

test_that("the bundled instrument validates and keeps its facts", {
  ins <- dm_instrument(dmm_items)
  expect_s3_class(ins, "dm_instrument")
  expect_equal(nrow(ins), 24L)
  expect_equal(as.vector(table(ins$dimension)[c("efficiency", "innovation", "balance", "legacy")]),
               c(8L, 6L, 5L, 5L))
  expect_equal(ins$item[ins$keyed == -1L], "poor_past_it")
  expect_true(all(ins$scale_min == 1L & ins$scale_max == 5L))
  expect_true(all(ins$category_assumed == (ins$dimension == "legacy")))
  expect_output(print(ins), "24 items in 4 dimensions")
  expect_output(print(ins), "reverse-keyed")
})

test_that("defaults are filled and types normalised", {
  ins <- dm_instrument(codebook(dimension = factor(c("d1", "d1", "d2"))))
  expect_identical(ins$scale_min, c(1L, 1L, 1L))
  expect_identical(ins$scale_max, c(5L, 5L, 5L))
  expect_identical(ins$keyed, c(1L, -1L, 1L))
  expect_identical(ins$label_en, c("a", "b", "c"))
  expect_identical(ins$dimension, c("d1", "d1", "d2"))
  expect_true(all(is.na(ins$category)))
  ins7 <- dm_instrument(codebook(scale_min = 0, scale_max = c(6, 6, 10), extra = 1:3))
  expect_identical(ins7$scale_max, c(6L, 6L, 10L))
  expect_identical(ins7$extra, 1:3)
  # idempotent
  expect_identical(dm_instrument(ins7), ins7)
})

test_that("every violation is a classed error naming column, rows and values", {
  expect_error(dm_instrument(list(item = "a")), class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook()[, c("item", "keyed")]),
               "required column 'dimension'", class = "digimaturity_error")
  expect_error(dm_instrument(codebook()[0, ]), "no rows", class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(item = c("a", "b", "a"))),
               "unique; 'a' appears more than once \\(rows 1, 3\\)",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(item = c("a", NA, "c"))),
               "`x\\$item` is missing or empty in row 2", class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(item = 1:3)), "`x\\$item` must be character",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(dimension = c("d1", "", "d2"))),
               "`x\\$dimension` is missing or empty in row 2", class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(keyed = c(1, 0, 2))),
               "`x\\$keyed` must be 1 or -1 but is not in rows 2, 3 \\(values 0, 2\\)",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(keyed = c("1", "-1", "1"))), "`x\\$keyed` must be numeric",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(keyed = c(1, NA, 1))), "row 2 \\(value NA\\)",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(scale_max = c(5, 4.5, 5))),
               "`x\\$scale_max` must be a whole number but is not in row 2 \\(value 4.5\\)",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(scale_min = c(1, NA, 1))),
               "`x\\$scale_min` must be a whole number but is not in row 2",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(scale_min = c(1, 5, 6), scale_max = 5)),
               "rows 2, 3 have scale_min 5, 6 and scale_max 5",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(scale_max = c("5", "5", "5"))),
               "`x\\$scale_max` must be numeric", class = "digimaturity_error_instrument")
  # messages never start with "Error"
  msg <- tryCatch(dm_instrument(codebook(keyed = 0)), error = conditionMessage)
  expect_false(grepl("^Error", msg))
})

test_that("the instrument carries response labels and no-answer labels", {
  ins <- dm_instrument(dmm_items)
  expect_true(all(c("response_labels_nl", "response_labels_en", "na_labels") %in% names(ins)))
  # the bundled data carry the same labels as the defaults of dm_instrument()
  expect_identical(dmm_items$response_labels_nl, rep(default_response_labels("nl"), 24))
  expect_identical(dmm_items$response_labels_en, rep(default_response_labels("en"), 24))
  expect_identical(dmm_items$na_labels, rep(default_na_labels, 24))
  plain <- dm_instrument(dmm_items[setdiff(names(dmm_items), c("response_labels_nl",
                                                                "response_labels_en", "na_labels"))])
  expect_identical(plain$response_labels_nl, ins$response_labels_nl)
  lab <- response_labels(ins, 1)
  main <- lab[!duplicated(paste(lab$lang, lab$code)), ]
  expect_identical(main$label[main$lang == "nl"],
                   c("Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"))
  expect_identical(main$label[main$lang == "en"],
                   c("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"))
  # the three wordings of the issue are accepted
  for (w in c("Noch eens, noch oneens", "Neither agree nor disagree", "Helemaal niet akkoord",
              "Niet akkoord", "Akkoord", "Helemaal akkoord")) {
    expect_true(label_key(w) %in% lab$key, info = w)
  }
  expect_true(all(label_key(c("weet niet", "geen mening", "n.v.t.", "don't know",
                              "not applicable")) %in% na_label_keys(ins, 1)))
  expect_output(print(ins), "Response labels \\(nl\\): 1 Helemaal oneens, 2 Oneens, 3 Neutraal, 4 Eens, 5 Helemaal eens")
  expect_output(print(ins), "No answer: weet niet")
  # scales other than five codes get no labels by default; a shifted 0-4 scale does
  ins7 <- dm_instrument(codebook(scale_min = c(1, 0, 1), scale_max = c(7, 4, 5)))
  expect_identical(ins7$response_labels_en[1], "")
  expect_match(ins7$response_labels_en[2], "^0=Strongly disagree\\|1=Disagree")
})

test_that("own response labels are checked", {
  own <- codebook(scale_max = 4, response_labels_nl = "1=Nooit|2=Soms|3=Vaak|4=Altijd")
  ins <- dm_instrument(own)
  expect_identical(response_labels(ins, 1)$code, c(1, 2, 3, 4))
  expect_error(dm_instrument(codebook(response_labels_nl = "1=Nooit|9=Weet niet")),
               "items 'a', 'b', 'c' must be 'code=label'.*whole codes from 1 to 5.*'9=Weet niet'.*na_labels",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(response_labels_nl = "1=Nooit|Soms")),
               "these are not: 'Soms'", class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(response_labels_nl = "1=Nooit|2=nooit ")),
               "items 'a', 'b', 'c' give the label 'nooit' to more than one code",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(na_labels = "Eens|weet niet")),
               "items 'a', 'b', 'c' have 'eens' both as a response label and as a \"no answer\" label",
               class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(response_labels_nl = c("1=Nooit", "1=Nooit", "7=Zelden"))),
               "item 'c' must be 'code=label'.*'7=Zelden'", class = "digimaturity_error_instrument")
  expect_error(dm_instrument(codebook(response_labels_en = 1:3)),
               "`x\\$response_labels_en` must be character", class = "digimaturity_error_instrument")
})

test_that("dimension and category names differing in case or spaces are errors with a hint", {
  x <- data.frame(item = letters[1:7], keyed = 1,
                  dimension = c("efficiency", "efficiency", "Efficiency", rep("innovation", 4)))
  expect_error(dm_instrument(x),
               "`x\\$dimension` has names that differ only in case or spaces: 'efficiency', 'Efficiency' \\(2 and 1 items\\).*all as 'efficiency'",
               class = "digimaturity_error_instrument")
  x$dimension[3] <- "efficiency "
  expect_error(dm_instrument(x), "differ only in case or spaces", class = "digimaturity_error_instrument")
  x$dimension[3] <- "efficiency"
  x$category <- c("org", "org", "Org", NA, NA, NA, NA)
  expect_error(dm_instrument(x), "`x\\$category` has names that differ only in case",
               class = "digimaturity_error_instrument")
})

test_that("a single-item dimension beside larger ones is a classed warning naming the closest", {
  x <- data.frame(item = letters[1:7], keyed = 1,
                  dimension = c(rep("efficiency", 3), rep("innovation", 3), "efficency"))
  expect_warning(dm_instrument(x),
                 "'efficency' has a single item \\('g'\\) while the other dimensions have 3 items.*Did you mean 'efficiency'\\?",
                 class = "digimaturity_warning_single_item")
  expect_warning(dm_score(data.frame(a = 1, b = 1, c = 1, d = 1, e = 1, f = 1, g = 1), x),
                 class = "digimaturity_warning")
  # small codebooks (others with fewer than three items) are left alone
  expect_no_warning(dm_instrument(codebook()))
  expect_no_warning(dm_instrument(dmm_items))
})

test_that("the default agreement scale accepts survey tools' wordings; an own scale does not", {
  ins <- dm_instrument(dmm_items)
  lab <- response_labels(ins, 1)
  expect_identical(lab$code[match(label_key(c("Somewhat disagree", "Enigszins mee eens",
                                               "Eerder niet akkoord", "Niet mee eens en niet mee oneens")),
                                  lab$key)], c(2, 4, 2, 3))
  # the shown labels stay the five main ones
  expect_output(print(ins), "Response labels \\(en\\): 1 Strongly disagree, 2 Disagree, 3 Neutral, 4 Agree, 5 Strongly agree")
  own <- dm_instrument(codebook(response_labels_en = "1=Never|2=Rarely|3=Sometimes|4=Often|5=Always"))
  expect_false(label_key("Somewhat agree") %in% response_labels(own, 1)$key)
  # dm_read(response_labels = ) replaces the labels of every item, keeping na_labels
  freq <- with_response_labels(ins, c("Never", "Rarely", "Sometimes", "Often", "Always"))
  lab <- response_labels(freq, 24)
  expect_identical(lab$label, c("Never", "Rarely", "Sometimes", "Often", "Always"))
  expect_identical(freq$na_labels, ins$na_labels)
  expect_error(with_response_labels(ins, c("Never", NA)), "`response_labels` must be the labels",
               class = "digimaturity_error_input")
})

test_that("dm_instrument() refuses arguments it has no place for", {
  expect_error(dm_instrument(dmm_items, strict = TRUE), "dm_instrument\\(\\) has no argument `strict`",
               class = "digimaturity_error_argument_spelling")
})
