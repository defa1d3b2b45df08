# The renderers of dm_table(): one per format, each turning a table specification
# (header, rows of cells with their kind, notes, alignment) into text, markdown, LaTeX,
# HTML or a Word document.

pad <- function(s, width, align) {
  gap <- pmax(0L, width - nchar(s, type = "width"))
  if (align == "l") paste0(s, strrep(" ", gap)) else paste0(strrep(" ", gap), s)
}

render_text <- function(spec) {
  nc <- length(spec$header)
  headings <- any(vapply(spec$rows, `[[`, character(1), "kind") == "heading")
  spec$rows <- lapply(spec$rows, function(r) {
    # rows under a heading, and a factor's levels, are indented
    ind <- (headings && r$kind %in% c("term", "reference")) + (r$indent %||% 0L)
    if (ind > 0L) r$cells[1] <- paste0(strrep("  ", ind), r$cells[1])
    r
  })
  cells <- lapply(spec$rows, `[[`, "cells")
  body <- cells[vapply(spec$rows, function(r) r$kind != "heading", logical(1))]
  widths <- vapply(seq_len(nc), function(j) {
    max(nchar(c(spec$header[j], vapply(body, `[`, character(1), j)), type = "width"))
  }, integer(1))
  total <- sum(widths) + 2L * (nc - 1L)
  line <- function(cells) {
    paste(vapply(seq_len(nc), function(j) pad(cells[j], widths[j], spec$align[j]), character(1)),
          collapse = "  ")
  }
  out <- c(title_lines(spec), strrep("=", total), sub("\\s+$", "", line(spec$header)), strrep("-", total))
  for (r in spec$rows) {
    if (r$kind == "fit_first") out <- c(out, strrep("-", total))
    out <- c(out, sub("\\s+$", "", if (r$kind == "heading") r$cells[1] else line(r$cells)))
  }
  c(out, strrep("=", total), unlist(lapply(table_notes(spec), strwrap, width = max(60L, total))))
}

# The number line and the title above a table in the plain formats.
# (a number the document assigns, caption = TRUE, has no place in plain text)
title_lines <- function(spec) {
  c(if (!isTRUE(attr(spec$caption, "numbered"))) spec$caption, spec$title)
}

# All notes: the user's `note` first ("Note. ..." where `prefix`), then the package's.
table_notes <- function(spec, prefix = FALSE) {
  user <- spec[["note"]]
  if (prefix && length(user)) user[1] <- paste(spec$words[["note"]], user[1])
  c(user, spec$notes)
}

# The bracketed numbers (s.e., t, interval) in a row of their own below the estimates,
# for tables too wide to hold them side by side.
stack_rows <- function(spec) {
  rows <- list()
  for (r in spec$rows) {
    if (is.null(r$parts) || !any(nzchar(r$parts[3, ])) || !r$kind %in% c("term", "reference")) {
      rows[[length(rows) + 1L]] <- r
      next
    }
    below <- rbind(r$parts[3, ], "", "")
    r$parts[3, ] <- ""
    r$cells <- c(r$cells[1], parts_text(r$parts))
    rows[[length(rows) + 1L]] <- r
    rows[[length(rows) + 1L]] <- list(kind = "below", cells = c("", below[1, ]), parts = below, indent = 0L)
  }
  spec$rows <- rows
  spec
}

md_escape <- function(s) gsub("([|*_\\\\])", "\\\\\\1", s)

render_markdown <- function(spec) {
  nc <- length(spec$header)
  row <- function(cells) paste0("| ", paste(cells, collapse = " | "), " |")
  out <- c(row(md_escape(spec$header)),
           row(ifelse(spec$align == "l", ":---", "---:")))
  for (r in spec$rows) {
    cells <- if (r$kind == "heading") c(paste0("**", md_escape(r$cells[1]), "**"), rep("", nc - 1L)) else
      md_escape(r$cells)
    out <- c(out, row(cells))
  }
  notes <- table_notes(spec)
  top <- title_lines(spec)
  c(if (length(top)) c(paste0("**", md_escape(top), "**", c(rep("  ", length(top) - 1L), "")), ""),
    out, "", paste0("*", md_escape(notes), "*", c(rep("  ", length(notes) - 1L), "")))
}

html_escape <- function(s) {
  s <- gsub("&", "&amp;", s, fixed = TRUE)
  s <- gsub("<", "&lt;", s, fixed = TRUE)
  s <- gsub(">", "&gt;", s, fixed = TRUE)
  gsub("\"", "&quot;", s, fixed = TRUE)
}

# HTML: a <table class="dm-table"> whose parts carry classes (dm-label, dm-num,
# dm-heading, dm-fit, dm-indent-1, dm-est, dm-stars, dm-bracket, dm-notes) for the
# stylesheet of a page, Quarto or R Markdown (dm_table_css()); with `standalone`, a whole
# page with that stylesheet. Every column has a header.
render_html <- function(spec, standalone = FALSE) {
  nc <- length(spec$header)
  al <- ifelse(spec$align == "l", "left", "right")
  headings <- any(vapply(spec$rows, `[[`, character(1), "kind") == "heading")
  num <- function(r, j) {
    if (is.null(r$parts)) return(html_escape(r$cells[j]))
    p <- r$parts[, j - 1L]
    p <- gsub("(^|[ (\\[])-(?=[0-9.])", "\\1\u2212", p, perl = TRUE)  # the minus sign
    paste0(sprintf("<span class=\"dm-est\">%s</span>", html_escape(p[1])),
           sprintf("<span class=\"dm-stars\">%s</span>", html_escape(p[2])),
           if (nzchar(p[3])) sprintf("<span class=\"dm-bracket\"> %s</span>", html_escape(p[3])) else "")
  }
  tr <- function(r) {
    ind <- (headings && r$kind %in% c("term", "reference")) + (r$indent %||% 0L)
    cls <- c(if (r$kind %in% c("fit", "fit_first")) "dm-fit", if (r$kind == "fit_first") "dm-fit-first",
             if (r$kind == "reference") "dm-reference", if (ind > 0L) sprintf("dm-indent-%d", ind))
    paste0(if (length(cls)) sprintf("<tr class=\"%s\">", paste(cls, collapse = " ")) else "<tr>",
           sprintf("<th scope=\"row\" class=\"dm-label\" style=\"text-align: left\">%s</th>", html_escape(r$cells[1])),
           paste0(sprintf("<td class=\"%s\" style=\"text-align: %s\">%s</td>",
                          ifelse(al[-1] == "right", "dm-num", "dm-text"), al[-1],
                          vapply(seq_len(nc)[-1], function(j) num(r, j), character(1))), collapse = ""),
           "</tr>")
  }
  # a numbered caption is numbered by the stylesheet (a CSS counter of the page's tables)
  cap <- c(if (!is.null(spec$caption)) sprintf("<span class=\"dm-caption-number%s\">%s</span>",
                                              if (isTRUE(attr(spec$caption, "numbered"))) " dm-numbered" else "",
                                              html_escape(spec$caption)),
           if (!is.null(spec$title)) sprintf("<span class=\"dm-title\">%s</span>", html_escape(spec$title)))
  notes <- html_escape(table_notes(spec))
  notes[1] <- sprintf("<em>%s</em> %s", html_escape(spec$words[["note"]]), notes[1])
  out <- c("<table class=\"dm-table\">",
           if (length(cap)) sprintf("<caption>%s</caption>", paste(cap, collapse = "<br/>")),
           "<thead>",
           paste0("<tr>", paste0(sprintf("<th scope=\"col\" style=\"text-align: %s\">%s</th>", al,
                                         html_escape(spec$header)), collapse = ""), "</tr>"),
           "</thead>", "<tbody>")
  for (r in spec$rows) {
    out <- c(out, if (r$kind == "heading")
      sprintf("<tr class=\"dm-heading\"><th colspan=\"%d\" scope=\"rowgroup\" style=\"text-align: left; font-style: italic\">%s</th></tr>",
              nc, html_escape(r$cells[1])) else tr(r))
  }
  out <- c(out, "</tbody>", "<tfoot>",
           sprintf("<tr class=\"dm-notes\"><td colspan=\"%d\" style=\"text-align: left\">%s</td></tr>", nc, notes),
           "</tfoot>", "</table>")
  if (!standalone) return(out)
  title <- html_escape(spec$title %||% spec$caption %||% spec$words[["table"]])
  c("<!DOCTYPE html>", sprintf("<html lang=\"%s\">", spec$lang %||% "en"), "<head>", "<meta charset=\"utf-8\">",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    sprintf("<title>%s</title>", title), "<style>", dm_table_css(), "</style>", "</head>", "<body>",
    "<main class=\"dm-page\">", out, "</main>", "</body>", "</html>")
}

# The stylesheet of the HTML tables: APA rules (above and below the header, at the
# bottom), numbers in tabular figures with the stars in a column of their own width so
# that estimates align, notes in a smaller size; scrolls sideways on a narrow screen.
dm_table_css <- function() {
  c(".dm-page { max-width: 60em; margin: 2em auto; padding: 0 1em; font-family: Georgia, 'Times New Roman', serif; }",
    ".dm-table { border-collapse: collapse; margin: 1em 0; font-variant-numeric: tabular-nums lining-nums; display: block; overflow-x: auto; max-width: 100%; }",
    ".dm-table caption { text-align: left; caption-side: top; padding-bottom: 0.5em; }",
    "body { counter-reset: dm-table; }",
    ".dm-table { counter-increment: dm-table; }",
    ".dm-table .dm-caption-number { font-weight: bold; display: block; }",
    ".dm-table .dm-numbered::after { content: \" \" counter(dm-table); }",
    ".dm-table .dm-title { font-style: italic; }",
    ".dm-table thead tr { border-top: 1.5px solid currentColor; border-bottom: 1px solid currentColor; }",
    ".dm-table tbody tr:last-child { border-bottom: 1.5px solid currentColor; }",
    ".dm-table th, .dm-table td { padding: 0.2em 0.6em; vertical-align: top; border: none; }",
    ".dm-table thead th { font-weight: normal; white-space: nowrap; }",
    ".dm-table tr.dm-fit-first { border-top: 1px solid currentColor; }",
    ".dm-table .dm-label { font-weight: normal; }",
    ".dm-table .dm-indent-1 .dm-label { padding-left: 1.6em; }",
    ".dm-table .dm-indent-2 .dm-label { padding-left: 2.6em; }",
    ".dm-table .dm-num { white-space: nowrap; }",
    ".dm-table .dm-stars { display: inline-block; min-width: 1.8em; text-align: left; }",
    ".dm-table .dm-notes td { font-size: 0.85em; padding-top: 0.5em; white-space: normal; }")
}

# knitr: a dm_table in R Markdown or Quarto is rendered for the document's format (HTML
# fragment with its stylesheet, LaTeX, or a pipe table elsewhere), whatever format it
# was made in. Registered for knitr without depending on it (NAMESPACE: S3method(knitr::...)).

#' Print a table in R Markdown and Quarto
#'
#' The method knitr uses for a [dm_table()] result in a code chunk: the table
#' is rendered for the output format of the document, as an HTML fragment
#' with classes and its stylesheet, as LaTeX (add `booktabs`, `tabularx` and
#' `threeparttable` to the preamble), or as a pipe table (Word and other
#' formats, through pandoc).
#'
#' @param x A [dm_table()] result.
#' @param options,inline Passed by knitr.
#' @param ... Nothing else: any other argument is an error.
#' @return A `knit_asis` object.
#' @family tables
#' @exportS3Method knitr::knit_print
#' @examples
#' tab <- dm_table(dm_agree(flanders_dm), title = "Items")
#' if (requireNamespace("knitr", quietly = TRUE)) knitr::knit_print(tab)
knit_print.dm_table <- function(x, options = NULL, inline = FALSE, ...) {
  check_dots_strict(..., .fun = "knit_print()", .formals = c("x", "options", "inline"))
  spec <- attr(x, "spec")
  if (is.null(spec)) return(knitr::asis_output(paste(unclass(x), collapse = "\n")))
  if (knitr::is_html_output()) {
    out <- c("<style>", dm_table_css(), "</style>", render_html(spec))
  } else if (knitr::is_latex_output()) {
    out <- render_latex(spec)
    knitr::knit_meta_add(latex_dependencies())
  } else {
    out <- render_markdown(spec)
  }
  knitr::asis_output(paste(c("", out, ""), collapse = "\n"))
}

# rmarkdown's latex_dependency objects: the packages go into the document's preamble.
latex_dependencies <- function() {
  lapply(c("booktabs", "tabularx", "threeparttable", "rotating"), function(p) {
    structure(list(name = p, options = NULL, extra_lines = NULL), class = "latex_dependency")
  })
}
