# The HTML of dm_report(): the page, its sections and its inline SVG figures. Every number
# is formatted here with fixed decimals, so the bytes depend on the input only.

report_css <- paste(
  "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1a1a1a;line-height:1.45;background:#fff}",
  "main{max-width:60rem;margin:0 auto;padding:1rem 1.2rem}",
  "h1{font-size:1.55rem;margin:.4rem 0}h2{font-size:1.2rem;margin-top:2rem;padding-bottom:.2rem;border-bottom:2px solid #d8dbe6}",
  "h3{font-size:1rem;margin:1.2rem 0 .3rem}p,li{max-width:48rem}",
  ".lead{color:#444}.muted{color:#666;font-size:.85em}",
  "figure{margin:1rem 0}svg{width:100%;height:auto;display:block;max-width:44rem}",
  ".table-wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.92rem}",
  "th,td{padding:.35rem .45rem;border-bottom:1px solid #e3e4ea;text-align:right;vertical-align:top}",
  "th{background:#f3f4f8;font-weight:600}th:first-child,td:first-child{text-align:left}",
  ".strength{color:#1b7837;font-weight:600}.challenge{color:#b2182b;font-weight:600}",
  "footer{font-size:.8rem;color:#666;margin:2.5rem 0 1rem}",
  "@media (max-width:40rem){main{padding:.6rem .7rem}table{font-size:.8rem}th,td{padding:.3rem .25rem}h1{font-size:1.3rem}}",
  sep = "\n")

report_page <- function(title, lang, body) {
  paste0("<!DOCTYPE html>\n<html lang=\"", lang, "\">\n<head>\n<meta charset=\"utf-8\">\n",
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
         "<title>", html_escape(title), "</title>\n<style>\n", report_css, "\n</style>\n</head>\n",
         "<body>\n<main>\n", body, "\n</main>\n</body>\n</html>\n")
}

fmt_num <- function(x, digits = 2L) ifelse(is.na(x), "", formatC(x, format = "f", digits = digits))
fmt_pct <- function(p) ifelse(is.na(p), "", formatC(100 * p, format = "f", digits = 0))

# The page of unit j.
report_html <- function(x, j, lang) {
  w <- benchmark_words[[lang]]
  id <- unique(x$units$unit)[j]
  ud <- x$units[x$units$unit == id, ]
  it <- x$items[x$items$unit == id, ]
  min_n <- attr(x, "min_n")
  has_group <- ud$peer_units[1] > 1L
  sup <- report_suppression(ud$n, ud$peer_n, ud$all_n, min_n, has_group)
  sup_i <- report_suppression(it$n, it$peer_n, it$all_n, min_n, has_group)
  name <- unit_name(id, x, lang)
  nresp <- max(ud$n)
  head <- paste0(
    "<header>\n<p class=\"muted\">", html_escape(w[["title"]]), "</p>\n<h1>", html_escape(name), "</h1>\n",
    "<p class=\"lead\">", sprintf(w[["respondents"]], nresp, if (nresp == 1) "" else if (lang == "nl") "en" else "s"),
    if (has_group) paste0(" &middot; ", html_escape(w[["peer_group"]]), ": ", html_escape(ud$peer_group[1]),
                          " (", ud$peer_units[1], ")") else "",
    "</p>\n</header>")
  body <- c(head,
            report_profile(x, ud, sup, lang),
            report_rank(x, ud, lang),
            report_items(x, it, sup_i, lang),
            report_reading(x, lang),
            sprintf("<footer>%s</footer>", html_escape(sprintf(w[["footer"]], utils::packageVersion("digimaturity")))))
  report_page(paste(w[["title"]], "-", name), lang, paste(body, collapse = "\n"))
}

# Section 1: the profile figure and its table.
report_profile <- function(x, ud, sup, lang) {
  w <- benchmark_words[[lang]]
  ins <- attr(x, "instrument")
  conf <- format(100 * attr(x, "conf_level"))
  dl <- dimension_label(ud$dimension, lang, ins)
  rng <- c(min(ins$scale_min), max(ins$scale_max))
  peers <- !is.null(attr(x, "peers"))
  svg <- profile_svg(dl, ud, sup, rng, w, peers)
  mark <- sprintf("<span title=\"%s\">%s</span>", html_escape(sprintf(w[["suppressed"]], attr(x, "min_n"))),
                  w[["suppressed_mark"]])
  rows <- vapply(seq_len(nrow(ud)), function(i) {
    r <- ud[i, ]
    est <- if (r$reportable) sprintf("%s<br><span class=\"muted\">[%s, %s]</span>", fmt_num(r$estimate),
                                     fmt_num(r$conf.low), fmt_num(r$conf.high)) else w[["not_reportable_mark"]]
    own <- sprintf("%s (%d)", if (is.na(r$mean)) w[["suppressed_mark"]] else fmt_num(r$mean), r$n)
    peer <- if (sup$group[i]) sprintf("%s (%d)", fmt_num(r$peer_mean), r$peer_n) else mark
    all <- if (sup$all[i]) sprintf("%s (%d)", fmt_num(r$all_mean), r$all_n) else mark
    paste0("<tr><td>", html_escape(dl[i]), "</td><td>", est, "</td><td>", own, "</td>",
           if (peers) paste0("<td>", peer, "</td>"), "<td>", all, "</td><td>", fmt_num(r$reliability), "</td></tr>")
  }, "")
  paste0("<section>\n<h2>", html_escape(w[["profile"]]), "</h2>\n<p>",
         html_escape(sprintf(w[["profile_intro"]], conf)), "</p>\n<figure>", svg, "</figure>\n",
         "<div class=\"table-wrap\"><table class=\"profile\">\n<thead><tr><th>", html_escape(w[["dimension"]]),
         "</th><th>", html_escape(w[["estimate"]]), " <span class=\"muted\">[", conf, "%]</span>",
         "</th><th>", html_escape(w[["fav_you"]]), " (n)</th>",
         if (peers) paste0("<th>", html_escape(w[["fav_peers_short"]]), " (n)</th>"),
         "<th>", html_escape(w[["fav_all"]]), " (n)</th><th>", html_escape(w[["reliability_short"]]),
         "</th></tr></thead>\n<tbody>\n", paste(rows, collapse = "\n"), "\n</tbody></table></div>\n</section>")
}

# The profile figure: per dimension the unit's estimate and interval, the peer mean
# (diamond) and the overall mean (line), on the scale of the scores.
profile_svg <- function(labels, ud, sup, rng, w, peers = TRUE) {
  W <- 480
  x0 <- 24
  x1 <- W - 24
  sx <- function(v) x0 + (pmin(pmax(v, rng[1]), rng[2]) - rng[1]) / (rng[2] - rng[1]) * (x1 - x0)
  top <- 44
  rowh <- 62
  H <- top + rowh * length(labels) + 26
  el <- c(
    # legend
    sprintf("<circle cx=\"%d\" cy=\"16\" r=\"6\" fill=\"#08519c\"/><text x=\"%d\" y=\"21\">%s</text>", 30, 42, html_escape(w[["you"]])),
    if (peers) sprintf("<path d=\"M%d 9l7 7-7 7-7-7z\" fill=\"#e6550d\"/><text x=\"%d\" y=\"21\">%s</text>", 172, 184, html_escape(w[["peer_group"]])),
    sprintf("<path d=\"M%d 8v16\" stroke=\"#222\" stroke-width=\"2.5\"/><text x=\"%d\" y=\"21\">%s</text>", 338, 346, html_escape(w[["all_units"]])))
  for (i in seq_along(labels)) {
    y <- top + (i - 1) * rowh
    r <- ud[i, ]
    el <- c(el, sprintf("<text x=\"%d\" y=\"%d\" font-weight=\"600\">%s</text>", x0, y + 14, html_escape(labels[i])),
            sprintf("<path d=\"M%.1f %dH%.1f\" stroke=\"#d0d3dc\" stroke-width=\"2\"/>", x0, y + 34, x1))
    if (r$reportable) {
      el <- c(el, sprintf("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"12\" rx=\"6\" fill=\"#9ecae1\"/>",
                          sx(r$conf.low), y + 28, sx(r$conf.high) - sx(r$conf.low)))
    }
    if (sup$all[i]) el <- c(el, sprintf("<path d=\"M%.1f %dv24\" stroke=\"#222\" stroke-width=\"2.5\"/>", sx(r$all_mean), y + 22))
    if (r$reportable) el <- c(el, sprintf("<circle cx=\"%.1f\" cy=\"%d\" r=\"6\" fill=\"#08519c\"/>", sx(r$estimate), y + 34))
    if (sup$group[i]) el <- c(el, sprintf("<path d=\"M%.1f %dl7 7-7 7-7-7z\" fill=\"#e6550d\" stroke=\"#fff\"/>", sx(r$peer_mean), y + 17))
  }
  ticks <- seq(rng[1], rng[2])
  yb <- H - 10
  el <- c(el, sprintf("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%d</text>", sx(ticks), yb, as.integer(ticks)))
  svg_wrap(W, H, w[["profile"]], el)
}

svg_wrap <- function(W, H, label, el) {
  paste0("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", W, " ", H, "\" role=\"img\" aria-label=\"",
         html_escape(label), "\" font-family=\"system-ui,Helvetica,Arial,sans-serif\" font-size=\"14\">",
         "<title>", html_escape(label), "</title>", paste(el, collapse = ""), "</svg>")
}

# Section 2: the percentile with its marginal and simultaneous intervals.
report_rank <- function(x, ud, lang) {
  w <- benchmark_words[[lang]]
  ins <- attr(x, "instrument")
  conf <- format(100 * attr(x, "conf_level"))
  dl <- dimension_label(ud$dimension, lang, ins)
  W <- 480
  x0 <- 24
  x1 <- W - 24
  sx <- function(p) x0 + p / 100 * (x1 - x0)
  top <- 8
  rowh <- 56
  H <- top + rowh * nrow(ud) + 24
  el <- character()
  items <- character()
  for (i in seq_len(nrow(ud))) {
    r <- ud[i, ]
    y <- top + (i - 1) * rowh
    el <- c(el, sprintf("<text x=\"%d\" y=\"%d\" font-weight=\"600\">%s</text>", x0, y + 14, html_escape(dl[i])),
            sprintf("<path d=\"M%d %dH%d\" stroke=\"#d0d3dc\" stroke-width=\"2\"/>", x0, y + 32, x1))
    if (!r$reportable) next
    el <- c(el,
            sprintf("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#deebf7\"/>",
                    sx(pct_of(r$rank.sim.high, r)), y + 24, sx(pct_of(r$rank.sim.low, r)) - sx(pct_of(r$rank.sim.high, r))),
            sprintf("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#6baed6\"/>",
                    sx(r$percentile.low), y + 24, sx(r$percentile.high) - sx(r$percentile.low)),
            sprintf("<circle cx=\"%.1f\" cy=\"%d\" r=\"6\" fill=\"#08519c\"/>", sx(r$percentile), y + 32))
    items <- c(items, sprintf("<li><strong>%s</strong>: %s %s (%s)</li>", html_escape(dl[i]),
                              html_escape(w[["percentile"]]), fmt_num(r$percentile, 0),
                              html_escape(sprintf(w[["rank_text"]], as.integer(r$rank), as.integer(r$n_ranked),
                                                  as.integer(r$rank.low), as.integer(r$rank.high), conf))))
  }
  el <- c(el, sprintf("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%d</text>",
                      sx(c(0, 25, 50, 75, 100)), H - 8, c(0L, 25L, 50L, 75L, 100L)))
  paste0("<section>\n<h2>", html_escape(w[["rank"]]), "</h2>\n<p>", html_escape(sprintf(w[["rank_intro"]], conf)),
         "</p>\n<figure>", svg_wrap(W, H, w[["rank"]], el), "</figure>\n<ul>", paste(items, collapse = ""), "</ul>\n</section>")
}

pct_of <- function(rank, r) 100 * (r$n_ranked - rank) / (r$n_ranked - 1)

# Section 3: per item the unit's "% favourable" against its peers, strengths/challenges.
report_items <- function(x, it, sup, lang) {
  w <- benchmark_words[[lang]]
  ins <- attr(x, "instrument")
  conf <- format(100 * attr(x, "conf_level"))
  lab <- ins[[paste0("label_", lang)]][match(it$item, ins$item)]
  lab[is.na(lab)] <- it$item[is.na(lab)]
  flag <- ifelse(sup$group, it$flag, NA_character_)  # no flag against a suppressed figure
  mark <- w[["suppressed_mark"]]
  listing <- function(f) {
    k <- which(flag %in% f)
    if (!length(k)) return(sprintf("<span class=\"muted\">%s</span>", html_escape(w[["none"]])))
    paste(html_escape(lab[k]), collapse = "; ")
  }
  rows <- character()
  for (d in unique(it$dimension)) {
    rows <- c(rows, sprintf("<tr><th colspan=\"4\">%s</th></tr>", html_escape(dimension_label(d, lang, ins))))
    for (k in which(it$dimension == d)) {
      f <- if (is.na(flag[k])) "" else sprintf(" <span class=\"%s\">(%s)</span>", flag[k], html_escape(w[[flag[k]]]))
      own <- if (it$n[k] > 0) sprintf("%s%% <span class=\"muted\">[%s, %s] n=%d</span>", fmt_pct(it$favourable[k]),
                                      fmt_pct(it$conf.low[k]), fmt_pct(it$conf.high[k]), it$n[k]) else mark
      peer <- if (sup$group[k]) sprintf("%s%% <span class=\"muted\">n=%d</span>", fmt_pct(it$peer_favourable[k]), it$peer_n[k]) else mark
      all <- if (sup$all[k]) sprintf("%s%% <span class=\"muted\">n=%d</span>", fmt_pct(it$all_favourable[k]), it$all_n[k]) else mark
      rows <- c(rows, sprintf("<tr><td>%s%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", html_escape(lab[k]), f, own, peer, all))
    }
  }
  paste0("<section>\n<h2>", html_escape(w[["items"]]), "</h2>\n<p>",
         html_escape(sprintf(w[["items_intro"]], format(attr(x, "threshold")), conf)), "</p>\n",
         "<p><strong class=\"strength\">", html_escape(w[["strengths"]]), ":</strong> ", listing("strength"), "</p>\n",
         "<p><strong class=\"challenge\">", html_escape(w[["challenges"]]), ":</strong> ", listing("challenge"), "</p>\n",
         "<div class=\"table-wrap\"><table class=\"items\">\n<thead><tr><th>", html_escape(w[["item"]]), "</th><th>",
         html_escape(w[["fav_you"]]), "</th><th>", html_escape(w[["fav_peers_short"]]), "</th><th>", html_escape(w[["fav_all"]]),
         "</th></tr></thead>\n<tbody>\n", paste(rows, collapse = "\n"), "\n</tbody></table></div>\n</section>")
}

# Sections 4 and 5: how to read the figures, and the method in plain language.
report_reading <- function(x, lang) {
  w <- benchmark_words[[lang]]
  rt <- w[grepl("^read_text", names(w))]
  mt <- w[grepl("^method_text", names(w))]
  rt[3] <- sprintf(rt[3], attr(x, "min_n"), w[["suppressed_mark"]])
  mt[2] <- sprintf(mt[2], attr(x, "draws"))
  paste0("<section>\n<h2>", html_escape(w[["read"]]), "</h2>\n", paste0("<p>", html_escape(rt), "</p>", collapse = "\n"),
         "\n</section>\n<section>\n<h2>", html_escape(w[["method"]]), "</h2>\n",
         paste0("<p>", html_escape(mt), "</p>", collapse = "\n"), "\n</section>")
}

# The index page of dm_reports().
report_index <- function(x, ids, files, lang) {
  w <- benchmark_words[[lang]]
  u <- x$units
  rows <- vapply(seq_along(ids), function(k) {
    r <- u[u$unit == ids[k], ]
    sprintf("<tr><td><a href=\"%s\">%s</a></td><td>%d</td><td>%s</td></tr>", html_escape(files[k]),
            html_escape(unit_name(ids[k], x, lang)), as.integer(max(r$n)),
            html_escape(ifelse(is.na(r$peer_group[1]), "", r$peer_group[1])))
  }, "")
  body <- paste0("<h1>", html_escape(w[["index_title"]]), "</h1>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>",
                 html_escape(w[["unit"]]), "</th><th>n</th><th>", html_escape(w[["peer_group"]]),
                 "</th></tr></thead>\n<tbody>\n", paste(rows, collapse = "\n"), "\n</tbody></table></div>")
  report_page(w[["index_title"]], lang, body)
}
