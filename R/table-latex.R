# The LaTeX renderer of dm_table(): a booktabs `tabularx` of the line width inside a
# `threeparttable` (notes wrap under the table), the estimates and the bracketed numbers
# in columns of their own so that they align on their decimal points, the stars as
# superscripts. The size (or, for many models, the standard errors below the estimates)
# is chosen from the width of the numbers, so the table fits \textwidth of `article`.

latex_escape <- function(s) {
  s <- gsub("\\", "\001", s, fixed = TRUE)
  s <- gsub("([&%$#_{}])", "\\\\\\1", s)
  s <- gsub("~", "\\\\textasciitilde{}", s)
  s <- gsub("\\^", "\\\\textasciicircum{}", s)
  s <- gsub("\001", "\\textbackslash{}", s, fixed = TRUE)
  s <- gsub("\u00b2", "$^2$", s)
  s <- gsub("\u2014", "---", s)
  s <- gsub("<", "$<$", s, fixed = TRUE)
  s <- gsub(">", "$>$", s, fixed = TRUE)
  # a minus: before a number, or between spaces ("n - k"); hyphens in words stay
  s <- gsub("(^|[ (\\[])-(?=[0-9.])", "\\1$-$", s, perl = TRUE)
  gsub(" - ", " $-$ ", s, fixed = TRUE)
}

# Widths of strings in points in Computer Modern at 10pt (cmr10's advance widths,
# rounded; letters at their average), enough to choose a layout with a margin.
latex_width <- function(s) {
  vapply(strsplit(as.character(s), ""), function(ch) {
    w <- rep(5, length(ch))
    w[ch %in% c(".", ",", ";", ":", "[", "]", "i", "l", "j", "'", "|")] <- 2.78
    w[ch %in% c("(", ")", "t", "f", "r")] <- 3.89
    w[ch == " "] <- 3.33
    w[ch %in% c("-", "+", "<", ">", "=")] <- 7.78
    w[ch %in% c("%", "m", "w", "M", "W")] <- 8.33
    w[grepl("[A-Z]", ch) & !ch %in% c("M", "W")] <- 7.2
    sum(w)
  }, numeric(1))
}

# The layout that fits \textwidth and \textheight of `article` (10pt: 345pt x 550pt):
# a font size (normal, \small, \footnotesize) and whether the bracketed numbers go
# below the estimates ("stacked"). Among the layouts whose number columns leave the
# labels a third of the width (and their longest word), the first that fits one page
# with labels on one line, else the first that fits one page, else the first.
latex_layout <- function(spec, textwidth = 345, textheight = 550) {
  labels <- label_cells(spec)
  natural <- max(latex_width(labels)) + 24
  word_min <- 1.1 * max(latex_width(unlist(strsplit(labels, "[ _]")))) + 24
  sizes <- c(normalsize = 1, small = 0.9, footnotesize = 0.8, scriptsize = 0.7)
  cands <- list()
  # (on a landscape page, as a last resort, half the space between columns)
  for (tight in c(FALSE, if (textwidth > 345) TRUE)) {
    for (stacked in c(FALSE, if (has_parts(spec)) TRUE)) {
      for (sz in names(sizes)) {
        f <- sizes[[sz]]
        nw <- latex_number_width(spec, stacked)
        # \tabcolsep does not scale with the font (12pt for the label column too); 5% margin
        room <- textwidth - 1.05 * f * nw - (attr(nw, "sep") + 12) / (1 + tight)
        if (room < f * word_min) next
        h <- latex_height(spec, stacked, f, room / f - 24, textwidth / f)
        cands[[length(cands) + 1L]] <- list(size = sz, stacked = stacked, page = h <= textheight,
                                            one_line = f * natural <= room, third = room >= textwidth / 3,
                                            landscape = textwidth > 345, tight = tight, room = room)
      }
    }
  }
  # scriptsize only when nothing else fits, and a label column of a third of the line
  # before a landscape page
  prefs <- list(function(x) x$third && x$page && x$one_line && x$size != "scriptsize",
                function(x) x$third && x$page && x$size != "scriptsize",
                function(x) x$third && x$size != "scriptsize", function(x) x$third)
  for (ok in prefs) {
    hit <- Filter(ok, cands)
    if (length(hit)) return(hit[[1]])
  }
  # landscape and still narrow: the layout that leaves the labels the most room
  if (textwidth > 345 && length(cands)) return(cands[[which.max(vapply(cands, `[[`, 0, "room"))]])
  # too wide for a portrait page in any size: a landscape page (sidewaystable), whose
  # line is the portrait page's text height
  if (textwidth <= 345) return(latex_layout(spec, textwidth = textheight, textheight = 345))
  list(size = "scriptsize", stacked = has_parts(spec), landscape = TRUE, tight = TRUE)
}

# Lines of a label broken between words into a width (greedy, as TeX's ragged right).
count_lines <- function(label, width, measure) {
  w <- measure(strsplit(label, " ", fixed = TRUE)[[1]])
  if (!length(w)) return(1L)
  space <- measure(" ")
  lines <- 1L
  used <- w[1]
  for (k in seq_along(w)[-1]) {
    if (used + space + w[k] > width) {
      lines <- lines + 1L
      used <- w[k]
    } else used <- used + space + w[k]
  }
  lines
}

# The height (pt) of the table at a size factor: 12pt lines (normal size) for the rows,
# labels wrapped in the label width, stacked rows twice, notes at \footnotesize.
latex_height <- function(spec, stacked, f, label_width, text_width) {
  rows <- vapply(spec$rows, function(r) {
    n <- if (r$kind == "heading") 1L else count_lines(r$cells[1], label_width, latex_width)
    if (stacked && !is.null(r$parts) && any(nzchar(r$parts[3, ]))) n <- max(n, 2L)
    n
  }, numeric(1))
  notes <- sum(vapply(table_notes(spec), count_lines, integer(1), width = text_width / 0.8,
                      measure = latex_width))
  f * (12 * (sum(rows) + 3) + 9.5 * 0.8 * notes) + 40
}

has_parts <- function(spec) any(vapply(spec$rows, function(r) !is.null(r$parts), logical(1)))

label_cells <- function(spec) {
  vapply(spec$rows[vapply(spec$rows, function(r) r$kind != "heading", logical(1))],
         function(r) r$cells[1], character(1))
}

# The width (pt, at 10pt) of the number columns, with their separation (pt, fixed) in
# attr(, "sep").
latex_number_width <- function(spec, stacked) {
  sep <- 12
  nc <- length(spec$header)
  if (!has_parts(spec)) {
    w <- vapply(2:nc, function(j) {
      max(latex_width(c(spec$header[j], vapply(spec$rows, function(r) if (r$kind == "heading") "" else r$cells[j],
                                               character(1)))))
    }, numeric(1))
    return(structure(sum(w), sep = sep * length(w)))
  }
  parts <- lapply(spec$rows[vapply(spec$rows, function(r) !is.null(r$parts), logical(1))], `[[`, "parts")
  w <- vapply(seq_len(nc - 1L), function(j) {
    p <- vapply(parts, function(x) x[, j], character(3))
    est <- max(latex_width(p[1, ]))
    st <- 3.5 * max(nchar(p[2, ]))
    br <- max(latex_width(p[3, ]))
    body <- if (stacked) max(est, br) + st else est + st + 4 + br
    max(body, latex_width(spec$header[j + 1L]))
  }, numeric(1))
  structure(sum(w), sep = sep * length(w))
}

# (One pass from the layout to the lines of the document, in their order: column
# specification, header, body rows in their three layouts, notes, float; about 80 lines.)
render_latex <- function(spec, standalone = FALSE) {
  lay <- latex_layout(spec)
  parts <- has_parts(spec)
  nm <- length(spec$header) - 1L
  per <- if (!parts) 1L else if (lay$stacked) 2L else 3L
  ncol <- 1L + per * nm
  colspec <- paste0(">{\\raggedright\\arraybackslash}X",
                    if (!parts) paste(spec$align[-1], collapse = "") else
                      strrep(if (lay$stacked) "r@{}l" else "r@{}l@{\\hspace{0.4em}}r", nm))
  headings <- any(vapply(spec$rows, `[[`, character(1), "kind") == "heading")
  label <- function(r) {
    ind <- (headings && r$kind %in% c("term", "reference")) + (r$indent %||% 0L)
    # wrapped lines hang one em further
    paste0(sprintf("\\hangindent=%sem\\hangafter=1", format(ind + 1)),
           if (ind > 0L) sprintf("\\hspace*{%sem}", format(ind)),
           gsub("\\_", "\\_\\allowbreak{}", latex_escape(r$cells[1]), fixed = TRUE))  # term ids break after _
  }
  sup <- function(s) ifelse(nzchar(s), sprintf("\\textsuperscript{%s}", latex_escape(s)), "")
  row <- function(cells) paste0(paste(cells, collapse = " & "), " \\\\")
  hdr <- if (!parts) latex_escape(spec$header) else
    c(latex_escape(spec$header[1]), sprintf("\\multicolumn{%d}{c}{%s}", per, latex_escape(spec$header[-1])))
  body <- character()
  for (r in spec$rows) {
    if (r$kind == "fit_first") body <- c(body, "\\midrule")
    if (r$kind == "heading") {
      body <- c(body, sprintf("\\multicolumn{%d}{@{}l}{\\textit{%s}} \\\\", ncol, latex_escape(r$cells[1])))
    } else if (!parts || is.null(r$parts)) {
      body <- c(body, row(c(label(r), latex_escape(r$cells[-1]))))
    } else if (lay$stacked) {
      p <- r$parts
      body <- c(body, row(c(label(r), as.vector(rbind(latex_escape(p[1, ]), sup(p[2, ]))))))
      if (any(nzchar(p[3, ]))) body <- c(body, row(c("", as.vector(rbind(latex_escape(p[3, ]), "")))))
    } else {
      p <- r$parts
      body <- c(body, row(c(label(r), as.vector(rbind(latex_escape(p[1, ]), sup(p[2, ]), latex_escape(p[3, ]))))))
    }
  }
  notes <- latex_escape(table_notes(spec))
  notes[1] <- paste0("\\textit{", spec$words[["note"]], "} ", notes[1])
  float <- !is.null(spec$title) || !is.null(spec$caption) || lay$landscape
  env <- if (lay$landscape) "sidewaystable" else "table"
  out <- c(if (float) c(sprintf("\\begin{%s}%s", env, if (lay$landscape) "" else "[htbp]"), "\\centering") else
             "\\begin{center}",
           sprintf("\\%s", lay$size), if (isTRUE(lay$tight)) "\\setlength{\\tabcolsep}{3pt}",
           "\\begin{threeparttable}", latex_caption(spec),
           sprintf("\\begin{tabularx}{\\linewidth}{%s}", colspec), "\\toprule", row(hdr), "\\midrule",
           body, "\\bottomrule", "\\end{tabularx}",
           "\\begin{tablenotes}[flushleft]", "\\footnotesize", paste("\\item", notes), "\\end{tablenotes}",
           "\\end{threeparttable}", if (float) sprintf("\\end{%s}", env) else "\\end{center}")
  if (!standalone) return(out)
  c("\\documentclass{article}", "\\usepackage[utf8]{inputenc}",
    latex_preamble(), "\\begin{document}", out, "\\end{document}")
}

# The packages a document needs for dm_table(format = "latex").
latex_preamble <- function() {
  c("\\usepackage{booktabs}", "\\usepackage{tabularx}", "\\usepackage{threeparttable}", "\\usepackage{rotating}")
}

# A numbered \caption (caption = TRUE, or a title alone), or the given number line in
# bold above the italic title (APA).
latex_caption <- function(spec) {
  title <- if (!is.null(spec$title)) latex_escape(spec$title)
  if (is.null(spec$caption)) return(if (!is.null(title)) sprintf("\\caption{%s}", title))
  if (isTRUE(attr(spec$caption, "numbered"))) return(sprintf("\\caption{%s}", title %||% ""))
  c(sprintf("\\textbf{%s}\\par", latex_escape(spec$caption)),
    if (!is.null(title)) sprintf("\\smallskip\\textit{%s}\\par", title), "\\medskip")
}
