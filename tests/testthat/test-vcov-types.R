# The registry of variance types (R/vcov-types.R): one table, read everywhere.

test_that("dm_vcov_types() is the registry: every type of dm_lm(), its cluster need and df rule", {
  tab <- dm_vcov_types()
  expect_s3_class(tab, "data.frame")
  expect_identical(tab$name, c("classical", "HC0", "HC1", "HC2", "HC3", "CR0", "CR1", "CR1S", "CR2", "CR3"))
  expect_identical(tab$name[tab$cluster], c("CR0", "CR1", "CR1S", "CR2", "CR3"))
  expect_identical(tab$df_rule[tab$name == "CR2"], "Satterthwaite")
  expect_identical(unique(tab$df_rule[!tab$cluster]), "n - k")
  # every registered type fits, and the fit records the registry's df rule and the
  # type it was asked for (the enum codes are in the order of the C++ kernel: a
  # wrong code would give another type's numbers, checked against sandwich below)
  d <- make_clustered(3)
  for (i in seq_len(nrow(tab))) {
    fit <- without_few_clusters(dm_lm(y ~ x1 + x2, d, vcov = tab$name[i], cluster = if (tab$cluster[i]) ~g))
    expect_identical(fit$vcov_type, tab$name[i])
    expect_identical(fit$df_rule, tab$df_rule[i])
  }
})

test_that("the registry's codes give sandwich's numbers for every HC type", {
  skip_if_not_installed("sandwich")
  d <- make_clustered(5)
  m <- lm(y ~ x1 + x2 + f, d)
  for (type in c("HC0", "HC1", "HC2", "HC3")) {
    expect_equal(unname(vcov(dm_lm(y ~ x1 + x2 + f, d, vcov = type))),
                 unname(sandwich::vcovHC(m, type = type)), tolerance = 1e-10, info = type)
  }
  expect_equal(unname(vcov(dm_lm(y ~ x1 + x2 + f, d, vcov = "classical"))), unname(vcov(m)),
               tolerance = 1e-10)
})

test_that("a type that is a multiple of the fit's (or the classical one) needs no fitting", {
  d <- make_clustered(7)
  d$x3 <- 2 * d$x1  # aliased: the factors use the rank, as the kernel does
  hc0 <- suppressMessages(dm_lm(y ~ x1 + x2 + x3 + f, d, vcov = "HC0"))
  cr0 <- without_few_clusters(suppressMessages(dm_lm(y ~ x1 + x2 + x3 + f, d, cluster = ~g, vcov = "CR0")))
  fresh <- function(type, cl = NULL) {
    vcov(without_few_clusters(suppressMessages(dm_lm(y ~ x1 + x2 + x3 + f, d, vcov = type, cluster = cl))))
  }
  refs <- list(HC1 = fresh("HC1"), CR1 = fresh("CR1", ~g), CR1S = fresh("CR1S", ~g),
               classical = fresh("classical"), HC3 = fresh("HC3"), CR2 = fresh("CR2", ~g))
  # the fitter must not run: the registry's small-sample factors, or sigma^2 (X'WX)^-1
  engine <- digimaturity:::lm_engine
  assignInNamespace("lm_engine", function(...) stop("the fitter ran"), "digimaturity")
  on.exit(assignInNamespace("lm_engine", engine, "digimaturity"), add = TRUE)
  expect_equal(vcov(hc0, type = "HC1"), refs$HC1, tolerance = 1e-12)
  expect_equal(vcov(cr0, type = "CR1"), refs$CR1, tolerance = 1e-12)
  expect_equal(vcov(cr0, type = "CR1S"), refs$CR1S, tolerance = 1e-12)
  expect_equal(vcov(hc0, type = "classical"), refs$classical, tolerance = 1e-12)
  # HC1 = HC0 n / (n - k) with k the rank (hand derivation of the factor)
  expect_equal(vcov(hc0, type = "HC1"), vcov(hc0) * hc0$nobs / (hc0$nobs - hc0$rank), tolerance = 1e-14)
  expect_identical(dm_coef_df(digimaturity:::revcov(cr0, "CR1"))[["x1"]], cr0$n_clusters - 1)
  # nor for a new meat: the core forms it on the fit's whitening (R/revcov.R)
  expect_equal(vcov(hc0, type = "HC3"), refs$HC3, tolerance = 1e-12)
  expect_equal(without_few_clusters(vcov(cr0, type = "CR2")), refs$CR2, tolerance = 1e-12)
})

test_that("misspelled variance types get the dm_lm name", {
  d <- make_clustered(3)
  expect_error(dm_lm(y ~ x1, d, vcov = "CRR2", cluster = ~g), "Did you mean `vcov = \"CR2\"`",
               class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1, d, vcov = "stata"), "`vcov = \"HC1\"`", class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1, d, vcov = "hc2"), "upper case", class = "digimaturity_error_input")
  expect_error(vcov(dm_lm(y ~ x1, d), type = "Cr1s", cluster = ~g), "CR1S", class = "digimaturity_error_input")
})
