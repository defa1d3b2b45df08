skip_if_not_installed("lavaan", "0.6.14")

hs_items <- data.frame(item = paste0("x", 1:9), dimension = rep(c("visual", "textual", "speed"), each = 3),
                       keyed = 1L, scale_min = 0L, scale_max = 10L)
hs_model <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"

test_that("HolzingerSwineford1939 under ML: fit measures and loadings equal lavaan's", {
  HS <- lavaan::HolzingerSwineford1939
  fit <- dm_cfa(HS, hs_items, estimator = "ML")
  ref <- lavaan::cfa(hs_model, HS, estimator = "ML")
  g <- glance(fit)
  fm <- lavaan::fitMeasures(ref)
  for (m in c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "srmr")) {
    expect_equal(g[[m]], unname(fm[[m]]), tolerance = 1e-6, label = m)
  }
  expect_equal(g$chisq, 85.306, tolerance = 1e-4)  # lavaan's tutorial value
  expect_equal(g$nobs, 301)
  expect_false("chisq.scaled" %in% names(g))      # ML has no scaled test
  td <- tidy(fit)
  ss <- lavaan::standardizedSolution(ref)
  ld <- ss[ss$op == "=~", ]
  expect_equal(td$estimate[td$type == "loading"], ld$est.std, tolerance = 1e-6)
  expect_equal(td$std.error[td$type == "loading"], ld$se, tolerance = 1e-5)
  expect_equal(td$dimension[td$type == "loading"], rep(c("visual", "textual", "speed"), each = 3))
  expect_setequal(td$dimension[td$type == "correlation"],
                  c("visual ~~ textual", "visual ~~ speed", "textual ~~ speed"))
  expect_equal(sum(td$type == "residual_variance"), 9)
  # continuous omega equals compRelSEM()
  skip_if_not_installed("semTools", "0.5.6")
  expect_equal(fit$reliability$omega, as.numeric(semTools::compRelSEM(fit$fit)), tolerance = 1e-6)
})

test_that("MLR: robust indices named as lavaan names them; cluster changes only the uncertainty", {
  HS <- lavaan::HolzingerSwineford1939
  m <- dm_cfa(HS, hs_items, estimator = "MLR")
  ref <- lavaan::cfa(hs_model, HS, estimator = "MLR")
  g <- glance(m)
  fm <- lavaan::fitMeasures(ref)
  for (nm in c("chisq.scaled", "chisq.scaling.factor", "cfi.robust", "rmsea.robust", "tli.robust")) {
    expect_equal(g[[nm]], unname(fm[[nm]]), tolerance = 1e-6, label = nm)
  }
  HS$pair <- (seq_len(nrow(HS)) + 1) %/% 2  # 151 clusters of 1-2 pupils, like the survey's municipalities
  cl <- dm_cfa(HS, hs_items, estimator = "MLR", cluster = ~pair)
  expect_equal(tidy(cl)$estimate, tidy(m)$estimate, tolerance = 1e-8)
  expect_false(isTRUE(all.equal(tidy(cl)$std.error, tidy(m)$std.error)))
  refc <- lavaan::cfa(hs_model, HS, estimator = "MLR", cluster = "pair", std.lv = TRUE)
  expect_equal(tidy(cl)$std.error[1:9], lavaan::standardizedSolution(refc)$se[1:9], tolerance = 1e-6)
  expect_equal(glance(cl)$chisq.scaled, unname(lavaan::fitMeasures(refc)[["chisq.scaled"]]), tolerance = 1e-6)
  expect_equal(glance(cl)$n_clusters, 151L)
  expect_output(print(cl), "Cluster-robust by pair \\(151 clusters, 1.99 respondents")
})

lambda4 <- list(c(0.8, 0.7, 0.6), c(0.75, 0.65, 0.55), c(0.7, 0.7, 0.6), c(0.8, 0.6, 0.5))

test_that("ordinal 4-factor simulation: WLSMV recovers the loadings and equals lavaan; reverse-keyed items", {
  d <- sim_ordinal(1500, lambda4, phi = 0.4, seed = 11)
  items <- sim_codebook(lambda4, keyed = c(1, 1, -1, rep(1, 9)))
  d$y3 <- 6 - d$y3  # a reverse-keyed item as it arrives
  fit <- dm_cfa(d, items)
  td <- tidy(fit)
  ld <- td[td$type == "loading", ]
  expect_true(all(ld$estimate > 0))
  expect_lt(max(abs(ld$estimate - unlist(lambda4))), 0.08)
  expect_lt(max(abs(td$estimate[td$type == "correlation"] - 0.4)), 0.08)
  th <- td[td$type == "threshold" & td$item == "y1", ]
  expect_lt(max(abs(th$estimate - c(-1.2, -0.3, 0.5, 1.3))), 0.1)
  expect_equal(th$between, c("1|2", "2|3", "3|4", "4|5"))
  expect_true(td$reversed[td$type == "loading" & td$item == "y3"])
  # the same as lavaan on the reversed column
  d2 <- d
  d2$y3 <- 6 - d2$y3
  ref <- lavaan::cfa(paste(unclass(dm_cfa_syntax(items)), collapse = ""), d2, ordered = names(d2),
                     estimator = "WLSMV", std.lv = TRUE)
  ss <- lavaan::standardizedSolution(ref)
  expect_equal(ld$estimate, ss$est.std[ss$op == "=~"], tolerance = 1e-8)
  g <- glance(fit)
  fm <- lavaan::fitMeasures(ref)
  for (nm in c("chisq.scaled", "df.scaled", "cfi.robust", "rmsea.robust", "srmr")) {
    expect_equal(g[[nm]], unname(fm[[nm]]), tolerance = 1e-8, label = nm)
  }
  # categorical omega (Green & Yang) and ordinal alpha equal compRelSEM()
  skip_if_not_installed("semTools", "0.5.6")
  expect_equal(fit$reliability$omega, as.numeric(semTools::compRelSEM(fit$fit)), tolerance = 1e-6)
  expect_equal(fit$reliability$alpha_ordinal,
               as.numeric(semTools::compRelSEM(fit$fit, tau.eq = TRUE, ord.scale = FALSE)), tolerance = 1e-6)
  # raw alpha of the keyed codes as psych would have it
  keyed <- d2[paste0("y", 1:3)]
  C <- stats::cov(keyed)
  expect_equal(fit$reliability$alpha[1], 3 / 2 * (1 - sum(diag(C)) / sum(C)), tolerance = 1e-10)
  expect_equal(fit$reliability$omega_type[1], "categorical (Green & Yang)")
})

test_that("dm_cfa_syntax() writes one factor per dimension and names reverse-keyed items", {
  s <- dm_cfa_syntax()
  expect_s3_class(s, "dm_cfa_syntax")
  lines <- strsplit(unclass(s), "\n")[[1]]
  expect_equal(sum(grepl("=~", lines)), 4)
  expect_match(s, "legacy =~ staff_capabilities + it_infrastructure + competence_mix + internal_reputation + poor_past_it", fixed = TRUE)
  expect_match(s, "reverse-keyed, fitted on reversed codes: poor_past_it", fixed = TRUE)
  expect_output(print(s), "efficiency =~ portfolio_management")
})

test_that("an edited model is fitted; a model naming non-items is refused", {
  HS <- lavaan::HolzingerSwineford1939
  fit <- dm_cfa(HS, hs_items, estimator = "ML", model = paste(hs_model, "x7 ~~ x8", sep = "\n"))
  td <- tidy(fit)
  expect_equal(td$type[td$term == "x7 ~~ x8"], "residual_covariance")
  expect_lt(glance(fit)$chisq, 85.306)
  expect_error(dm_cfa(HS, hs_items, estimator = "ML", model = "visual =~ x1 + x2 + age"),
               class = "digimaturity_error_input")
  expect_error(dm_cfa(HS, hs_items, estimator = "ML", model = 3), class = "digimaturity_error_input")
})

test_that("bad input gives classed errors that name the problem", {
  d <- sim_ordinal(300, lambda4, seed = 2)
  items <- sim_codebook(lambda4)
  one <- d
  one$y5 <- 3
  expect_error(dm_cfa(one, items), class = "digimaturity_error_constant_item", regexp = "y5")
  single <- items
  single$dimension[4] <- "alone"
  single$dimension[5:6] <- "f1"
  expect_warning(expect_error(dm_cfa(d, single), class = "digimaturity_error_single_item_dimension",
                              regexp = "alone"), class = "digimaturity_warning_single_item")
  expect_warning(expect_error(dm_cfa_syntax(single), class = "digimaturity_error_single_item_dimension"),
                 class = "digimaturity_warning_single_item")
  d$g <- c(rep("a", 290), rep("b", 10))
  expect_error(dm_cfa(d, items, group = ~g), class = "digimaturity_error_small_group", regexp = "'b': 10")
  expect_error(dm_cfa(d, items, cluster = ~g), class = "digimaturity_error_input", regexp = "MLR")
  bad <- d
  bad$y2[7] <- 2.5
  expect_error(dm_cfa(bad, items), class = "digimaturity_error_invalid_code", regexp = "y2.*row 7")
  bad$y2[7] <- 9
  expect_error(dm_cfa(bad, items, estimator = "ML"), class = "digimaturity_error_invalid_code", regexp = "off the item's scale")
  expect_error(dm_cfa(d, items, estimater = "ML"), class = "digimaturity_error_argument_spelling",
               regexp = "estimator")
  expect_error(dm_cfa(d, items, estimator = "GLS"), class = "digimaturity_error_input")
  expect_error(dm_cfa(d, items, group = ~nothere), class = "digimaturity_error_missing_column")
})

test_that("missing answers: pairwise WLSMV; rows without answers or group are accounted for", {
  d <- sim_ordinal(400, lambda4, seed = 3)
  items <- sim_codebook(lambda4)
  d$y1[1:20] <- NA
  d[21:25, items$item] <- NA
  d$g <- rep(c("a", "b"), 200)
  d$g[30] <- NA
  expect_warning(fit <- dm_cfa(d, items, group = ~g), class = "digimaturity_warning_dropped_rows")
  expect_equal(sum(fit$n), 394)
  expect_equal(fit$n_dropped, 6)
  expect_equal(lavaan::lavInspect(fit$fit, "options")$missing, "pairwise")
  expect_setequal(fit$reliability$group, c("a", "b"))
  expect_true("group" %in% names(tidy(fit)))
  expect_output(print(fit), "Groups \\(g\\): a \\(197\\), b \\(197\\)")
})

test_that("flanders_dm: empty categories are dropped and thresholds say between which codes", {
  # two legacy items have a category of one answer, from the same respondent: merged
  expect_warning(fit <- dm_cfa(flanders_dm[flanders_dm$complete, ], estimator = "WLSMV", min_category = 2),
                 class = "digimaturity_warning_collapsed_categories", regexp = "'staff_capabilities': 1 into 2")
  expect_equal(unname(fit$categories$monitoring_effects), c("1", "2", "3", "4"))
  expect_equal(unname(fit$categories$staff_capabilities), c("1+2", "3", "4", "5"))
  td <- tidy(fit)
  expect_equal(td$between[td$type == "threshold" & td$item == "monitoring_effects"], c("1|2", "2|3", "3|4"))
  expect_true(td$reversed[td$type == "loading" & td$item == "poor_past_it"])
  expect_gt(td$estimate[td$type == "loading" & td$item == "poor_past_it"], 0)
  expect_equal(attr(fit, "instrument")$item, dmm_items$item)
  expect_true(is.call(attr(fit, "call")))
  out <- capture.output(print(fit))
  expect_error(dm_cfa(flanders_dm, min_category = 0), class = "digimaturity_error_input")
  expect_match(out[1], "<dm_cfa> 4 factors, 24 items, estimator WLSMV \\(ordered items\\), 260 respondents")
  expect_true(any(grepl("categorical omega \\(Green & Yang 2009\\)", out)))
  expect_error(tidy(fit, conf_level = 0.9), class = "digimaturity_error_argument_spelling", regexp = "conf.level")
  expect_error(glance(fit, foo = 1), class = "digimaturity_error_argument_spelling")
  expect_equal(nrow(tidy(fit, conf.level = 0.9)), nrow(td))
})
