# Strict arguments: the package's vocabulary and the check that no argument is silently
# ignored. Every exported function ends its formals with `...` only to catch what it
# has no place for; check_dots_spelling() turns that into a classed error
# (`digimaturity_error_argument_spelling`) with a did-you-mean.

# match.arg() with a classed error that echoes the value: the choice of a
# `c("a", "b")`-style argument, whose default is the first element.
match_choice <- function(x, choices, arg, call = sys.call(-1)) {
  if (identical(x, choices)) return(choices[1L])
  check_choice(x, choices, arg, call = call)
}

`%||%` <- function(a, b) if (is.null(a)) b else a

# The package's vocabulary: spellings of other packages (and of earlier versions of this
# one) mapped to the argument that means the same here. One table for every function.
# Names are compared after lower-casing and turning "." into "_".
dm_aliases <- c(
  conf_level = "conf_level", level = "conf_level",
  alpha = "conf_level", ci_level = "conf_level",
  lang = "lang", language = "lang", labels = "lang", locale = "lang", lng = "lang",
  min_answered = "min_answered", min_valid = "min_answered", min_items = "min_answered",
  min_respondents = "min_respondents", min_n = "min_respondents",
  missing_codes = "missing_codes", na_codes = "missing_codes", na_values = "missing_codes",
  missing = "missing_codes",
  items = "items", codebook = "items", instrument = "items",
  weights = "weights", weight = "weights", wt = "weights", w = "weights",
  cluster = "cluster", by = "by", group = "by", groups = "by", group_by = "by",
  dimensions = "dimensions", dimension = "dimensions", dims = "dimensions",
  digits = "digits", decimals = "digits", dec = "digits",
  vcov = "vcov", type = "vcov", vcov_type = "vcov", se = "vcov",
  conf_int_level = "conf_level", ci = "conf_level",
  cluster_var = "cluster", cl = "cluster",
  newdata = "newdata", new_data = "newdata", newx = "newdata"
)

# Arguments that estimatr (lm_robust), fixest or sandwich users pass by habit, with the
# dm_lm spelling to use instead.
dm_foreign_spelling <- c(
  clusters = "`cluster = ~municipality` (one-sided formula, bare column name or vector)",
  se_type = "`vcov = \"CR2\"` (or \"HC2\", \"classical\", ...)",
  cluster_type = "`vcov = \"CR1\"` (or \"CR2\", ...)",
  fixed_effects = "factor() terms in the formula (y ~ x + factor(municipality))",
  fe = "factor() terms in the formula (y ~ x + factor(municipality))",
  ssc = "`vcov = \"CR1\"` or \"CR1S\" (the small-sample factor is part of the type)")

# Rejects what landed in `...`. The names are read without evaluating the values. With
# `.strict = FALSE` only the foreign spellings above are errors (for methods whose generic
# passes `...` on); with `.strict = TRUE` every argument in `...` is. `.formals` are the
# arguments the function does take (by default those of the caller), for the did-you-mean;
# `.allowed` names that `...` may hold (passed on, e.g. `cut` to dm_highlights()).
check_dots_spelling <- function(..., .fun = NULL, .strict = FALSE, .formals = NULL,
                                .allowed = character()) {
  if (!...length()) return(invisible())
  dots <- names(substitute(list(...)))[-1L]  # names only: the values are not evaluated
  if (is.null(dots)) dots <- rep("", ...length())
  dots <- dots[!dots %in% .allowed | dots == ""]
  if (!length(dots)) return(invisible())
  if (is.null(.fun) || is.null(.formals)) {
    caller <- sys.function(-1L)
    if (is.null(.formals)) .formals <- c(setdiff(names(formals(caller)), "..."), .allowed)
    if (is.null(.fun)) {
      # the name it was called by; a function called through do.call() has none
      head <- sys.call(-1L)[[1L]]
      .fun <- if (is.name(head) || (is.call(head) && identical(head[[1L]], as.name("::"))))
        paste0(deparse(head)[1L], "()") else "this function"
    }
  }
  for (nm in dots) {
    if (nm %in% names(dm_foreign_spelling)) {
      dm_abort(sprintf("%s has no argument `%s` (an estimatr/fixest/sandwich spelling); in dm_lm use %s.",
                       .fun, nm, dm_foreign_spelling[[nm]]), type = "argument_spelling", call = NULL)
    }
  }
  if (!.strict) return(invisible())
  bad <- dots[dots != ""]
  if (!length(bad)) {
    dm_abort(sprintf("%s got %d unnamed argument%s it has no place for.", .fun,
                     sum(dots == ""), if (sum(dots == "") > 1) "s" else ""),
             type = "argument_spelling", call = NULL)
  }
  hints <- vapply(bad, did_you_mean, character(1), choices = .formals)
  shown <- paste0("`", bad, "`", ifelse(nzchar(hints), sprintf(" (did you mean `%s`?)", hints), ""))
  dm_abort(sprintf("%s has no argument%s %s.%s", .fun, if (length(bad) > 1) "s" else "",
                   paste(shown, collapse = ", "),
                   if (all(nzchar(hints))) "" else
                     sprintf(" Its arguments: %s.", paste0("`", .formals, "`", collapse = ", "))),
           type = "argument_spelling", call = NULL, arguments = unname(bad),
           suggestions = unname(hints))
}

# The argument of `choices` that `name` most likely means: through the vocabulary table
# (conf.level -> conf_level, language -> lang), else the closest spelling (at most two
# edits, or one for short names); "" when nothing is close.
did_you_mean <- function(name, choices) {
  if (!length(choices)) return("")
  key <- gsub(".", "_", tolower(name), fixed = TRUE)
  norm_choices <- gsub(".", "_", tolower(choices), fixed = TRUE)
  if (key %in% norm_choices) return(choices[match(key, norm_choices)])  # conf_level -> conf.level
  alias <- dm_aliases[key]
  if (!is.na(alias) && alias %in% choices) return(unname(alias))
  # a member of the same family that the function does take (conf.level for
  # tidy(conf_level =), level for confint(conf.level =))
  if (!is.na(alias)) {
    fam <- choices[dm_aliases[norm_choices] %in% alias]
    if (length(fam)) return(fam[1L])
  }
  d <- utils::adist(key, norm_choices)[1L, ]
  best <- which.min(d)
  # two edits (a swapped pair of letters: tpye -> type), one for names of up to 3 letters
  if (d[best] <= if (nchar(key) <= 3L) 1L else 2L) choices[best] else ""
}

# Strict `...` for a function whose `...` only catches mistakes: every argument in it is
# an error with a did-you-mean (check_dots_spelling(.strict = TRUE)), except in calls made
# by the packages that pass their own arguments on through `...` (broom's contract).
# `.formals` default to those of the calling function, `.fun` to its name.
check_dots_strict <- function(..., .fun = NULL, .formals = NULL) {
  if (!...length() || called_by_consumer()) return(invisible())
  if (is.null(.formals)) .formals <- setdiff(names(formals(sys.function(-1L))), "...")
  if (is.null(.fun)) .fun <- paste0(as.character(sys.call(-1L)[[1L]])[1L], "()")
  check_dots_spelling(..., .fun = .fun, .strict = TRUE, .formals = .formals)
}

# Packages that call the methods of a fit with their own arguments in `...` (broom's
# contract: modelsummary passes its `gof_map`, `coef_rename`, ... on to tidy() and
# glance()); a call from them is not a user's misspelling, so `...` is not checked.
consumer_packages <- c("modelsummary", "parameters", "insight", "performance", "broom.helpers",
                       "gtsummary", "marginaleffects", "emmeans", "car", "lmtest", "sandwich",
                       "texreg", "huxtable", "jtools", "see", "ggeffects")

called_by_consumer <- function() {
  for (i in rev(seq_len(sys.nframe()))) {
    env <- environment(sys.function(i))
    if (is.null(env)) next
    if (isNamespace(top <- topenv(env)) && getNamespaceName(top) %in% consumer_packages) return(TRUE)
  }
  FALSE
}
