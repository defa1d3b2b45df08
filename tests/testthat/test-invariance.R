skip_if_not_installed("lavaan", "0.6.14")
skip_if_not_installed("semTools", "0.5.6")

lam1 <- list(c(0.8, 0.7, 0.75, 0.6, 0.7))
items1 <- sim_codebook(lam1)
planted <- rbind(cbind(sim_ordinal(400, lam1, seed = 1), g = "A"),
                 cbind(sim_ordinal(400, lam1, shift = list(item = 3, k = 2, by = 0.6), seed = 2), g = "B"))

test_that("a planted non-invariant threshold is found by the partial search", {
  inv <- dm_invariance(planted, items1, group = ~g)
  expect_s3_class(inv, "dm_invariance")
  expect_equal(inv$steps$model, c("configural", "metric", "scalar", "scalar (partial)"))
  expect_equal(inv$steps$decision, c("reference", "holds", "fails", "holds partially"))
  expect_equal(nrow(inv$freed), 1)
  expect_equal(inv$freed$parameter, "y3 | t2")
  expect_equal(inv$freed$type, "threshold")
  expect_equal(inv$freed$between, "2|3")
  expect_lt(inv$freed$p.value, 1e-6)
  out <- capture.output(print(inv))
  expect_true(any(grepl("threshold of y3 between codes 2\\|3", out)))
  expect_true(any(grepl("partially, with 1 parameter freed", out)))

  # each model is the one measEq.syntax() builds (Wu & Estabrook), fitted by lavaan
  planted$y1 <- ordered(planted$y1)
  for (lvl in c("configural", "metric", "scalar")) {
    eq <- list(configural = "", metric = "loadings", scalar = c("loadings", "thresholds"))[[lvl]]
    part <- if (lvl == "scalar") "y3 | t2" else ""
    ref <- suppressMessages(semTools::measEq.syntax(
      configural.model = "f1 =~ y1 + y2 + y3 + y4 + y5", data = planted, group = "g",
      ordered = paste0("y", 1:5), ID.cat = "Wu.Estabrook.2016", ID.fac = "std.lv",
      parameterization = "delta", group.equal = eq, group.partial = part, return.fit = TRUE))
    expect_equal(unname(lavaan::fitMeasures(inv$fits[[lvl]], c("chisq.scaled", "df", "cfi.robust"))),
                 unname(lavaan::fitMeasures(ref, c("chisq.scaled", "df", "cfi.robust"))), tolerance = 1e-6,
                 label = lvl)
  }
  # the difference test is lavaan's scaled one
  lrt <- lavaan::lavTestLRT(inv$fits$configural, inv$fits$metric)
  expect_equal(inv$steps$chisq_diff[2], lrt[2, "Chisq diff"], tolerance = 1e-8)
  expect_equal(inv$steps$p_diff[2], lrt[2, "Pr(>Chisq)"], tolerance = 1e-8)
})

test_that("without the search the step fails and later steps are not fitted; the stop rule is stated", {
  inv <- dm_invariance(planted, items1, group = ~g, steps = c("configural", "metric", "scalar", "strict"),
                       partial = FALSE)
  expect_equal(inv$steps$decision, c("reference", "holds", "fails"))
  expect_equal(inv$not_tested, "strict")
  expect_equal(nrow(inv$freed), 0)
  expect_output(print(inv), "Not tested \\(a previous step failed\\): strict")
  # max_free = 0: the search stops before freeing anything and says why
  inv0 <- dm_invariance(planted, items1, group = ~g, max_free = 0)
  expect_match(inv0$steps$decision[3], "fails \\(search stopped: 0 parameters? freed, the most allowed")
})

test_that("a search that may free several parameters stops when the step holds", {
  lam <- list(c(0.8, 0.7, 0.75, 0.6, 0.7))
  d <- rbind(cbind(sim_ordinal(300, lam, seed = 1), g = "A"),
             cbind(sim_ordinal(300, lam, shift = list(item = 3, k = 2, by = 0.75), seed = 2), g = "B"))
  a <- dm_invariance(d, sim_codebook(lam), group = ~g, estimator = "ML", max_free = 3)
  expect_identical(a$steps$decision, c("reference", "holds", "fails", "holds partially"))
  expect_identical(a$freed$parameter, "y3 ~1")
  expect_identical(a$steps$n_freed, c(0L, 0L, 0L, 1L))
})

test_that("invariant continuous data pass every step, strict included (MLR)", {
  HS <- lavaan::HolzingerSwineford1939
  hs_items <- data.frame(item = paste0("x", 1:9), dimension = rep(c("visual", "textual", "speed"), each = 3),
                         keyed = 1L, scale_min = 0L, scale_max = 10L)
  inv <- dm_invariance(HS, hs_items, group = ~school, estimator = "MLR",
                       criteria = c(p = 0, delta_cfi = -0.02, delta_rmsea = 0.03), partial = FALSE)
  # lavaan's tutorial: metric holds; with p ignored the fit indices decide
  expect_equal(inv$steps$step[1:2], c("configural", "metric"))
  ref_conf <- lavaan::cfa("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9",
                          HS, group = "school", estimator = "MLR")
  expect_equal(inv$steps$chisq[1], as.numeric(lavaan::fitMeasures(ref_conf, "chisq.scaled")), tolerance = 1e-6)
})

test_that("bad arguments are classed errors", {
  expect_error(dm_invariance(planted, items1), class = "digimaturity_error_input", regexp = "group")
  expect_error(dm_invariance(planted, items1, group = ~g, steps = c("metric", "scalar")),
               class = "digimaturity_error_input", regexp = "configural")
  expect_error(dm_invariance(planted, items1, group = ~g, criteria = c(p = 2)),
               class = "digimaturity_error_input", regexp = "criteria")
  one <- planted[planted$g == "A", ]
  expect_error(dm_invariance(one, items1, group = ~g), class = "digimaturity_error_input", regexp = "single group")
  small <- planted[c(1:400, 401:404), ]
  expect_error(dm_invariance(small, items1, group = ~g), class = "digimaturity_error_small_group")
  expect_error(dm_invariance(planted, items1, group = ~g, parial = FALSE),
               class = "digimaturity_error_argument_spelling", regexp = "partial")
})

test_that("a category empty in one group is merged in every group, with a warning", {
  d <- planted
  d$y1[d$g == "B" & d$y1 == 5] <- 4
  expect_warning(inv <- dm_invariance(d, items1, group = ~g, steps = c("configural", "metric")),
                 class = "digimaturity_warning_collapsed_categories", regexp = "'y1': 5 into 4")
  expect_equal(unname(inv$categories$y1), c("1", "2", "3", "4+5"))
})
