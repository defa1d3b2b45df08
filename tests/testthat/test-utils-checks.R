test_that("dm_abort raises a condition with the package class, a subclass and the call", {
  f <- function() dm_abort("`x` is bad; you passed 3.", type = "input")
  err <- tryCatch(f(), error = identity)
  expect_s3_class(err, "digimaturity_error_input")
  expect_s3_class(err, "digimaturity_error")
  expect_identical(conditionMessage(err), "`x` is bad; you passed 3.")
  expect_false(grepl("^Error", conditionMessage(err)))
})

test_that("offending values and rows are shown briefly and exactly", {
  expect_identical(show_values(c("a", "b")), "'a', 'b'")
  expect_identical(show_values(c(1.5, NA, NaN, Inf)), "1.5, NA, NaN, Inf")
  expect_identical(show_values(1:8), "1, 2, 3, 4, 5, ...")
  expect_identical(show_values(c(2, 2, 3)), "2, 3")
  expect_identical(show_rows(1:3), "1, 2, 3")
  expect_identical(show_rows(1:7), "1, 2, 3, 4, 5, ...")
})

test_that("the shared argument checks name the argument and echo the value", {
  expect_error(check_scalar_number(2, "threshold", lower = 0, upper = 1),
               "`threshold` must be a single number in \\[0, 1\\]; you passed 2",
               class = "digimaturity_error_input")
  expect_error(check_scalar_number(c(1, 2), "level"), "a vector of length 2",
               class = "digimaturity_error_input")
  expect_error(check_choice("HC9", c("HC0", "HC1"), "vcov"), "you passed 'HC9'",
               class = "digimaturity_error_input")
  expect_identical(check_choice("HC1", c("HC0", "HC1"), "vcov"), "HC1")
  expect_error(check_columns_present(data.frame(a = 1), c("a", "b", "c")),
               "lacks the columns 'b', 'c'", class = "digimaturity_error_missing_column")
  expect_error(check_data_frame(1:3, "data"), "class 'integer'", class = "digimaturity_error_input")
})

test_that("dm_warn raises a warning with the package class and a subclass", {
  f <- function() dm_warn("the fit is perfect.", type = "perfect_fit")
  w <- tryCatch(f(), warning = identity)
  expect_s3_class(w, "digimaturity_warning_perfect_fit")
  expect_s3_class(w, "digimaturity_warning")
  expect_identical(conditionMessage(w), "the fit is perfect.")
  expect_warning(f(), "perfect", class = "digimaturity_warning")
})

test_that("dm_warn and dm_inform signal classed conditions", {
  w <- tryCatch(dm_warn("`x` is odd.", type = "single_item"), warning = identity)
  expect_s3_class(w, "digimaturity_warning_single_item")
  expect_s3_class(w, "digimaturity_warning")
  m <- tryCatch(dm_inform("3 blanks.", type = "blank"), message = identity)
  expect_s3_class(m, "digimaturity_message_blank")
  expect_identical(conditionMessage(m), "3 blanks.\n")
})

test_that("shares and confidence levels out of range are errors; percentages get a hint", {
  expect_error(check_share(50, "min_answered"),
               "`min_answered` must be a single number in \\[0, 1\\]; you passed 50. It is a share, not a percentage: use 0.5 for 50%",
               class = "digimaturity_error_input")
  expect_error(check_share(1.5, "min_answered"), "you passed 1.5.$", class = "digimaturity_error_input")
  expect_error(check_share(-0.1, "min_answered"), "you passed -0.1", class = "digimaturity_error_input")
  expect_error(check_share(1, "conf_level", open = TRUE), "\\(0, 1\\); you passed 1",
               class = "digimaturity_error_input")
  expect_error(check_share(NA_real_, "conf_level", open = TRUE), "you passed NA",
               class = "digimaturity_error_input")
  expect_silent(check_share(0, "min_answered"))
  d <- sim_responses(n = 10)
  expect_error(dm_aggregate(d, min_answered = 75), "use 0.75 for 75%", class = "digimaturity_error_input")
  expect_error(dm_reliability(d, conf_level = 0), "you passed 0", class = "digimaturity_error_input")
})

test_that("labels are normalised: case, accents, punctuation and spaces", {
  expect_identical(label_key(c(" H\u00e9lemaal  EENS ", "Don\u2019t know", "n.v.t.", "Noch eens, noch oneens")),
                   c("helemaal eens", "dont know", "n v t", "noch eens noch oneens"))
  expect_identical(blank_to_na(c("a", "", " ", NA), "x") |> suppressMessages(), c("a", NA, NA, NA))
  expect_identical(blank_to_na(1:3, "x"), 1:3)
})

test_that("the message builders are safe for formulas, lists, calls and NULL (#18, item 12)", {
  # before: show_values(~a) failed inside unique() with a plain R error
  expect_identical(show_values(~municipality), "'~municipality'")
  expect_identical(show_values(y ~ a + b), "'y ~ a + b'")
  expect_identical(show_values(quote(log(x))), "'log(x)'")
  expect_identical(show_values(quote(x)), "'x'")
  expect_identical(show_values(list(1, "a")), "a list of length 2")
  expect_identical(show_values(NULL), "NULL")
  expect_identical(show_values(data.frame(a = 1)), "a data frame with 1 column")
  expect_identical(show_values(mean), "a function")
  expect_identical(show_values(factor(c("b", "a", "b"))), "'b', 'a'")
  expect_identical(show_values(character()), "an empty vector of type 'character'")
  expect_error(check_choice(~a, c("x", "y"), "vcov"), "you passed '~a'",
               class = "digimaturity_error_input")
  expect_error(check_scalar_number(list(1), "threshold"), "you passed a list of length 1",
               class = "digimaturity_error_input")
  expect_error(check_share(~a, "conf_level"), "you passed '~a'", class = "digimaturity_error_input")
  expect_error(dm_abort(~a), "~a", class = "digimaturity_error")
  expect_warning(dm_warn(list("a", "b"), type = "x"), class = "digimaturity_warning_x")
})

test_that("a column is named by a string or a one-sided formula, with the same result (#18, item 12)", {
  d <- sim_responses(n = 120, n_groups = 12)
  d$w <- rep(c(1, 2, 3), 40)
  d$size <- rep(c("small", "large"), 60)
  # the results differ only in the call that made them
  same <- function(a, b) expect_identical(a, b, ignore_attr = "call")
  same(dm_aggregate(d, by = ~municipality), dm_aggregate(d, by = "municipality"))
  same(dm_aggregate(d, by = ~municipality + size), dm_aggregate(d, by = c("municipality", "size")))
  same(dm_agreement(d, by = ~municipality), dm_agreement(d, by = "municipality"))
  same(dm_agree(d, by = ~size, weights = ~w), dm_agree(d, by = "size", weights = "w"))
  same(dm_score(d, id = ~respondent), dm_score(d, id = "respondent"))
  s <- cbind(dm_score(d), d[c("municipality", "w")])
  f1 <- dm_lm(efficiency ~ legacy, s, cluster = ~municipality, weights = ~w)
  f2 <- dm_lm(efficiency ~ legacy, s, cluster = "municipality", weights = "w")
  f3 <- dm_lm(efficiency ~ legacy, s, cluster = municipality, weights = w)
  expect_equal(f1$vcov, f2$vcov)
  expect_equal(f1$vcov, f3$vcov)
  expect_equal(f1$coefficients, f3$coefficients)
  expect_equal(vcov(f3, cluster = ~municipality), vcov(f3, cluster = "municipality"))
})

test_that("a wrong formula or name is a classed error that names the argument (#18, item 12)", {
  d <- sim_responses(n = 40, n_groups = 5)
  d$size <- rep(c("small", "large"), 20)
  # before: dm_aggregate(d, by = ~municipality) failed in show_values() with a plain error
  expect_error(dm_aggregate(d, by = municipality ~ size), "`by` as a formula must be one-sided.*'municipality ~ size'",
               class = "digimaturity_error_input")
  expect_error(dm_aggregate(d, by = ~gemeente), "`data` lacks the column 'gemeente' named in `by`",
               class = "digimaturity_error_missing_column")
  expect_error(dm_agreement(d, by = ~toupper(municipality)), "`by` as a formula must name columns joined by \\+.*'~toupper\\(municipality\\)'",
               class = "digimaturity_error_input")
  expect_error(dm_agree(d, by = list("size")), "`by` must be a character vector of column names or a one-sided formula.*a list of length 1",
               class = "digimaturity_error_input")
  expect_error(dm_agree(d, weights = ~size + municipality), "`weights` as a formula must name one column.*'~size \\+ municipality', which names 2",
               class = "digimaturity_error_weights")
  expect_error(dm_score(d, id = ~respondent + municipality), "`id` as a formula must name one column",
               class = "digimaturity_error_input")
  expect_error(dm_score(d, id = ~nope), "`data` lacks the column 'nope' named in `id`",
               class = "digimaturity_error_missing_column")
  s <- cbind(dm_score(d), d["municipality"])
  expect_error(dm_lm(efficiency ~ legacy, s, cluster = ~municipality + efficiency),
               "`cluster` as a formula must name one column", class = "digimaturity_error_cluster")
  expect_error(dm_lm(efficiency ~ legacy, s, cluster = y ~ municipality),
               "`cluster` as a formula must be one-sided", class = "digimaturity_error_cluster")
  expect_error(dm_lm(efficiency ~ legacy, s, weights = ~ww), "`data` lacks the column 'ww' named in `weights`",
               class = "digimaturity_error_missing_column")
  expect_error(dm_lm(efficiency ~ legacy, s, weights = a ~ b), "`weights` as a formula must be one-sided",
               class = "digimaturity_error_weights")
})

test_that("ids that differ only in case, accents or spaces are listed in a classed warning (#18, item 11)", {
  ids <- c("Gent", "gent ", " GENT", "Br\u00fcgge", "Brugge", "Antwerpen", NA, "Leuven")
  w <- tryCatch(check_id_variants(ids, "data$municipality"), warning = identity)
  expect_s3_class(w, "digimaturity_warning_ids")
  expect_match(conditionMessage(w), "`data$municipality` has 2 sets of ids that differ only in case, accents or spaces",
               fixed = TRUE)
  expect_match(conditionMessage(w), "'Gent' / 'gent ' / ' GENT'; 'Br\u00fcgge' / 'Brugge'", fixed = TRUE)
  expect_identical(w$sets, list(c("Gent", "gent ", " GENT"), c("Br\u00fcgge", "Brugge")))
  sets <- suppressWarnings(check_id_variants(factor(ids), "x"))  # levels in the locale's order
  expect_setequal(lapply(sets, sort, method = "radix"),
                  list(sort(c(" GENT", "gent ", "Gent"), method = "radix"),
                       sort(c("Brugge", "Br\u00fcgge"), method = "radix")))
  expect_silent(check_id_variants(c("Gent", "Brugge", "Sint-Niklaas", NA), "x"))
  expect_silent(check_id_variants(c(1, 2, 2), "x"))
  # an accent that transliterates to a mark on some platforms (macOS: 'e) still matches
  expect_identical(id_key(c("Li\u00e8ge", " LIEGE ", "O'Neil")), c("liege", "liege", "o'neil"))
  # in a C locale glibc's iconv transliterates to "?": the common accents are mapped by hand
  ctype <- Sys.getlocale("LC_CTYPE")
  invisible(Sys.setlocale("LC_CTYPE", "C"))
  key <- id_key(c("Br\u00fcgge", "\u00c9cole", "\u0141\u00f3d\u017a"))
  invisible(Sys.setlocale("LC_CTYPE", ctype))
  expect_identical(key, c("brugge", "ecole", "\u0141od\u017a"))
})

test_that("every front end that groups or clusters warns about such ids (#18, item 11)", {
  d <- sim_responses(n = 60, n_groups = 6)
  d$municipality[d$municipality == d$municipality[1]][1] <- paste0(toupper(d$municipality[1]), " ")
  expect_warning(dm_aggregate(d), "'M00\\d ' / 'm00\\d'|'m00\\d' / 'M00\\d '", class = "digimaturity_warning_ids")
  expect_warning(dm_agreement(d), class = "digimaturity_warning_ids")
  expect_warning(dm_agree(d, by = "municipality"), class = "digimaturity_warning_ids")
  s <- cbind(dm_score(d), d["municipality"])
  expect_warning(fit <- without_few_clusters(dm_lm(efficiency ~ legacy, s, cluster = ~municipality)),
                 "`cluster` has 1 set of ids", class = "digimaturity_warning_ids")
  expect_warning(dm_cluster_summary(fit), class = "digimaturity_warning_ids")
  clean <- suppressWarnings(dm_lm(efficiency ~ legacy, s))
  expect_warning(vcov(clean, cluster = ~municipality), class = "digimaturity_warning_ids")
})

test_that("a choice error names the exported function that got the argument, not a helper", {
  e <- tryCatch(dm_table(dm_agree(flanders_dm), lang = "fr"), error = identity)
  expect_s3_class(e, "digimaturity_error_input")
  expect_identical(as.character(conditionCall(e)[[1]]), "dm_table")
  e <- tryCatch(dm_table(dm_agree(flanders_dm), format = "pdf"), error = identity)
  expect_identical(as.character(conditionCall(e)[[1]]), "dm_table")
  e <- tryCatch(dm_score(flanders_dm, scale = "t"), error = identity)
  expect_identical(as.character(conditionCall(e)[[1]]), "dm_score")
})
