#' digimaturity: digital maturity of local governments from survey data
#'
#' Scores maturity indices from item responses ([dm_instrument()], the bundled
#' instrument [dmm_items]) and explains them with least-squares regressions with
#' the inference a nested design needs. The published figures of the Ghent
#' University study that the package reproduces are in [ugent_published].
#'
#' Errors raised by the package have class `digimaturity_error` plus a
#' specific subclass (for example `digimaturity_error_instrument`), so callers
#' can catch them with `tryCatch(..., digimaturity_error = function(e) ...)`.
#'
#' @keywords internal
#' @useDynLib digimaturity, .registration = TRUE
#' @importFrom Rcpp evalCpp
#' @importFrom stats setNames
"_PACKAGE"
