# autoplot(): the generic, its registration with ggplot2 (a suggested package), and what
# every plot of the package shares: the theme (readable at slide size), the colour-blind
# safe palettes and the words of the plots in English and Dutch.

#' Plot a digimaturity result with ggplot2
#'
#' `autoplot()` is ggplot2's generic: with ggplot2 attached,
#' `ggplot2::autoplot()` finds the methods of digimaturity, and digimaturity's
#' own `autoplot()` (this re-export) works without attaching ggplot2. The
#' methods need the ggplot2 package (in Suggests); without it they stop with an
#' error of class `digimaturity_error_missing_package`.
#'
#' The methods: [autoplot.dm_agree()] (item bars), [autoplot.dm_scores()] and
#' [autoplot.dm_aggregate()] (score distributions, one municipality's profile),
#' [autoplot.dm_lm()] (coefficients, one or several fits, vcov comparisons) and
#' [autoplot.dm_typology()] (capability x legacy).
#'
#' @param object A digimaturity result.
#' @param ... Passed to the method.
#' @return A ggplot object.
#' @family plots
#' @export
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' autoplot(dm_agree(flanders_dm))
autoplot <- function(object, ...) UseMethod("autoplot")

#' @export
autoplot.default <- function(object, ...) {
  need_ggplot2()
  # dispatch in ggplot2's namespace, so that ggplot2's own default (not this one) is
  # found for classes that no package registered
  ggplot_autoplot(object, ...)
}

ggplot_autoplot <- function(object, ...) {
  f <- function(object, ...) autoplot(object, ...)
  environment(f) <- asNamespace("ggplot2")
  f(object, ...)
}

utils::globalVariables(".data")

plot_classes <- c("dm_agree", "dm_scores", "dm_aggregate", "dm_lm", "dm_mlm", "list", "dm_typology",
                  "dm_representativeness")

# Registers the methods with ggplot2's generic as well, now or when ggplot2 is loaded,
# so that ggplot2::autoplot() finds them (vctrs' s3_register() pattern).
register_autoplot <- function() {
  register <- function(...) {
    ns <- asNamespace("ggplot2")
    for (cls in plot_classes) {
      registerS3method("autoplot", cls, get(paste0("autoplot.", cls), envir = asNamespace("digimaturity")),
                       envir = ns)
    }
  }
  if (isNamespaceLoaded("ggplot2")) register()
  setHook(packageEvent("ggplot2", "onLoad"), register)
}

.onLoad <- function(libname, pkgname) {
  register_autoplot()
  invisible()
}

need_ggplot2 <- function() {
  if (!requireNamespace("ggplot2", quietly = TRUE)) {
    dm_abort("autoplot() needs the ggplot2 package: install.packages(\"ggplot2\").",
             type = "missing_package", call = sys.call(-1), package = "ggplot2")
  }
  invisible(TRUE)
}

# The theme of every plot: large text (slides), light grid, legend at the bottom.
dm_theme <- function(base_size = 15) {
  ggplot2::theme_minimal(base_size = base_size) +
    ggplot2::theme(legend.position = "bottom", panel.grid.minor = ggplot2::element_blank(),
                   strip.text = ggplot2::element_text(face = "bold", hjust = 0),
                   strip.text.y = ggplot2::element_text(face = "bold", hjust = 0, angle = 0),
                   plot.title.position = "plot",
                   plot.caption = ggplot2::element_text(hjust = 0, colour = "grey30"))
}

# Colour-blind safe colours: ColorBrewer's RdBu (diverging answers) and Okabe-Ito.
answer_palette <- function(k) {
  pal <- list(`2` = c("#CA0020", "#0571B0"), `3` = c("#CA0020", "#BDBDBD", "#0571B0"),
              `4` = c("#CA0020", "#F4A582", "#92C5DE", "#0571B0"),
              `5` = c("#CA0020", "#F4A582", "#BDBDBD", "#92C5DE", "#0571B0"),
              `7` = c("#B2182B", "#EF8A62", "#FDDBC7", "#BDBDBD", "#D1E5F0", "#67A9CF", "#2166AC"))
  if (!is.null(pal[[as.character(k)]])) return(pal[[as.character(k)]])
  grDevices::colorRampPalette(c("#CA0020", "#BDBDBD", "#0571B0"))(k)
}
okabe_ito <- c("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

# The first label of each code in a response_labels string "1=Strongly disagree|2=...".
first_code_labels <- function(s, codes) {
  if (is.null(s) || is.na(s) || !nzchar(s)) return(as.character(codes))
  parts <- strsplit(strsplit(s, "|", fixed = TRUE)[[1]], "=", fixed = TRUE)
  code <- vapply(parts, `[`, "", 1L)
  lab <- vapply(parts, function(p) paste(p[-1], collapse = "="), "")
  out <- lab[match(as.character(codes), code)]
  ifelse(is.na(out), as.character(codes), out)
}
