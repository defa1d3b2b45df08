# Audit of every exported function for the failure modes researchers meet (issue #14):
# every call returns a valid result or raises a `digimaturity_error` with a subclass whose
# message names the argument and the offending value. Organised by function. Each
# `expect_classed()` also checks that the error is not one of base R's internals.

expect_classed <- function(expr, class, pattern = NULL) {
  err <- tryCatch({ force(expr); NULL }, error = function(e) e)
  expect_s3_class(err, c(class, "digimaturity_error"), exact = FALSE)
  if (!is.null(err)) {
    expect_true(inherits(err, class), label = sprintf("class '%s' of: %s", class,
                                                       conditionMessage(err)))
    expect_true(inherits(err, "digimaturity_error"))
    expect_false(grepl("^Error|subscript out of bounds|non-numeric argument|undefined columns",
                       conditionMessage(err)))
    if (!is.null(pattern)) expect_match(conditionMessage(err), pattern, fixed = FALSE)
  }
  invisible(err)
}

audit_responses <- function(n = 40, G = 5, seed = 14) {
  set.seed(seed)
  r <- as.data.frame(matrix(sample(1:5, nrow(dmm_items) * n, TRUE), ncol = nrow(dmm_items),
                            dimnames = list(NULL, dmm_items$item)))
  r$municipality <- rep_len(sprintf("m%02d", seq_len(G)), n)
  r
}

audit_scores <- function(n = 40, seed = 14) {
  d <- audit_responses(n, seed = seed)
  s <- as.data.frame(quiet_keying(suppressMessages(dm_score(d, keep = "municipality"))))
  set.seed(seed)
  s$x1 <- stats::rnorm(n)
  s$x2 <- stats::rnorm(n)
  s
}

# ---- dm_instrument ---------------------------------------------------------------------

test_that("dm_instrument(): wrong shapes and values are classed errors naming the column", {
  expect_classed(dm_instrument(dmm_items[0, ]), "digimaturity_error_instrument", "no rows")
  expect_classed(dm_instrument(NULL), "digimaturity_error_instrument", "class 'NULL'")
  expect_classed(dm_instrument(as.list(dmm_items)), "digimaturity_error_instrument", "data frame")
  i2 <- dmm_items; i2$scale_max <- as.list(i2$scale_max)
  expect_classed(dm_instrument(i2), "digimaturity_error_instrument", "`x\\$scale_max`.*'list'")
  for (v in c(1e10, 1e300, -1e7)) {
    i2 <- dmm_items; i2$scale_max[1] <- v
    expect_classed(dm_instrument(i2), "digimaturity_error_instrument", "`x\\$scale_max`.*row 1")
  }
  i2 <- dmm_items; i2$scale_max[1] <- Inf
  expect_classed(dm_instrument(i2), "digimaturity_error_instrument", "whole number.*Inf")
  i2 <- dmm_items; i2$keyed[1] <- NA
  expect_classed(dm_instrument(i2), "digimaturity_error_instrument", "`x\\$keyed`.*NA")
  i2 <- dmm_items; i2$scale_min[1] <- 5
  expect_classed(dm_instrument(i2), "digimaturity_error_instrument", "below")
  # factor columns are read as text
  i2 <- as.data.frame(dmm_items); i2$dimension <- factor(i2$dimension)
  expect_s3_class(dm_instrument(i2), "dm_instrument")
})

# ---- dm_score --------------------------------------------------------------------------

test_that("dm_score(): empty data, one row and all-NA items give a valid result", {
  d <- audit_responses()
  s0 <- dm_score(d[0, ])
  expect_s3_class(s0, "dm_scores")
  expect_identical(nrow(s0), 0L)
  s1 <- dm_score(d[1, ])
  expect_identical(nrow(s1), 1L)
  expect_true(all(s1$efficiency >= 1 & s1$efficiency <= 5))
  expect_identical(nrow(dm_score(d[1, ], scale = "z")), 1L)
  for (v in list(NA, NA_real_, NA_character_)) {
    dd <- d; dd$open_data <- v
    s <- quiet_keying(dm_score(dd))
    expect_identical(nrow(s), nrow(d))
    expect_true(all(s$innovation_n == 5L))     # the other innovation items are counted
  }
  # NaN is missing, as is.na() says, and counted as not answered
  dd <- d; dd$open_data[1:3] <- NaN
  s <- quiet_keying(dm_score(dd))
  expect_identical(s$innovation_n[1:3], rep(5L, 3))
})

test_that("dm_score(): non-numeric, huge, tiny and non-finite codes are classed errors", {
  d <- audit_responses()
  for (v in list(as.list(d$open_data), rep(TRUE, 40), complex(real = d$open_data),
                 rep(Sys.Date(), 40))) {
    dd <- d; dd$open_data <- v
    expect_classed(dm_score(dd), "digimaturity_error_response_type", "`data\\$open_data`")
  }
  dd <- d; dd$open_data <- matrix(1, 40, 2)
  expect_classed(dm_score(dd), "digimaturity_error_response_type", "`data\\$open_data`")
  for (v in c(1e300, 1e-300, Inf, -Inf, 2.5, 0)) {
    dd <- d; dd$open_data[2] <- v
    expect_classed(dm_score(dd), "digimaturity_error_invalid_code", "`data\\$open_data`.*row 2")
  }
  dd <- d; dd$open_data <- factor(dd$open_data, levels = 1:7)   # levels that do not occur
  expect_equal(quiet_keying(dm_score(dd)), quiet_keying(dm_score(d)), ignore_attr = "call")
  if (requireNamespace("haven", quietly = TRUE)) {
    dd <- d; dd$open_data <- haven::labelled(dd$open_data, c(Oneens = 2, Eens = 4))
    expect_equal(quiet_keying(dm_score(dd)), quiet_keying(dm_score(d)), ignore_attr = "call")
  }
})

test_that("dm_score(): arguments of the wrong type or length are classed errors", {
  d <- audit_responses()
  expect_classed(dm_score(d, min_answered = 2), "digimaturity_error_input", "`min_answered`.*2")
  expect_classed(dm_score(d, min_answered = "a"), "digimaturity_error_input", "`min_answered`")
  expect_classed(dm_score(d, min_answered = c(0.1, 0.2)), "digimaturity_error_input", "length 2")
  expect_classed(dm_score(d, min_answered = NA_real_), "digimaturity_error_input", "NA")
  expect_classed(dm_score(d, scale = "foo"), "digimaturity_error_input", "`scale`.*'foo'")
  expect_classed(dm_score(d, level = NA), "digimaturity_error_input", "`level`")
  expect_classed(dm_score(d, missing_codes = "9"), "digimaturity_error_input", "`missing_codes`")
  expect_classed(dm_score(d, keep = "zzz"), "digimaturity_error_missing_column", "'zzz'")
  expect_classed(dm_score(d, keep = 1), "digimaturity_error_input", "`keep`")
  expect_classed(dm_score(d, id = c("a", "b")), "digimaturity_error_input", "`id`")
  dd <- d; dd$id <- as.list(seq_len(40))
  expect_classed(dm_score(dd, id = "id"), "digimaturity_error_input", "`data\\$id`.*'list'")
  dd <- d; dd$id <- matrix(1:80, 40)               # was "non-conformable arrays"
  expect_classed(dm_score(dd, id = "id"), "digimaturity_error_input", "`data\\$id`.*matrix")
  expect_classed(dm_score(as.matrix(d)), "digimaturity_error_input", "'matrix'")
  expect_classed(dm_score(NULL), "digimaturity_error_input", "'NULL'")
  expect_classed(dm_score(d, items = 1), "digimaturity_error_instrument")
})

# ---- dm_agree / dm_highlights ------------------------------------------------------------

test_that("dm_agree(): empty data and one row give valid results; shares stay in [0, 1]", {
  d <- audit_responses()
  a0 <- dm_agree(d[0, ])
  expect_true(all(a0$n == 0L) && all(is.na(a0$favourable)))
  a1 <- dm_agree(d[1, ])
  expect_true(all(a1$n == 1L) && all(a1$favourable %in% c(0, 1)))
  expect_true(all(a1$conf.low >= 0 & a1$conf.high <= 1))
  expect_identical(nrow(dm_agree(d[0, ], by = "municipality")), 0L)
})

test_that("dm_agree(): threshold outside the scale, conf_level as a percentage are classed", {
  d <- audit_responses()
  expect_classed(dm_agree(d, threshold = 7), "digimaturity_error_input", "`threshold`.*7")
  expect_classed(dm_agree(d, threshold = 0), "digimaturity_error_input", "`threshold`.*0")
  expect_classed(dm_agree(d, threshold = "4"), "digimaturity_error_input", "`threshold`")
  expect_classed(dm_agree(d, conf_level = 95), "digimaturity_error_input", "0.95 for 95%")
  expect_classed(dm_agree(d, conf_level = NA), "digimaturity_error_input", "`conf_level`")
})

test_that("dm_agree(): weights with NA, negative, all-zero or wrong-typed values are classed", {
  d <- audit_responses()
  expect_classed(dm_agree(d, weights = c(NA, rep(1, 39))), "digimaturity_error_weights", "row 1.*NA")
  expect_classed(dm_agree(d, weights = c(-1, rep(1, 39))), "digimaturity_error_weights", "row 1.*-1")
  expect_classed(dm_agree(d, weights = c(Inf, rep(1, 39))), "digimaturity_error_weights", "Inf")
  expect_classed(dm_agree(d, weights = rep(0, 40)), "digimaturity_error_weights", "all zero")
  expect_classed(dm_agree(d, weights = 1:3), "digimaturity_error_weights", "length 3")
  expect_classed(dm_agree(d, weights = rep(TRUE, 40)), "digimaturity_error_weights", "'logical'")
  expect_classed(dm_agree(d, weights = "zz"), "digimaturity_error_missing_column", "'zz'")
  dd <- d; dd$w <- "a"
  expect_classed(dm_agree(dd, weights = "w"), "digimaturity_error_weights", "`data\\$w`")
})

test_that("dm_agree(): huge and tiny weights give the same shares and a finite Kish n", {
  d <- audit_responses()
  ref <- dm_agree(d, weights = rep(1, 40))
  for (s in c(1e300, 1e-300, 1e200)) {
    a <- dm_agree(d, weights = rep(s, 40))
    expect_equal(a$favourable, ref$favourable, tolerance = 1e-12)
    expect_equal(a$n_eff, ref$n_eff, tolerance = 1e-12)   # was NA (overflow / underflow)
  }
})

test_that("dm_agree(): `by` columns that are lists, matrices or unknown are classed errors", {
  d <- audit_responses()
  dd <- d; dd$g <- as.list(seq_len(40))
  expect_classed(dm_agree(dd, by = "g"), "digimaturity_error_input", "`data\\$g`.*'list'")
  dd <- d; dd$g <- matrix(1:80, 40)
  expect_classed(dm_agree(dd, by = "g"), "digimaturity_error_input", "`data\\$g`.*matrix")
  expect_classed(dm_agree(d, by = "zz"), "digimaturity_error_missing_column", "'zz'")
  expect_classed(dm_agree(d, by = 1), "digimaturity_error_input", "`by`")
  # unused factor levels are not groups; an all-NA group column is one group
  dd <- d; dd$g <- factor(rep("a", 40), levels = c("a", "b"))
  expect_identical(nrow(dm_agree(dd, by = "g")), nrow(dmm_items))
  dd <- d; dd$g <- NA
  expect_identical(sum(dm_agree(dd, by = "g")$n[1]), 40L)
})

test_that("dm_highlights() and print.dm_agree(): subsets and wrong arguments are classed", {
  a <- dm_agree(audit_responses())
  expect_classed(dm_highlights(a, n = -1), "digimaturity_error_input", "`n`.*-1")
  expect_classed(dm_highlights(a, n = 1.5), "digimaturity_error_input", "`n`.*1.5")
  expect_classed(dm_highlights(a, cut = 60), "digimaturity_error_input", "`cut`.*60")
  expect_classed(dm_highlights(a, lang = "fr"), "digimaturity_error_input", "'fr'")
  expect_classed(dm_highlights(data.frame()), "digimaturity_error_input", "dm_agree")
  expect_classed(dm_highlights(a[, 1:3]), "digimaturity_error_missing_column", "`x` lacks")
  expect_s3_class(dm_highlights(dm_agree(audit_responses()[0, ])), "dm_highlights")
  expect_output(print(a[, c("item", "n")]), "item")   # was "non-numeric argument"
})

# ---- dm_aggregate / dm_agreement -------------------------------------------------------

test_that("dm_aggregate() and dm_agreement(): 0 rows, one cluster and singletons", {
  d <- audit_responses()
  expect_classed(dm_aggregate(d[0, ]), "digimaturity_error_input", "`data` has no rows")
  expect_classed(dm_agreement(d[0, ]), "digimaturity_error_input", "`data` has no rows")
  a1 <- dm_aggregate(d[1, ])
  expect_identical(a1$n, 1L)
  expect_true(is.na(a1$efficiency_rwg))
  one <- d; one$municipality <- "a"
  expect_identical(nrow(dm_aggregate(one)), 1L)
  ag <- dm_agreement(one)
  expect_true(all(is.na(ag$icc1)))                       # undefined with one group
  single <- d; single$municipality <- seq_len(40)
  agg <- dm_aggregate(single)
  expect_identical(sum(agg$n), 40L)
  expect_true(all(is.na(agg$efficiency_rwg)))
  expect_true(all(is.na(dm_agreement(single)$icc1)))     # no within-group variance
})

test_that("dm_aggregate(): grouping columns of the wrong kind and bad arguments are classed", {
  d <- audit_responses()
  for (v in list(as.list(seq_len(40)), matrix(1:80, 40), data.frame(a = seq_len(40)))) {
    dd <- d; dd$municipality <- v
    expect_classed(dm_aggregate(dd), "digimaturity_error_input", "`data\\$municipality`")
    expect_classed(dm_agreement(dd), "digimaturity_error_input", "`data\\$municipality`")
  }
  expect_classed(dm_aggregate(d, min_respondents = -5), "digimaturity_error_input",
                 "`min_respondents`.*-5")
  expect_classed(dm_aggregate(d, by = NULL), "digimaturity_error_input", "`by`")
  expect_classed(dm_agreement(d, min_answered = 2), "digimaturity_error_input", "`min_answered`")
  if (requireNamespace("haven", quietly = TRUE)) {
    dd <- d; dd$municipality <- haven::labelled(rep(1:4, 10), c(a = 1))
    expect_identical(sum(dm_aggregate(dd)$n), 40L)
  }
  dd <- d; dd$municipality <- factor(dd$municipality, levels = c(unique(dd$municipality), "zz"))
  expect_identical(nrow(dm_aggregate(dd)), 5L)           # the unused level is no group
})

# ---- dm_reliability --------------------------------------------------------------------

test_that("dm_reliability(): 0, 1 and 2 rows, constant and all-NA items give NA, not errors", {
  d <- audit_responses()
  for (k in 0:2) {
    r <- quiet_keying(dm_reliability(d[seq_len(k), ]))
    expect_s3_class(r, "dm_reliability")
    expect_equal(r$n_incomplete + r$n, rep(k, 4))
  }
  dd <- d; dd[dmm_items$item] <- 3L
  expect_true(all(is.na(dm_reliability(dd)$alpha)))
  dd <- d; dd$open_data <- NA
  r <- quiet_keying(dm_reliability(dd))
  expect_identical(r$n_complete[r$dimension == "innovation"], 0)
  expect_true(is.na(r$alpha[r$dimension == "innovation"]))
  expect_classed(dm_reliability(d, conf_level = 95), "digimaturity_error_input", "0.95")
  expect_classed(dm_reliability(d, conf_level = 1), "digimaturity_error_input", "`conf_level`")
})

# ---- dm_typology -----------------------------------------------------------------------

test_that("dm_typology(): wrong column types, all-NA scores and bad cuts are classed", {
  s <- audit_scores()
  expect_identical(nrow(dm_typology(s[0, ])), 0L)
  expect_identical(nrow(dm_typology(s[1, ])), 1L)
  s2 <- s; s2$legacy <- as.character(s2$legacy)
  expect_classed(dm_typology(s2), "digimaturity_error_input", "`x\\$legacy`.*'character'")
  s2 <- s; s2$legacy <- as.list(s2$legacy)
  expect_classed(dm_typology(s2), "digimaturity_error_input", "`x\\$legacy`.*'list'")
  s2 <- s; s2$legacy <- matrix(1, nrow(s), 2)
  expect_classed(dm_typology(s2), "digimaturity_error_input", "`x\\$legacy`")
  s2 <- s; s2$legacy <- NA_real_
  expect_classed(dm_typology(s2), "digimaturity_error_input", "`x\\$legacy` has no non-missing")
  expect_identical(nrow(dm_typology(s2, cut = c(3, 3))), nrow(s))   # explicit cuts work
  expect_classed(dm_typology(s, cut = c(1, 2, 3)), "digimaturity_error_input", "`cut`")
  expect_classed(dm_typology(s, cut = "mean"), "digimaturity_error_input", "'mean'")
  expect_classed(dm_typology(s, legacy = "zz"), "digimaturity_error_missing_column", "'zz'")
  # rows with a missing score have a missing type, nobody is dropped
  s2 <- s; s2$legacy[1:3] <- NA
  ty <- dm_typology(s2)
  expect_identical(nrow(ty), nrow(s))
  expect_identical(sum(is.na(ty$type)), 3L)
})

# ---- dm_read ---------------------------------------------------------------------------

test_that("dm_read(): missing files, folders, empty files and wrong arguments are classed", {
  expect_classed(dm_read(tempfile(fileext = ".csv")), "digimaturity_error_file", "does not exist")
  expect_classed(dm_read(tempdir()), "digimaturity_error_file", "is a folder")
  expect_classed(dm_read(1), "digimaturity_error_file", "'numeric'")
  expect_classed(dm_read(NA_character_), "digimaturity_error_file", "NA")
  expect_classed(dm_read(c("a", "b")), "digimaturity_error_file", "'a', 'b'")
  empty <- tempfile(fileext = ".csv")
  file.create(empty)
  on.exit(unlink(empty))
  expect_classed(dm_read(empty), "digimaturity_error_file", "empty")
  ok <- tempfile(fileext = ".csv")
  on.exit(unlink(ok), add = TRUE)
  utils::write.csv(audit_responses(), ok, row.names = FALSE)
  expect_classed(dm_read(ok, delim = 5), "digimaturity_error_input", "`delim`")
  expect_classed(dm_read(ok, delim = ";;"), "digimaturity_error_input", "`delim`")
  expect_classed(dm_read(ok, encoding = "no-such-encoding"), "digimaturity_error_input",
                 "`encoding` 'no-such-encoding'")
  expect_classed(dm_read(ok, verbose = NA), "digimaturity_error_input", "`verbose`")
  expect_classed(dm_read(ok, mapping = 1), "digimaturity_error_mapping")
  expect_classed(dm_read(ok, mapping = c(zz = "open_data")), "digimaturity_error_mapping", "'zz'")
  expect_s3_class(quiet_keying(suppressMessages(dm_read(ok, verbose = FALSE))), "dm_survey")
})

test_that("dm_read(): files that are not what their extension says are classed errors", {
  fake <- tempfile()
  dir.create(fake)
  on.exit(unlink(fake, recursive = TRUE))
  need <- c(sav = "haven", zsav = "haven", por = "haven", dta = "haven", xlsx = "readxl",
            xls = "readxl")
  for (ext in names(need)) {
    if (!requireNamespace(need[[ext]], quietly = TRUE)) next
    f <- file.path(fake, paste0("survey.", ext))
    writeLines(c("a,b", "1,2"), f)          # a CSV under the wrong extension
    expect_classed(dm_read(f), "digimaturity_error_file",
                   sprintf("'survey.%s' could not be read as .*%s", ext, ext))
  }
  if (requireNamespace("readxl", quietly = TRUE)) {
    f <- file.path(fake, "zipmagic")         # no extension, the first bytes of a zip file
    writeBin(as.raw(c(0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2)), f)
    expect_classed(dm_read(f), "digimaturity_error_file", "its first bytes")
  }
  f <- file.path(fake, "binary.csv")
  writeBin(as.raw(c(0, 1, 2, 3, 255)), f)
  expect_classed(dm_read(f), "digimaturity_error")
})

# ---- dm_lm -----------------------------------------------------------------------------

test_that("dm_lm(): 0 and 1 rows, n = k and all-NA variables are classed errors", {
  s <- audit_scores()
  f <- efficiency ~ x1 + x2
  expect_classed(dm_lm(f, s[0, ]), "digimaturity_error_input", "no rows")
  expect_classed(dm_lm(f, s[1, ]), "digimaturity_error_input", "no residual degrees of freedom")
  expect_classed(dm_lm(efficiency ~ 1, s[1, ]), "digimaturity_error_input", "n must exceed k")
  expect_classed(dm_lm(f, s[1:3, ]), "digimaturity_error_input", "3 rows for 3")
  s2 <- s; s2$x1 <- NA_real_
  expect_classed(dm_lm(f, s2), "digimaturity_error_input", "no row is left")
  s2 <- s; s2$efficiency <- NA_real_
  expect_classed(dm_lm(f, s2), "digimaturity_error_input", "`efficiency` has no non-missing")
  expect_classed(dm_lm(cbind(efficiency, innovation) ~ x1, s[0, ]), "digimaturity_error_input")
})

test_that("dm_lm(): list, character and single-level variables", {
  s <- audit_scores()
  f <- efficiency ~ x1 + x2
  s2 <- s; s2$x1 <- as.list(s2$x1)
  expect_classed(dm_lm(f, s2), "digimaturity_error_input", "'x1'")
  s2 <- s; s2$efficiency <- as.character(s2$efficiency)
  expect_classed(dm_lm(f, s2), "digimaturity_error_input", "`efficiency`.*'character'")
  s2 <- s; s2$g <- factor(rep("a", nrow(s)))
  expect_classed(dm_lm(efficiency ~ g, s2), "digimaturity_error_input", "`g` has a single level \\('a'\\)")
  s2 <- s; s2$g <- rep(c("a", "b"), 20)
  expect_classed(dm_lm(efficiency ~ g, s2, subset = g == "a"), "digimaturity_error_input",
                 "`g` has a single level")
  s2 <- s; s2$g <- factor(rep(c("a", "b"), 20), levels = c("a", "b", "c"))   # unused level
  expect_identical(names(coef(dm_lm(efficiency ~ g, s2))), c("(Intercept)", "gb"))
  if (requireNamespace("haven", quietly = TRUE)) {
    s2 <- s; s2$efficiency <- haven::labelled(s2$efficiency, c(low = 1))
    expect_equal(coef(dm_lm(f, s2)), coef(dm_lm(f, s)))
  }
})

test_that("dm_lm(): magnitudes whose squares overflow or vanish in double are classed", {
  s <- audit_scores()
  f <- efficiency ~ x1 + x2
  # these were fitted with x1 silently aliased (NA) or an NA variance
  for (m in c(1e300, 1e-300, 1e160)) {
    s2 <- s; s2$x1 <- s2$x1 * m
    expect_classed(dm_lm(f, s2), "digimaturity_error_input", "`x1` has values of magnitude")
    s2 <- s; s2$efficiency <- s2$efficiency * m
    expect_classed(dm_lm(f, s2), "digimaturity_error_input", "`efficiency` has values of magnitude")
  }
  s2 <- s; s2$x1[1] <- 1e300
  expect_classed(dm_lm(f, s2), "digimaturity_error_input", "row 1")
  s2 <- s; s2$x1 <- s2$x1 * 1e100
  expect_classed(dm_lm(efficiency ~ x1 + I(x1^2), s2), "digimaturity_error_input", "`I\\(x1\\^2\\)`")
  expect_classed(dm_lm(f, s, weights = c(1e300, rep(1, 39))), "digimaturity_error_weights",
                 "`weights` has values of magnitude")
  # large and small but representable scales fit, with coefficients that scale
  for (m in c(1e100, 1e-100)) {
    s2 <- s; s2$x1 <- s2$x1 * m
    fit <- dm_lm(f, s2)
    expect_equal(unname(coef(fit)["x1"]) * m, unname(coef(dm_lm(f, s))["x1"]), tolerance = 1e-8)
    expect_true(all(is.finite(vcov(fit))))
  }
  s2 <- s; s2$x1[1] <- 1e-300                  # one tiny value among ordinary ones is fine
  expect_true(all(is.finite(coef(dm_lm(f, s2)))))
  s2 <- s; s2$x1[1] <- Inf
  expect_classed(dm_lm(f, s2), "digimaturity_error_input", "`x1` has non-finite values \\(Inf\\)")
})

test_that("dm_lm(): perfectly and nearly collinear designs are fitted with aliasing, not NA", {
  s <- audit_scores()
  f <- efficiency ~ x1 + x2
  s2 <- s; s2$x2 <- 2 * s2$x1
  fit <- suppressMessages(dm_lm(f, s2))
  expect_identical(unname(is.na(coef(fit))), c(FALSE, FALSE, TRUE))
  expect_true(all(is.finite(vcov(fit, complete = FALSE))))
  fit <- suppressMessages(without_few_clusters(dm_lm(f, s2, cluster = ~municipality)))
  expect_true(all(is.finite(vcov(fit, complete = FALSE))))
  s2 <- s; s2$x2 <- s2$x1 + 1e-9 * stats::rnorm(nrow(s))
  fit <- suppressMessages(suppressWarnings(dm_lm(f, s2)))
  expect_false(anyNA(vcov(fit, complete = FALSE)))
})

test_that("dm_lm(): weights with NA, negative, zero or text values", {
  s <- audit_scores()
  f <- efficiency ~ x1 + x2
  expect_classed(dm_lm(f, s, weights = c(NA, rep(1, 39))), "digimaturity_error_weights", "row 1.*NA")
  expect_classed(dm_lm(f, s, weights = c(-1, rep(1, 39))), "digimaturity_error_weights", "-1")
  expect_classed(dm_lm(f, s, weights = rep(0, 40)), "digimaturity_error_input", "zero weight")
  expect_classed(dm_lm(f, s, weights = rep("1", 40)), "digimaturity_error_weights", "'character'")
  expect_classed(dm_lm(f, s, weights = 1:3), "digimaturity_error_weights", "length 3")
  fit <- dm_lm(f, s, weights = c(0, 0, rep(1, 38)))      # zero weights: dropped and counted
  expect_identical(nobs(fit) + length(fit$na.action), nrow(s))
})

test_that("dm_lm(): one cluster, clusters of size one and cluster columns of the wrong kind", {
  s <- audit_scores()
  f <- efficiency ~ x1 + x2
  s2 <- s; s2$municipality <- "a"
  expect_classed(dm_lm(f, s2, cluster = ~municipality), "digimaturity_error_cluster", "single cluster \\('a'\\)")
  s2 <- s; s2$cl <- seq_len(nrow(s))
  fit <- dm_lm(f, s2, cluster = ~cl)
  expect_true(all(is.finite(sqrt(diag(vcov(fit))))))
  s2 <- s; s2$cl <- as.list(seq_len(nrow(s)))
  expect_classed(dm_lm(f, s2, cluster = ~cl), "digimaturity_error_cluster", "`cluster`.*'list'")
  s2 <- s; s2$cl <- matrix(1:80, 40)
  expect_classed(dm_lm(f, s2, cluster = ~cl), "digimaturity_error_cluster", "`cluster`.*matrix")
  # "" is a missing cluster id (SPSS's missing string), not a cluster of its own
  s2 <- s; s2$municipality[3] <- ""
  expect_classed(suppressMessages(dm_lm(f, s2, cluster = ~municipality)),
                 "digimaturity_error_cluster", "row 3")
  s2 <- s; s2$municipality[3] <- NA
  expect_classed(dm_lm(f, s2, cluster = ~municipality), "digimaturity_error_cluster", "row 3")
  fit <- dm_lm(f, s)
  s2 <- s; s2$cl <- as.list(seq_len(40))
  expect_classed(vcov(fit, type = "CR2", cluster = s2$cl), "digimaturity_error_cluster")
})

test_that("dm_lm(): arguments of the wrong type are classed errors", {
  s <- audit_scores()
  f <- efficiency ~ x1 + x2
  expect_classed(dm_lm("efficiency ~ x1", s), "digimaturity_error_input", "'character'")
  expect_classed(dm_lm(f, as.list(s)), "digimaturity_error_input", "'list'")
  expect_classed(dm_lm(f, s, vcov = "HC9"), "digimaturity_error_input", "'HC9'")
  expect_classed(dm_lm(f, s, vcov = 1), "digimaturity_error_input", "`vcov`")
  expect_classed(dm_lm(f, s, standardize = NA), "digimaturity_error_input", "`standardize`")
  expect_classed(dm_lm(f, s, subset = 100), "digimaturity_error_input", "100")
  expect_classed(dm_lm(efficiency ~ zz, s), "digimaturity_error_missing_column", "'zz'")
  expect_classed(dm_lm(f, s, weigths = 1), "digimaturity_error_argument_spelling", "`weigths`")
  s2 <- s; s2$x1 <- 1
  expect_classed(dm_lm(f, s2, standardize = TRUE), "digimaturity_error_input", "`x1` is constant")
})

# ---- methods, dm_wald, dm_coef_df --------------------------------------------------------

test_that("methods of dm_lm: unknown terms, levels as percentages and wrong types are classed", {
  s <- audit_scores()
  fit <- without_few_clusters(dm_lm(efficiency ~ x1 + x2, s, cluster = ~municipality))
  expect_classed(dm_wald(fit, "zz"), "digimaturity_error_input", "'zz'")
  expect_classed(dm_wald(fit, NA_character_), "digimaturity_error_input", "`hypothesis`")
  expect_classed(dm_wald(fit, list("x1")), "digimaturity_error_input", "'list'")
  expect_classed(dm_wald(fit, matrix(1, 1, 2)), "digimaturity_error_hypothesis", "has 2")
  expect_classed(dm_wald(fit, "x1 = = x2"), "digimaturity_error_hypothesis", "'x1 = = x2'")
  expect_classed(dm_wald(fit, "x1", vcov = "HC9"), "digimaturity_error_input", "'HC9'")
  expect_classed(dm_wald(1, "x1"), "digimaturity_error_input", "'numeric'")
  expect_classed(dm_coef_df(fit, "zz"), "digimaturity_error_input", "'zz'")
  expect_classed(dm_coef_df(fit, 1), "digimaturity_error_input", "`terms`")
  expect_classed(vcov(fit, type = "HC9"), "digimaturity_error_input", "'HC9'")
  expect_classed(confint(fit, level = 95), "digimaturity_error_input", "`level`.*95")
  expect_classed(confint(fit, "zz"), "digimaturity_error_input", "'zz'")
  expect_classed(confint(fit, 9), "digimaturity_error_input", "9")
  expect_classed(tidy(fit, conf.level = 95), "digimaturity_error_input", "`conf.level`")
  expect_classed(summary(fit, vcov = "zz"), "digimaturity_error_input", "'zz'")
  expect_classed(predict(fit, newdata = data.frame(x1 = 1)), "digimaturity_error_missing_column", "'x2'")
  expect_classed(predict(fit, interval = "foo"), "digimaturity_error_input", "'foo'")
  expect_classed(predict(fit, newdata = as.matrix(s[1:3, c("x1", "x2")])), "digimaturity_error_input")
  expect_classed(augment(fit, data = s[1:3, ]), "digimaturity_error_input", "3 rows")
  expect_classed(anova(fit, dm_lm(efficiency ~ x1, s[1:30, ])), "digimaturity_error_input", "same rows")
  expect_classed(residuals(fit, type = "zz"), "digimaturity_error_input", "'zz'")
  expect_classed(update(fit, 1), "digimaturity_error_input", "`formula.`")   # was "invalid formula"
  s2 <- s; s2$x1 <- complex(real = s2$x1)
  expect_classed(dm_lm(efficiency ~ x1 + x2, s2), "digimaturity_error_input", "model matrix")
  expect_identical(length(predict(fit, newdata = s[0, ])), 0L)
  p <- predict(fit, newdata = transform(s[1:3, ], x1 = c(NA, x1[2:3])))
  expect_true(is.na(p[1]) && all(is.finite(p[2:3])))     # NA in, NA out, rows kept
  m <- dm_lm(cbind(efficiency, innovation) ~ x1, s)
  expect_classed(tidy(m, conf.level = 95), "digimaturity_error_input", "`conf.level`")
})

# ---- dm_table, check_reported ------------------------------------------------------------

test_that("dm_table(): unknown blocks, wrong arguments and unwritable files are classed", {
  s <- audit_scores()
  fit <- dm_lm(efficiency ~ x1 + x2, s)
  expect_classed(dm_table(1), "digimaturity_error_input", "'numeric'")
  expect_classed(dm_table(list()), "digimaturity_error_input", "empty list")
  expect_classed(dm_table(list(a = fit, b = 1)), "digimaturity_error_input", "element 2")
  expect_classed(dm_table(fit, blocks = list(A = "zz")), "digimaturity_error_input", "'zz'")
  expect_classed(dm_table(fit, blocks = 1), "digimaturity_error_input", "`blocks`")
  expect_classed(dm_table(fit, digits = -1), "digimaturity_error_input", "`digits`.*-1")
  expect_classed(dm_table(fit, digits = 2.5), "digimaturity_error_input", "2.5")
  expect_classed(dm_table(fit, stars = c(a = 2)), "digimaturity_error_input", "`stars`")
  expect_classed(dm_table(fit, lang = "fr"), "digimaturity_error_input", "'fr'")
  expect_classed(dm_table(fit, fit = "aic"), "digimaturity_error_input", "'aic'")
  bad <- file.path(tempfile(), "no", "table.txt")
  expect_classed(dm_table(fit, file = bad), "digimaturity_error_file", "does not exist")
  expect_s3_class(dm_table(dm_agree(audit_responses()[0, ])), "dm_table")
  s2 <- s; s2$x2 <- 2 * s2$x1
  expect_s3_class(suppressMessages(dm_table(dm_lm(efficiency ~ x1 + x2, s2))), "dm_table")
})

test_that("check_reported(): wrong types, impossible counts and empty tables", {
  expect_classed(check_reported(1), "digimaturity_error_input", "'numeric'")
  expect_classed(check_reported(list(a = 1)), "digimaturity_error_input", "'a'")
  expect_classed(check_reported(data.frame()), "digimaturity_error_missing_column", "`x\\$regression`")
  expect_classed(check_reported(ugent_published, k = -5), "digimaturity_error_input", "`k`.*-5")
  expect_classed(check_reported(ugent_published, k = list(1)), "digimaturity_error_input", "'list'")
  expect_classed(check_reported(ugent_published, digits = -1), "digimaturity_error_input", "`digits`")
  expect_classed(check_reported(ugent_published, alternative = "less"), "digimaturity_error_input", "'less'")
  x <- ugent_published; x$fit$nobs[1] <- 1e10
  expect_classed(check_reported(x), "digimaturity_error_input", "`x\\$fit\\$nobs`.*1e\\+10")
  x <- ugent_published; x$fit$nobs[1] <- 0
  expect_classed(check_reported(x), "digimaturity_error_input", "`x\\$fit\\$nobs`")
  x <- ugent_published; x$regression$estimate <- as.list(x$regression$estimate)
  expect_classed(check_reported(x), "digimaturity_error_input", "'list'")
  x <- ugent_published; x$regression <- x$regression[0, ]
  expect_s3_class(check_reported(x), "dm_check_reported")
})

# ---- dm_replicate, dm_threads ------------------------------------------------------------

test_that("dm_replicate() and dm_threads(): wrong arguments are classed; huge n keeps R usable", {
  expect_classed(dm_replicate("fr"), "digimaturity_error_input", "'fr'")
  expect_classed(dm_replicate(vcov = "zz"), "digimaturity_error_input", "'zz'")
  old <- getOption("digimaturity.threads")
  on.exit(options(digimaturity.threads = old))
  # these used to be accepted and stored as NA, so that every later call failed
  expect_classed(dm_threads(1e10), "digimaturity_error_input", "1e\\+10")
  expect_classed(dm_threads(Inf), "digimaturity_error_input", "Inf")
  expect_true(dm_threads() >= 1L)
})
