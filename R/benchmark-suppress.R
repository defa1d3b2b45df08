# Small-cell protection of what dm_report() and dm_table() show about other units: primary
# suppression below `min_n` respondents and complementary suppression, so that no
# suppressed value can be recovered by subtraction from the totals, subgroup figures and
# n's that are shown (nor pinned down by the bounds of the scale).

# A unit's report shows a chain of nested sets: the unit (its own answers, always shown),
# its peer group (the unit included) and all units. What a reader can derive about others
# are the differences: group - unit, all - group, all - unit. Each must hold no respondent
# or at least `min_n`. The group figure goes first (the overall one matters more); the
# overall figure goes if all - unit is too small. Vectorised over figures (dimensions or
# items): returns the two logical vectors `group` and `all` (TRUE: shown).
report_suppression <- function(n_unit, n_group, n_all, min_n, has_group = TRUE) {
  ok <- function(d) d == 0 | d >= min_n
  show_all <- ok(n_all - n_unit) & n_all > 0
  show_group <- has_group & n_group > n_unit & ok(n_group - n_unit) &
    (!show_all | ok(n_all - n_group))
  list(group = show_group, all = show_all)
}

# The overview (dm_table() of a benchmark): one figure per unit, per peer group (when the
# peers are a grouping column) and overall, for one dimension. `n` per unit, `group` per
# unit (NA: no group), `value` the units' raw means (what an estimate reveals, given its
# n and the model), `range` the bounds of a score. Primary suppression: units with
# 0 < n < min_n, groups with n < min_n. Complementary: within every shown parent (a group,
# or all units), the suppressed children must hold at least `min_n` respondents together,
# be more than one, and leave every primarily suppressed value a feasible range of at
# least `protection` of the scale given the parent's total and the bounds of the scale
# (a combined mean at the end of the scale pins every member down); otherwise the
# smallest shown child is suppressed too, or the parent when none is left. Repeated until
# nothing changes. Returns logical vectors `unit`, `group` (per group level) and `all`
# (TRUE: suppressed), and `primary` per unit.
overview_suppression <- function(n, group, value, range, min_n, protection = 0.25,
                                 complementary = TRUE, levels = sort(unique(group[!is.na(group)]))) {
  J <- length(n)
  gcode <- match(group, levels)
  primary <- n > 0 & n < min_n
  sup_u <- primary
  n_g <- vapply(seq_along(levels), function(g) sum(n[gcode %in% g]), numeric(1))
  sup_g <- n_g < min_n
  sup_all <- sum(n) < min_n
  if (!complementary) return(list(unit = sup_u, group = sup_g, all = sup_all, primary = primary))
  # parents: each group over its units; all over the groups (or over the units when
  # units have no group)
  repeat {
    changed <- FALSE
    for (g in seq_along(levels)) {
      if (sup_g[g]) next
      kids <- which(gcode %in% g & n > 0)
      fix <- fix_parent(n[kids], value[kids], sup_u[kids], primary[kids], range, min_n, protection)
      if (fix$parent) { sup_g[g] <- TRUE; changed <- TRUE }
      else if (any(fix$sup != sup_u[kids])) { sup_u[kids] <- fix$sup; changed <- TRUE }
    }
    if (!sup_all) {
      # children of "all": the groups, and the units without a group
      free <- which(is.na(gcode) & n > 0)
      vals_g <- vapply(seq_along(levels), function(g) {
        k <- gcode %in% g
        sum(n[k] * value[k], na.rm = TRUE) / max(n_g[g], 1)
      }, numeric(1))
      cn <- c(n_g, n[free])
      keep <- cn > 0
      cs <- c(sup_g, sup_u[free])
      cp <- c(n_g < min_n, primary[free])  # the sensitive children: small groups and units
      fix <- fix_parent(cn[keep], c(vals_g, value[free])[keep], cs[keep], cp[keep], range, min_n, protection)
      if (fix$parent) { sup_all <- TRUE; changed <- TRUE }
      else if (any(fix$sup != cs[keep])) {
        cs[keep] <- fix$sup
        sup_g <- cs[seq_along(levels)]
        sup_u[free] <- cs[-seq_along(levels)]
        changed <- TRUE
      }
    }
    if (!changed) break
  }
  list(unit = sup_u, group = sup_g, all = sup_all, primary = primary)
}

# One shown parent: the children (n, value, suppressed, primary). Suppresses the smallest
# shown children until the suppressed set is safe (see overview_suppression()); `parent`
# TRUE when no child is left to suppress.
fix_parent <- function(n, value, sup, primary, range, min_n, protection) {
  safe <- function(s) {
    if (!any(s)) return(TRUE)
    if (sum(n[s]) < min_n || sum(s) < 2L) return(FALSE)
    # feasible range of each primarily suppressed value given the suppressed total
    tot <- sum(n[s] * value[s])
    width <- (range[2] - range[1]) * protection
    for (k in which(s & primary)) {
      rest_lo <- sum(n[s]) * range[1] - n[k] * range[1]
      rest_hi <- sum(n[s]) * range[2] - n[k] * range[2]
      lo <- max(range[1], (tot - rest_hi) / n[k])
      hi <- min(range[2], (tot - rest_lo) / n[k])
      if (hi - lo < width) return(FALSE)
    }
    TRUE
  }
  while (!safe(sup)) {
    cand <- which(!sup)
    if (!length(cand)) return(list(sup = sup, parent = TRUE))
    sup[cand[order(n[cand], cand)[1]]] <- TRUE
  }
  list(sup = sup, parent = FALSE)
}
