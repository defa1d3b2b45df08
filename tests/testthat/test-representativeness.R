# dm_representativeness(): shares, the chi-square test against stats::chisq.test(), the
# R-indicator against a direct computation, weighted shares, print and dm_table().

test_that("shares and the chi-square test match a direct computation and chisq.test()", {
  ex <- weights_frame()
  r <- dm_representativeness(ex$data, ex$frame, by = c("size_class", "province"), B = 0)
  units <- ex$data[!duplicated(ex$data$municipality), ]
  for (m in c("size_class", "province")) {
    s <- r$shares[r$shares$margin == m, ]
    pop <- table(factor(as.character(ex$frame[[m]]), levels = s$category))
    smp <- table(factor(as.character(units[[m]]), levels = s$category))
    expect_equal(s$population_share, as.numeric(prop.table(pop)))
    expect_equal(s$sample_n, as.numeric(smp))
    expect_equal(s$respondents, as.numeric(table(factor(as.character(ex$data[[m]]), levels = s$category))))
    ct <- suppressWarnings(stats::chisq.test(as.numeric(smp), p = as.numeric(prop.table(pop))))
    t <- r$tests[r$tests$margin == m, ]
    expect_equal(t$statistic, unname(ct$statistic))
    expect_equal(t$p.value, ct$p.value)
    expect_equal(t$df, unname(ct$parameter))
    expect_equal(t$dissimilarity, sum(abs(prop.table(smp) - prop.table(pop))) / 2)
  }
})

test_that("the R-indicator is 1 - 2 sd of the propensities (per margin and on a logistic model)", {
  ex <- weights_frame()
  set.seed(5)
  r <- dm_representativeness(ex$data, ex$frame, by = c("size_class", "province"), B = 50)
  resp <- as.numeric(ex$frame$municipality %in% ex$data$municipality)
  rho <- ave(resp, ex$frame$size_class)
  expect_equal(r$r_indicator$R[r$r_indicator$margins == "size_class"], 1 - 2 * stats::sd(rho))
  g <- stats::glm(resp ~ size_class + province, family = stats::binomial(), data = ex$frame)
  all <- r$r_indicator[r$r_indicator$margins == "size_class + province", ]
  expect_equal(all$R, 1 - 2 * stats::sd(stats::fitted(g)), tolerance = 1e-8)
  expect_true(all$se > 0 && all$conf.low < all$R && all$conf.high > all$R)
  expect_equal(all$response_rate, mean(resp))
  # equal response in every category: R = 1
  rr <- dm_representativeness(ex$data[!duplicated(ex$data$municipality), ],
                              list(size_class = 2 * table(ex$data$size_class[!duplicated(ex$data$municipality)]) + 0),
                              by = "size_class", B = 0)
  expect_equal(rr$r_indicator$R, 1)
})

test_that("weights give weighted shares equal to the targets; head counts give person shares", {
  ex <- weights_frame()
  w <- dm_weights(ex$data, ex$frame, margins = c("size_class", "province"))
  r <- dm_representativeness(ex$data, ex$frame, by = c("size_class", "province"), weights = w,
                             head_counts = "inhabitants", B = 0)
  expect_equal(r$shares$weighted_share, r$shares$population_share, tolerance = 1e-10)
  s <- r$shares[r$shares$margin == "size_class", ]
  h <- tapply(ex$frame$inhabitants, as.character(ex$frame$size_class), sum)
  expect_equal(s$population_head_share, as.numeric(h[s$category] / sum(h)))
  expect_match(attr(r, "weights_label")[["en"]], "size_class x province")
  expect_output(print(r), "R-indicator")
  expect_output(print(r, lang = "nl"), "Chi-kwadraattoets")
  tab <- dm_table(r)
  expect_true(any(grepl("Weighted", tab)))
  expect_true(any(grepl("weighted to size_class x province margins", tab)))
  expect_true(any(grepl("Gewogen", dm_table(r, lang = "nl", format = "markdown"))))
})

test_that("bad input is a classed error", {
  ex <- weights_frame()
  expect_error(dm_representativeness(ex$data, ex$frame, by = "inhabitants", B = 0),
               "categorical", class = "digimaturity_error_input")
  expect_error(dm_representativeness(ex$data, ex$frame, by = "size_class", B = -1),
               class = "digimaturity_error_input")
  expect_error(dm_representativeness(ex$data, ex$frame, by = "size_class", B = 2.5),
               "`B` must be a whole number; you passed 2.5", class = "digimaturity_error_input")
  expect_error(dm_representativeness(ex$data, ex$frame, by = "size_class", cnf_level = 0.9),
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_representativeness(ex$data, list(size_class = c("<10k" = 1)), by = "size_class", B = 0),
               class = "digimaturity_error_empty_cell")
  expect_error(dm_representativeness(ex$data, ex$frame, by = "size_class", head_counts = "nope", B = 0),
               class = "digimaturity_error_missing_column")
  expect_error(print(dm_representativeness(ex$data, ex$frame, by = "size_class", B = 0), digits = 2),
               class = "digimaturity_error_argument_spelling")
})
