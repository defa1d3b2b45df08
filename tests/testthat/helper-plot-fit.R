# Does a figure fit its page? `plot_fit_problems()` draws a ggplot on a (cairo) pdf device of the
# given size (inches), forces the grob tree and measures, in device inches, every text
# label and every point that was drawn:
#   - "device":  a label that extends beyond the device (cut off in the file);
#   - "clipped": a label or point that extends beyond the clipping viewport it is drawn in
#                (a panel: ggplot cuts it there, e.g. "n = 14" for "n = 148");
#   - "overlap": two labels whose boxes overlap by more than 1 pt in both directions
#                (overprinted axis labels, a caption on the legend);
#   - "tiny":    a label smaller than `min_size` points.
# Each label is measured on its own (a text grob with one label, its own x, y, rotation and
# justification) with grid's grobX()/grobY() at 0, 90, 180 and 270 degrees, which give the
# label's box for text rotated by a multiple of 90 degrees (all text of these plots), and
# converted to device coordinates with deviceLoc() inside the viewport the grob was drawn in
# (grid.ls() reports that path). A data frame with one row per problem (none: 0 rows).
plot_fit_problems <- function(p, width, height, min_size = 6, overlap_pt = 1) {
  # a cairo device measures every character (the pdf device's Latin-1 metrics do not know
  # the dagger or the triangles of the figures)
  f <- tempfile(fileext = ".pdf")
  if (capabilities("cairo")) grDevices::cairo_pdf(f, width = width, height = height) else
    grDevices::pdf(f, width = width, height = height)
  on.exit({grDevices::dev.off(); unlink(f)}, add = TRUE)
  g <- ggplot2::ggplotGrob(p)
  grid::grid.newpage()
  grid::grid.draw(g)
  grid::grid.force()
  ls <- grid::grid.ls(viewports = TRUE, fullNames = TRUE, print = FALSE)
  ls_short <- grid::grid.ls(viewports = TRUE, fullNames = FALSE, print = FALSE)
  boxes <- list()
  pts <- list()
  clips <- list()  # clip rectangles by viewport path, computed once
  for (i in seq_along(ls$name)) {
    if (ls$type[i] != "grobListing") next
    kind <- sub("\\[.*$", "", ls$name[i])
    if (!kind %in% c("text", "points")) next
    path <- c(if (nzchar(ls_short$gPath[i])) strsplit(ls_short$gPath[i], "::", fixed = TRUE)[[1]],
              ls_short$name[i])
    gr <- grid::grid.get(do.call(grid::gPath, as.list(path)), strict = TRUE)
    vp <- sub("^ROOT(::)?", "", ls_short$vpPath[i])
    grid::upViewport(0)
    key <- paste0("vp:", vp)
    if (is.null(clip <- clips[[key]])) clips[[key]] <- clip <- clip_rect(vp, width, height)
    if (nzchar(vp)) grid::downViewport(do.call(grid::vpPath, as.list(strsplit(vp, "::", fixed = TRUE)[[1]])))
    if (!is.null(gr$vp)) gr$vp <- NULL  # its own viewport is the last of `vp`
    if (kind == "text") {
      b <- text_boxes(gr)
      if (nrow(b)) boxes[[length(boxes) + 1L]] <- cbind(b, clip_l = clip[1], clip_b = clip[2],
                                                          clip_r = clip[3], clip_t = clip[4])
    } else {
      pts[[length(pts) + 1L]] <- cbind(point_boxes(gr), clip_l = clip[1], clip_b = clip[2],
                                       clip_r = clip[3], clip_t = clip[4])
    }
  }
  grid::upViewport(0)
  b <- do.call(rbind, boxes)
  pt <- do.call(rbind, pts)
  tol <- 0.5 / 72
  prob <- list()
  add <- function(kind, lab, rows) {
    if (length(rows)) prob[[length(prob) + 1L]] <<- data.frame(problem = kind, label = lab[rows],
                                                             stringsAsFactors = FALSE)
  }
  if (!is.null(b)) {
    add("device", b$label, which(b$l < -tol | b$b < -tol | b$r > width + tol | b$t > height + tol))
    add("clipped", b$label, which(b$l < b$clip_l - tol | b$b < b$clip_b - tol |
                                    b$r > b$clip_r + tol | b$t > b$clip_t + tol))
    add("tiny", b$label, which(b$size < min_size))
    ov <- overlapping(b, overlap_pt / 72)
    if (nrow(ov)) add("overlap", paste(b$label[ov[, 1]], "|", b$label[ov[, 2]]), seq_len(nrow(ov)))
  }
  if (!is.null(pt)) {
    add("clipped", sprintf("point (%.2f, %.2f)", pt$x, pt$y),
        which(pt$x - pt$rad < pt$clip_l - tol | pt$x + pt$rad > pt$clip_r + tol |
                pt$y - pt$rad < pt$clip_b - tol | pt$y + pt$rad > pt$clip_t + tol))
  }
  out <- do.call(rbind, prob)
  if (is.null(out)) out <- data.frame(problem = character(), label = character())
  attr(out, "boxes") <- b
  attr(out, "points") <- pt
  out
}

# The device rectangle (l, b, r, t in inches) that the viewport path `vp` clips to: the
# intersection of the rectangles of the clipping viewports along it (the device if none).
clip_rect <- function(vp, width, height) {
  r <- c(0, 0, width, height)
  if (!nzchar(vp)) return(r)
  parts <- strsplit(vp, "::", fixed = TRUE)[[1]]
  for (k in seq_along(parts)) {
    grid::upViewport(0)
    grid::downViewport(do.call(grid::vpPath, as.list(parts[seq_len(k)])))
    cl <- grid::current.viewport()$clip
    if (isTRUE(cl) || identical(cl, "on")) {
      lo <- grid::deviceLoc(grid::unit(0, "npc"), grid::unit(0, "npc"))
      hi <- grid::deviceLoc(grid::unit(1, "npc"), grid::unit(1, "npc"))
      r <- c(max(r[1], as.numeric(lo$x)), max(r[2], as.numeric(lo$y)),
             min(r[3], as.numeric(hi$x)), min(r[4], as.numeric(hi$y)))
    }
  }
  grid::upViewport(0)
  r
}

# One row per label of a text grob: its box in device inches and its size in points.
text_boxes <- function(gr) {
  lab <- gr$label
  n <- length(lab)
  if (!n) return(data.frame())
  rx <- function(v) if (is.null(v)) NULL else rep_len(v, n)
  rot <- rx(gr$rot); hj <- rx(gr$hjust); vj <- rx(gr$vjust)
  x <- rep(gr$x, length.out = n); y <- rep(gr$y, length.out = n)
  gp <- gr$gp
  fs <- grid::get.gpar("fontsize")$fontsize
  cex <- grid::get.gpar("cex")$cex
  out <- vector("list", n)
  for (i in seq_len(n)) {
    gpi <- if (length(gp)) gp[rep_len(seq_len(max(lengths(unclass(gp)))), n)[i]] else gp
    li <- if (is.character(lab)) lab[i] else lab[[i]]
    if (is.character(li) && !nzchar(li)) next
    t <- grid::textGrob(li, x[i], y[i], just = gr$just, hjust = hj[i], vjust = vj[i],
                        rot = rot[i] %or% 0, gp = gpi)
    w <- grid::deviceLoc(grid::grobX(t, 180), grid::grobY(t, 270))
    e <- grid::deviceLoc(grid::grobX(t, 0), grid::grobY(t, 90))
    size <- (gpi$fontsize %or% fs) * (gpi$cex %or% cex)
    out[[i]] <- data.frame(label = paste(as.character(li), collapse = " "),
                           l = as.numeric(w$x), b = as.numeric(w$y),
                           r = as.numeric(e$x), t = as.numeric(e$y), size = size,
                           stringsAsFactors = FALSE)
  }
  do.call(rbind, out) %or% data.frame()
}

# The points of a points grob: centres in device inches and a radius (inches) from the
# size of the symbol (ggplot2 draws a point of `size` as pch of fontsize size * .pt).
point_boxes <- function(gr) {
  n <- max(length(gr$x), length(gr$y))
  loc <- grid::deviceLoc(rep(gr$x, length.out = n), rep(gr$y, length.out = n))
  fs <- rep_len(gr$gp$fontsize %or% 12, n)
  data.frame(x = as.numeric(loc$x), y = as.numeric(loc$y), rad = 0.35 * fs / 72)
}

# Pairs of boxes (rows of `b`) that overlap by more than `tol` inches in both directions.
overlapping <- function(b, tol) {
  n <- nrow(b)
  if (n < 2L) return(matrix(integer(), 0, 2))
  ij <- which(upper.tri(matrix(TRUE, n, n)), arr.ind = TRUE)
  i <- ij[, 1]; j <- ij[, 2]
  ox <- pmin(b$r[i], b$r[j]) - pmax(b$l[i], b$l[j])
  oy <- pmin(b$t[i], b$t[j]) - pmax(b$b[i], b$b[j])
  hit <- ox > tol & oy > tol
  cbind(i[hit], j[hit])
}

# The three pages of issue #20: ggsave's default, a journal page column, a slide.
plot_pages <- list(square = c(7, 7), column = c(6.5, 9), slide = c(10, 5.6))

# A readable message of the problems of `p` at each page (empty when it fits everywhere).
plot_fit_report <- function(p, pages = plot_pages) {
  out <- character()
  for (nm in names(pages)) {
    pr <- plot_fit_problems(p, pages[[nm]][1], pages[[nm]][2])
    if (nrow(pr)) {
      out <- c(out, sprintf("%s (%g x %g in): %s", nm, pages[[nm]][1], pages[[nm]][2],
                            paste(utils::head(sprintf("%s '%s'", pr$problem, pr$label), 8),
                                  collapse = "; ")))
    }
  }
  out
}

`%or%` <- function(a, b) if (is.null(a)) b else a
