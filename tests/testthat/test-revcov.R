# Another variance without refitting: vcov(type, cluster), summary/tidy/confint/dm_wald
# (vcov, cluster), `vcov = ~g`, bare cluster names, and the estimatr/fixest spellings.

test_that("vcov(fit, type =, cluster =) equals a refit with that variance", {
  d <- make_clustered(11)
  fit <- dm_lm(y ~ x1 + x2 + f, d, weights = w)
  for (ty in c("classical", "HC0", "HC1", "HC3")) {
    expect_equal(vcov(fit, type = ty), dm_lm(y ~ x1 + x2 + f, d, weights = w, vcov = ty)$vcov,
                 tolerance = 1e-12, info = ty)
  }
  for (ty in c("CR0", "CR1", "CR1S", "CR2", "CR3")) {
    ref <- without_few_clusters(dm_lm(y ~ x1 + x2 + f, d, weights = w, cluster = ~g, vcov = ty))
    expect_equal(vcov(fit, type = ty, cluster = ~g), ref$vcov, tolerance = 1e-12, info = ty)
    expect_equal(vcov(fit, type = ty, cluster = g), ref$vcov, tolerance = 1e-12, info = ty)
    expect_equal(vcov(fit, type = ty, cluster = "g"), ref$vcov, tolerance = 1e-12, info = ty)
    expect_equal(vcov(fit, type = ty, cluster = d$g), ref$vcov, tolerance = 1e-12, info = ty)
  }
  # the fit itself is unchanged
  expect_identical(fit$vcov_type, "HC2")
  expect_equal(vcov(fit), dm_lm(y ~ x1 + x2 + f, d, weights = w)$vcov)
})

test_that("vcov = ~g means CR2 clustered by g everywhere, including dm_lm()", {
  d <- make_clustered(12)
  ref <- dm_lm(y ~ x1 + x2, d, cluster = ~g, vcov = "CR2")
  fit <- dm_lm(y ~ x1 + x2, d)
  expect_equal(dm_lm(y ~ x1 + x2, d, vcov = ~g)$vcov, ref$vcov)
  expect_identical(dm_lm(y ~ x1 + x2, d, vcov = ~g)$vcov_type, "CR2")
  expect_equal(vcov(fit, type = ~g), ref$vcov, tolerance = 1e-12)
  expect_equal(tidy(fit, vcov = ~g), tidy(ref), tolerance = 1e-10)
  expect_equal(coef(summary(fit, vcov = ~g)), coef(summary(ref)), tolerance = 1e-10)
  expect_equal(summary(fit, vcov = ~g)$df_coef, summary(ref)$df_coef, tolerance = 1e-10)
  expect_equal(confint(fit, vcov = ~g), confint(ref), tolerance = 1e-10)
  expect_equal(dm_wald(fit, "x2", vcov = ~g), dm_wald(ref, "x2"), tolerance = 1e-10)
  expect_output(print(summary(fit, vcov = ~g)), "Clusters: 15 \\(g\\)")
  # a cluster alone means CR2, a type alone keeps the fit's cluster
  expect_equal(tidy(fit, cluster = g), tidy(ref), tolerance = 1e-10)
  expect_equal(tidy(ref, vcov = "CR1"), tidy(without_few_clusters(dm_lm(y ~ x1 + x2, d, cluster = ~g, vcov = "CR1"))),
               tolerance = 1e-10)
})

test_that("a cluster given later matches clubSandwich and sandwich on the rows used", {
  skip_if_not_installed("clubSandwich")
  d <- make_clustered(13)
  d$x1[c(3, 9)] <- NA
  fit <- dm_lm(y ~ x1 + x2 + f, d, weights = w)
  m <- lm(y ~ x1 + x2 + f, d, weights = w)
  used <- complete.cases(d[c("y", "x1", "x2", "f")])
  V <- clubSandwich::vcovCR(m, cluster = d$g[used], type = "CR2")
  expect_equal(vcov(fit, type = "CR2", cluster = g), as.matrix(V), tolerance = 1e-8,
               ignore_attr = TRUE)
  # a vector over the data's rows, or over the rows used
  expect_equal(vcov(fit, type = "CR2", cluster = d$g), vcov(fit, type = "CR2", cluster = d$g[used]))
  ct <- clubSandwich::coef_test(m, vcov = V, test = "Satterthwaite")
  td <- tidy(fit, vcov = ~g)
  expect_equal(td$df, ct$df_Satt, tolerance = 1e-8)
  expect_equal(td$p.value, ct$p_Satt, tolerance = 1e-8)
})

test_that("cluster accepts a bare column name in dm_lm(), like weights", {
  d <- make_clustered(14)
  a <- dm_lm(y ~ x1, d, cluster = g)
  b <- dm_lm(y ~ x1, d, cluster = ~g)
  expect_equal(a$vcov, b$vcov)
  expect_output(print(a), "Clusters: 15 \\(g\\)")
  expect_error(dm_lm(y ~ x1, d, cluster = gemeente), "`cluster` could not be evaluated",
               class = "digimaturity_error")
  expect_error(vcov(dm_lm(y ~ x1, d), cluster = gemeente), "could not be evaluated",
               class = "digimaturity_error_cluster")
  expect_error(vcov(dm_lm(y ~ x1, d), cluster = 1:3), "one value per row",
               class = "digimaturity_error_cluster")
  expect_error(vcov(dm_lm(y ~ x1, d), type = "CR1"), "needs a cluster",
               class = "digimaturity_error_cluster")
  expect_error(vcov(dm_lm(y ~ x1, d), type = ~g, cluster = ~g), "already names the cluster",
               class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1, d, vcov = ~g, cluster = ~g), "already names the cluster",
               class = "digimaturity_error_input")
})

test_that("estimatr / fixest spellings give a classed error with the dm_lm spelling", {
  d <- make_clustered(15)
  expect_error(dm_lm(y ~ x1, d, clusters = g), "`clusters`.*cluster = ~municipality",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_lm(y ~ x1, d, se_type = "CR2"), "`se_type`.*vcov = \"CR2\"",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_lm(y ~ x1, d, foo = 1), "no argument `foo`",
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_lm(y ~ x1, d, vcov = "hetero"), "you passed 'hetero'.*HC1",
               class = "digimaturity_error_input")
  expect_error(dm_lm(y ~ x1, d, vcov = "cr2"), "\"CR2\"", class = "digimaturity_error_input")
  fit <- dm_lm(y ~ x1, d)
  expect_error(tidy(fit, clusters = g), "`clusters`", class = "digimaturity_error_argument_spelling")
  expect_error(summary(fit, se_type = "HC1"), "`se_type`",
               class = "digimaturity_error_argument_spelling")
  expect_error(vcov(fit, clusters = d$g), "`clusters`", class = "digimaturity_error_argument_spelling")
  expect_error(dm_wald(fit, "x1", clusters = g), "`clusters`",
               class = "digimaturity_error_argument_spelling")
  # a character column name is accepted
  expect_equal(vcov(fit, cluster = "g"), vcov(dm_lm(y ~ x1, d, cluster = "g")))
})

test_that("a fit made inside a function finds its data for a later cluster", {
  d <- make_clustered(16)
  f <- function(dd) dm_lm(y ~ x1, dd)
  fit <- f(d)
  expect_equal(vcov(fit, cluster = ~g), dm_lm(y ~ x1, d, cluster = ~g)$vcov)
})

test_that("a variance matrix from elsewhere is used as given, on n - k df", {
  skip_if_not_installed("sandwich")
  d <- make_clustered(17)
  fit <- dm_lm(y ~ x1 + x2 + f, d, cluster = ~g)
  V <- sandwich::vcovHC(fit, type = "HC1")
  expect_equal(tidy(fit, vcov = V), tidy(fit, vcov = "HC1"), tolerance = 1e-10)
  expect_equal(confint(fit, vcov = unname(V)), confint(fit, vcov = "HC1"), tolerance = 1e-10)
  expect_equal(dm_wald(fit, "x1 = x2", vcov = V)$statistic, dm_wald(fit, "x1 = x2", vcov = "HC1")$statistic,
               tolerance = 1e-10)
  expect_identical(summary(fit, vcov = V)$vcov_type, "user-supplied")
  expect_error(tidy(fit, vcov = V[1:2, 1:2]), "lacks", class = "digimaturity_error_input")
  expect_error(tidy(fit, vcov = V, cluster = ~g), "already holds", class = "digimaturity_error_input")
  skip_if_not_installed("modelsummary")
  skip_if_not_installed("broom")
  # modelsummary's vcov = passes a matrix on to tidy()
  tab <- modelsummary::modelsummary(fit, vcov = "HC1", output = "data.frame", fmt = 6)
  se <- tab[tab$statistic == "std.error" & tab$term == "x1", "(1)"]
  expect_equal(as.numeric(gsub("[()]", "", se)), sqrt(V["x1", "x1"]), tolerance = 1e-5)
})

test_that("`cluster` is evaluated once, the same way by dm_lm() and by the methods", {
  d <- make_clustered(25)
  fit <- dm_lm(y ~ x1, d)
  msg <- "`cluster` names the column 'nosuch', which `data` does not have"
  expect_error(dm_lm(y ~ x1, d, cluster = ~nosuch), msg, class = "digimaturity_error_missing_column")
  expect_error(vcov(fit, cluster = ~nosuch), msg, class = "digimaturity_error_missing_column")
  expect_error(vcov(fit, cluster = "nosuch"), msg, class = "digimaturity_error_missing_column")
  # blank ids are missing for both
  d$gs <- as.character(d$g)
  d$gs[3] <- "  "
  expect_error(dm_lm(y ~ x1, d, cluster = ~gs), "row 3", class = "digimaturity_error_cluster")
  expect_error(vcov(fit, cluster = ~gs), "row 3", class = "digimaturity_error_cluster")
  # and the ids are the same
  expect_equal(without_few_clusters(vcov(fit, cluster = ~g)),
               vcov(without_few_clusters(dm_lm(y ~ x1, d, cluster = ~g))), tolerance = 1e-12)
})

test_that("another variance type is a new meat on the fit's whitening: no refit, the numbers of a refit", {
  # counts the calls of the one fitter caller while vcov(fit, type =) runs
  ns <- asNamespace("digimaturity")
  counter <- new.env()
  counter$n <- 0L
  trace("lm_engine", tracer = bquote(assign("n", get("n", envir = .(counter)) + 1L, envir = .(counter))), where = ns, print = FALSE)
  on.exit(untrace("lm_engine", where = ns), add = TRUE)
  des <- reference_designs()
  d <- des$Filip$data
  d$g <- rep(seq_len(ceiling(nrow(d) / des$Filip$size)), each = des$Filip$size)[seq_len(nrow(d))]
  d$w <- 1 + (seq_len(nrow(d)) %% 5)
  fit <- dm_lm(des$Filip$formula, d, vcov = "HC1", weights = w)
  counter$n <- 0L
  for (type in c("HC0", "HC2", "HC3", "CR0", "CR2", "CR3")) {
    counter$n <- 0L
    clustered <- startsWith(type, "CR")
    V <- without_few_clusters(if (clustered) vcov(fit, type = type, cluster = ~g) else
      vcov(fit, type = type))
    expect_identical(counter$n, 0L, label = sprintf("fitter calls for vcov(type = '%s')", type))
    ref <- without_few_clusters(if (clustered) dm_lm(des$Filip$formula, d, weights = w, vcov = type, cluster = ~g) else
      dm_lm(des$Filip$formula, d, weights = w, vcov = type))
    expect_lt(rel_diff(V, vcov(ref)), 1e-12)
  }
  # CR2 df and the HTZ test of a new-meat fit equal those of a direct fit
  tt <- without_few_clusters(tidy(fit, vcov = "CR2", cluster = ~g))
  ref <- without_few_clusters(tidy(dm_lm(des$Filip$formula, d, weights = w, vcov = "CR2", cluster = ~g)))
  expect_lt(rel_diff(tt$df, ref$df), 1e-10)
})
