# The Word renderer of dm_table(): an APA table through flextable (CRAN's; Debian's
# 0.8.4 with officer 0.6.0 wrote stray row names inside <w:tr>, which Word refuses) on
# an A4 portrait page. Column widths come from the measured text, so that neither Word
# nor LibreOffice breaks a word: a number column is as wide as its widest cell, the
# label column at least as wide as its longest word. Estimates and the bracketed
# numbers align on their decimal points through decimal tab stops.

docx_page <- list(width = 8.27, height = 11.69, margin = 1)
docx_font <- "Times New Roman"

render_docx <- function(spec, file) {
  for (p in c("flextable", "officer", "gdtools")) {
    if (!requireNamespace(p, quietly = TRUE)) {
      dm_abort(sprintf(paste0("`format = \"docx\"` needs the %s package; install it with ",
                              "install.packages(c(\"flextable\", \"officer\", \"gdtools\")) ",
                              "(flextable >= 0.9: Debian's 0.8.4 writes invalid Word XML)."), p),
               type = "missing_package")
    }
  }
  lay <- docx_layout(spec)
  if (!lay$fits) {
    # too wide for a portrait page in any layout: a landscape page
    wide <- docx_layout(spec, usable = docx_page$height - 2 * docx_page$margin,
                        height = docx_page$width - 2 * docx_page$margin)
    lay <- c(wide[setdiff(names(wide), "landscape")], landscape = TRUE)
  }
  ft <- docx_flextable(if (lay$stacked) stack_rows(spec) else spec, lay)
  doc <- officer::read_docx()
  doc <- officer::body_set_default_section(doc, officer::prop_section(
    page_size = officer::page_size(width = if (lay$landscape) docx_page$height else docx_page$width,
                                   height = if (lay$landscape) docx_page$width else docx_page$height,
                                   orient = if (lay$landscape) "landscape" else "portrait"),
    page_margins = officer::page_mar(top = docx_page$margin, bottom = docx_page$margin,
                                         left = docx_page$margin, right = docx_page$margin,
                                      header = 0.5, footer = 0.5, gutter = 0)))
  txt <- function(s, ...) officer::ftext(s, officer::fp_text(font.family = docx_font, font.size = lay$size, ...))
  keep <- officer::fp_par(keep_with_next = TRUE, padding.bottom = 2)
  if (!is.null(spec$caption)) {
    cap <- if (isTRUE(attr(spec$caption, "numbered"))) {
      officer::run_autonum(seq_id = "table", pre_label = paste0(spec$caption, " "), post_label = "",
                           prop = officer::fp_text(font.family = docx_font, font.size = lay$size, bold = TRUE))
    } else txt(spec$caption, bold = TRUE)
    doc <- officer::body_add_fpar(doc, officer::fpar(cap, fp_p = keep))
  }
  if (!is.null(spec$title)) {
    doc <- officer::body_add_fpar(doc, officer::fpar(txt(spec$title, italic = TRUE), fp_p = keep))
  }
  doc <- flextable::body_add_flextable(doc, ft, align = "left")
  notes <- table_notes(spec)
  note_par <- officer::fp_par(padding.top = 2, line_spacing = 1)
  note_txt <- function(s, ...) officer::ftext(s, officer::fp_text(font.family = docx_font, font.size = lay$size - 1, ...))
  for (k in seq_along(notes)) {
    par <- if (k == 1L) officer::fpar(note_txt(spec$words[["note"]], italic = TRUE), note_txt(paste0(" ", notes[k])),
                                      fp_p = note_par) else officer::fpar(note_txt(notes[k]), fp_p = note_par)
    doc <- officer::body_add_fpar(doc, par)
  }
  print(doc, target = file)
  render_text(spec)
}

docx_width <- function(s, size, italic = FALSE) {
  s <- as.character(s)
  out <- numeric(length(s))
  ok <- nzchar(s)
  if (any(ok)) out[ok] <- gdtools::strings_sizes(s[ok], fontname = docx_font, fontsize = size, italic = italic)$width
  out * 1.05  # a margin over the measured width: rounding in Word's layout
}

# Font size, the column widths (in) and, per model column, the decimal tab stops: the
# first size of 11, 10, 9 pt at which the number columns leave the labels at least their
# longest word and a quarter of the page; then with the bracketed numbers below the
# estimates (stacked); a table that fits in none overflows the margin at 9 pt stacked.
docx_layout <- function(spec, usable = docx_page$width - 2 * docx_page$margin,
                        height = docx_page$height - 2 * docx_page$margin) {
  first_fit <- NULL
  pad <- 0.06
  parts <- has_parts(spec)
  labels <- label_cells(spec)
  indent <- 0.2
  for (stacked in c(FALSE, if (parts) TRUE)) {
    for (size in c(11, 10, 9)) {
      num <- docx_number_columns(spec, size, stacked, pad)
      word <- max(label_word_need(spec, size, indent)) + 2 * pad
      natural <- max(docx_width(labels, size), docx_width(spec$header[1], size)) + 2 * indent + 2 * pad
      room <- usable - sum(num$widths)
      lay <- list(size = size, stacked = stacked, pad = pad, indent = indent,
                  widths = c(max(word, min(natural, room)), num$widths), tabs = num$tabs,
                  landscape = FALSE)
      lay$one_page <- docx_height(spec, lay, usable) <= height
      lay$fits <- fits <- room >= max(word, min(natural, usable / 4))
      if (fits && lay$one_page) return(lay)
      if (fits && is.null(first_fit)) first_fit <- lay
    }
  }
  # no size fits one page: the first layout that fits the width, over several pages (else
  # the last, 9 pt stacked, which may overflow the margin)
  first_fit %||% lay
}

# Widths of the number columns at a font size, and the decimal tab stops of columns of
# estimates: the first aligns the estimates' decimal points, the second the bracketed
# numbers' (stacked: one stop for both lines).
docx_number_columns <- function(spec, size, stacked, pad) {
  nc <- length(spec$header)
  hdr <- docx_width(spec$header[-1], size)
  rows <- spec$rows[vapply(spec$rows, function(r) r$kind != "heading", logical(1))]
  if (!has_parts(spec)) {
    w <- vapply(2:nc, function(j) max(docx_width(vapply(rows, function(r) r$cells[j], character(1)), size)),
                numeric(1))
    return(list(widths = pmax(w, hdr) + 2 * pad, tabs = NULL))
  }
  p <- lapply(rows[vapply(rows, function(r) !is.null(r$parts), logical(1))], function(r) docx_minus(r$parts))
  split_at_point <- function(s) {
    at <- regexpr(".", s, fixed = TRUE)
    before <- ifelse(at > 0, substr(s, 1, at - 1L), s)
    cbind(before, ifelse(at > 0, substring(s, at), ""))
  }
  gap <- docx_width("  ", size)
  tabs <- list()
  widths <- numeric(nc - 1L)
  for (j in seq_len(nc - 1L)) {
    est <- split_at_point(vapply(p, function(x) x[1, j], character(1)))
    stars <- vapply(p, function(x) x[2, j], character(1))
    br <- split_at_point(vapply(p, function(x) x[3, j], character(1)))
    a <- max(docx_width(est[, 1], size))
    b <- max(docx_width(paste0(est[, 2], stars), size))
    c <- max(docx_width(br[, 1], size))
    d <- max(docx_width(br[, 2], size))
    body <- if (stacked) max(a, c) + max(b, d) else a + b + gap + c + d
    shift <- max(0, (hdr[j] - body) / 2)  # a wide header: the numbers sit under its middle
    # (stacked: a second stop at the end that no text reaches; LibreOffice ignores a
    # cell's only decimal stop)
    tabs[[j]] <- pad + shift + if (stacked) max(a, c) + c(0, max(b, d)) else c(a, a + b + gap + c)
    widths[j] <- max(body, hdr[j]) + 2 * pad
  }
  list(widths = widths, tabs = tabs)
}

# The flextable: APA rules (above and below the header, at the bottom; a thin rule above
# the fit rows), labels left, numbers on decimal tabs (or right-aligned), headings in
# italics across the table, fixed column widths.
# (A sequence of flextable calls, one per property of the table; about 80 lines.)
docx_flextable <- function(spec, lay) {
  nc <- length(spec$header)
  headings <- any(vapply(spec$rows, `[[`, character(1), "kind") == "heading")
  cells <- t(vapply(spec$rows, function(r) {
    if (r$kind == "heading") return(c(r$cells[1], rep("", nc - 1L)))
    if (is.null(r$parts)) return(r$cells)
    p <- r$parts
    p <- docx_minus(p)
    c(r$cells[1], paste0("\t", p[1, ], p[2, ], ifelse(nzchar(p[3, ]), paste0("\t", p[3, ]), "")))
  }, character(nc)))
  if (nc == 1L) cells <- t(cells)
  df <- as.data.frame(cells, stringsAsFactors = FALSE)
  keys <- sprintf("c%d", seq_len(nc))
  names(df) <- keys
  ft <- flextable::flextable(df)
  ft <- flextable::set_header_labels(ft, values = stats::setNames(as.list(spec$header), keys))
  ft <- flextable::font(ft, fontname = docx_font, part = "all")
  ft <- flextable::fontsize(ft, size = lay$size, part = "all")
  ft <- flextable::padding(ft, padding.top = 1, padding.bottom = 1, padding.left = lay$pad * 72,
                           padding.right = lay$pad * 72, part = "all")
  ft <- flextable::line_spacing(ft, space = 1, part = "all")
  # rows as high as their text (flextable's default is at least a quarter inch)
  ft <- flextable::height_all(ft, height = 0.01, part = "all")
  ft <- flextable::hrule(ft, rule = "atleast", part = "all")
  ft <- flextable::border_remove(ft)
  thick <- officer::fp_border(width = 1, color = "black")
  thin <- officer::fp_border(width = 0.5, color = "black")
  ft <- flextable::hline_top(ft, border = thick, part = "header")
  ft <- flextable::hline_bottom(ft, border = thin, part = "header")
  ft <- flextable::hline_bottom(ft, border = thick, part = "body")
  kinds <- vapply(spec$rows, `[[`, character(1), "kind")
  if (any(kinds == "fit_first")) {
    ft <- flextable::hline(ft, i = which(kinds == "fit_first") - 1L, border = thin, part = "body")
  }
  ft <- flextable::align(ft, j = 1, align = "left", part = "all")
  ft <- flextable::align(ft, j = seq_len(nc)[-1], align = "center", part = "header")
  ft <- flextable::valign(ft, valign = "bottom", part = "header")
  ft <- flextable::valign(ft, valign = "top", part = "body")
  for (j in seq_len(nc)[-1]) {
    if (has_parts(spec)) {
      stops <- do.call(officer::fp_tabs, lapply(lay$tabs[[j - 1L]], officer::fp_tab, style = "decimal"))
      ft <- flextable::align(ft, j = j, align = "left", part = "body")
      ft <- flextable::tab_settings(ft, j = j, value = stops, part = "body")
    } else {
      ft <- flextable::align(ft, j = j, align = if (spec$align[j] == "l") "left" else "right", part = "body")
    }
  }
  ind <- vapply(spec$rows, function(r) (headings && r$kind %in% c("term", "reference")) + (r$indent %||% 0L),
                numeric(1))
  for (k in setdiff(unique(ind), 0)) {
    ft <- flextable::padding(ft, i = which(ind == k), j = 1, padding.left = (lay$pad + k * lay$indent) * 72,
                             part = "body")
  }
  for (i in which(kinds == "heading")) {
    ft <- flextable::merge_at(ft, i = i, j = seq_len(nc), part = "body")
  }
  if (any(kinds == "heading")) ft <- flextable::italic(ft, i = which(kinds == "heading"), j = 1, part = "body")
  ft <- flextable::width(ft, j = seq_len(nc), width = lay$widths)
  ft <- flextable::set_table_properties(ft, layout = "fixed", opts_word = list(split = FALSE, keep_with_next = lay$one_page))
  # a table that fits one page is kept on one page (its rows with the next); a longer
  # one repeats its header on each page
  if (lay$one_page) flextable::paginate(ft, init = TRUE, hdr_ftr = TRUE) else ft
}

# Lines of a label wrapped between words into a width (in) at a font size: Word's and
# LibreOffice's greedy line breaking.
docx_lines <- function(label, width, size) count_lines(label, width, function(s) docx_width(s, size))

# The height (in) of the table with its title and notes: a line is 1.17 times the font
# size plus the cells' padding; labels wrap in the label column, stacked cells take two
# lines, the notes wrap in the page width at one point smaller.
docx_height <- function(spec, lay, usable) {
  line <- 1.17 * lay$size / 72
  lab_w <- lay$widths[1] - 2 * lay$pad - 2 * lay$indent
  rows <- vapply(spec$rows, function(r) {
    n <- if (r$kind == "heading") 1L else docx_lines(r$cells[1], lab_w, lay$size)
    if (lay$stacked && !is.null(r$parts) && any(nzchar(r$parts[3, ]))) n <- max(n, 2L)
    n * line + 2 / 72
  }, numeric(1))
  hdr <- max(vapply(spec$header, docx_lines, integer(1), width = min(lay$widths) - 2 * lay$pad, size = lay$size))
  notes <- sum(vapply(c(paste(spec$words[["note"]], table_notes(spec)[1]), table_notes(spec)[-1]), docx_lines,
                      integer(1), width = usable, size = lay$size - 1)) * 1.17 * (lay$size - 1) / 72
  top <- (length(spec$caption) + if (is.null(spec$title)) 0 else docx_lines(spec$title, usable, lay$size)) * line
  sum(rows) + hdr * line + 2 / 72 + notes + top + 0.1
}

# The minus sign (U+2212) for a hyphen before a number, as typeset tables print it.
docx_minus <- function(s) {
  out <- gsub("(^|[ (\\[])-(?=[0-9.])", "\\1\u2212", s, perl = TRUE)
  dim(out) <- dim(s)
  out
}

# Per row, the width (in) its label's longest word needs with the row's indentation.
label_word_need <- function(spec, size, indent) {
  headings <- any(vapply(spec$rows, `[[`, character(1), "kind") == "heading")
  vapply(spec$rows[vapply(spec$rows, function(r) r$kind != "heading", logical(1))], function(r) {
    ind <- (headings && r$kind %in% c("term", "reference")) + (r$indent %||% 0L)
    max(docx_width(strsplit(r$cells[1], " ", fixed = TRUE)[[1]], size), 0) + ind * indent
  }, numeric(1))
}
