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
