# Small-cell protection: the attacker. From everything the overview table (dm_table()) or a
# report (dm_report()) prints, the attacker tries to recover every suppressed figure, by
# subtraction from the totals, subgroup figures and n's shown and by the bounds of the
# scale; it must fail. The same attacker succeeds against primary suppression alone, so
# the test can fail.

bench_for <- function(d, min_n, peers = ~population_class) {
  set.seed(2)
  b <- dm_benchmark(d, peers = peers, draws = 200, min_n = min_n)
  b
}

# Which cells of the efficiency column the text table prints (TRUE: a number), per unit
# and per group, read from the printed lines.
printed_cells <- function(b, tab) {
  lines <- unclass(tab)
  ids <- unique(b$units$unit)
  unit_line <- function(id) grep(sprintf("^  Municipality %s +[0-9]+ ", id), lines, value = TRUE)
  eff <- function(line) {
    # the efficiency cell follows the n column
    rest <- sub("^ *Municipality [0-9]+ +[0-9]+ +", "", line)
    !startsWith(rest, "\u2013") && !startsWith(rest, "n.r.")
  }
  unit_shown <- vapply(ids, function(id) eff(unit_line(id)), logical(1))
  glev <- attr(b, "peers")$levels
  group_shown <- vapply(glev, function(g) {
    line <- lines[startsWith(lines, paste0("Peer group ", g, " "))]
    rest <- sub("^Peer group \\S+ +[0-9]+ +", "", line)
    !startsWith(rest, "\u2013")
  }, logical(1))
  all_line <- grep("^All municipalities", lines, value = TRUE)
  all_shown <- !startsWith(sub("^All municipalities +[0-9]+ +", "", all_line), "\u2013")
  list(unit = unit_shown, group = group_shown, all = all_shown)
}

# The attacker: knows every shown figure exactly (stronger than rounding allows), every n,
# the groups, and that each respondent's score lies in [1, 5]. Unknown are the sums of the
# suppressed units and groups; interval propagation over the equations group = sum of its
# units and all = sum of the groups, to a fixed point. Returns per unit the width of the
# feasible range of its mean (0 for shown units).
attack <- function(b, shown, lo = 1, hi = 5) {
  u <- b$units[b$units$dimension == "efficiency", ]
  n <- u$n
  g <- match(u$peer_group, attr(b, "peers")$levels)
  G <- length(attr(b, "peers")$levels)
  sums <- u$n * attr(b, "raw_for_test")
  ulo <- ifelse(shown$unit, sums, n * lo); uhi <- ifelse(shown$unit, sums, n * hi)
  gsum <- vapply(seq_len(G), function(k) sum(sums[g == k]), 0)
  gn <- vapply(seq_len(G), function(k) sum(n[g == k]), 0)
  glo <- ifelse(shown$group, gsum, gn * lo); ghi <- ifelse(shown$group, gsum, gn * hi)
  tot <- sum(sums)
  alo <- if (shown$all) tot else sum(n) * lo
  ahi <- if (shown$all) tot else sum(n) * hi
  # the equations form a tree of depth two: three passes reach the fixed point (more would
  # only amplify rounding errors of the exact totals)
  for (it in 1:3) {
    # group equations
    for (k in seq_len(G)) {
      m <- which(g == k)
      glo[k] <- max(glo[k], sum(ulo[m])); ghi[k] <- min(ghi[k], sum(uhi[m]))
      for (j in m) {
        ulo[j] <- max(ulo[j], glo[k] - sum(uhi[setdiff(m, j)]))
        uhi[j] <- min(uhi[j], ghi[k] - sum(ulo[setdiff(m, j)]))
      }
    }
    alo <- max(alo, sum(glo)); ahi <- min(ahi, sum(ghi))
    for (k in seq_len(G)) {
      glo[k] <- max(glo[k], alo - sum(ghi[-k]))
      ghi[k] <- min(ghi[k], ahi - sum(glo[-k]))
    }
  }
  list(width = (uhi - ulo) / pmax(n, 1), primary = n > 0 & n < attr(b, "min_n"),
       group_width = (ghi - glo) / pmax(gn, 1), group_primary = gn < attr(b, "min_n"))
}

with_truth <- function(b, d) {
  s <- dm_score(d)
  u <- b$units[b$units$dimension == "efficiency", ]
  attr(b, "raw_for_test") <- as.vector(tapply(s$efficiency, factor(d$municipality, levels = as.integer(u$unit)), mean))
  b
}

one_small_unit <- function() {
  # the >=50000 group keeps one unit of one respondent and units of 3-4
  d <- flanders_dm
  d[!d$municipality %in% c(138, 225), ]
}

test_that("the overview's suppressed values cannot be recovered; primary suppression alone leaks", {
  cases <- list(list(d = flanders_dm, min_n = 2), list(d = flanders_dm, min_n = 3),
                list(d = flanders_dm, min_n = 5), list(d = one_small_unit(), min_n = 3))
  for (cs in cases) {
    b <- with_truth(bench_for(cs$d, cs$min_n), cs$d)
    tab <- dm_table(b)
    shown <- printed_cells(b, tab)
    u <- b$units[b$units$dimension == "efficiency", ]
    # the printed n of every group is its number of respondents
    for (g in attr(b, "peers")$levels) {
      line <- unclass(tab)[startsWith(unclass(tab), paste0("Peer group ", g, " "))]
      expect_equal(as.numeric(sub("^Peer group \\S+ +([0-9]+) .*", "\\1", line)),
                   sum(b$units$n[b$units$dimension == "efficiency" & b$units$peer_group %in% g]))
    }
    # the table prints no suppressed value: every primary cell is a mark
    expect_false(any(shown$unit[u$n < cs$min_n]))
    a <- attack(b, shown)
    # no primary cell is pinned down to within half a scale point
    expect_true(all(a$width[a$primary] >= 0.5 - 1e-9), info = sprintf("min_n = %d", cs$min_n))
    expect_true(all(a$group_width[a$group_primary] >= 0.5 - 1e-9))
  }
  # primary suppression alone: the one small unit of the >=50000 group is recovered exactly
  b <- with_truth(bench_for(one_small_unit(), 3), one_small_unit())
  sup <- benchmark_overview_suppression(b, complementary = FALSE)$efficiency
  naive <- list(unit = !sup$unit, group = !sup$group, all = !sup$all)
  a <- attack(b, naive)
  u <- b$units[b$units$dimension == "efficiency", ]
  expect_lt(a$width[u$unit == "78"], 1e-9)
  # complementary suppression hid a second unit of that group
  full <- benchmark_overview_suppression(b)$efficiency
  grp <- u$peer_group == ">=50000"
  expect_gte(sum(full$unit[grp]), 2L)
})

test_that("fix_parent also protects against the bounds of the scale", {
  # two suppressed units whose combined mean is the top of the scale: both would be known
  fx <- fix_parent(n = c(2, 3, 4, 4), value = c(5, 5, 3, 4), sup = c(TRUE, TRUE, FALSE, FALSE),
                   primary = c(TRUE, TRUE, FALSE, FALSE), range = c(1, 5), min_n = 5, protection = 0.25)
  expect_gte(sum(fx$sup), 3L)
  # nothing left to suppress: the parent goes
  fx <- fix_parent(n = c(1), value = 3, sup = TRUE, primary = TRUE, range = c(1, 5), min_n = 5,
                   protection = 0.25)
  expect_true(fx$parent)
})

# The report's printed figures, parsed from the HTML: per row of the profile table the
# unit's n, and the n of the peer and overall cells (NA: suppressed).
report_figures <- function(html, table = "profile") {
  doc <- xml2::read_html(unclass(html))
  rows <- xml2::xml_find_all(doc, sprintf("//table[@class='%s']/tbody/tr[td]", table))
  cells <- lapply(rows, function(r) xml2::xml_text(xml2::xml_find_all(r, "td")))
  num_n <- function(x, pat) {
    m <- regmatches(x, regexec(pat, x))[[1]]
    if (length(m)) as.numeric(m[2]) else NA_real_
  }
  if (table == "profile") {
    data.frame(own = vapply(cells, function(c) num_n(c[3], "\\((\\d+)\\)"), 0),
               group = vapply(cells, function(c) num_n(c[4], "\\((\\d+)\\)"), 0),
               all = vapply(cells, function(c) num_n(c[5], "\\((\\d+)\\)"), 0))
  } else {
    data.frame(own = vapply(cells, function(c) num_n(c[2], "n=(\\d+)"), 0),
               group = vapply(cells, function(c) num_n(c[3], "n=(\\d+)"), 0),
               all = vapply(cells, function(c) num_n(c[4], "n=(\\d+)"), 0))
  }
}

# What the attacker derives about others from one report: every difference of printed
# nested sets (group - own, all - group, all - own) must hold 0 or at least min_n.
derivable_ok <- function(f, min_n) {
  ok <- function(d) is.na(d) | d == 0 | d >= min_n
  own <- ifelse(is.na(f$own), 0, f$own)
  all(ok(f$group - own), ok(f$all - f$group), ok(f$all - own))
}

test_that("no report lets its reader compute a group of other units below min_n", {
  skip_if_not_installed("xml2")
  d <- flanders_dm
  d$pg <- ifelse(d$municipality %in% c(9, 78), "A", "B")
  set.seed(3)
  b <- dm_benchmark(d, peers = ~pg, draws = 200)
  html <- dm_report(b, 9, lang = "en")
  f <- report_figures(html)
  # group {9 (4), 78 (1)}: group - own = unit 78 alone, so the group figure is not printed
  expect_true(all(is.na(f$group)))
  expect_false(any(grepl(formatC(b$units$peer_mean[b$units$unit == "9"][1], format = "f", digits = 2),
                         html, fixed = TRUE)))
  expect_true(derivable_ok(f, 5))
  fi <- report_figures(html, "items")
  expect_true(derivable_ok(fi, 5))
  # had it been printed, unit 78's own score would follow by subtraction: the attack works
  u9 <- b$units[b$units$unit == "9" & b$units$dimension == "efficiency", ]
  s <- dm_score(d)
  recovered <- (u9$peer_n * u9$peer_mean - 4 * mean(s$efficiency[d$municipality == 9])) / (u9$peer_n - 4)
  expect_equal(recovered, s$efficiency[d$municipality == 78])
  # the partner's report: the same
  f78 <- report_figures(dm_report(b, 78, lang = "nl"))
  expect_true(all(is.na(f78$group)))
  # every report of flanders_dm by population class passes
  set.seed(4)
  b2 <- dm_benchmark(flanders_dm, peers = ~population_class, draws = 200)
  for (id in unique(b2$units$unit)[seq(1, 183, by = 20)]) {
    h <- dm_report(b2, id, lang = "en")
    expect_true(derivable_ok(report_figures(h), 5))
    expect_true(derivable_ok(report_figures(h, "items"), 5))
  }
})

test_that("report_suppression() follows its stated chain rule", {
  s <- report_suppression(n_unit = c(4, 4, 4, 1), n_group = c(5, 10, 20, 3), n_all = c(100, 100, 23, 4),
                          min_n = 5)
  expect_equal(s$group, c(FALSE, TRUE, FALSE, FALSE))
  expect_equal(s$all, c(TRUE, TRUE, TRUE, FALSE))
})
