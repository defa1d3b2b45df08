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
