# Weights and the finite population correction flowing through the package (issue 23):
# dm_lm(fpc =) against survey::svyglm(), and every function that takes `weights`
# against a plain-R weighted computation.

illustrative_sizes <- function() {
  list(population_class = c("<10000" = 66, "10000-19999" = 110, "20000-29999" = 57,
                            "30000-49999" = 42, ">=50000" = 25))
}

flow_scores <- function() {
  scores <- dm_score(flanders_dm, keep = c("municipality", "role", "digital_strategy", "coercive"))
  scores$w <- as.numeric(dm_weights(flanders_dm, illustrative_sizes()))
  scores$N <- 300
  scores
}

test_that("dm_lm(fpc =) equals svyglm(svydesign(ids = ~municipality, weights, fpc)), with and without fpc", {
  skip_if_not_installed("survey")
  scores <- flow_scores()
  f <- efficiency ~ digital_strategy + coercive + role
  for (with_fpc in c(FALSE, TRUE)) {
    fit <- dm_lm(f, data = scores, weights = w, cluster = ~municipality, vcov = "CR1",
                 fpc = if (with_fpc) 300)
    des <- if (with_fpc) {
      survey::svydesign(ids = ~municipality, weights = ~w, fpc = ~N, data = scores)
    } else survey::svydesign(ids = ~municipality, weights = ~w, data = scores)
    s <- survey::svyglm(f, design = des)
    expect_lt(max(abs(coef(fit) - coef(s))), 1e-10)
    expect_lt(max(abs(sqrt(diag(fit$vcov)) - sqrt(diag(vcov(s))))), 1e-8)
  }
  # unweighted too (survey with weights 1)
  scores$one <- 1
  fit <- dm_lm(f, data = scores, cluster = ~municipality, vcov = "CR1", fpc = 300)
  s <- survey::svyglm(f, design = survey::svydesign(ids = ~municipality, weights = ~one,
                                                    fpc = ~N, data = scores))
  expect_lt(max(abs(sqrt(diag(fit$vcov)) - sqrt(diag(vcov(s))))), 1e-8)
})

test_that("the fpc multiplies every cluster-robust type by 1 - G/N and survives vcov(type =)", {
  scores <- flow_scores()
  f <- efficiency ~ digital_strategy + coercive
  G <- length(unique(scores$municipality))
  for (type in c("CR0", "CR1", "CR1S", "CR2", "CR3")) {
    a <- dm_lm(f, data = scores, weights = w, cluster = ~municipality, vcov = type)
    b <- dm_lm(f, data = scores, weights = w, cluster = ~municipality, vcov = type, fpc = 300)
    expect_equal(b$vcov, a$vcov * (1 - G / 300), tolerance = 1e-12)
  }
  b <- dm_lm(f, data = scores, cluster = ~municipality, vcov = "CR1", fpc = 300)
  a <- dm_lm(f, data = scores, cluster = ~municipality, vcov = "CR2")
  expect_equal(vcov(b, type = "CR2"), a$vcov * (1 - G / 300), tolerance = 1e-12)
  # the Wald test uses the corrected variance
  wb <- dm_wald(b, "coercive = 0")
  expect_equal(wb$statistic, unname(coef(b)["coercive"]^2 / b$vcov["coercive", "coercive"]),
               tolerance = 1e-10)
  expect_error(dm_lm(f, data = scores, fpc = 300), "needs `cluster`",
               class = "digimaturity_error_input")
  expect_error(dm_lm(f, data = scores, cluster = ~municipality, fpc = 100),
               "at least the 183 clusters", class = "digimaturity_error_input")
  expect_error(dm_lm(f, data = scores, cluster = ~municipality, fpc = "300"),
               class = "digimaturity_error_input")
  expect_error(dm_lm(cbind(efficiency, innovation) ~ coercive, data = scores,
                     cluster = ~municipality, fpc = 300), class = "digimaturity_error_input")
  # fpc = G: a census, no sampling variance
  full <- dm_lm(f, data = scores, cluster = ~municipality, vcov = "CR1", fpc = G)
  expect_true(all(full$vcov == 0))
})
