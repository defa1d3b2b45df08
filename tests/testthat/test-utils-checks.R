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
