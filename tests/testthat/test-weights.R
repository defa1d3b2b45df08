# dm_weights(): equality with survey::rake() / survey::calibrate(), the cells named in
# errors, non-convergence, the two levels, cap, Kish.

api_targets <- function() {
  list(stype = c(E = 6194 - 755 - 1018, H = 755, M = 1018), api99 = 3914069)
}

test_that("linear, raking and logit calibration equal survey::calibrate() on api", {
  skip_if_not_installed("survey")
  env <- new.env()
  utils::data(api, package = "survey", envir = env)
  apiclus1 <- env$apiclus1
  des <- survey::svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
  pop <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
  for (cf in c("linear", "raking")) {
    s <- survey::calibrate(des, ~stype + api99, pop, calfun = cf, epsilon = 1e-14, maxit = 200)
    o <- dm_weights(apiclus1, api_targets(), unit = NULL, method = cf, base_weights = "pw",
                    tol = 1e-14)
    expect_equal(as.numeric(o), as.numeric(weights(s)), tolerance = 1e-10)
    expect_lt(max(abs(as.numeric(o) - weights(s))), 1e-10)
  }
  s <- survey::calibrate(des, ~stype + api99, pop, calfun = "logit", bounds = c(0.7, 1.7),
                         epsilon = 1e-14, maxit = 200)
  o <- dm_weights(apiclus1, api_targets(), unit = NULL, method = "logit",
                  bounds = c(0.7, 1.7), base_weights = "pw", tol = 1e-14)
  expect_lt(max(abs(as.numeric(o) - weights(s))), 1e-10)
  g <- as.numeric(o) / apiclus1$pw
  expect_true(all(g > 0.7 & g < 1.7))
})

test_that("bounded (trimmed and re-calibrated) linear and raking equal survey's bounds", {
  skip_if_not_installed("survey")
  env <- new.env()
  utils::data(api, package = "survey", envir = env)
  apiclus1 <- env$apiclus1
  des <- survey::svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
  pop <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
  for (cf in c("linear", "raking")) {
    s <- survey::calibrate(des, ~stype + api99, pop, calfun = cf, bounds = c(0.7, 1.7),
                           epsilon = 1e-14, maxit = 200)
    o <- dm_weights(apiclus1, api_targets(), unit = NULL, method = cf, bounds = c(0.7, 1.7),
                    base_weights = "pw", tol = 1e-14)
    expect_lt(max(abs(as.numeric(o) - weights(s))), 1e-10)
    expect_gt(attr(o, "convergence")$trimmed, 0)
    g <- as.numeric(o) / apiclus1$pw
    expect_true(all(g >= 0.7 - 1e-12 & g <= 1.7 + 1e-12))
  }
})

test_that("raking equals survey::rake() on api (two margins, IPF)", {
  skip_if_not_installed("survey")
  env <- new.env()
  utils::data(api, package = "survey", envir = env)
  apiclus1 <- env$apiclus1
  des <- survey::svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
  r <- survey::rake(des, list(~stype, ~sch.wide),
                    list(data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018)),
                         data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))),
                    control = list(maxit = 500, epsilon = 1e-13))
  o <- dm_weights(apiclus1, list(stype = c(E = 4421, H = 755, M = 1018),
                                 sch.wide = c(No = 1072, Yes = 5122)),
                  unit = NULL, base_weights = "pw", tol = 1e-14)
  expect_lt(max(abs(as.numeric(o) - weights(r))), 1e-10)
  expect_identical(attr(o, "convergence")$algorithm, "IPF")
})

test_that("a 3-margin municipality frame: rake() and calibrate() agree with dm_weights()", {
  skip_if_not_installed("survey")
  ex <- weights_frame()
  m <- c("size_class", "province", "coastal")
  w <- dm_weights(ex$data, ex$frame, margins = m, tol = 1e-14)
  units <- attr(w, "unit_weights")
  expect_equal(nrow(units), length(unique(ex$data$municipality)))
  units$d <- 300 / nrow(units)
  des <- survey::svydesign(ids = ~1, weights = ~d, data = units)
  pops <- lapply(m, function(v) {
    t <- as.data.frame(table(ex$frame[[v]]), stringsAsFactors = FALSE)
    names(t)[1] <- v
    t
  })
  r <- survey::rake(des, lapply(m, function(v) stats::as.formula(paste0("~", v))), pops,
                    control = list(maxit = 500, epsilon = 1e-13))
  expect_lt(max(abs(weights(r) - units$weight)), 1e-10)
  tab <- function(v) {
    t <- table(ex$frame[[v]])[-1]
    stats::setNames(as.numeric(t), paste0(v, names(t)))
  }
  totals <- c(`(Intercept)` = 300, tab("size_class"), tab("province"), tab("coastal"))
  for (cf in c("raking", "linear")) {
    s <- survey::calibrate(des, ~size_class + province + coastal, totals, calfun = cf,
                           epsilon = 1e-14, maxit = 200)
    o <- dm_weights(ex$data, ex$frame, margins = m, method = cf, tol = 1e-14)
    expect_lt(max(abs(weights(s) - attr(o, "unit_weights")$weight)), 1e-10)
  }
  # respondents share their municipality's weight; the frame's margins hold
  expect_equal(sum(w), 300)
  per_unit <- tapply(as.numeric(w), ex$data$municipality, sum)
  expect_equal(as.numeric(per_unit[as.character(units$municipality)]), units$weight)
  mr <- attr(w, "margins")
  expect_equal(mr$weighted, mr$target, tolerance = 1e-10)
  # Newton raking (with a cap that binds nowhere) reaches the IPF solution
  wn <- dm_weights(ex$data, ex$frame, margins = m, cap = 100, tol = 1e-14)
  expect_identical(attr(wn, "convergence")$algorithm, "Newton")
  expect_lt(max(abs(as.numeric(wn) - as.numeric(w))), 1e-10)
})

test_that("respondent-level margins are met while the municipality margins are kept", {
  ex <- weights_frame()
  w <- dm_weights(ex$data, ex$frame, margins = c("size_class", "province"),
                  respondent_margins = list(role = c("general director" = 0.3, staff = 0.7)))
  expect_equal(sum(w[ex$data$role == "staff"]) / sum(w), 0.7, tolerance = 1e-10)
  by_size <- tapply(as.numeric(w), ex$data$size_class, sum)
  expect_equal(as.numeric(by_size), as.numeric(table(ex$frame$size_class)), tolerance = 1e-10)
  expect_equal(nrow(attr(w, "convergence")), 2L)
  expect_match(attr(w, "label")[["en"]], "size_class x province x role")
})

test_that("cap bounds every unit weight by cap times the mean weight, margins still met", {
  ex <- weights_frame()
  m <- c("size_class", "province", "coastal")
  free <- attr(dm_weights(ex$data, ex$frame, margins = m), "unit_weights")$weight
  mean_w <- 300 / length(free)
  cap <- 0.97 * max(free) / mean_w
  w <- dm_weights(ex$data, ex$frame, margins = m, cap = cap)
  uw <- attr(w, "unit_weights")$weight
  expect_lte(max(uw), cap * mean_w * (1 + 1e-12))
  expect_gt(attr(w, "convergence")$trimmed, 0)
  mr <- attr(w, "margins")
  expect_equal(mr$weighted, mr$target, tolerance = 1e-10)
  expect_error(dm_weights(ex$data, ex$frame, margins = m, cap = 1.01),
               class = "digimaturity_error_convergence")
})

test_that("cells: an empty target, a cell without respondents, an unknown category are named", {
  ex <- weights_frame()
  sz <- table(ex$frame$size_class)
  tg <- list(size_class = stats::setNames(as.numeric(sz), names(sz)))
  tg0 <- tg
  tg0$size_class[">50k"] <- 0
  expect_error(dm_weights(ex$data, tg0), class = "digimaturity_error_empty_cell")
  expect_error(dm_weights(ex$data, tg0), "size_class` = '>50k'")
  e <- tryCatch(dm_weights(ex$data, tg0), error = identity)
  expect_identical(e$cell, ">50k")
  # a population cell no municipality responded in
  tg1 <- list(size_class = c(tg$size_class, huge = 4))
  expect_error(dm_weights(ex$data, tg1), "no responding unit has `size_class` = 'huge'")
  fr <- ex$frame
  fr$province[!fr$municipality %in% ex$data$municipality][1] <- "Brussel"
  expect_error(dm_weights(ex$data, fr, margins = "province"), "'Brussel'",
               class = "digimaturity_error_empty_cell")
  # a category of the data without a target
  tg2 <- list(size_class = tg$size_class[-4])
  expect_error(dm_weights(ex$data, tg2), "'>50k' has respondents but no target")
  # zero target and no respondents: harmless, dropped
  tg3 <- list(size_class = c(tg$size_class, empty = 0))
  expect_s3_class(dm_weights(ex$data, tg3), "dm_weights")
})

test_that("the frame and the data are checked against each other", {
  ex <- weights_frame()
  d <- ex$data
  d$municipality[1] <- "M999"
  expect_error(dm_weights(d, ex$frame, margins = "size_class"), "'M999' is not in the frame",
               class = "digimaturity_error_weights")
  d <- ex$data
  two <- which(duplicated(d$municipality))[1]
  d$province[two] <- setdiff(unique(d$province), d$province[two])[1]
  expect_error(dm_weights(d, ex$frame[names(ex$frame) != "province"], margins = "size_class",
                          respondent_margins = NULL, population_size = 300)
               , NA)
  expect_error(dm_weights(d, list(province = table(ex$frame$province) + 0)),
               "varies within municipality", class = "digimaturity_error_weights")
  expect_error(dm_weights(d, ex$frame, margins = "province"), "disagrees with the frame",
               class = "digimaturity_error_weights")
  # margins only the frame has are looked up by municipality
  d <- ex$data[c("municipality", "role")]
  w <- dm_weights(d, ex$frame, margins = c("size_class", "coastal"))
  expect_equal(as.numeric(w),
               as.numeric(dm_weights(ex$data, ex$frame, margins = c("size_class", "coastal"))))
  expect_error(dm_weights(ex$data, list(size_class = c("<10k" = 10, "10-20k" = 10, "20-50k" = 10, ">50k" = 10),
                                        coastal = c(no = 50, yes = 10))),
               "different totals", class = "digimaturity_error_weights")
  d <- ex$data
  d$size_class[2] <- NA
  expect_error(dm_weights(d, ex$frame, margins = "size_class"), "row 2",
               class = "digimaturity_error_weights")
  expect_error(dm_weights(ex$data, ex$frame, margins = "size_class", method = "logit"),
               "`bounds` are required", class = "digimaturity_error_input")
  expect_error(dm_weights(ex$data, ex$frame, margins = "size_class", bounds = c(1.2, 2)),
               "`bounds` must be", class = "digimaturity_error_input")
  expect_error(dm_weights(ex$data, ex$frame, margins = "size_class", metod = "linear"),
               class = "digimaturity_error_argument_spelling")
  expect_error(dm_weights(ex$data, ex$frame, margins = "nope"),
               class = "digimaturity_error_missing_column")
  expect_error(dm_weights(ex$data, list(size_class = "a")), class = "digimaturity_error_weights")
})

test_that("non-convergence is an error, never a result", {
  ex <- weights_frame()
  expect_error(dm_weights(ex$data, ex$frame, margins = c("size_class", "province"),
                          method = "logit", bounds = c(0.9, 1.1)),
               "did not converge", class = "digimaturity_error_convergence")
  expect_error(dm_weights(ex$data, ex$frame, margins = c("size_class", "province", "coastal"),
                          max_iter = 1), class = "digimaturity_error_convergence")
})

test_that("shares are scaled to the population size; Kish per margin is n sum(w^2) / (sum w)^2", {
  ex <- weights_frame()
  sh <- prop.table(table(ex$frame$size_class))
  w <- dm_weights(ex$data, list(size_class = stats::setNames(as.numeric(sh), names(sh))),
                  population_size = 300)
  w2 <- dm_weights(ex$data, ex$frame, margins = "size_class")
  expect_equal(as.numeric(w), as.numeric(w2), tolerance = 1e-12)
  uw <- attr(w, "unit_weights")
  mr <- attr(w, "margins")
  small <- uw$weight[uw$size_class == "<10k"]
  row <- mr[mr$category == "<10k", ]
  expect_equal(row$deff, length(small) * sum(small^2) / sum(small)^2)
  expect_equal(row$n_eff, sum(small)^2 / sum(small^2))
  k <- attr(w, "kish")
  expect_equal(k["respondents", "deff"], length(w) * sum(w^2) / sum(w)^2)
  expect_equal(k["units", "n_eff"], sum(uw$weight)^2 / sum(uw$weight^2))
  expect_output(print(w), "Kish deff")
})

test_that("the calibration exports refuse bad input", {
  expect_error(dm_calibrate_cpp(matrix(1, 2, 1), c(1, 1), 2, 3L, c(0, 0), c(9, 9), 0, 2, 1e-10, 10L))
  expect_error(dm_calibrate_cpp(matrix(1, 2, 1), c(1, -1), 2, 0L, c(0, 0), c(9, 9), 0, 2, 1e-10, 10L))
  expect_error(dm_calibrate_cpp(matrix(1, 2, 1), c(1, 1), 2, 2L, c(0, 0), c(9, 9), 1, 2, 1e-10, 10L))
  expect_error(dm_rake_cpp(matrix(3L, 2, 1), list(c(1, 1)), c(1, 1), 1e-10, 10L))
  expect_error(dm_rake_cpp(matrix(1L, 2, 1), list(c(0)), c(1, 1), 1e-10, 10L))
  expect_error(dm_rake_cpp(matrix(1L, 2, 1), list(1L), c(1, 1), 1e-10, 10L))
})

test_that("negative GREG weights are a warning; bounds c(0, Inf) keep them positive", {
  d <- data.frame(g = rep(c("a", "b"), c(2, 8)), x = c(1, 50, 1:8))
  tg <- list(g = c(a = 10, b = 10), x = 40)
  expect_warning(w <- dm_weights(d, tg, unit = NULL, method = "linear"),
                 class = "digimaturity_warning_negative_weights")
  expect_true(any(w <= 0))
  w2 <- dm_weights(d, tg, unit = NULL, method = "linear", bounds = c(0.01, Inf))
  expect_true(all(w2 > 0))
  expect_equal(sum(w2 * d$x), 40, tolerance = 1e-10)
})
