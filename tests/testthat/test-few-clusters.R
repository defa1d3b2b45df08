# Few clusters (issue 18, item 3): dm_lm(), summary(), dm_table() and dm_wald() warn once
# (class digimaturity_warning_few_clusters) when the number of clusters or the smallest
# Satterthwaite/HTZ df is too small for the t/F reference distribution; the rule is in
# ?few_clusters.

# The number of few-clusters warnings raised while evaluating `expr` (muffled), and
# the other warnings left alone.
count_few <- function(expr) {
  n <- 0L
  withCallingHandlers(expr, digimaturity_warning_few_clusters = function(w) {
    n <<- n + 1L
    invokeRestart("muffleWarning")
  })
  n
}

# 16 balanced clusters of 10 and a predictor that varies within them: CR2 df about 14.
balanced16 <- function() {
  set.seed(18)
  d <- data.frame(g = rep(1:16, each = 10), x = rnorm(160))
  d$y <- 1 + 0.5 * d$x + rnorm(16)[d$g] + rnorm(160)
  d
}

# 40 clusters, but a dummy that is 1 in two clusters only: its CR2 Satterthwaite df are
# about 1, whatever G (Pustejovsky and Tipton 2018, section 3).
rare_dummy40 <- function() {
  set.seed(3)
  d <- data.frame(g = rep(1:40, each = 5), x = rnorm(200))
  d$rare <- as.numeric(d$g %in% 1:2)
  d$y <- 1 + 0.3 * d$x + 0.5 * d$rare + rnorm(40)[d$g] + rnorm(200)
  d
}

test_that("a 3-cluster fit warns once, naming the clusters and pointing to dm_wild()", {
  expect_warning(fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl),
                 class = "digimaturity_warning_few_clusters")
  w <- tryCatch(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl),
                digimaturity_warning_few_clusters = function(w) w)
  expect_s3_class(w, "digimaturity_warning")
  expect_match(conditionMessage(w), "`cluster` (cyl) has 3 clusters", fixed = TRUE)
  expect_match(conditionMessage(w), "dm_wild()", fixed = TRUE)
  expect_match(conditionMessage(w), "dm_cluster_summary()", fixed = TRUE)
  expect_match(conditionMessage(w), "?few_clusters", fixed = TRUE)
  expect_identical(count_few(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)), 1L)
  # every cluster-robust type, and the vcov = ~cyl spelling
  for (type in c("CR0", "CR1", "CR1S", "CR3")) {
    expect_identical(count_few(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl, vcov = type)), 1L)
  }
  expect_identical(count_few(dm_lm(mpg ~ wt + hp, data = mtcars, vcov = ~cyl)), 1L)
  # no clusters, no warning
  expect_identical(count_few(dm_lm(mpg ~ wt + hp, data = mtcars, vcov = "HC1")), 0L)
})

test_that("several outcomes warn once, not once per response", {
  expect_identical(count_few(dm_lm(cbind(mpg, qsec) ~ wt + hp, data = mtcars, cluster = ~cyl)), 1L)
})

test_that("summary() of a few-cluster fit warns once and prints a note", {
  fit <- suppressWarnings(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl),
                          classes = "digimaturity_warning_few_clusters")
  expect_identical(count_few(s <- summary(fit)), 1L)
  s <- suppressWarnings(summary(fit), classes = "digimaturity_warning_few_clusters")
  expect_identical(s$few_clusters$G, 3L)
  # the smallest df reported: the overall HTZ test's 0.36 (the coefficients' are 1.2-1.5)
  expect_equal(s$few_clusters$df_min, unname(s$fstatistic[["dendf"]]))
  expect_lt(s$few_clusters$df_min, 1)
  out <- capture.output(print(s))
  expect_true(any(grepl("^Few clusters \\(3 of cyl\\): fewer than 10 clusters", out)))
  # printing raises nothing
  expect_true(any(grepl("dm_wild()", out, fixed = TRUE)))
  expect_identical(count_few(capture.output(print(s))), 0L)
  # summary with another variance checks that variance
  expect_identical(count_few(summary(fit, vcov = "CR1")), 1L)
  expect_identical(count_few(summary(fit, vcov = "HC1")), 0L)
})

test_that("CR0/CR1/CR1S/CR3 need 30 clusters; CR2 with 16 balanced clusters passes", {
  d <- balanced16()
  expect_identical(count_few(fit2 <- dm_lm(y ~ x, data = d, cluster = ~g)), 0L)
  expect_true(all(dm_coef_df(fit2) >= 4))
  expect_identical(count_few(s2 <- summary(fit2)), 0L)
  expect_null(s2$few_clusters)
  expect_false(any(grepl("Few clusters", capture.output(print(s2)))))
  w <- tryCatch(dm_lm(y ~ x, data = d, cluster = ~g, vcov = "CR1"),
                digimaturity_warning_few_clusters = function(w) w)
  expect_s3_class(w, "digimaturity_warning_few_clusters")
  expect_match(conditionMessage(w), "16 clusters.*CR1 t and F tests on G - 1 = 15 df")
})

test_that("CR2 with many clusters but a coefficient on few df warns in summary, not in the fit", {
  d <- rare_dummy40()
  expect_identical(count_few(fit <- dm_lm(y ~ x + rare, data = d, cluster = ~g)), 0L)
  df <- dm_coef_df(fit)
  expect_lt(df[["rare"]], 4)
  expect_gt(df[["x"]], 4)
  w <- tryCatch(summary(fit), digimaturity_warning_few_clusters = function(w) w)
  expect_s3_class(w, "digimaturity_warning_few_clusters")
  expect_match(conditionMessage(w), "40 clusters.*smallest Satterthwaite/HTZ df")
  # the joint test of the rare dummy has few HTZ df; that of x does not
  expect_identical(count_few(dm_wald(fit, "rare")), 1L)
  expect_identical(count_few(dm_wald(fit, "x")), 0L)
})

test_that("dm_wald() warns once, with a note in its printout", {
  fit <- suppressWarnings(dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~carb),
                          classes = "digimaturity_warning_few_clusters")
  expect_identical(count_few(w <- dm_wald(fit, c("wt", "hp"))), 1L)
  w <- suppressWarnings(dm_wald(fit, c("wt", "hp")), classes = "digimaturity_warning_few_clusters")
  expect_identical(attr(w, "few_clusters")$G, 6L)
  expect_true(any(grepl("^Few clusters \\(6 of carb\\)", capture.output(print(w)))))
  expect_identical(count_few(dm_wald(fit, "hp = wt", vcov = "CR1")), 1L)
  expect_identical(count_few(dm_wald(fit, "hp = wt", vcov = "HC2")), 0L)
  m <- suppressWarnings(dm_lm(cbind(mpg, qsec) ~ wt + hp, data = mtcars, cluster = ~cyl, vcov = "CR1"),
                        classes = "digimaturity_warning_few_clusters")
  expect_identical(count_few(dm_wald(m, c("mpg:wt", "qsec:wt"))), 1L)
})

test_that("dm_table() warns once per table and notes the models with few clusters", {
  few <- function(expr) suppressWarnings(expr, classes = "digimaturity_warning_few_clusters")
  fits <- list(cyl = few(dm_lm(mpg ~ wt + hp, mtcars, cluster = ~cyl)),
               carb = few(dm_lm(mpg ~ wt + hp, mtcars, cluster = ~carb, vcov = "CR1")),
               HC2 = dm_lm(mpg ~ wt + hp, mtcars))
  expect_identical(count_few(tab <- dm_table(fits)), 1L)
  w <- tryCatch(dm_table(fits), digimaturity_warning_few_clusters = function(w) w)
  expect_match(conditionMessage(w), "'cyl' (CR2, 3 clusters of cyl, smallest df 0.36), 'carb' (CR1, 6 clusters of carb)",
               fixed = TRUE)
  tab <- few(dm_table(fits))
  note <- paste(unclass(tab), collapse = " ")
  expect_match(note, "Few clusters, t and F p-values unreliable")
  expect_match(note, "cyl: G = 3, smallest df 0.36", fixed = TRUE)
  expect_match(note, "carb: G = 6", fixed = TRUE)
  expect_false(grepl("HC2: G", note, fixed = TRUE))
  nl <- paste(unclass(few(dm_table(fits, lang = "nl", format = "markdown"))), collapse = " ")
  expect_match(nl, "Weinig clusters")
  # no note without few clusters
  expect_identical(count_few(ok <- dm_table(fits["HC2"])), 0L)
  expect_false(any(grepl("Few clusters", ok)))
})

test_that("the study's models (183 municipalities) do not warn, as make replicate runs them", {
  expect_identical(count_few(rep <- dm_replicate()), 0L)
  expect_identical(count_few(cr2 <- dm_replicate(vcov = "CR2")), 0L)
  expect_identical(cr2$models[[1]]$n_clusters, 183L)
  # the report's CR2 table and joint tests of the blocks (inst/report/replication.Rmd)
  both <- c(rep$models, stats::setNames(cr2$models, paste(names(cr2$models), "(CR2)")))
  expect_identical(count_few(dm_table(both, blocks = "study", fit = c("r.squared", "statistic", "nobs", "n_clusters"))), 0L)
  expect_identical(count_few(lapply(cr2$models, summary)), 0L)
  blk <- list(c("coercive", "mimetic", "normative_citizens", "normative_businesses"),
              c("it_representative", "focus_management", "digital_strategy",
                "knowledge_development", "human_resources", "financial_resources"),
              c("alderman_digitalisation", "focus_mayor"))
  expect_identical(count_few(lapply(cr2$models, function(m) lapply(blk, function(b) dm_wald(m, b)))), 0L)
})

test_that("calls that run several tests warn once: dm_importance(), summary() of several responses", {
  few <- function(expr) suppressWarnings(expr, classes = "digimaturity_warning_few_clusters")
  fit <- few(dm_lm(mpg ~ wt + hp + qsec, data = mtcars, cluster = ~carb))
  expect_identical(count_few(dm_importance(fit)), 1L)
  m <- few(dm_lm(cbind(mpg, qsec) ~ wt + hp, data = mtcars, cluster = ~cyl))
  expect_identical(count_few(summary(m)), 1L)
})
