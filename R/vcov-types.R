# The ONE registry of variance types. Every place that asks "which type is this" (is it
# cluster-robust? which df rule? which label? which C++ enum code? which small-sample
# factor?) reads this table through the accessors below; a new type is a row here plus
# its kernel in src/sandwich.cpp (enum VcovType in src/sandwich.h, same order as `code`).

vcov_registry <- data.frame(
  name = c("classical", "HC0", "HC1", "HC2", "HC3", "CR0", "CR1", "CR1S", "CR2", "CR3"),
  # the C++ enum dm::VcovType (src/sandwich.h)
  code = 0:9,
  label = c("classical (iid errors)", "HC0 (White)", "HC1 (HC0 x n/(n-k), Stata's robust)",
            "HC2 (leverage-adjusted)", "HC3 (jackknife-like)", "CR0 (Liang-Zeger)",
            "CR1 (CR0 x G/(G-1))", "CR1S (CR0 x G(n-1)/((G-1)(n-k)), Stata's cluster)",
            "CR2 (Bell-McCaffrey)", "CR3 (cluster jackknife)"),
  cluster = c(FALSE, FALSE, FALSE, FALSE, FALSE, TRUE, TRUE, TRUE, TRUE, TRUE),
  # the rule of the t-test df (and of the F denominator): "n - k", "G - 1" or
  # "Satterthwaite" (Wald tests: HTZ)
  df_rule = c(rep("n - k", 5L), "G - 1", "G - 1", "G - 1", "Satterthwaite", "G - 1"),
  # the small-sample factor c(n, k, G) that multiplies the base meat of its family
  # (HC0 for HC0/HC1, CR0 for CR0/CR1/CR1S); NA where the type is not a multiple
  # of another (classical, leverage- or jackknife-adjusted meats)
  family = c(NA, "HC0", "HC0", NA, NA, "CR0", "CR0", "CR0", NA, NA),
  # supported for several outcomes (dm_lm(cbind(y1, y2) ~ ...)): the stacked variance
  # is formed by the same kernel with m residual columns (src/sandwich.cpp)
  mlm = rep(TRUE, 10L),
  # the default of dm_lm() without / with a cluster
  default = c("", "", "", "no cluster", "", "", "", "", "cluster", ""),
  stringsAsFactors = FALSE
)

# The small-sample factor of each type with a `family`, relative to its base meat.
vcov_factor_fun <- list(
  HC0 = function(n, k, G) 1,
  HC1 = function(n, k, G) n / (n - k),
  CR0 = function(n, k, G) 1,
  CR1 = function(n, k, G) G / (G - 1),
  CR1S = function(n, k, G) G * (n - 1) / ((G - 1) * (n - k))
)

# Other packages' spellings of the types, with the dm_lm name they mean (or NA when
# there is no single equivalent and the hint below says what to do).
vcov_aliases <- c(
  hc0 = "HC0", hc1 = "HC1", hc2 = "HC2", hc3 = "HC3", cr0 = "CR0", cr1 = "CR1",
  cr1s = "CR1S", cr2 = "CR2", cr3 = "CR3", iid = "classical", const = "classical",
  standard = "classical", stata = "HC1", hetero = "HC1", white = "HC0", robust = "HC1",
  hc = "HC1", cr1p = "CR1S", stata_cr = "CR1S", cr1stata = "CR1S", cluster = NA, cr = NA
)

#' Variance types of `dm_lm()`
#'
#' The table every part of the package reads to know a variance type: its
#' name (as `vcov =` takes it), a label, whether it needs a cluster, the rule
#' of its t-test degrees of freedom, the small-sample factor it applies to its
#' base meat, whether fits of several outcomes support it, and whether it is a
#' default of [dm_lm()].
#'
#' @param ... Nothing: an unknown or misspelled argument is an error (class
#'   `digimaturity_error_argument_spelling`) that names the argument meant.
#' @return A data frame with one row per type: `name`, `label`, `cluster`
#'   (logical), `df_rule` (`"n - k"`, `"G - 1"` or `"Satterthwaite"`),
#'   `factor` (the small-sample factor in words, `NA` where the type is not a
#'   multiple of a simpler one), `mlm` (logical: supported with a `cbind()`
#'   response) and `default`.
#' @family dm_lm
#' @export
#' @examples
#' dm_vcov_types()
#' subset(dm_vcov_types(), cluster)$name
dm_vcov_types <- function(...) {
  check_dots_spelling(..., .strict = TRUE)
  r <- vcov_registry
  factor_words <- c(HC0 = "1", HC1 = "n/(n-k)", CR0 = "1", CR1 = "G/(G-1)",
                    CR1S = "G(n-1)/((G-1)(n-k))")
  data.frame(name = r$name, label = r$label, cluster = r$cluster, df_rule = r$df_rule,
             factor = unname(factor_words[r$name]), mlm = r$mlm, default = r$default,
             stringsAsFactors = FALSE)
}

# ---- accessors (internal) -------------------------------------------------------

vcov_type_names <- function() vcov_registry$name

vcov_row <- function(type) {
  i <- match(type, vcov_registry$name)
  if (length(type) != 1L || is.na(i)) {
    dm_abort(sprintf("unknown variance type %s (internal).", show_values(type)), type = "internal")
  }
  vcov_registry[i, ]
}

# Is `type` cluster-robust? FALSE for anything that is not a registered name (NULL,
# "user-supplied").
vcov_is_cluster <- function(type) {
  if (!is.character(type) || length(type) != 1L || is.na(type)) return(FALSE)
  isTRUE(vcov_registry$cluster[match(type, vcov_registry$name)])
}

vcov_df_rule <- function(type) vcov_row(type)$df_rule

vcov_code <- function(type) vcov_row(type)$code

vcov_default <- function(clustered) {
  vcov_registry$name[vcov_registry$default == if (clustered) "cluster" else "no cluster"]
}

vcov_mlm_types <- function() vcov_registry$name[vcov_registry$mlm]

# The type of the same family that is defined at leverage one (HC1 for HC2/HC3, CR1 for
# CR2/CR3).
vcov_fallback <- function(type) if (vcov_is_cluster(type)) "CR1" else "HC1"

# Label for printouts: "CR2 (default with a cluster)" for the defaults, else the name.
vcov_print_label <- function(type, clustered) {
  if (!is.character(type) || length(type) != 1L || !type %in% vcov_registry$name) return(type)
  d <- vcov_registry$default[match(type, vcov_registry$name)]
  if (clustered && d == "cluster") return(paste(type, "(default with a cluster)"))
  if (!clustered && d == "no cluster") return(paste(type, "(default without a cluster)"))
  type
}

# The factor that turns the variance of type `from` into that of type `to` (same data,
# same clusters), or NULL when they are not multiples of one base meat.
vcov_rescale_factor <- function(from, to, n, k, G) {
  if (!from %in% names(vcov_factor_fun) || !to %in% names(vcov_factor_fun)) return(NULL)
  fam <- vcov_registry$family
  if (!identical(fam[match(from, vcov_registry$name)], fam[match(to, vcov_registry$name)])) return(NULL)
  vcov_factor_fun[[to]](n, k, G) / vcov_factor_fun[[from]](n, k, G)
}

# `vcov` as a string: one of the registered names, with the dm_lm spelling of
# estimatr's, fixest's and sandwich's names in the error.
check_vcov_choice <- function(vcov, arg = "vcov", choices = vcov_type_names()) {
  if (is.character(vcov) && length(vcov) == 1L && !is.na(vcov) && !vcov %in% choices) {
    key <- tolower(vcov)
    hint <- NULL
    if (key %in% names(vcov_aliases)) {
      to <- vcov_aliases[[key]]
      hint <- if (is.na(to)) {
        "In dm_lm that is `cluster = ~municipality` (CR2 by default) or `vcov = ~municipality`."
      } else if (toupper(key) == toupper(to)) {
        sprintf("In dm_lm that is `vcov = \"%s\"` (upper case).", to)
      } else sprintf("In dm_lm that is `vcov = \"%s\"`.", to)
    } else {
      near <- choices[utils::adist(key, tolower(choices))[1L, ] <= 1L]
      if (length(near)) hint <- sprintf("Did you mean `vcov = \"%s\"`?", near[1L])
    }
    if (!is.null(hint)) {
      dm_abort(sprintf("`%s` must be one of %s; you passed '%s'. %s", arg,
                       paste0("'", choices, "'", collapse = ", "), vcov, hint),
               type = "input")
    }
  }
  check_choice(vcov, choices, arg)
}
