# Fits with few clusters warn (class digimaturity_warning_few_clusters, see ?few_clusters).
# Tests that are about something else evaluate them through this, which muffles that
# warning only; test-few-clusters.R tests the warning itself.
without_few_clusters <- function(expr) {
  suppressWarnings(expr, classes = "digimaturity_warning_few_clusters")
}
