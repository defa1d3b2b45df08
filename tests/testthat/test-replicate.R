test_that("the package's own scoring and regression reproduce every published figure", {
  rep <- dm_replicate()
  expect_s3_class(rep, "dm_replication")
  reg <- rep$regression
  expect_equal(nrow(reg), 42L)
  # every estimate and s.e. at the printed 3 decimals
  expect_true(all(reg$match))
  expect_equal(reg$estimate, reg$estimate_published)
  expect_equal(reg$std_error, reg$std_error_published)
  # R2 and N
  expect_equal(rep$fit$r2, ugent_published$fit$r_squared)
  expect_equal(rep$fit$n, ugent_published$fit$nobs)
  # "% favourable" for the 21 printed items
  it <- rep$items
  expect_equal(sum(!is.na(it$published)), 21L)
  expect_true(all(it$match[!is.na(it$published)]))
  # the sample
  expect_true(all(rep$sample$match))
  expect_equal(rep$sample$replicated[1], 260)
})

test_that("the replication explains the inconsistent printed fit statistics", {
  fit <- dm_replicate()$fit
  # adj. R2 and F implied by R2, N and k = 13 (study.md): .573/31.7, .499/22.1, .486/21.8
  expect_equal(fit$adj_r2_implied, c(0.573, 0.499, 0.486))
  expect_equal(fit$f_implied, c(31.7, 22.1, 21.8))
  expect_true(all(grepl("does not follow from R2", fit$explanation)))
  # the N that would give the printed adj. R2 .567 with k = 13 (study.md: about 227); with
  # the printed F as well, and over the rounding interval of R2, exactly N = 227
  ns <- 15:1500
  fits <- ns[round(1 - (1 - 0.592) * (ns - 1) / (ns - 14), 3) == 0.567]
  expect_true(227 %in% fits)
  expect_match(fit$explanation[1], "N = 227 with k = 13", fixed = TRUE)
  expect_match(fit$explanation[2], "N = 259 with k = 13", fixed = TRUE)
  expect_match(fit$explanation[3], "N = 269 with k = 13", fixed = TRUE)
  # the implied values are the formulas applied to the printed figures
  expect_equal(fit$adj_r2_implied[1], round(1 - (1 - 0.592) * 297 / 284, 3))
  expect_equal(fit$f_implied[1], round((0.592 / 13) / ((1 - 0.592) / 284), 1))
})

test_that("stars are recomputed and the printed ones checked against a t test", {
  reg <- dm_replicate()$regression
  row <- reg[reg$model == "balance" & reg$term == "it_representative", ]
  # -.070 (.029) is printed without stars, although t = -2.41
  expect_identical(row$stars_published, "")
  expect_identical(row$stars_from_printed, "*")
  row <- reg[reg$model == "innovation" & reg$term == "human_resources", ]
  expect_identical(c(row$stars_published, row$stars_from_printed, row$stars_one_sided),
                   c("**", "*", "**"))
})

test_that("CR2 clustered by municipality and Dutch labels work, and the printout says synthetic", {
  cr2 <- dm_replicate(lang = "nl", vcov = "CR2")
  expect_identical(cr2$models$efficiency$vcov_type, "CR2")
  expect_equal(cr2$models$efficiency$n_clusters, length(unique(
    flanders_dm$municipality[stats::complete.cases(flanders_dm[, unique(setdiff(ugent_published$regression$term, "(Intercept)"))])])))
  expect_true("Digitale strategie" %in% cr2$regression$label)
  # same estimates, other standard errors
  cl <- dm_replicate()
  expect_equal(cr2$regression$estimate, cl$regression$estimate)
  expect_false(isTRUE(all.equal(cr2$regression$std_error, cl$regression$std_error)))
  expect_output(print(cl), "SYNTHETIC")
  expect_output(print(cl), "71 of 71 published figures reproduced")
  expect_error(dm_replicate(lang = "fr"), "`lang` must be one of",
               class = "digimaturity_error_input")
  expect_error(dm_replicate(vcov = "HC9"), "`vcov` must be one of", class = "digimaturity_error_input")
})

test_that("one count of reproduced figures, for the printout and the report; z-scores from dm_score()", {
  rep <- dm_replicate()
  tl <- rep$tally
  expect_identical(tl$figures, c("estimate/s.e. pairs", "item percentages", "R2/N pairs", "sample figures"))
  expect_identical(tl$published, c(nrow(rep$regression), sum(!is.na(rep$items$match)),
                                   nrow(rep$fit), nrow(rep$sample)))
  # the printout counts the sample figures too, as the HTML report always did (71, not 66)
  expect_output(print(rep), sprintf("%d of %d published figures reproduced", sum(tl$reproduced),
                                    sum(tl$published)))
  expect_output(print(rep), "5 of 5 sample figures")
  # the regressions' outcomes are dm_score(scale = "z"): mean 0, sd 1 (n - 1)
  expect_identical(attr(rep$scores, "scale"), "z")
  z <- rep$scores$efficiency
  raw <- dm_score(flanders_dm, dmm_items)$efficiency
  expect_equal(z, (raw - mean(raw, na.rm = TRUE)) / stats::sd(raw, na.rm = TRUE), tolerance = 1e-12)
  expect_error(dm_replicate(language = "nl"), "did you mean `lang`",
               class = "digimaturity_error_argument_spelling")
})
