seed <- function(name) {
  # The seed CSVs are not shipped; the data-raw copies are only in the source tree.
  path <- testthat::test_path("..", "..", "data-raw", paste0("published_", name, ".csv"))
  if (!file.exists(path)) skip("data-raw/ is not part of the built package")
  utils::read.csv(path, stringsAsFactors = FALSE)
}

test_that("ugent_published holds the four published tables with their columns", {
  expect_named(ugent_published, c("regression", "fit", "items", "sample"))
  reg <- ugent_published$regression
  expect_named(reg, c("block", "term", "label_en", "label_nl", "model", "estimate",
                      "std_error", "stars_printed", "raw_text", "reading_note"))
  expect_equal(nrow(reg), 42L)
  expect_setequal(unique(reg$model), c("efficiency", "innovation", "balance"))
  expect_equal(as.vector(table(reg$model)), c(14L, 14L, 14L))
  # 13 predictors plus the intercept per model
  expect_equal(length(setdiff(unique(reg$term), "(Intercept)")), 13L)
  fit <- ugent_published$fit
  expect_equal(fit$nobs, c(298L, 276L, 287L))
  expect_equal(fit$r_squared, c(0.592, 0.523, 0.509))
  items <- ugent_published$items
  expect_equal(nrow(items), 24L)
  expect_equal(sum(!is.na(items$pct_agree_printed)), 21L)
  expect_equal(items$pct_agree_printed[items$item == "information_security"], 90L)
  samp <- ugent_published$sample
  expect_equal(samp$value[samp$quantity == "respondents"], "260")
})

test_that("the bundled tables equal the seed CSVs they were built from", {
  reg <- seed("regression")
  expect_equal(ugent_published$regression$estimate, reg$estimate)
  expect_equal(ugent_published$regression$std_error, reg$std_error)
  expect_equal(ugent_published$regression$term, reg$term)
  items <- seed("items")
  expect_equal(ugent_published$items$pct_agree_printed, as.integer(items$pct_agree_printed))
  expect_equal(dmm_items$item, items$item)
  expect_equal(dmm_items$keyed, as.integer(items$keyed))
})

test_that("dmm_items and the published items agree", {
  expect_equal(dmm_items$item, ugent_published$items$item)
  expect_equal(dmm_items$dimension, ugent_published$items$dimension)
  expect_equal(dmm_items$label_nl, ugent_published$items$label_nl)
})
