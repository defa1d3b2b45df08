# Few clusters: when the t and F reference distributions of cluster-robust inference
# cannot be trusted. One rule (few_clusters_check()), one classed warning raised once by
# each front end (dm_lm(), summary(), dm_table(), dm_wald()), and a note in printouts
# and tables. The rule and its sources are documented in ?few_clusters.

#' Few clusters: when cluster-robust t and F tests cannot be trusted
#'
#' Cluster-robust standard errors are consistent as the number of clusters G
#' grows; with few clusters, or with a coefficient identified by a few of them,
#' the t and F reference distributions of their tests can be far off, and
#' p-values, stars and confidence intervals with them. [dm_lm()], its
#' `summary()`, [dm_table()] and [dm_wald()] therefore warn, with a warning
#' of class `digimaturity_warning_few_clusters` (and `digimaturity_warning`),
#' and the summary printout and the table notes say so, when the rule below
#' is met. Each of these calls warns at most once.
#'
#' @section The rule:
#' A fit with a cluster-robust variance (`vcov` one of `"CR0"`, `"CR1"`,
#' `"CR1S"`, `"CR2"`, `"CR3"`) is flagged when
#' * it has fewer than **10 clusters**, whatever the variance estimator;
#' * with CR0, CR1, CR1S or CR3 (t tests on G - 1 df, F tests on (q, G - 1)
#'   df), it has fewer than **30 clusters**: these tests over-reject with
#'   few clusters, the more so the more the clusters differ in size
#'   (MacKinnon, Nielsen and Webb 2023; 30 is the package's threshold, at the
#'   low end of what their guide calls few). With the 3 clusters of
#'   `dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl, vcov = "CR1")` the
#'   intercept's t test gives p = .006, its wild cluster bootstrap p = .25;
#' * with CR2 (the default with a cluster: Bell-McCaffrey standard errors with
#'   Satterthwaite df, which Imbens and Kolesar 2016 recommend with few
#'   clusters), the smallest Satterthwaite df of a reported coefficient, or
#'   the denominator df of the HTZ test of [dm_wald()] and of the overall F
#'   test, is below **4**: Pustejovsky and Tipton (2018) show that the tests
#'   are then unreliable, whatever G (a coefficient identified by a few
#'   clusters, such as the dummy of a category found in two municipalities,
#'   has few df among many clusters).
#'
#' [dm_lm()] itself checks the number of clusters only, as the CR2 df are
#' computed when first needed (see [dm_coef_df()]); `summary()`,
#' [dm_table()] and [dm_wald()] check the df of what they report. Fits
#' without clusters (classical, HC0-HC3) are never flagged.
#'
#' @section What to do:
#' Look at the clusters with [dm_cluster_summary()] (their number, sizes, and
#' the leverage of the largest), and test with the wild cluster bootstrap,
#' [dm_wild()], whose p-values hold with few and unbalanced clusters
#' (MacKinnon, Nielsen and Webb 2023). With 5 clusters or fewer not even the
#' wild bootstrap can give p < .05: its smallest p-value is 2/2^G under full
#' enumeration. To silence the warning where it has been read, use
#' `withCallingHandlers(..., digimaturity_warning_few_clusters = function(w)
#' invokeRestart("muffleWarning"))` or [suppressWarnings()] with
#' `classes = "digimaturity_warning_few_clusters"` (R >= 4.0).
#'
#' The study's own models (the 183 municipalities of [flanders_dm], see
#' [dm_replicate()]) are not flagged.
#'
#' @references
#' Imbens, G. W. and Kolesar, M. (2016). Robust standard errors in small
#' samples: some practical advice. *Review of Economics and Statistics* 98(4),
#' 701-712.
#'
#' Pustejovsky, J. E. and Tipton, E. (2018). Small-sample methods for
#' cluster-robust variance estimation and hypothesis testing in fixed effects
#' models. *Journal of Business & Economic Statistics* 36(4), 672-683.
#'
#' MacKinnon, J. G., Nielsen, M. O. and Webb, M. D. (2023). Cluster-robust
#' inference: a guide to empirical practice. *Journal of Econometrics* 232(2),
#' 272-299.
#'
#' @seealso [dm_lm()], [summary.dm_lm()][dm_lm-summary], [dm_table()], [dm_wald()],
#'   [dm_wild()], [dm_cluster_summary()].
#' @name few_clusters
#' @examples
#' # 3 clusters: the fit warns, and so does its summary (which also prints a note)
#' fit <- dm_lm(mpg ~ wt + hp, data = mtcars, cluster = ~cyl)
#' summary(fit)
#'
#' # the study's design, 183 municipalities: no warning
#' sc <- dm_score(flanders_dm, keep = "municipality")
#' summary(dm_lm(efficiency ~ innovation, data = sc, cluster = ~municipality))
NULL

# The thresholds of the rule (see ?few_clusters).
few_clusters_min_g <- 10      # any cluster-robust type
few_clusters_min_g_t <- 30    # CR0, CR1, CR1S, CR3: t(G - 1) and F(q, G - 1)
few_clusters_min_df <- 4      # CR2: Satterthwaite df of a coefficient, HTZ denominator df

# NULL when the fit's cluster-robust inference passes the rule, otherwise a list with
# the cluster count `G`, the variance type, the cluster label, the smallest df seen
# (`df_min`, NA when not asked) and `reasons` (a character vector, in words). `df` are
# the t-test df of the reported coefficients, `df2` the denominator df of F tests.
few_clusters_check <- function(fit, df = NULL, df2 = NULL) {
  type <- fit$vcov_type
  G <- fit$n_clusters
  if (!vcov_is_cluster(type) || is.null(G) || is.na(G)) return(NULL)
  rule <- vcov_df_rule(type)
  reasons <- character()
  df_min <- NA_real_
  if (G < few_clusters_min_g) {
    reasons <- c(reasons, sprintf("fewer than %d clusters", few_clusters_min_g))
  }
  if (rule == "G - 1" && G < few_clusters_min_g_t) {
    reasons <- c(reasons, sprintf("%s t and F tests on G - 1 = %d df over-reject with fewer than %d clusters",
                                  type, as.integer(G - 1), few_clusters_min_g_t))
  }
  if (rule == "Satterthwaite") {
    d <- c(df, df2)
    d <- d[!is.na(d)]
    if (length(d)) {
      df_min <- min(d)
      if (df_min < few_clusters_min_df) {
        reasons <- c(reasons, sprintf("smallest Satterthwaite/HTZ df %s, below %d",
                                      format(signif(df_min, 2)), few_clusters_min_df))
      }
    }
  }
  if (!length(reasons)) return(NULL)
  list(G = as.integer(G), type = type, label = cluster_label_of(fit), df_min = df_min,
       reasons = reasons)
}

# The cluster variable as the user named it, or NA (a dm_mlm holds it in its fits).
cluster_label_of <- function(fit) {
  if (inherits(fit, "dm_mlm")) fit <- fit$fits[[1L]]
  if (!inherits(fit, "dm_lm")) return(NA_character_)
  lab <- cluster_label(fit)
  # a column name or a short expression such as d$g; not a computed one
  if (!is.na(lab) && (nchar(lab) > 30L || grepl("[({]", lab))) NA_character_ else lab
}

# The warning's text: names `cluster`, echoes the count and the df, says what to do.
few_clusters_message <- function(info, what = "the fit's") {
  sprintf(paste0("`cluster`%s has %d clusters, too few for the t and F reference distributions of ",
                 "%s cluster-robust tests (%s): their p-values, stars and intervals may be badly off. ",
                 "Look at the clusters with dm_cluster_summary() and test with the wild cluster ",
                 "bootstrap, dm_wild(); the rule and its sources: ?few_clusters."),
          if (is.na(info$label)) "" else sprintf(" (%s)", info$label), info$G, what,
          paste(info$reasons, collapse = "; "))
}

# The note of printouts, wrapped to the console width.
few_clusters_note <- function(info) {
  txt <- sprintf("Few clusters (%d%s): %s. The t/F p-values and stars are unreliable: see dm_wild(), dm_cluster_summary() and ?few_clusters",
                 info$G, if (is.na(info$label)) "" else paste0(" of ", info$label),
                 paste(info$reasons, collapse = "; "))
  paste(strwrap(txt, width = max(40L, getOption("width", 80L) - 2L), exdent = 2L), collapse = "\n")
}

warn_few_clusters <- function(info, what = "the fit's") {
  if (is.null(info)) return(invisible())
  dm_warn(few_clusters_message(info, what), type = "few_clusters", call = NULL)
}

# Evaluate `expr` without the warnings of the given types (a front end that raises its
# own, once: dm_lm() of several responses fits one dm_lm per response).
muffle_warnings_of <- function(expr, types) {
  withCallingHandlers(expr, warning = function(w) {
    if (inherits(w, paste0("digimaturity_warning_", types))) invokeRestart("muffleWarning")
  })
}

# Evaluate `expr` letting the first warning of the given type through and muffling the
# rest: one warning for a call that runs several tests (dm_importance(), summary() of a
# dm_mlm).
warn_first_only <- function(expr, type = "few_clusters") {
  seen <- FALSE
  withCallingHandlers(expr, warning = function(w) {
    if (!inherits(w, paste0("digimaturity_warning_", type))) return()
    if (seen) invokeRestart("muffleWarning")
    seen <<- TRUE
  })
}
