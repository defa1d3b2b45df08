# check_reported(): the published table's inconsistencies (study.md), a consistent table
# recomputed from lm(), GRIM cases with known answers, and the argument checks.

test_that("check_reported() finds what study.md lists in ugent_published", {
  chk <- check_reported(ugent_published)
  expect_s3_class(chk, "dm_check_reported")
  expect_true(all(c("model", "term", "check", "printed", "implied_low", "implied_high",
                    "consistent") %in% names(chk)))
  fit_rows <- chk[chk$check %in% c("adj_r_squared", "f_statistic", "nobs"), ]
  # adjusted R2 and F of all three models inconsistent with 13 predictors and the printed N
  expect_equal(nrow(fit_rows), 9L)
  expect_true(all(is.na(fit_rows$term)))
  expect_false(any(fit_rows$consistent))
  adj <- chk[chk$check == "adj_r_squared", ]
  expect_equal(adj$model, c("efficiency", "innovation", "balance"))
  # implied .573/.499/.486 (study.md) lie in the implied intervals
  expect_true(all(c(0.573, 0.499, 0.4855) >= adj$implied_low - 5e-4 &
                    c(0.573, 0.499, 0.4855) <= adj$implied_high + 5e-4))
  f <- chk[chk$check == "f_statistic", ]
  expect_true(all(c(31.7, 22.1, 21.8) >= f$implied_low - 0.05 & c(31.7, 22.1, 21.8) <= f$implied_high + 0.05))
  expect_match(f$explanation[1], "robust (Wald) F", fixed = TRUE)
  # consistent with N = 227 / 259 / 269 and k = 13 (and 244 / 279 / 289-290 with k = 14)
  n <- chk[chk$check == "nobs", ]
  expect_equal(n$implied_low, c(227, 259, 269))
  expect_equal(n$implied_high, c(227, 259, 269))
  nk <- attr(chk, "nk_pairs")
  k14 <- nk[nk$k == 14, ]
  expect_equal(k14$n_low, c(244, 279, 289))
  expect_equal(k14$n_high, c(244, 279, 290))
  # -.070 (.029) printed without stars is flagged; .417*** (.057) is accepted
  st <- chk[chk$check == "stars", ]
  it <- st[st$model == "balance" & st$term == "it_representative", ]
  expect_false(it$consistent)
  expect_identical(it$printed, "-.070 (.029)")
  expect_match(it$explanation, "printed with no stars")
  ds <- st[st$model == "efficiency" & st$term == "digital_strategy", ]
  expect_identical(ds$printed, ".417*** (.057)")
  expect_true(ds$consistent)
  # .146 (.061) printed **: two-sided t gives *, a one-sided test **
  hr <- st[st$model == "innovation" & st$term == "human_resources", ]
  expect_false(hr$consistent)
  expect_identical(hr$implied, "*")
  one <- check_reported(ugent_published, alternative = "greater")
  hr1 <- one[one$check == "stars" & one$model == "innovation" & one$term == "human_resources", ]
  expect_true(hr1$consistent)
  # the constants are printed without stars: not checked, not flagged
  expect_true(all(is.na(st$consistent[st$term == "(Intercept)"])))
  # the printout explains each inconsistency in a sentence
  out <- capture.output(print(chk))
  expect_match(out[1], "inconsistent")
  expect_true(any(grepl("it_representative", out)))
  expect_true(any(grepl("does not follow from R2", out)))
})

test_that("a table recomputed from an lm() fit and printed to three decimals raises no flag", {
  for (fml in list(sr ~ ., sr ~ pop15 + ddpi)) {
    fit <- lm(fml, data = LifeCycleSavings)
    s <- summary(fit)
    cf <- coef(s)
    f3 <- function(v) sprintf("%.3f", v)
    tab <- list(
      regression = data.frame(model = "m", term = rownames(cf), estimate = f3(cf[, 1]),
                              std_error = f3(cf[, 2]),
                              stars_printed = digimaturity:::signif_stars(cf[, 4])),
      fit = data.frame(model = "m", r_squared = f3(s$r.squared), adj_r_squared = f3(s$adj.r.squared),
                       f_statistic = f3(s$fstatistic[1]),
                       f_stars_printed = digimaturity:::signif_stars(
                         pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3], lower.tail = FALSE)),
                       nobs = nobs(fit)))
    chk <- check_reported(tab)
    expect_true(all(chk$consistent %in% c(TRUE, NA)))
    expect_false(any(chk$consistent %in% FALSE))
    expect_true(all(chk$consistent[chk$term != "(Intercept)" | is.na(chk$term)]))
    expect_output(print(chk), "0 inconsistent")
    # the same with numbers given as numbers (digits = 3)
    tab$regression$estimate <- round(cf[, 1], 3)
    tab$regression$std_error <- round(cf[, 2], 3)
    expect_false(any(check_reported(tab)$consistent %in% FALSE))
  }
  # with mtcars and a wrong k the F and adj. R2 no longer fit
  fit <- lm(mpg ~ wt + hp + qsec, mtcars)
  s <- summary(fit)
  tab <- list(fit = data.frame(model = "m", r_squared = sprintf("%.3f", s$r.squared),
                               adj_r_squared = sprintf("%.3f", s$adj.r.squared),
                               f_statistic = sprintf("%.2f", s$fstatistic[1]), nobs = 32))
  expect_true(all(check_reported(tab, k = 3)$consistent))
  wrong <- check_reported(tab, k = 5)
  expect_false(any(wrong$consistent))
  expect_true(any(attr(wrong, "nk_pairs")$k == 3 & attr(wrong, "nk_pairs")$n_low <= 32 &
                    attr(wrong, "nk_pairs")$n_high >= 32))
})

test_that("GRIM: percentages and means of integer items against n", {
  items <- data.frame(item = c("a", "b", "c", "d", "e"),
                      pct_agree_printed = c(52, 53, 52, 50, 0), n = c(17, 17, 18, 2, 3))
  chk <- check_reported(list(items = items))
  expect_equal(chk$check, rep("grim_percent", 5))
  # 52% of 17 is impossible (8/17 = 47.1%, 9/17 = 52.9%); 53% of 17 is 9/17
  expect_identical(chk$consistent, c(FALSE, TRUE, FALSE, TRUE, TRUE))
  expect_equal(chk$implied_low[1], 100 * 8 / 17)
  expect_equal(chk$implied_high[1], 100 * 9 / 17)
  expect_match(chk$explanation[1], "47.1% (8/17) and 52.9% (9/17)", fixed = TRUE)
  expect_true(all(is.na(chk$model)))
  expect_output(print(chk), "52% is not a possible percentage of n = 17")
  # one decimal: 52.9% of 17 is possible, 52.8% is not
  chk <- check_reported(list(items = data.frame(item = c("a", "b"), pct_agree_printed = c("52.9", "52.8"),
                                                n = 17)))
  expect_identical(chk$consistent, c(TRUE, FALSE))
  # a range of n: 52% is possible for some n from 15 to 30 (25 -> 13/25), not for 17 alone
  chk <- check_reported(list(items = data.frame(item = c("a", "b"), pct_agree_printed = 52,
                                                n_min = c(15, 17), n_max = c(30, 17))))
  expect_identical(chk$consistent, c(TRUE, FALSE))
  # means of whole-number answers: a sum over n * n_items
  means <- data.frame(item = c("m1", "m2", "m3", "m4"), mean_printed = c("3.47", "3.48", "3.48", "3.45"),
                      n = c(15, 15, 15, 10), n_items = c(1, 1, 3, 2))
  chk <- check_reported(list(items = means))
  expect_equal(chk$check, rep("grim_mean", 4))
  # 52/15 = 3.4667 -> 3.47 possible; 3.48 would need 52.2/15: impossible; with 3 items
  # (45 answers) 3.48 = 156.6/45 -> 157/45 = 3.489 no, 156/45 = 3.467 no: impossible;
  # 3.45 with 10 respondents x 2 items = 69/20 possible
  expect_identical(chk$consistent, c(TRUE, FALSE, FALSE, TRUE))
  # the items of ugent_published carry no n: not checked
  expect_false(any(grepl("grim", check_reported(ugent_published)$check)))
  items <- ugent_published$items
  items$n <- 298
  g <- check_reported(list(items = items))
  expect_equal(nrow(g), 21L)
  expect_true(all(g$consistent))
})

test_that("check_reported() validates its input with classed errors naming the argument", {
  expect_error(check_reported(1:3), "`x` must be a list", class = "digimaturity_error_input")
  expect_error(check_reported(list(fit = data.frame(model = "a", nobs = 10))), "r_squared",
               class = "digimaturity_error_missing_column")
  expect_error(check_reported(ugent_published, alternative = "less"), "`alternative` must be one of",
               class = "digimaturity_error_input")
  expect_error(check_reported(ugent_published, k = 0), "`k` must be whole numbers",
               class = "digimaturity_error_input")
  expect_error(check_reported(ugent_published, k = c(nope = 13)), "'nope'",
               class = "digimaturity_error_input")
  bad <- ugent_published
  bad$regression$stars_printed[1] <- "#"
  expect_error(check_reported(bad), "stars_printed.*'#'", class = "digimaturity_error_input")
  bad <- ugent_published
  bad$regression$estimate <- as.character(bad$regression$estimate)
  bad$regression$estimate[2] <- "1,5"
  expect_error(check_reported(bad), "'1,5'", class = "digimaturity_error_input")
  expect_error(check_reported(list(items = data.frame(item = "a", pct_agree_printed = 50, n = -1))),
               "`x\\$items` must give whole n", class = "digimaturity_error_input")
  expect_error(check_reported(ugent_published, stars = c(0.05, 0.01)), "`stars` must be",
               class = "digimaturity_error_input")
})

test_that("check_reported() refuses misspelled arguments with a did-you-mean", {
  expect_error(check_reported(ugent_published, alternatve = "greater"), "did you mean `alternative`",
               class = "digimaturity_error_argument_spelling")
})
