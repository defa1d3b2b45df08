#' Objects exported from other packages
#'
#' These generics are re-exported from \pkg{generics} so that `tidy()`,
#' `glance()` and `augment()` work on digimaturity objects without attaching
#' broom.
#'
#' @importFrom generics tidy glance augment
#' @name reexports
#' @keywords internal
#' @aliases tidy glance augment
#' @export tidy glance augment
NULL
