# The renderers of dm_table(): one per format, each turning a table specification
# (header, rows of cells with their kind, notes, alignment) into text, markdown, LaTeX,
# HTML or a Word document.

pad <- function(s, width, align) {
  gap <- pmax(0L, width - nchar(s, type = "width"))
  if (align == "l") paste0(s, strrep(" ", gap)) else paste0(strrep(" ", gap), s)
}

render_text <- function(spec) {
  nc <- length(spec$header)
  if (any(vapply(spec$rows, `[[`, character(1), "kind") == "heading")) {
    # rows under a heading are indented
    spec$rows <- lapply(spec$rows, function(r) {
      if (r$kind == "term") r$cells[1] <- paste0("  ", r$cells[1])
      r
    })
  }
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
  out <- c(strrep("=", total), sub("\\s+$", "", line(spec$header)), strrep("-", total))
  for (r in spec$rows) {
    if (r$kind == "fit_first") out <- c(out, strrep("-", total))
    out <- c(out, sub("\\s+$", "", if (r$kind == "heading") r$cells[1] else line(r$cells)))
  }
  c(out, strrep("=", total), unlist(lapply(spec$notes, strwrap, width = max(60L, total))))
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
  c(out, "", paste0("*", md_escape(spec$notes), "*", c(rep("  ", length(spec$notes) - 1L), "")))
}

latex_escape <- function(s) {
  s <- gsub("\\\\", "\\\\textbackslash{}", s)
  s <- gsub("([&%$#_{}])", "\\\\\\1", s)
  s <- gsub("~", "\\\\textasciitilde{}", s)
  s <- gsub("\\^", "\\\\textasciicircum{}", s)
  s <- gsub("\u00b2", "$^2$", s)
  s <- gsub("\\\\textbackslash\\{\\}", "\\\\textbackslash{}", s)
  s
}

render_latex <- function(spec) {
  nc <- length(spec$header)
  row <- function(cells) paste0(paste(cells, collapse = " & "), " \\\\")
  out <- c(sprintf("\\begin{tabular}{%s}", paste(spec$align, collapse = "")), "\\toprule",
           row(latex_escape(spec$header)), "\\midrule")
  for (r in spec$rows) {
    if (r$kind == "fit_first") out <- c(out, "\\midrule")
    out <- c(out, if (r$kind == "heading")
      sprintf("\\multicolumn{%d}{l}{\\textit{%s}} \\\\", nc, latex_escape(r$cells[1])) else
        row(latex_escape(r$cells)))
  }
  c(out, "\\bottomrule",
    sprintf("\\multicolumn{%d}{l}{\\footnotesize %s} \\\\", nc, latex_escape(spec$notes)),
    "\\end{tabular}")
}

html_escape <- function(s) {
  s <- gsub("&", "&amp;", s, fixed = TRUE)
  s <- gsub("<", "&lt;", s, fixed = TRUE)
  s <- gsub(">", "&gt;", s, fixed = TRUE)
  gsub("\"", "&quot;", s, fixed = TRUE)
}

render_html <- function(spec) {
  nc <- length(spec$header)
  al <- ifelse(spec$align == "l", "left", "right")
  td <- function(cells, tag1 = "th") {
    paste0("<tr>", sprintf("<%s scope=\"row\" style=\"text-align: left\">%s</%s>", tag1, html_escape(cells[1]), tag1),
           paste0(sprintf("<td style=\"text-align: %s\">%s</td>", al[-1], html_escape(cells[-1])), collapse = ""),
           "</tr>")
  }
  out <- c("<table class=\"dm-table\">", "<thead>",
           paste0("<tr>", paste0(sprintf("<th scope=\"col\" style=\"text-align: %s\">%s</th>", al,
                                         html_escape(spec$header)), collapse = ""), "</tr>"),
           "</thead>", "<tbody>")
  for (r in spec$rows) {
    out <- c(out, switch(r$kind,
      heading = sprintf("<tr class=\"dm-heading\"><th colspan=\"%d\" scope=\"rowgroup\" style=\"text-align: left; font-style: italic\">%s</th></tr>",
                        nc, html_escape(r$cells[1])),
      fit_first = sub("<tr>", "<tr class=\"dm-fit\" style=\"border-top: 1px solid\">", td(r$cells), fixed = TRUE),
      td(r$cells)))
  }
  c(out, "</tbody>", "<tfoot>",
    sprintf("<tr><td colspan=\"%d\" style=\"text-align: left; font-size: smaller\">%s</td></tr>", nc,
            html_escape(spec$notes)),
    "</tfoot>", "</table>")
}

# A Word document through officer: the table in officer's own table XML (flextable
# 0.8.4 with officer 0.6.0, as Debian 12 ships them, writes stray row names inside
# <w:tr>, which is not valid WordprocessingML), then the notes as paragraphs.
render_docx <- function(spec, file) {
  if (!requireNamespace("officer", quietly = TRUE)) {
    dm_abort("`format = \"docx\"` needs the officer package; install it (Debian: r-cran-officer).",
             type = "missing_package")
  }
  nc <- length(spec$header)
  m <- do.call(rbind, lapply(spec$rows, function(r) {
    if (r$kind == "heading") c(r$cells[1], rep("", nc - 1L)) else r$cells
  }))
  df <- as.data.frame(m, stringsAsFactors = FALSE)
  hdr <- spec$header
  hdr[!nzchar(hdr)] <- " "
  names(df) <- make.unique(hdr, sep = " ")
  doc <- officer::read_docx()
  doc <- officer::body_add_table(doc, df, style = "table_template", header = TRUE,
                                 first_column = TRUE)
  for (note in spec$notes) doc <- officer::body_add_par(doc, note, style = "Normal")
  print(doc, target = file)
  render_text(spec)
}
