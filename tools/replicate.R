# `make replicate`: the main job on the bundled data. Until the replication of the
# study lands it prints the instrument and the published tables.
suppressPackageStartupMessages(library(digimaturity))
print(dm_instrument(dmm_items))
cat("\nPublished figures (UGent slides):\n\n")
print(ugent_published$fit, row.names = FALSE)
cat("\n")
print(ugent_published$regression[, c("block", "term", "model", "estimate", "std_error", "stars_printed")],
      row.names = FALSE)
