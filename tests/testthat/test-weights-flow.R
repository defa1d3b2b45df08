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

flow_weights <- function() {
  dm_weights(flanders_dm, illustrative_sizes(),
             respondent_margins = list(role = c("general director" = 0.5, staff = 0.5)))
}

test_that("dm_agree() with weights: weighted shares and Wilson on Kish's n, as plain R", {
  w <- as.numeric(flow_weights())
  a <- dm_agree(flanders_dm, weights = w)
  a0 <- dm_agree(flanders_dm)
  expect_false(isTRUE(all.equal(a$favourable, a0$favourable)))
  for (it in c(dmm_items$item[1], "poor_past_it", "open_data")) {
    x <- flanders_dm[[it]]
    keyed <- dmm_items$keyed[dmm_items$item == it]
    k <- if (keyed < 0) 6 - x else x
    ok <- !is.na(k)
    p <- sum(w[ok] * (k[ok] >= 4)) / sum(w[ok])
    ne <- sum(w[ok])^2 / sum(w[ok]^2)
    row <- a[a$item == it, ]
    expect_equal(row$favourable, p, tolerance = 1e-12)
    expect_equal(row$n_eff, ne, tolerance = 1e-12)
    z <- stats::qnorm(0.975)
    centre <- (p + z^2 / (2 * ne)) / (1 + z^2 / ne)
    half <- z / (1 + z^2 / ne) * sqrt(p * (1 - p) / ne + z^2 / (4 * ne^2))
    expect_equal(c(row$conf.low, row$conf.high), c(centre - half, centre + half), tolerance = 1e-10)
  }
})

test_that("dm_aggregate() and dm_agreement() with weights match plain-R weighted computations", {
  w <- flow_weights()
  s <- dm_score(flanders_dm, keep = "municipality")
  a <- dm_aggregate(flanders_dm, weights = w)
  a0 <- dm_aggregate(flanders_dm)
  expect_false(isTRUE(all.equal(a$efficiency, a0$efficiency)))
  for (d in c("efficiency", "legacy")) {
    ok <- !is.na(s[[d]])
    wm <- tapply(as.numeric(w)[ok] * s[[d]][ok], s$municipality[ok], sum) /
      tapply(as.numeric(w)[ok], s$municipality[ok], sum)
    expect_equal(a[[d]], as.numeric(wm[as.character(a$municipality)]), tolerance = 1e-12)
  }
  expect_equal(a$weight, as.numeric(tapply(as.numeric(w), flanders_dm$municipality, sum)[as.character(a$municipality)]))
  expect_equal(sum(a$weight), 300)
  # agreement: ICCs from anova(lm(score ~ group, weights)), rwg weighted over groups
  g <- dm_agreement(flanders_dm, weights = w)
  g0 <- dm_agreement(flanders_dm)
  for (d in c("efficiency", "innovation")) {
    ok <- !is.na(s[[d]])
    wn <- as.numeric(w)[ok] / mean(as.numeric(w)[ok])
    an <- stats::anova(stats::lm(s[[d]][ok] ~ factor(s$municipality[ok]), weights = wn))
    msb <- an[1, "Mean Sq"]
    msw <- an[2, "Mean Sq"]
    k <- sum(ok) / length(unique(s$municipality[ok]))
    row <- g[g$dimension == d, ]
    expect_equal(row$icc1, (msb - msw) / (msb + (k - 1) * msw), tolerance = 1e-10)
    expect_equal(row$icc2, (msb - msw) / msb, tolerance = 1e-10)
    r <- a[[paste0(d, "_rwg")]]
    keep <- !is.na(r)
    expect_equal(row$rwg_mean, sum(a$weight[keep] * r[keep]) / sum(a$weight[keep]), tolerance = 1e-12)
    expect_false(isTRUE(all.equal(row$icc1, g0$icc1[g0$dimension == d])))
  }
  # equal weights leave the ICCs as they are; a group then weighs its number of
  # respondents (the sum of their weights) in the rwg summaries
  g1 <- dm_agreement(flanders_dm, weights = rep(2, nrow(flanders_dm)))
  expect_equal(g1$icc1, g0$icc1, tolerance = 1e-10)
  r <- a0$efficiency_rwg
  keep <- !is.na(r)
  expect_equal(g1$rwg_mean[1], sum(a0$n[keep] * r[keep]) / sum(a0$n[keep]), tolerance = 1e-12)
  expect_equal(digimaturity:::weighted_median(c(3, 1, 2, 4), c(1, 1, 1, 1)), 2.5)
  expect_equal(digimaturity:::weighted_median(c(3, 1, 2), c(1, 5, 1)), 1)
})

test_that("dm_reliability() with weights: alpha from the weighted covariance, as cov.wt()", {
  set.seed(3)
  w <- stats::runif(nrow(flanders_dm), 0.2, 3)
  r <- dm_reliability(flanders_dm, use = "complete", weights = w)
  r0 <- dm_reliability(flanders_dm, use = "complete")
  expect_false(isTRUE(all.equal(r$alpha, r0$alpha)))
  its <- dmm_items$item[dmm_items$dimension == "legacy"]
  X <- as.matrix(flanders_dm[its])
  rev <- dmm_items$keyed[match(its, dmm_items$item)] < 0
  X[, rev] <- 6 - X[, rev]
  ok <- stats::complete.cases(X)
  C <- stats::cov.wt(X[ok, ], wt = w[ok] / sum(w[ok]))$cov
  k <- length(its)
  alpha <- k / (k - 1) * (1 - sum(diag(C)) / sum(C))
  expect_equal(r$alpha[r$dimension == "legacy"], alpha, tolerance = 1e-12)
  expect_equal(r$n_ci[r$dimension == "legacy"], sum(w[ok])^2 / sum(w[ok]^2), tolerance = 1e-12)
  st <- attr(r, "item_stats")
  expect_equal(st$sd[st$item %in% its], unname(sqrt(diag(C))), tolerance = 1e-12)
  # pairwise: equal weights reproduce the unweighted result; unequal ones change it
  rp0 <- dm_reliability(flanders_dm)
  rp1 <- dm_reliability(flanders_dm, weights = rep(2, nrow(flanders_dm)))
  expect_equal(rp1$alpha, rp0$alpha, tolerance = 1e-12)
  expect_equal(rp1$omega, rp0$omega, tolerance = 1e-8)
  expect_false(isTRUE(all.equal(dm_reliability(flanders_dm, weights = w)$alpha, rp0$alpha)))
  expect_error(dm_reliability(flanders_dm, weights = rep(-1, nrow(flanders_dm))),
               class = "digimaturity_error_weights")
})

test_that("dm_lm() with weights equals lm(weights =) and CR2 by municipality runs", {
  scores <- flow_scores()
  f <- efficiency ~ digital_strategy + coercive + role
  fit <- dm_lm(f, data = scores, weights = w, cluster = ~municipality)
  ref <- stats::lm(f, data = scores, weights = w)
  expect_equal(coef(fit), coef(ref), tolerance = 1e-10)
  expect_false(isTRUE(all.equal(coef(fit), coef(dm_lm(f, data = scores, cluster = ~municipality)))))
  expect_identical(fit$vcov_type, "CR2")
})

test_that("dm_agree(fpc =) narrows the Wilson interval by 1 - n/N, per group with `by`", {
  m <- flanders_dm[!duplicated(flanders_dm$municipality), ]
  a0 <- dm_agree(m)
  a1 <- dm_agree(m, fpc = 300)
  expect_equal(a1$favourable, a0$favourable)
  f <- 1 - nrow(m) / 300
  z <- stats::qnorm(0.975)
  ne <- a0$n / f
  p <- a0$favourable
  centre <- (p + z^2 / (2 * ne)) / (1 + z^2 / ne)
  half <- z / (1 + z^2 / ne) * sqrt(p * (1 - p) / ne + z^2 / (4 * ne^2))
  ok <- p > 0 & p < 1
  expect_equal(a1$conf.low[ok], (centre - half)[ok], tolerance = 1e-12)
  expect_equal(a1$conf.high[ok], (centre + half)[ok], tolerance = 1e-12)
  expect_true(all(a1$conf.high - a1$conf.low < a0$conf.high - a0$conf.low))
  census <- dm_agree(m, fpc = nrow(m))
  expect_equal(census$conf.low, census$favourable)
  sizes <- illustrative_sizes()$population_class
  a2 <- dm_agree(m, by = "population_class", fpc = sizes)
  a2_0 <- dm_agree(m, by = "population_class")
  small <- a2$population_class == "<10000"
  expect_true(all(a2$conf.high[small] - a2$conf.low[small] <= a2_0$conf.high[small] - a2_0$conf.low[small]))
  expect_error(dm_agree(m, fpc = 100), "smaller than", class = "digimaturity_error_input")
  expect_error(dm_agree(m, by = "population_class", fpc = 300), "each group",
               class = "digimaturity_error_input")
  expect_error(dm_agree(m, by = "population_class", fpc = sizes[-1]), "'<10000'",
               class = "digimaturity_error_input")
})

test_that("tables, plots and print() say how results were weighted and which fpc they use", {
  w <- dm_weights(flanders_dm, illustrative_sizes(), unit = "municipality")
  label <- "weighted to population_class margins"
  # dm_lm: print, table note (en and nl), coefficient plot caption
  sw <- dm_score(flanders_dm, keep = c("municipality", "digital_strategy"), weights = w)
  fit <- dm_lm(efficiency ~ digital_strategy, data = sw, weights = .weight,
               cluster = ~municipality, fpc = 300)
  out <- utils::capture.output(print(fit))
  expect_true(any(grepl(paste("Weights:", label), out, fixed = TRUE)))
  expect_true(any(grepl("of 300 in the population; finite population correction 1 - G/N = 0.39",
                        out, fixed = TRUE)))
  tab <- paste(dm_table(fit), collapse = " ")
  expect_match(tab, "finite population correction (N = 300); weighted to population_class",
               fixed = TRUE)
  expect_match(paste(dm_table(fit, lang = "nl"), collapse = " "),
               "eindigepopulatiecorrectie (N = 300); gewogen naar de marges population_class",
               fixed = TRUE)
  sm <- summary(fit)
  expect_identical(sm$fpc, 300)
  expect_identical(sm$weights_label, label)
  # a weighted fit without a dm_weights() object names its weights
  plain <- dm_lm(efficiency ~ digital_strategy, data = data.frame(sw, ww = as.numeric(w)),
                 weights = ww)
  expect_identical(plain$weights_label[["en"]], "weighted by ww")
  expect_null(dm_lm(efficiency ~ digital_strategy, data = sw)$weights_label)
  # dm_agree: print and table note, with fpc
  a <- dm_agree(flanders_dm, weights = w)
  expect_match(paste(dm_table(a), collapse = " "), paste0("(", label, "; Kish's effective n)"),
               fixed = TRUE)
  expect_true(any(grepl(label, utils::capture.output(print(a)), fixed = TRUE)))
  a1000 <- dm_agree(flanders_dm, fpc = 1000)  # 348 respondents of (say) 1000
  expect_match(paste(dm_table(a1000), collapse = " "),
               "Intervals with the finite population correction 1 - n/N (N = 1000).", fixed = TRUE)
  expect_true(any(grepl("Group means weighted to population_class margins",
                        utils::capture.output(print(dm_aggregate(flanders_dm, weights = w))),
                        fixed = TRUE)))
  skip_if_not_installed("ggplot2")
  cap <- function(p) ggplot2::ggplot_build(p)$plot$labels$caption
  expect_match(cap(ggplot2::autoplot(fit)), "finite population correction (N = 300); weighted to",
               fixed = TRUE)
  expect_match(cap(ggplot2::autoplot(a)), "Shares weighted to population_class margins",
               fixed = TRUE)
  expect_match(cap(ggplot2::autoplot(sw, lang = "nl")), "gewogen naar de marges",
               fixed = TRUE)
  expect_null(cap(ggplot2::autoplot(dm_score(flanders_dm))))
})
