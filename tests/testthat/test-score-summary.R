# summary() of dm_score() (R/score-summary.R): weighted, design-based means against
# survey::svymean() and stats::cov.wt(), and weighted z-scores (issue 23).

sizes_for_summary <- function() {
  # ILLUSTRATIVE margins (no frame ships with the package), as in the examples
  list(population_class = c("<10000" = 66, "10000-19999" = 110, "20000-29999" = 57,
                            "30000-49999" = 42, ">=50000" = 25))
}

test_that("summary() of unweighted scores is mean, sd and sd / sqrt(n) when every score is present", {
  s <- dm_score(flanders_dm)
  sm <- summary(s)
  expect_s3_class(sm, "dm_scores_summary")
  expect_identical(sm$dimension, c("efficiency", "innovation", "balance", "legacy"))
  x <- s$efficiency
  expect_false(anyNA(x))
  r <- sm[sm$dimension == "efficiency", ]
  expect_equal(r$mean, mean(x), tolerance = 1e-14)
  expect_equal(r$sd, stats::sd(x), tolerance = 1e-13)
  expect_equal(r$se, stats::sd(x) / sqrt(length(x)), tolerance = 1e-13)
  expect_equal(r$df, length(x) - 1)
  expect_equal(r$conf.low, mean(x) - stats::qt(0.975, length(x) - 1) * r$se, tolerance = 1e-13)
  expect_equal(c(r$min, r$max), range(x))
  expect_equal(r$n_eff, length(x))
})

test_that("weighted, clustered summaries with and without fpc equal survey::svymean() and its t interval", {
  skip_if_not_installed("survey")
  w <- dm_weights(flanders_dm, sizes_for_summary(), unit = "municipality")
  s <- dm_score(flanders_dm, keep = "municipality", weights = w)
  expect_true(anyNA(s$innovation))  # the domain case: respondents without a score
  d <- data.frame(s[c("efficiency", "innovation", "balance", "legacy", "municipality")],
                  w = as.numeric(w), N = 300)
  for (with_fpc in c(FALSE, TRUE)) {
    sm <- summary(s, cluster = ~municipality, fpc = if (with_fpc) 300, conf_level = 0.9)
    des <- if (with_fpc) survey::svydesign(ids = ~municipality, weights = ~w, fpc = ~N, data = d) else
      survey::svydesign(ids = ~municipality, weights = ~w, data = d)
    for (dim in sm$dimension) {
      ref <- survey::svymean(stats::as.formula(paste0("~", dim)), des, na.rm = TRUE)
      r <- sm[sm$dimension == dim, ]
      expect_lt(abs(r$mean - unname(coef(ref))), 1e-12)
      expect_lt(abs(r$se - unname(survey::SE(ref))), 1e-12)
      ci <- stats::confint(ref, level = 0.9, df = survey::degf(des))
      expect_lt(max(abs(c(r$conf.low, r$conf.high) - unname(ci[1, ]))), 1e-12)
      ok <- !is.na(d[[dim]])
      cw <- stats::cov.wt(cbind(d[[dim]][ok]), d$w[ok], method = "unbiased")
      expect_equal(r$sd, sqrt(cw$cov[1, 1]), tolerance = 1e-12)
      expect_equal(r$n_eff, sum(d$w[ok])^2 / sum(d$w[ok]^2), tolerance = 1e-12)
      expect_equal(r$n, sum(ok))
    }
    expect_identical(attr(sm, "n_clusters"), length(unique(d$municipality)))
  }
  # respondents as the sampled units (ids = ~1)
  sm1 <- summary(s)
  des1 <- survey::svydesign(ids = ~1, weights = ~w, data = d)
  ref1 <- survey::svymean(~balance, des1, na.rm = TRUE)
  expect_lt(abs(sm1$se[sm1$dimension == "balance"] - unname(survey::SE(ref1))), 1e-12)
})

test_that("weights change the summary, travel with the rows and say how they were made", {
  w <- dm_weights(flanders_dm, sizes_for_summary(), unit = "municipality")
  s0 <- dm_score(flanders_dm, keep = "municipality")
  s <- dm_score(flanders_dm, keep = "municipality", weights = w)
  # the scores themselves do not change
  expect_identical(s$efficiency, s0$efficiency)
  expect_identical(as.numeric(s$.weight), as.numeric(w))
  a <- summary(s0)
  b <- summary(s)
  expect_gt(max(abs(a$mean - b$mean)), 1e-3)
  expect_equal(b$mean[1], stats::weighted.mean(s$efficiency, as.numeric(w)), tolerance = 1e-13)
  expect_identical(attr(b, "weights_label")[["en"]], "weighted to population_class margins")
  out <- utils::capture.output(print(b))
  expect_true(any(grepl("Weights: weighted to population_class margins", out, fixed = TRUE)))
  # a subset keeps its weights (the column), not a stale attribute
  sub <- s[s$municipality %in% unique(s$municipality)[1:60], ]
  bs <- summary(sub)
  keep <- s$municipality %in% unique(s$municipality)[1:60]
  expect_equal(bs$mean[1], stats::weighted.mean(s$efficiency[keep], as.numeric(w)[keep]),
               tolerance = 1e-13)
  # a vector or a column of weights: named in the words
  ww <- rep(c(1, 3), length.out = nrow(flanders_dm))
  expect_identical(attr(dm_score(flanders_dm, weights = ww), "weights_label")[["en"]], "weighted by ww")
  fd <- flanders_dm
  fd$wt <- ww
  expect_identical(attr(dm_score(fd, weights = ~wt), "weights_label")[["nl"]], "gewogen met wt")
  expect_identical(attr(dm_score(fd, weights = "wt"), "weights_label")[["en"]], "weighted by wt")
})

test_that("weighted z-scores are centred and scaled by the weighted mean and cov.wt sd", {
  w <- as.numeric(dm_weights(flanders_dm, sizes_for_summary(), unit = "municipality"))
  raw <- dm_score(flanders_dm)
  z <- dm_score(flanders_dm, weights = w, scale = "z")
  ok <- !is.na(raw$innovation)
  m <- sum(w[ok] * raw$innovation[ok]) / sum(w[ok])
  sdw <- sqrt(stats::cov.wt(cbind(raw$innovation[ok]), w[ok])$cov[1, 1])
  expect_equal(z$innovation, (raw$innovation - m) / sdw, tolerance = 1e-13)
  expect_equal(attr(z, "z_center")[["innovation"]], m, tolerance = 1e-14)
  expect_equal(attr(z, "z_scale")[["innovation"]], sdw, tolerance = 1e-13)
  # equal weights: the unweighted z-scores
  z1 <- dm_score(flanders_dm, weights = rep(2, nrow(flanders_dm)), scale = "z")
  z0 <- dm_score(flanders_dm, scale = "z")
  expect_equal(z1$balance, z0$balance, tolerance = 1e-13)
  expect_gt(max(abs(z$balance - z0$balance), na.rm = TRUE), 1e-3)
})

test_that("summary() and dm_score(weights =) reject bad input with classed errors", {
  s <- dm_score(flanders_dm, keep = "municipality")
  expect_error(summary(s, cluster = ~nope), "nope", class = "digimaturity_error")
  expect_error(summary(s, cluster = 1:3), "one value per row", class = "digimaturity_error_cluster")
  expect_error(summary(s, cluster = ~municipality, fpc = 100), "at least the 183",
               class = "digimaturity_error_input")
  expect_error(summary(s, conf.level = 0.9), class = "digimaturity_error_argument_spelling")
  expect_error(dm_score(flanders_dm, weights = rep(-1, nrow(flanders_dm))), "non-negative",
               class = "digimaturity_error_weights")
  expect_error(dm_score(flanders_dm, weights = 1:3), "one value per row",
               class = "digimaturity_error_weights")
  fd <- flanders_dm
  fd$.weight <- 1
  expect_error(dm_score(fd, keep = ".weight", weights = rep(1, nrow(fd))), "`.weight`",
               class = "digimaturity_error_input")
})

test_that("dm_table() of a scores summary is the descriptive table, with how it was weighted", {
  w <- dm_weights(flanders_dm, sizes_for_summary(), unit = "municipality")
  s <- summary(dm_score(flanders_dm, keep = "municipality", weights = w),
               cluster = ~municipality, fpc = 300)
  tab <- dm_table(s)
  txt <- gsub("\n", " ", paste(tab, collapse = "\n"))  # the text notes are wrapped
  r <- s[s$dimension == "innovation", ]
  row <- grep("^Innovation", tab, value = TRUE)
  expect_match(row, sprintf("%d +%.2f +%.2f +%.3f +\\[%.2f, %.2f\\]", r$n, r$mean, r$sd, r$se,
                            r$conf.low, r$conf.high))
  expect_match(txt, "clustered by municipality (183 clusters), finite population correction (N = 300)",
               fixed = TRUE)
  expect_match(txt, "Means and SD weighted to population_class margins", fixed = TRUE)
  nl <- dm_table(s, lang = "nl", format = "markdown")
  expect_match(paste(nl, collapse = " "), "| Digitale erfenis | 348 |", fixed = TRUE)
  expect_match(paste(nl, collapse = " "), "gewogen naar de marges", fixed = TRUE)
  # unweighted: no weights note
  plain <- paste(dm_table(summary(dm_score(flanders_dm))), collapse = " ")
  expect_match(plain, "respondents as sampled units", fixed = TRUE)
  expect_false(grepl("weighted", plain, fixed = TRUE))
  skip_if_not_installed("flextable")
  skip_if_not_installed("officer")
  f <- tempfile(fileext = ".docx")
  dm_table(s, format = "docx", file = f)
  expect_true(file.exists(f) && file.size(f) > 0)
})
