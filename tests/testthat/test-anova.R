# anova() of dm_lm fits (R/anova.R): lm's tables for classical fits, robust Wald tests
# otherwise.

anova_data <- function() {
  d <- make_clustered(41, G = 14)
  d$x1[c(4, 10)] <- NA
  d
}
anova_fits <- function(weighted) {
  d <- anova_data()
  if (weighted) {
    list(d = d, m = lm(y ~ x1 + x2 + f, d, weights = w),
         fit = dm_lm(y ~ x1 + x2 + f, d, weights = w, vcov = "classical"))
  } else {
    list(d = d, m = lm(y ~ x1 + x2 + f, d), fit = dm_lm(y ~ x1 + x2 + f, d, vcov = "classical"))
  }
}

test_that("anova(fit) is lm's sequential table for a classical fit, robust tests otherwise", {
  for (weighted in c(FALSE, TRUE)) {
    a <- anova_fits(weighted)
    expect_equal(anova(a$fit), anova(a$m), ignore_attr = "heading", tolerance = 1e-10)
    small_m <- if (weighted) lm(y ~ x1, a$d, weights = w) else lm(y ~ x1, a$d)
    small <- if (weighted) dm_lm(y ~ x1, a$d, weights = w, vcov = "classical") else
      dm_lm(y ~ x1, a$d, vcov = "classical")
    expect_equal(anova(small, a$fit), anova(small_m, a$m), ignore_attr = "heading",
                 tolerance = 1e-10)
  }
  d <- anova_data()
  fit <- dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
  small <- dm_lm(y ~ x1, d, cluster = ~g)
  an <- anova(small, fit)
  w <- dm_wald(fit, c("x2", "f"))
  expect_equal(an$F[2], w$statistic)
  expect_equal(an$Df.den[2], w$df2)
  expect_equal(an$`Pr(>F)`[2], w$p.value)
  expect_output(print(an), "larger model's variance \\(CR2\\)")
  # sequential: each term in the model of the terms up to it
  sq <- anova(fit)
  expect_identical(rownames(sq), c("x1", "x2", "f"))
  expect_equal(sq$F[2], dm_wald(dm_lm(y ~ x1 + x2, d, cluster = ~g), "x2")$statistic, tolerance = 1e-10)
  expect_equal(sq$F[3], w <- dm_wald(fit, "f")$statistic, tolerance = 1e-10)
  expect_equal(anova(fit, vcov = "HC1")$F[3], dm_wald(fit, "f", vcov = "HC1")$statistic, tolerance = 1e-10)
  expect_error(anova(fit, small), "must be nested", class = "digimaturity_error_input")
  expect_error(anova(fit, dm_lm(y ~ x1 + x2 + f, d[-1, ])), "same rows", class = "digimaturity_error_input")
})

test_that("anova() rejects a misspelled argument instead of taking it for a fit", {
  d <- anova_data()
  fit <- dm_lm(y ~ x1 + x2 + f, d, vcov = "classical")
  expect_error(anova(fit, vcv = "HC1"), "did you mean `vcov`",
               class = "digimaturity_error_argument_spelling")
  expect_error(anova(fit, clusters = ~g), "cluster", class = "digimaturity_error_argument_spelling")
})

test_that("anova() of a matrix fit says to use dm_wald()", {
  d <- anova_data()
  d <- d[complete.cases(d), ]
  fit <- dm_lm_fit(model.matrix(y ~ x1 + x2, d), d$y, vcov = "HC1")
  expect_error(anova(fit), "dm_wald", class = "digimaturity_error_input")
})
