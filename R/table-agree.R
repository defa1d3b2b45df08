# dm_table() of a dm_agree() result: the items per dimension with their "% favourable",
# rendered by R/table-render.R.

agree_table_spec <- function(x, lab, digits, ...) {
  w <- lab$words
  hl <- dm_highlights(x, ...)
  by <- attr(x, "by")
  df <- x
  class(df) <- "data.frame"
  key_of <- function(d) do.call(paste, c(lapply(d[c(by, "item")], as.character), sep = "\r"))
  view <- hl$view[match(key_of(df), key_of(hl))]
  mark <- ifelse(is.na(view), "", ifelse(view == "going well", w[["going_well"]], w[["challenge"]]))
  label <- if (lab$lang == "nl") df$label_nl else df$label_en
  over <- df$item %in% names(lab$terms)  # the user's `labels`
  label[over] <- lab$terms[df$item[over]]
  rev <- df$item %in% attr(x, "reverse_keyed")
  label[rev] <- paste0(label[rev], w[["reverse_item"]])
  pct <- function(v) ifelse(is.na(v), "", sprintf("%.*f", digits, 100 * v))
  group <- if (length(by)) do.call(paste, c(lapply(df[by], as.character), sep = ", ")) else rep("", nrow(df))
  rows <- list()
  add <- function(kind, cells) rows[[length(rows) + 1L]] <<- list(kind = kind, cells = cells)
  for (g in unique(group)) {
    for (d in unique(df$dimension[group == g])) {
      sel <- which(group == g & df$dimension == d)
      sel <- sel[order(-df$favourable[sel], df$item[sel], na.last = TRUE)]
      dname <- dimension_label(d, lab$lang, attr(x, "instrument"))
      add("heading", if (nzchar(g)) paste0(g, ": ", dname) else dname)
      for (i in sel) {
        add("term", c(label[i], pct(df$favourable[i]),
                      if (is.na(df$favourable[i])) "" else sprintf("[%s, %s]", pct(df$conf.low[i]), pct(df$conf.high[i])),
                      format(df$n[i]), mark[i]))
      }
    }
  }
  conf <- format(100 * attr(x, "conf_level"))
  notes <- c(sprintf(w[["agree_note"]], format(attr(x, "threshold")), conf,
                     if (isTRUE(attr(x, "weighted"))) sprintf(w[["weighted"]], weights_words(x, lab$lang)) else ""),
             if (!is.null(attr(x, "fpc")))
               sprintf(w[["agree_fpc"]], agree_fpc_words(attr(x, "fpc"))),
             sprintf(w[["marks"]], highlight_rule(list(...), lab$lang)))
  list(header = c(w[["item"]], w[["favourable"]], sprintf(w[["interval"]], conf), w[["n"]], w[["mark"]]),
       rows = rows, notes = notes, align = c("l", "r", "r", "r", "l"), type = "agree")
}

# The rule of dm_highlights() in words, in the table's language.
highlight_rule <- function(args, lang) {
  w <- table_words[[lang]]
  if (is.null(args$n)) {
    cut <- if (is.null(args$cut)) 0.6 else args$cut
    return(sprintf(w[["rule_cut"]], format(100 * cut), if (cut == 0.6) w[["rule_slides"]] else ""))
  }
  sprintf(w[["rule_n"]], format(args$n))
}

# The population sizes of dm_agree(fpc =) in a note: "300", or "small 150, large 150".
agree_fpc_words <- function(fpc) {
  if (is.null(names(fpc))) return(paste(format(fpc), collapse = ", "))
  paste(names(fpc), format(fpc), collapse = ", ")
}
