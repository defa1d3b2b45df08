# dm_table() of dm_cfa() and dm_invariance() results: format-free specifications
# (header, rows of cells with their kind, notes), rendered by R/table-render.R.

# The words of these tables in English and Dutch (ASCII: LaTeX output takes them as they are).
cfa_words <- list(
  en = c(item = "Item", loading = "Loading", se = "s.e.", chisq = "Chi-square (df)",
         chisq_scaled = "Chi-square, scaled (df)", cfi = "CFI", tli = "TLI", rmsea = "RMSEA [90% CI]",
         srmr = "SRMR", n = "N", omega = "omega", alpha = "alpha", alpha_ordinal = "ordinal alpha",
         reliability = "Reliability", model = "Model", df = "df", diff = "Difference (df)", p = "p",
         dcfi = "Change CFI", drmsea = "Change RMSEA", decision = "Decision", chisq_col = "Chi-square",
         reference = "reference", holds = "holds", holds_partially = "holds partially", fails = "fails",
         configural = "configural", metric = "metric (loadings)", scalar = "scalar (loadings, thresholds/intercepts)",
         strict = "strict (+ residual variances)", partial = " (partial)",
         cfa_note = paste0("Standardised loadings (s.e.) of a CFA by %s%s; one factor per dimension, factors correlated. ",
                           "Fit indices: %s."),
         ordered = " with ordered items", robust = "robust versions", scaled = "scaled versions",
         plain = "maximum likelihood", reversed_note = " Reverse-keyed items were fitted on reversed codes.",
         omega_cat = "Omega: categorical omega (Green & Yang 2009).", omega_cont = "Omega: from the loadings.",
         inv_note = paste0("Measurement invariance across %s (%s), estimator %s. Each step is tested against ",
                           "the previous accepted one (scaled chi-square difference); it fails when p < %s, ",
                           "CFI drops by more than %s or RMSEA rises by more than %s."),
         freed = "Freed by the partial-invariance search: %s.", threshold = "threshold of %s (%s)",
         loading_of = "loading of %s", intercept = "intercept of %s", residual = "residual variance of %s",
         cluster = " Standard errors and test cluster-robust by %s (%d clusters)."),
  nl = c(item = "Item", loading = "Lading", se = "s.e.", chisq = "Chikwadraat (vg)",
         chisq_scaled = "Chikwadraat, geschaald (vg)", cfi = "CFI", tli = "TLI", rmsea = "RMSEA [90%-BI]",
         srmr = "SRMR", n = "N", omega = "omega", alpha = "alfa", alpha_ordinal = "ordinale alfa",
         reliability = "Betrouwbaarheid", model = "Model", df = "vg", diff = "Verschil (vg)", p = "p",
         dcfi = "Verandering CFI", drmsea = "Verandering RMSEA", decision = "Besluit", chisq_col = "Chikwadraat",
         reference = "referentie", holds = "houdt stand", holds_partially = "houdt gedeeltelijk stand",
         fails = "verworpen", configural = "configuraal", metric = "metrisch (ladingen)",
         scalar = "scalair (ladingen, drempels/intercepten)", strict = "strikt (+ residuele varianties)",
         partial = " (gedeeltelijk)",
         cfa_note = paste0("Gestandaardiseerde ladingen (s.e.) van een CFA met %s%s; een factor per dimensie, ",
                           "gecorreleerde factoren. Fit-indices: %s."),
         ordered = " met ordinale items", robust = "robuuste versies", scaled = "geschaalde versies",
         plain = "maximale aannemelijkheid", reversed_note = " Omgekeerd gescoorde items werden omgekeerd gefit.",
         omega_cat = "Omega: categorische omega (Green & Yang 2009).", omega_cont = "Omega: uit de ladingen.",
         inv_note = paste0("Meetinvariantie over %s (%s), schatter %s. Elke stap wordt getoetst tegen de vorige ",
                           "aanvaarde (geschaalde chikwadraatverschiltoets); hij faalt bij p < %s, ",
                           "CFI meer dan %s daalt of RMSEA meer dan %s stijgt."),
         freed = "Vrijgelaten door de zoektocht naar gedeeltelijke invariantie: %s.",
         threshold = "drempel van %s (%s)", loading_of = "lading van %s", intercept = "intercept van %s",
         residual = "residuele variantie van %s",
         cluster = " Standaardfouten en toets cluster-robuust naar %s (%d clusters).")
)

cfa_num <- function(v, digits, leading_zero = TRUE) {
  out <- ifelse(is.na(v), "", formatC(v, format = "f", digits = digits))
  if (!leading_zero) out <- sub("^(-?)0\\.", "\\1.", out)
  out
}

cfa_item_label <- function(item, lab, ins) {
  col <- paste0("label_", lab$lang)
  out <- if (col %in% names(ins)) ins[[col]][match(item, ins$item)] else item
  out[is.na(out) | !nzchar(out)] <- item[is.na(out) | !nzchar(out)]
  over <- item %in% names(lab$terms)
  out[over] <- lab$terms[item[over]]
  rev <- item %in% ins$item[ins$keyed < 0]
  out[rev] <- paste0(out[rev], lab$words[["reverse_item"]])
  out
}

# Loadings by dimension with their s.e., the reliability of each dimension, then the fit
# rows. With groups, the loadings of each group under its own heading.
cfa_table_spec <- function(x, lab, digits, leading_zero) {
  w <- cfa_words[[lab$lang]]
  ins <- attr(x, "instrument")
  td <- tidy(x, conf.int = FALSE)
  ld <- td[td$type == "loading", ]
  grp <- if ("group" %in% names(ld)) ld$group else rep("", nrow(ld))
  rel <- x$reliability
  num <- function(v) cfa_num(v, digits, leading_zero)
  rows <- list()
  add <- function(kind, cells) rows[[length(rows) + 1L]] <<- list(kind = kind, cells = cells)
  for (g in unique(grp)) {
    for (d in unique(ld$dimension[grp == g])) {
      sel <- which(grp == g & ld$dimension == d)
      dname <- dimension_label(d, lab$lang, ins)
      add("heading", if (nzchar(g)) paste0(g, ": ", dname) else dname)
      for (i in sel) add("term", c(cfa_item_label(ld$item[i], lab, ins), num(ld$estimate[i]), num(ld$std.error[i])))
      r <- rel[rel$dimension == d & (if ("group" %in% names(rel)) rel$group == g else TRUE), ]
      if (nrow(r)) {
        txt <- sprintf("%s %s, %s %s%s", w[["omega"]], num(r$omega), w[["alpha"]], num(r$alpha),
                       if (!is.na(r$alpha_ordinal)) sprintf(", %s %s", w[["alpha_ordinal"]], num(r$alpha_ordinal)) else "")
        add("term", c(w[["reliability"]], txt, ""))
      }
    }
  }
  g <- glance(x)
  scaled <- "chisq.scaled" %in% names(g)
  chi <- if (scaled) c(g$chisq.scaled, g$df.scaled) else c(g$chisq, g$df)
  ix <- function(n) as.numeric(pick_index(g, n)[2])
  rm <- pick_index(g, "rmsea")[1]
  ci <- c(g[[sub("rmsea", "rmsea.ci.lower", rm)]], g[[sub("rmsea", "rmsea.ci.upper", rm)]])
  add("fit_first", c(w[[if (scaled) "chisq_scaled" else "chisq"]], sprintf("%s (%s)", cfa_num(chi[1], 2), format(chi[2])), ""))
  add("fit", c(w[["cfi"]], num(ix("cfi")), ""))
  add("fit", c(w[["tli"]], num(ix("tli")), ""))
  add("fit", c(w[["rmsea"]], sprintf("%s [%s, %s]", num(ix("rmsea")), num(ci[1]), num(ci[2])), ""))
  add("fit", c(w[["srmr"]], num(g$srmr), ""))
  add("fit", c(w[["n"]], format(g$nobs), ""))
  it <- sub("^cfi\\.?", "", pick_index(g, "cfi")[1])
  note <- sprintf(w[["cfa_note"]], x$estimator, if (x$ordered) w[["ordered"]] else "",
                  if (it == "robust") w[["robust"]] else if (it == "scaled") w[["scaled"]] else w[["plain"]])
  if (!is.null(x$cluster)) note <- paste0(note, sprintf(w[["cluster"]], x$cluster, x$n_clusters))
  if (any(ins$keyed < 0 & ins$item %in% ld$item)) note <- paste0(note, w[["reversed_note"]])
  list(header = c(w[["item"]], w[["loading"]], w[["se"]]), rows = rows,
       notes = c(note, if (x$ordered) w[["omega_cat"]] else w[["omega_cont"]]), align = c("l", "r", "r"))
}

# One row per model of the chain, then the freed parameters and the rule in the notes.
invariance_table_spec <- function(x, lab, digits, leading_zero) {
  w <- cfa_words[[lab$lang]]
  s <- x$steps
  num <- function(v, d = digits) cfa_num(v, d, leading_zero)
  decision <- vapply(s$decision, function(dd) {
    key <- if (startsWith(dd, "fails")) "fails" else gsub(" ", "_", dd)
    w[[key]]
  }, character(1))
  model <- paste0(w[s$step], ifelse(grepl("partial", s$model), w[["partial"]], ""))
  rows <- lapply(seq_len(nrow(s)), function(i) {
    list(kind = "term", cells = c(
      model[i], num(s$chisq[i], 2), format(s$df[i]), num(s$cfi[i]), num(s$rmsea[i]),
      if (is.na(s$chisq_diff[i])) "" else sprintf("%s (%s)", num(s$chisq_diff[i], 2), format(s$df_diff[i])),
      if (is.na(s$p_diff[i])) "" else cfa_num(s$p_diff[i], 3, leading_zero),
      num(s$delta_cfi[i]), num(s$delta_rmsea[i]), decision[i]))
  })
  notes <- sprintf(w[["inv_note"]], x$group, paste0(names(x$n), " ", x$n, collapse = ", "), x$estimator,
                   format(x$criteria[["p"]]), format(-x$criteria[["delta_cfi"]]), format(x$criteria[["delta_rmsea"]]))
  if (nrow(x$freed)) {
    ins <- attr(x, "instrument")
    fr <- x$freed
    item <- cfa_item_label(fr$item, lab, ins)
    what <- ifelse(fr$type == "threshold", sprintf(w[["threshold"]], item, fr$between),
                   ifelse(fr$type == "loading", sprintf(w[["loading_of"]], item),
                          ifelse(fr$type == "intercept", sprintf(w[["intercept"]], item), sprintf(w[["residual"]], item))))
    notes <- c(notes, sprintf(w[["freed"]], paste(what, collapse = "; ")))
  }
  list(header = c(w[["model"]], w[["chisq_col"]], w[["df"]], "CFI", "RMSEA", w[["diff"]], w[["p"]], w[["dcfi"]],
                  w[["drmsea"]], w[["decision"]]),
       rows = rows, notes = notes, align = c("l", rep("r", 8), "l"))
}
