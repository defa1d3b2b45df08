ref_scores <- function(data, min_answered, items = dmm_items) {
  k <- keyed_matrix(data, items)
  out <- lapply(unique(items$dimension), function(d) {
    x <- k[, items$dimension == d, drop = FALSE]
    answered <- rowSums(!is.na(x))
    ifelse(answered > 0 & answered / ncol(x) >= min_answered, rowMeans(x, na.rm = TRUE), NA_real_)
  })
  stats::setNames(out, unique(items$dimension))
}

test_that("scores equal keyed means with the answered-proportion rule", {
  d <- sim_responses(p_missing = 0.3)
  for (m in c(0, 0.5, 0.6, 0.75, 1)) {
    s <- dm_score(d, dmm_items, min_answered = m)
    ref <- ref_scores(d, m)
    for (dim in names(ref)) {
      expect_equal(s[[dim]], ref[[dim]], tolerance = 1e-10)
      expect_identical(s[[paste0(dim, "_n")]],
                       as.integer(rowSums(!is.na(d[dmm_items$item[dmm_items$dimension == dim]]))))
    }
  }
  s <- dm_score(d)
  expect_s3_class(s, "dm_scores")
  expect_named(s, c("efficiency", "innovation", "balance", "legacy",
                    paste0(c("efficiency", "innovation", "balance", "legacy"), "_n")))
  expect_equal(nrow(s), nrow(d))
  expect_equal(attr(s, "n_no_score"), vapply(ref_scores(d, 0.5), function(x) sum(is.na(x)), 1))
  expect_true(any(attr(s, "n_no_score") > 0))
})

test_that("reverse keying uses each item's own range", {
  # b is reverse-keyed on 0-10: 10 + 0 - 3 = 7; a on 1-5 as is: mean(4, 7) = 5.5
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = c(1, -1),
                      scale_min = c(1, 0), scale_max = c(5, 10))
  s <- dm_score(data.frame(a = c(4, 2), b = c(3, NA)), items)
  expect_equal(s$d, c(5.5, 2))
  expect_equal(s$d_n, c(2L, 1L))
})

test_that("pomp rescales each item by its own range (hand-computed)", {
  items <- data.frame(item = c("a", "b", "c"), dimension = c("d1", "d1", "d2"),
                      keyed = c(1, -1, 1), scale_min = c(1, 1, 0), scale_max = c(5, 5, 10))
  data <- data.frame(a = c(4, 5, 1), b = c(2, NA, 5), c = c(7, 10, NA))
  s <- dm_score(data, items, scale = "pomp")
  # row 1: a = 4 -> 100 * 3/4 = 75; b = 2 -> keyed 4 -> 75; mean 75. c = 7 -> 70.
  # row 2: a = 5 -> 100, b missing (1 of 2 answered >= 0.5); c = 10 -> 100.
  # row 3: a = 1 -> 0; b = 5 -> keyed 1 -> 0; c missing -> no score.
  expect_equal(s$d1, c(75, 100, 0))
  expect_equal(s$d2, c(70, 100, NA))
  expect_equal(attr(s, "n_no_score"), c(d1 = 0, d2 = 1))
})

test_that("z standardises over the respondents with a score (hand-computed)", {
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = 1)
  data <- data.frame(a = c(1, 2, 3, NA, 5), b = c(1, 2, 3, NA, 5))
  s <- dm_score(data, items, scale = "z")
  # means 1, 2, 3, -, 5: centre 11/4 = 2.75; sd = sqrt((1.75^2 + .75^2 + .25^2 + 2.25^2) / 3)
  sd <- sqrt((1.75^2 + 0.75^2 + 0.25^2 + 2.25^2) / 3)
  expect_equal(s$d, (c(1, 2, 3, NA, 5) - 2.75) / sd)
  expect_equal(attr(s, "z_center"), c(d = 2.75))
  expect_equal(attr(s, "z_scale"), c(d = sd))
  # the replication's use: z over records having a score, as scale()
  d <- sim_responses(p_missing = 0.3)
  z <- dm_score(d, dmm_items, min_answered = 0.5, scale = "z")
  raw <- dm_score(d, dmm_items, min_answered = 0.5)
  for (dim in c("efficiency", "legacy")) {
    ok <- !is.na(raw[[dim]])
    expect_equal(z[[dim]][ok], as.vector(scale(raw[[dim]][ok])), tolerance = 1e-10)
    expect_true(all(is.na(z[[dim]][!ok])))
  }
})

test_that("category level splits legacy into its (assumed) categories", {
  d <- sim_responses(n = 50)
  s <- dm_score(d, level = "category")
  expect_true(all(c("efficiency", "innovation", "balance", "organisation", "technology", "users")
                  %in% names(s)))
  k <- keyed_matrix(d)
  org <- k[, c("staff_capabilities", "competence_mix")]
  ref <- ifelse(rowSums(!is.na(org)) >= 1, rowMeans(org, na.rm = TRUE), NA)
  expect_equal(s$organisation, ref, tolerance = 1e-10)
})

test_that("integer, double, factor and labelled columns give the same scores", {
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = c(1, -1))
  num <- data.frame(a = c(1, 4, 5, NA), b = c(2, 2, NA, 3))
  int <- data.frame(a = c(1L, 4L, 5L, NA), b = c(2L, 2L, NA, 3L))
  # word answers are read through the codebook's response labels ("sd" = 1, ..., "sa" = 5),
  # never by the position of a factor level
  items$response_labels_en <- "1=sd|2=d|3=n|4=a|5=sa"
  lev <- c("sd", "d", "n", "a", "sa")
  fac <- data.frame(a = factor(lev[c(1, 4, 5, NA)], levels = lev),
                    b = ordered(lev[c(2, 2, NA, 3)], levels = lev))
  # haven_labelled built by hand, as haven stores it (values used, not labels)
  lab <- function(x) structure(x, labels = c(disagree = 1, agree = 5), label = "an item",
                               class = c("haven_labelled", "vctrs_vctr", "double"))
  hl <- data.frame(a = 1:4)
  hl$a <- lab(num$a)
  hl$b <- lab(num$b)
  # a: 1, 4, 5, -; b keyed 6 - b: 4, 4, -, 3 -> means 2.5, 4, 5, 3
  expected <- c(2.5, 4, 5, 3)
  for (data in list(num, int, fac, hl)) expect_equal(dm_score(data, items)$d, expected)
})

test_that("haven's labelled vectors and SPSS user-missing values are read", {
  skip_if_not_installed("haven")
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = 1)
  data <- data.frame(a = 1:3)
  data$a <- haven::labelled(c(1, 5, 9), c(agree = 5, "weet niet" = 9))
  data$b <- haven::labelled_spss(c(2, 8, 4), c(agree = 5), na_values = 8)
  # a = 9 is declared missing; b = 8 is an SPSS user-missing value
  s <- suppressMessages(dm_score(data, items, missing_codes = 9))
  expect_equal(s$d, c(1.5, 5, 4))
  expect_equal(s$d_n, c(2L, 1L, 1L))
  # the value label "weet niet" says 9 is no answer: missing without declaring it, and said
  expect_message(s2 <- dm_score(data, items), "1 answer in 1 item means \"no answer\" \\('9 \\(weet niet\\)' 1\\)",
                 class = "digimaturity_message_no_answer")
  expect_equal(s2$d, s$d)
  data$a <- haven::labelled(c(1, 5, 9), c(agree = 5, "other" = 9))
  expect_error(dm_score(data, items), "`data\\$a` \\(allowed 1 to 5\\): 1 invalid value in row 3 \\(value 9\\)",
               class = "digimaturity_error_invalid_code")
})

test_that("missing codes become NA", {
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = 1)
  s <- dm_score(data.frame(a = c(9, 2, 8), b = c(4, 9, 8)), items, missing_codes = c(8, 9))
  expect_equal(s$d, c(4, 2, NA))
  expect_equal(s$d_n, c(1L, 1L, 0L))
})

test_that("id and keep columns are carried; duplicated ids are an error", {
  d <- sim_responses(n = 20)
  s <- dm_score(d, keep = "municipality", id = "respondent")
  expect_identical(names(s)[1:2], c("respondent", "municipality"))
  expect_identical(s$municipality, d$municipality)
  d$respondent[c(3, 7)] <- 5L
  expect_error(dm_score(d, id = "respondent"),
               "`data\\$respondent` must identify respondents, but 5 occurs more than once \\(rows 3, 5, 7\\)",
               class = "digimaturity_error_duplicate_id")
  expect_error(dm_score(d, keep = "nope"), "lacks the column 'nope'",
               class = "digimaturity_error_missing_column")
  expect_error(dm_score(d, id = c("a", "b")), "`id` must be the name of one column",
               class = "digimaturity_error_input")
})

test_that("invalid codes are one error naming items, rows and values", {
  d <- sim_responses(n = 30, p_missing = 0)
  d$open_data[c(4, 9)] <- c(6L, 0L)
  d$standards <- as.numeric(d$standards)
  d$standards[c(2, 11, 12, 13, 14, 15, 16)] <- c(2.5, 7, 7, 7, 7, 7, Inf)
  err <- expect_error(dm_score(d), class = "digimaturity_error_invalid_code")
  expect_match(conditionMessage(err), "`data` has codes outside the item's range or not whole numbers in 2 items")
  expect_match(conditionMessage(err),
               "`data\\$standards` \\(allowed 1 to 5\\): 7 invalid values in rows 2, 11, 12, 13, 14, ... \\(values 2.5, 7, 7, 7, 7\\)")
  expect_match(conditionMessage(err),
               "`data\\$open_data` \\(allowed 1 to 5\\): 2 invalid values in rows 4, 9 \\(values 6, 0\\)")
  expect_false(grepl("^Error", conditionMessage(err)))
  expect_s3_class(err, "digimaturity_error")
  expect_identical(err$items, c("standards", "open_data"))
  # the same check guards every scoring function
  expect_error(dm_agree(d), class = "digimaturity_error_invalid_code")
  expect_error(dm_reliability(d), class = "digimaturity_error_invalid_code")
  expect_error(dm_aggregate(d), class = "digimaturity_error_invalid_code")
  expect_error(dm_agreement(d), class = "digimaturity_error_invalid_code")
})

test_that("bad inputs are classed errors that echo the value", {
  d <- sim_responses(n = 10)
  expect_error(dm_score(d[setdiff(names(d), c("open_data", "standards"))]),
               "`data` lacks the columns 'standards', 'open_data'",
               class = "digimaturity_error_missing_column")
  # codes as text, and a factor whose levels are codes out of order, are read by value
  d2 <- d
  d2$open_data <- as.character(d2$open_data)
  expect_equal(quiet_keying(dm_score(d2)), quiet_keying(dm_score(d)), ignore_attr = "call")
  d3 <- d
  d3$open_data <- factor(d3$open_data, levels = c(1, 2, 4, 5, 3))
  expect_equal(quiet_keying(dm_score(d3)), quiet_keying(dm_score(d)), ignore_attr = "call")
  d4 <- d
  d4$open_data <- as.Date("2024-01-01") + d4$open_data
  expect_error(dm_score(d4), "`data\\$open_data` must be numeric, integer, a factor, character or haven_labelled.*'Date'",
               class = "digimaturity_error_response_type")
  expect_error(dm_score(as.matrix(d)), "`data` must be a data frame; you passed an object of class 'matrix'",
               class = "digimaturity_error_input")
  expect_error(dm_score(d, min_answered = 1.5), "`min_answered` must be a single number in \\[0, 1\\]; you passed 1.5",
               class = "digimaturity_error_input")
  expect_error(dm_score(d, scale = "percent"), "`scale` must be one of 'mean', 'pomp', 'z'; you passed 'percent'",
               class = "digimaturity_error_input")
  expect_error(dm_score(d, level = "item"), "`level` must be one of", class = "digimaturity_error_input")
  expect_error(dm_score(d, missing_codes = "9"), "`missing_codes` must be a numeric vector",
               class = "digimaturity_error_input")
  expect_error(dm_score(d, items = data.frame(item = "a")), "required column",
               class = "digimaturity_error_instrument")
})

test_that("nobody is dropped silently: the print method counts respondents without a score", {
  items <- data.frame(item = c("a", "b"), dimension = "d", keyed = 1)
  s <- dm_score(data.frame(a = c(1, NA, NA), b = c(2, NA, 3)), items, min_answered = 1)
  expect_equal(s$d, c(1.5, NA, NA))
  expect_equal(nrow(s), 3L)
  expect_output(print(s), "3 respondents")
  expect_output(print(s), "Without a score \\(too few items answered\\): d 2")
  # an item nobody answered, read as an all-NA logical column
  expect_output(print(s[c("d", "d_n")][1:2, ]), "1.5")
  expect_output(print(s[c("d", "d_n")][1:2, ]), "Without a score")
  expect_false(any(grepl("respondents", capture.output(print(s["d"])))))
  s2 <- dm_score(data.frame(a = c(1, 2), b = c(NA, NA)), items)
  expect_equal(s2$d, c(1, 2))
  expect_equal(nrow(dm_score(sim_responses(n = 5)[0, ])), 0L)
})

test_that("min_answered given as a number of items gets the share it probably meant", {
  d <- sim_responses(n = 30, p_missing = 0)
  # efficiency has 8 items, innovation 6, balance and legacy 5: 6 items are 6/8 = 0.75 of
  # efficiency and 6/6 = 1 of innovation; 0.75 asks for ceiling(0.75 * k) items:
  # 6 of 8, ceiling(4.5) = 5 of 6, ceiling(3.75) = 4 of 5.
  err <- expect_error(dm_score(d, min_answered = 6), class = "digimaturity_error_input")
  msg <- conditionMessage(err)
  expect_match(msg, "not a number of items; you passed 6", fixed = TRUE)
  expect_match(msg, "0.75 of the 8 items of efficiency; 1 of the 6 items of innovation",
               fixed = TRUE)
  expect_match(msg, "balance, legacy have fewer items", fixed = TRUE)
  expect_match(msg, "min_answered = 0.75 asks for at least 6 of 8 (efficiency), 5 of 6 (innovation), 4 of 5 (balance, legacy)",
               fixed = TRUE)
  expect_false(grepl("%", msg, fixed = TRUE))
  expect_identical(deparse(conditionCall(err)[[1]]), "dm_score")
  # the suggested share does what the message says: 6 of 8 efficiency items scores, 5 not
  d$standards[1] <- NA
  d[2, c("standards", "open_data")] <- NA
  d[3, c("standards", "it_funding", "data_privacy")] <- NA
  s <- dm_score(d, min_answered = 0.75)
  expect_identical(is.na(s$efficiency[1:3]), c(FALSE, FALSE, TRUE))
  # a share of 4 items floors to 3 decimals so that 4 of 6 reach it (4/6 = 0.6667 >= 0.666)
  expect_match(conditionMessage(expect_error(dm_score(d, min_answered = 4))),
               "0.666 of the 6 items of innovation", fixed = TRUE)
  # beyond the largest dimension a whole number is read as a percentage, as before
  expect_error(dm_score(d, min_answered = 50), "use 0.5 for 50%", class = "digimaturity_error_input")
  expect_error(dm_score(d, min_answered = 1.5), "you passed 1.5", class = "digimaturity_error_input")
})

test_that("an item reversed twice or not reversed gets a keying warning (bundled data)", {
  # the unmodified data: every item correlates positively with the rest of its dimension
  expect_no_warning(dm_score(flanders_dm))
  expect_no_warning(dm_score(flanders_dm, level = "category"))
  expect_identical(nrow(digimaturity:::keying_check(digimaturity:::dm_responses(flanders_dm, dmm_items))), 0L)
  # the user already reversed poor_past_it, and the codebook reverses it again
  d <- flanders_dm
  d$poor_past_it <- 6 - d$poor_past_it
  w <- expect_warning(s <- dm_score(d), class = "digimaturity_warning_keying")
  msg <- conditionMessage(w)
  expect_match(msg, "poor_past_it (legacy, keyed = -1): r = -0.50", fixed = TRUE)
  expect_match(msg, "not reversed although reverse-keyed in the wording", fixed = TRUE)
  expect_match(msg, "reversed twice (already reversed in the data and keyed = -1 in the codebook)",
               fixed = TRUE)
  expect_false(grepl("staff_capabilities", msg, fixed = TRUE))
  expect_identical(w$suspects$item, "poor_past_it")
  # the same r as dm_reliability()'s item statistics (one computation)
  st <- attr(suppressWarnings(dm_reliability(d)), "item_stats")
  expect_equal(w$suspects$r_rest, st$r_rest[st$item == "poor_past_it"])
  # and independently: the correlation of the keyed item with the sum of the other
  # legacy items over the respondents who answered all of them (complete cases)
  leg <- dmm_items$item[dmm_items$dimension == "legacy"]
  x <- as.matrix(d[leg])
  x[, "poor_past_it"] <- 6 - x[, "poor_past_it"]
  x <- x[stats::complete.cases(x), ]
  r_cc <- stats::cor(x[, "poor_past_it"], rowSums(x[, setdiff(leg, "poor_past_it")]))
  expect_lt(r_cc, 0)
  expect_equal(attr(suppressWarnings(dm_reliability(d, use = "complete")), "item_stats")$r_rest[24],
               r_cc, tolerance = 1e-12)
  # the scores are returned all the same
  expect_s3_class(s, "dm_scores")
  # a codebook without keyed = -1: the same item, now keyed = 1
  items <- dmm_items
  items$keyed <- 1L
  w2 <- expect_warning(dm_score(flanders_dm, items), class = "digimaturity_warning_keying")
  expect_match(conditionMessage(w2), "poor_past_it (legacy, keyed = 1)", fixed = TRUE)
  # at the category level poor_past_it shares "technology" with one other item: with
  # two items the check cannot tell which one is mis-keyed, and says so
  w3 <- expect_warning(dm_score(d, level = "category"), class = "digimaturity_warning_keying")
  expect_identical(sort(w3$suspects$item), c("it_infrastructure", "poor_past_it"))
  expect_match(conditionMessage(w3), "In a two-item dimension (technology)", fixed = TRUE)
})

test_that("a dm_score() result carries its instrument and call; misspelled arguments are refused", {
  d <- sim_responses(n = 30)
  s <- dm_score(d, dmm_items, min_answered = 0.6)
  expect_identical(attr(s, "instrument")$item, dmm_items$item)
  expect_s3_class(attr(s, "instrument"), "dm_instrument")
  expect_identical(attr(s, "call")$min_answered, 0.6)
  expect_error(dm_score(d, min.answered = 0.6), "did you mean `min_answered`",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_score(d, dmm_items, 0.5, "mean", "dimension", NULL, NULL, NULL, NULL, "extra"),
               "1 unnamed argument", class = "digimaturity_error_argument_spelling")
})

test_that("the scoring pass computes the keying check's moments exactly as the moments pass", {
  d <- sim_responses(n = 500, p_missing = 0.15)
  d$poor_past_it <- 6L - d$poor_past_it   # reversed twice: the keying warning
  resp <- dm_responses(d, dmm_items)
  one <- dm_score_cpp(resp$columns, resp$spec, 0L, 0.5, moments = TRUE)
  two <- dm_moments_cpp(resp$columns, resp$spec)
  expect_identical(one$moments$dimensions, two$dimensions)
  expect_null(dm_score_cpp(resp$columns, resp$spec, 0L, 0.5)$moments)
  # the same scores with and without the moments
  expect_identical(one$scores, dm_score_cpp(resp$columns, resp$spec, 0L, 0.5)$scores)
  # and the same keying suspects as the check's own pass
  expect_identical(keying_check(c(resp, list(moments = one$moments))), keying_check(resp))
  w <- expect_warning(dm_score(d), class = "digimaturity_warning_keying")
  expect_identical(w$suspects, keying_check(resp))
})
