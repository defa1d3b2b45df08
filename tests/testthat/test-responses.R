# Word answers -> codes through the instrument's response labels.
nl <- c("Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens")
en <- c("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")
to_words <- function(d, words, as = factor) {
  for (it in dmm_items$item) d[[it]] <- as(words[d[[it]]])
  d
}

test_that("a text-factor export is scored identically to its numeric original", {
  d <- sim_responses(n = 200, p_missing = 0.1)
  # read.csv(stringsAsFactors = TRUE): alphabetical levels, which are not the scale order
  # (results made from different data differ also in attr(, "call"): ignored below)
  f <- to_words(d, nl)
  expect_false(identical(levels(f$open_data), nl))
  expect_equal(dm_score(f), dm_score(d), ignore_attr = "call")
  expect_equal(dm_score(f, scale = "pomp", level = "category"),
               dm_score(d, scale = "pomp", level = "category"), ignore_attr = "call")
  expect_equal(dm_agree(f), dm_agree(d), ignore_attr = "call")
  expect_equal(dm_reliability(f), dm_reliability(d), ignore_attr = "call")
  expect_equal(dm_aggregate(f), dm_aggregate(d), ignore_attr = "call")
  expect_equal(dm_agreement(f), dm_agreement(d), ignore_attr = "call")
  # English, character columns, ordered factors with the scale's levels in order
  expect_equal(dm_score(to_words(d, en, as.character)), dm_score(d), ignore_attr = "call")
  expect_equal(dm_score(to_words(d, en, function(x) factor(x, levels = en, ordered = TRUE))),
               dm_score(d), ignore_attr = "call")
  # the Flemish and the long neutral wordings
  vl <- c("Helemaal niet akkoord", "Niet akkoord", "Noch eens, noch oneens", "Akkoord",
          "Helemaal akkoord")
  expect_equal(dm_score(to_words(d, vl)), dm_score(d), ignore_attr = "call")
})

test_that("case, accents and surrounding spaces are ignored", {
  items <- data.frame(item = "a", dimension = "d", keyed = 1)
  x <- c(" helemaal EENS", "ONEENS  ", "Neutraal", "N\u00e9utraal", "\u00c9\u00e9ns", "strongly  disagree")
  s <- dm_score(data.frame(a = x, stringsAsFactors = FALSE), items)
  expect_equal(s$d, c(5, 2, 3, 3, 4, 1))
})

test_that("no-answer labels become missing, counted in a classed message", {
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = 1)
  d <- data.frame(a = c("Eens", "weet niet", "Weet niet", "n.v.t."),
                  b = factor(c("Oneens", "Eens", "Don't know", "Eens")))
  expect_message(s <- dm_score(d, items),
                 "4 answers in 2 items mean \"no answer\" \\('weet niet' 2, .*\\) and are treated as missing",
                 class = "digimaturity_message_no_answer")
  expect_equal(s$d, c(3, 4, NA, 4))
  expect_equal(s$d_n, c(2L, 1L, 0L, 1L))
  # numbers written as text and mixed with labels are codes
  d2 <- data.frame(a = c("4", "2", "weet niet", "5"), b = c(" 1", "Eens", "3", NA))
  expect_equal(quiet_keying(suppressMessages(dm_score(d2, items)))$d, c(2.5, 3, 3, 5))
})

test_that("unmatched labels are one classed error listing label, count and item", {
  d <- sim_responses(n = 30)
  f <- to_words(d, nl, as.character)
  f$open_data[1:3] <- "Vaak"
  f$cost_control[4] <- "Zeer goed"
  err <- tryCatch(dm_score(f), error = identity)
  expect_s3_class(err, "digimaturity_error_unmatched_label")
  expect_s3_class(err, "digimaturity_error")
  msg <- conditionMessage(err)
  expect_match(msg, "`data` has answers in 2 items that match no response label", fixed = TRUE)
  expect_match(msg, "* 'Vaak' (3 answers) in 1 column: `data$open_data`", fixed = TRUE)
  expect_match(msg, "* 'Zeer goed' (1 answer) in 1 column: `data$cost_control`", fixed = TRUE)
  expect_match(msg, "response_labels_nl", fixed = TRUE)
  expect_false(grepl("^Error", msg))
  expect_setequal(err$items, c("open_data", "cost_control"))
  expect_error(dm_agree(f), class = "digimaturity_error_unmatched_label")
  # a factor with labels the instrument does not know is never scored by position
  items <- data.frame(item = "a", dimension = "d", keyed = 1)
  expect_error(dm_score(data.frame(a = factor(c("low", "mid", "high"))), items),
               "'high' \\(1 answer\\), 'low' \\(1 answer\\), 'mid' \\(1 answer\\)",
               class = "digimaturity_error_unmatched_label")
})

test_that("unmatched answers: one line per distinct set of answers, not one per item", {
  d <- sim_responses(n = 30, p_missing = 0)
  freq <- c("Never", "Rarely", "Sometimes", "Often", "Always")
  f <- to_words(d, freq, as.character)
  msg <- tryCatch(dm_score(f), error = conditionMessage)
  lines <- strsplit(msg, "\n", fixed = TRUE)[[1]]
  # 24 items with the same unknown scale: a heading, one line and the advice (was 26 lines)
  expect_length(lines, 3L)
  expect_match(lines[2], "^\\* 'Sometimes' \\([0-9]+ answers\\), .* in 24 columns: `data\\$portfolio_management`, .* and 18 more$")
  # two distinct sets give two lines
  f$open_data[1] <- "Zelden"
  lines <- strsplit(tryCatch(dm_score(f), error = conditionMessage), "\n", fixed = TRUE)[[1]]
  expect_length(lines, 4L)
  expect_match(lines[3], "'Zelden' (1 answer)", fixed = TRUE)
  expect_match(lines[3], "in 1 column: `data\\$open_data`$")
  # nobody answering "Never" in two items is chance, not another scale: still one line
  f <- to_words(d, freq, as.character)
  f$open_data[f$open_data == "Never"] <- "Rarely"
  f$cost_control[f$cost_control == "Never"] <- "Rarely"
  lines <- strsplit(tryCatch(dm_score(f), error = conditionMessage), "\n", fixed = TRUE)[[1]]
  expect_length(lines, 3L)
  expect_match(lines[2], "in 24 columns")
})

test_that("the common agreement wordings of survey tools are codes of the default scale", {
  d <- sim_responses(n = 60, p_missing = 0.05)
  qualtrics <- c("Strongly disagree", "Somewhat disagree", "Neither agree nor disagree",
                 "Somewhat agree", "Strongly agree")
  qualtrics_nl <- c("Helemaal mee oneens", "Enigszins mee oneens",
                    "Niet mee eens en niet mee oneens", "Enigszins mee eens", "Helemaal mee eens")
  flemish <- c("Helemaal niet akkoord", "Eerder niet akkoord", "Neutraal", "Eerder akkoord",
               "Helemaal akkoord")
  for (w in list(qualtrics, qualtrics_nl, flemish, toupper(paste0(" ", qualtrics, " ")))) {
    expect_equal(dm_score(to_words(d, w, as.character)), dm_score(d), info = w[2], ignore_attr = "call")
  }
  # never on a scale of one's own: "Somewhat agree" is no code of a frequency scale
  own <- data.frame(item = c("f1", "f2"), dimension = "use", keyed = 1,
                    response_labels_en = "1=Never|2=Rarely|3=Sometimes|4=Often|5=Always")
  expect_error(dm_score(data.frame(f1 = c("Often", "Somewhat agree"), f2 = "Never"), own),
               "'Somewhat agree' \\(1 answer\\)", class = "digimaturity_error_unmatched_label")
})

test_that("haven::as_factor() data: 'weet niet' as level 6 is missing, not 6", {
  skip_if_not_installed("haven")
  d <- sim_responses(n = 80, p_missing = 0)
  lab <- stats::setNames(c(1:5, 9), c(nl, "weet niet"))
  sav <- d
  for (it in dmm_items$item) {
    v <- d[[it]]
    v[seq(3, 80, by = 9)] <- 9
    sav[[it]] <- haven::labelled(v, lab)
  }
  ref <- d
  for (it in dmm_items$item) ref[[it]][seq(3, 80, by = 9)] <- NA
  fac <- haven::as_factor(sav)
  expect_identical(levels(fac$open_data), c(nl, "weet niet"))
  expect_message(s <- dm_score(fac), "mean \"no answer\" \\('weet niet' 216\\)",
                 class = "digimaturity_message_no_answer")
  expect_equal(s, dm_score(ref), ignore_attr = "call")
  # levels = "both" ("[5] Helemaal eens") and the labelled data themselves
  expect_equal(suppressMessages(dm_score(haven::as_factor(sav, levels = "both"))), dm_score(ref), ignore_attr = "call")
  expect_equal(suppressMessages(dm_score(sav)), dm_score(ref), ignore_attr = "call")
})

test_that("labelled codes are recoded only when their labels name the whole scale", {
  skip_if_not_installed("haven")
  items <- data.frame(item = "a", dimension = "d", keyed = 1)
  # an export coded 0-4 with the scale's labels: the labels decide
  x <- haven::labelled(c(0, 4, 2, 8), stats::setNames(c(0:4, 8), c(nl, "n.v.t.")))
  d <- data.frame(a = 1:4)
  d$a <- x
  expect_equal(suppressMessages(dm_score(d, items))$d, c(1, 5, 3, NA))
  # end-point anchors only: the codes are kept
  d$a <- haven::labelled(c(1, 5, 3, 2), c(disagree = 1, agree = 5))
  expect_equal(dm_score(d, items)$d, c(1, 5, 3, 2))
})

test_that("few or no item columns: the error says how to map and proposes a mapping", {
  d <- sim_responses(n = 10)
  q <- d
  names(q)[seq_len(24)] <- sprintf("Q%02d", 1:24)
  err <- tryCatch(dm_score(q), error = identity)
  expect_s3_class(err, "digimaturity_error_missing_column")
  expect_match(conditionMessage(err), "lacks the columns of 24 of the 24 items", fixed = TRUE)
  expect_match(conditionMessage(err), "dm_read(data, mapping = c(<your column> = \"<item>\"", fixed = TRUE)
  expect_match(conditionMessage(err), "its columns are 'Q01', 'Q02'", fixed = TRUE)
  # names or labels that resemble the items' labels are proposed
  names(q)[1:3] <- c("Portfolio Management", "Beheer van IT-onderhoud", "Q03")
  attr(q$Q03, "label") <- "Hoe goed gaat het? - Managen van digitale projecten"
  err <- tryCatch(dm_score(q), error = identity)
  expect_match(conditionMessage(err), paste0(
    "mapping = c(`Portfolio Management` = \"portfolio_management\", ",
    "`Beheer van IT-onderhoud` = \"maintenance_management\", `Q03` = \"project_management\")"),
    fixed = TRUE)
  expect_identical(unname(err$proposal), c("portfolio_management", "maintenance_management",
                                           "project_management"))
  # with most items present, the plain list of missing columns
  expect_error(dm_score(d[setdiff(names(d), "open_data")]), "`data` lacks the column 'open_data'\\.$",
               class = "digimaturity_error_missing_column")
})

test_that("empty ids and groups are missing, with a message giving the count", {
  d <- sim_responses(n = 40)
  d$municipality[1:3] <- c("", "  ", "")
  expect_message(a <- dm_aggregate(d), "`data\\$municipality`: 3 empty values \\(\"\" or spaces\\) treated as missing",
                 class = "digimaturity_message_blank")
  ref <- d
  ref$municipality[1:3] <- NA
  expect_equal(a, dm_aggregate(ref), ignore_attr = "call")
  expect_true(is.na(utils::tail(a$municipality, 1)))
  expect_message(dm_agreement(d), class = "digimaturity_message_blank")
  expect_message(g <- dm_agree(d, by = "municipality"), class = "digimaturity_message_blank")
  expect_equal(g, dm_agree(ref, by = "municipality"), ignore_attr = "call")
  # ids: blanks become NA and are not duplicates of each other
  d$rid <- as.character(d$respondent)
  d$rid[5:6] <- ""
  expect_message(s <- dm_score(d, id = "rid"), "`data\\$rid`: 2 empty values")
  expect_true(all(is.na(s$rid[5:6])))
  # factors too
  d$municipality <- factor(d$municipality)
  expect_message(dm_aggregate(d), "3 empty values", class = "digimaturity_message_blank")
})

test_that("labelled strings are read by value, or by their value label", {
  skip_if_not_installed("haven")
  items <- data.frame(item = "a", dimension = "d", keyed = 1)
  d <- data.frame(a = 1:4)
  d$a <- haven::labelled(c("HE", "O", "Eens", "WN"),
                         c("Helemaal eens" = "HE", "Oneens" = "O", "Weet niet" = "WN"))
  expect_message(s <- dm_score(d, items), class = "digimaturity_message_no_answer")
  expect_equal(s$d, c(5, 2, 4, NA))
})
