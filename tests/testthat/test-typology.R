test_that("types cross capability with legacy at the median (hand-computed)", {
  x <- data.frame(efficiency = c(4, 4, 2, 2, 3), innovation = c(4, 4, 2, 2, 3),
                  balance = c(4, 4, 2, 2, NA), legacy = c(5, 1, 5, 1, 3))
  ty <- dm_typology(x)
  # capability = row means 4, 4, 2, 2, NA: median 3; legacy median 3 (values 5, 1, 5, 1, 3)
  expect_equal(ty$capability, c(4, 4, 2, 2, NA))
  expect_equal(attr(ty, "cut"), c(capability = 3, legacy = 3))
  expect_identical(as.character(ty$type), c("A", "B", "C", "D", NA))
  expect_identical(ty$type_label, c("mature", "held back by legacy", "untapped foundation",
                                    "starting out", NA))
  expect_identical(as.character(ty$legacy_level), c("enabling", "constraining", "enabling",
                                                    "constraining", "constraining"))
  expect_identical(levels(ty$type), c("A", "B", "C", "D"))
})

test_that("numeric cuts; a score at the cut is low", {
  x <- data.frame(efficiency = c(3, 3.5), innovation = c(3, 3.5), balance = c(3, 3.5),
                  legacy = c(3, 2))
  expect_identical(as.character(dm_typology(x, cut = 3)$type), c("D", "B"))
  expect_identical(as.character(dm_typology(x, cut = c(3.2, 1))$type), c("C", "A"))
})

test_that("works on respondents and on municipalities", {
  d <- sim_responses(n = 200)
  ts <- dm_typology(dm_score(d))
  expect_equal(nrow(ts), 200)
  expect_equal(sum(table(ts$type, useNA = "ifany")), 200)
  tm <- dm_typology(dm_aggregate(d))
  expect_equal(nrow(tm), length(unique(d$municipality)))
})

test_that("bad arguments are classed errors", {
  x <- data.frame(efficiency = 1, innovation = 1, balance = 1, legacy = "a")
  expect_error(dm_typology(x), "`x\\$legacy` must be a numeric score; it is of class 'character'",
               class = "digimaturity_error_input")
  expect_error(dm_typology(x[1:3]), "`x` lacks the column 'legacy'",
               class = "digimaturity_error_missing_column")
  x$legacy <- 1
  expect_error(dm_typology(x, cut = "mean"), "`cut` must be one of 'median'; you passed 'mean'",
               class = "digimaturity_error_input")
  expect_error(dm_typology(x, cut = c(1, 2, 3)), "`cut` must be \"median\" or one or two finite numbers; you passed 1, 2, 3",
               class = "digimaturity_error_input")
  expect_error(dm_typology(x, capability = 1), "`capability` must name one or more score columns",
               class = "digimaturity_error_input")
})

test_that("the row of respondents without a municipality gets no type and no part in the cuts (#18, item 10)", {
  # four municipalities and the NA row of a dm_aggregate() result
  x <- data.frame(municipality = c("a", "b", "c", "d", NA), n = c(2L, 3L, 1L, 2L, 4L),
                  efficiency = c(4, 4, 2, 2, 5), innovation = c(4, 4, 2, 2, 5),
                  balance = c(4, 4, 2, 2, 5), legacy = c(5, 1, 5, 1, 5))
  attr(x, "by") <- "municipality"
  attr(x, "id_variants") <- list()
  ty <- dm_typology(x)
  # medians over a-d only: capability 4, 4, 2, 2 -> 3; legacy 5, 1, 5, 1 -> 3 (with the NA
  # row's 5 they would be 4 and 5, and b and d would change type)
  expect_equal(attr(ty, "cut"), c(capability = 3, legacy = 3))
  expect_identical(as.character(ty$type), c("A", "B", "C", "D", NA))
  expect_identical(ty$type_label[5], NA_character_)
  expect_identical(as.character(ty$capability_level[5]), NA_character_)
  expect_identical(as.character(ty$legacy_level[5]), NA_character_)
  expect_equal(ty$capability[5], 5)       # its scores are kept, as in x
  expect_equal(as.vector(table(ty$type)), c(1, 1, 1, 1))
  # from dm_aggregate(): the same
  d <- sim_responses(n = 150, n_groups = 20)
  d$municipality[1:6] <- NA
  tm <- dm_typology(dm_aggregate(d))
  na_row <- is.na(tm$municipality)
  expect_identical(sum(na_row), 1L)
  expect_true(is.na(tm$type[na_row]))
  expect_equal(unname(attr(tm, "cut")[1]), stats::median(tm$capability[!na_row]))
  expect_equal(unname(attr(tm, "cut")[2]), stats::median(tm$legacy[!na_row]))
  # respondents' types are not affected: a respondent without a municipality has one
  ts <- dm_typology(dm_score(d, keep = "municipality"))
  expect_false(anyNA(ts$type[1:6][!is.na(ts$capability[1:6]) & !is.na(ts$legacy[1:6])]))
})

test_that("a capability mean over missing scores is NA, not NaN (#18, item 10)", {
  x <- data.frame(efficiency = c(NaN, 3), innovation = c(NaN, 3), balance = c(NaN, 3), legacy = c(3, 3))
  ty <- dm_typology(x, cut = 3)
  expect_identical(ty$capability, c(NA, 3))
  expect_false(is.nan(ty$capability[1]))
})

test_that("a typology prints under its own header, the type columns first", {
  x <- data.frame(municipality = c("a", "b", "c", "d", NA), n = c(2L, 3L, 1L, 2L, 4L),
                  efficiency = c(4, 4, 2, 2, 5), innovation = c(4, 4, 2, 2, 5),
                  balance = c(4, 4, 2, 2, 5), legacy = c(5, 1, 5, 1, 5))
  attr(x, "by") <- "municipality"
  attr(x, "id_variants") <- list()
  out <- capture.output(print(dm_typology(x)))
  expect_identical(out[1:3], c(
    "DiMiOS typology: 4 municipalities, types A-D: A 1, B 1, C 1, D 1",
    "Cut at the median: capability 3, legacy 3 (a score above its cut is high / enabling)",
    "No type: the row (4 respondents) without a municipality, which is no municipality"))
  expect_match(out[4], "^ +municipality +type +type_label +capability +legacy +capability_level")
  y <- data.frame(efficiency = c(4, NA), innovation = 4, balance = 4, legacy = 2)
  out <- capture.output(print(dm_typology(y, cut = c(3, 3))))
  expect_identical(out[1:3], c("DiMiOS typology: 2 rows, types A-D: A 0, B 1, C 0, D 0",
                               "Cut: capability 3, legacy 3 (a score above its cut is high / enabling)",
                               "No type: 1 without a score"))
  expect_match(out[4], "^ +type +type_label +capability +legacy")
  expect_output(print(dm_typology(dm_score(sim_responses(n = 20)))), "^DiMiOS typology: 20 respondents")
  # a selection of columns without the types prints as a data frame
  expect_output(print(dm_typology(y, cut = 3)[c("legacy")]), "^  legacy\n1      2")
})

test_that("ids that differ only in case or spaces are warned about once (#18, item 11)", {
  x <- data.frame(municipality = c("Gent", "gent ", "Brugge"), efficiency = 1:3, innovation = 1:3,
                  balance = 1:3, legacy = 3:1)
  attr(x, "by") <- "municipality"
  expect_warning(dm_typology(x), "`x\\$municipality` has 1 set of ids.*'Gent' / 'gent '",
                 class = "digimaturity_warning_ids")
  d <- sim_responses(n = 60, n_groups = 6)
  d$municipality[1] <- paste0(" ", d$municipality[1])
  expect_warning(dm_aggregate(d), class = "digimaturity_warning_ids")
  ag <- suppressWarnings(dm_aggregate(d))
  expect_length(attr(ag, "id_variants"), 1L)
  expect_no_warning(dm_typology(ag))  # dm_aggregate() warned already
})

test_that("dm_typology() refuses misspelled arguments with a did-you-mean", {
  expect_error(dm_typology(dm_score(flanders_dm), cuts = 3), "did you mean `cut`",
               class = "digimaturity_error_argument_spelling")
})
