skip_if_not_installed("lavaan", "0.6.14")

hs_items <- data.frame(item = paste0("x", 1:9), dimension = rep(c("visual", "textual", "speed"), each = 3),
                       keyed = 1L, scale_min = 0L, scale_max = 10L)

test_that("dm_table() of a dm_cfa: loadings by dimension, reliability and fit rows in five formats and two languages", {
  fit <- dm_cfa(lavaan::HolzingerSwineford1939, hs_items, estimator = "ML")
  txt <- dm_table(fit)
  expect_s3_class(txt, "dm_table")
  td <- tidy(fit)
  expect_true(any(grepl(sprintf("^  x1 +%.3f +%.3f$", td$estimate[1], td$std.error[1]), txt)))
  expect_true(any(grepl("^visual$", txt)))
  expect_true(any(grepl(sprintf("omega %.3f, alpha %.3f", fit$reliability$omega[1], fit$reliability$alpha[1]), txt, fixed = TRUE)))
  expect_true(any(grepl("^Chi-square \\(df\\) +85.31 \\(24\\)", txt)))
  expect_true(any(grepl("^RMSEA \\[90% CI\\] +0.092 \\[0.071, 0.114\\]", txt)))
  expect_match(paste(txt, collapse = " "), "Fit indices: maximum likelihood")
  nl <- dm_table(fit, lang = "nl", leading_zero = FALSE)
  expect_true(any(grepl("^Chikwadraat \\(vg\\) +85.31 \\(24\\)", nl)))
  expect_true(any(grepl("alfa \\.", nl)))
  expect_true(any(grepl("Gestandaardiseerde ladingen", nl)))
  md <- dm_table(fit, format = "markdown", labels = c(x1 = "Visual perception"))
  expect_true(any(grepl("^\\| Visual perception \\| 0.772 \\| ", md)))
  tex <- dm_table(fit, format = "latex")
  expect_true(any(grepl("\\\\multicolumn\\{3\\}\\{@\\{\\}l\\}\\{\\\\textit\\{textual\\}\\}", tex)))
  expect_true(any(grepl("Chi-square \\(df\\) & 85.31 \\(24\\) &  \\\\\\\\$", tex)))
  html <- dm_table(fit, format = "html")
  expect_true(any(grepl("<th colspan=\"3\" scope=\"rowgroup\"[^>]*>speed</th>", html)))
  skip_if_not_installed("officer")
  path <- tempfile(fileext = ".docx")
  out <- dm_table(fit, format = "docx", file = path, lang = "nl")
  expect_true(file.exists(path))
  doc <- officer::docx_summary(officer::read_docx(path))
  expect_true(any(grepl("Lading", doc$text)))
})

test_that("dm_table() of a dm_invariance: one row per step, decisions and freed parameters in words", {
  skip_if_not_installed("semTools", "0.5.6")
  inv <- dm_invariance(lavaan::HolzingerSwineford1939, hs_items, group = ~school, estimator = "MLR",
                       steps = c("configural", "metric"))
  txt <- dm_table(inv)
  s <- inv$steps
  expect_true(any(grepl(sprintf("^configural +%.2f +%d +%.3f +%.3f +reference$", s$chisq[1], s$df[1], s$cfi[1], s$rmsea[1]), txt)))
  expect_true(any(grepl(sprintf("^metric \\(loadings\\) .* %.2f \\(%d\\) +%.3f", s$chisq_diff[2], s$df_diff[2], s$p_diff[2]), txt)))
  nl <- dm_table(inv, lang = "nl", format = "markdown")
  expect_true(any(grepl("metrisch \\(ladingen\\)", nl)))
  expect_true(any(grepl("Meetinvariantie over school \\(Grant-White 145, Pasteur 156\\)", nl)))
  # freed parameters are named in the notes
  inv$freed <- data.frame(step = "scalar", order = 1L, parameter = "x3 ~1", type = "intercept", dimension = "visual",
                          item = "x3", between = NA_character_, score = 12, df = 1, p.value = 0.001)
  expect_true(any(grepl("Freed by the partial-invariance search: intercept of x3.", dm_table(inv), fixed = TRUE)))
  expect_true(any(grepl("<table", dm_table(inv, format = "html"), fixed = TRUE)))
  expect_true(any(grepl("\\begin{tabularx}{\\linewidth}{>{\\raggedright\\arraybackslash}Xrrrrrrrrl}",
                        dm_table(inv, format = "latex"), fixed = TRUE)))
  expect_error(dm_table(inv, stars = 1, foo = 2), class = "digimaturity_error_argument_spelling")
})
