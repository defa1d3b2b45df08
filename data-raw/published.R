# Builds data/dmm_items.rda and data/ugent_published.rda from the careful readings of
# the UGent slides ("Digitale maturiteit", Ghent University for the Agentschap
# Binnenlands Bestuur, 2024) kept beside this script as published_*.csv (copies of
# shared/seed/). Run from the package root:  Rscript data-raw/published.R
read_seed <- function(name) {
  utils::read.csv(file.path("data-raw", paste0("published_", name, ".csv")),
                  stringsAsFactors = FALSE, na.strings = "", check.names = FALSE)
}

items <- read_seed("items")
regression <- read_seed("regression")
fit <- read_seed("fit")
sample <- read_seed("sample")

# Empty cells are empty strings in the published tables (not unknown values) except
# for the numeric "% favourable", which is NA where the slides print none.
blank <- function(x) { x[is.na(x)] <- ""; x }
regression$stars_printed <- blank(regression$stars_printed)
regression$reading_note <- blank(regression$reading_note)
items$slide <- blank(items$slide)
items$category <- blank(items$category)
fit$f_stars_printed <- blank(fit$f_stars_printed)
sample$note <- blank(sample$note)
items$pct_agree_printed <- as.integer(items$pct_agree_printed)
fit$nobs <- as.integer(fit$nobs)

ugent_published <- list(regression = regression, fit = fit, items = items,
                        sample = sample)

# The instrument: the 24 items with dimension, keying and the assumed 5-point scale.
# Legacy categories are assumed (the slides list the items, not their category).
dmm_items <- data.frame(
  item = items$item,
  dimension = items$dimension,
  category = ifelse(items$category == "", NA_character_,
                    sub(" \\(assumed\\)$", "", items$category)),
  category_assumed = grepl("assumed", items$category),
  label_en = items$label_en,
  label_nl = items$label_nl,
  keyed = as.integer(items$keyed),
  scale_min = 1L,
  scale_max = 5L,
  stringsAsFactors = FALSE
)
# The response scale is not printed on the slides either: the labels of the assumed
# 5-point agreement scale, "code=label" separated by "|", the first label of each code
# the one shown, the others accepted wordings (Flemish "akkoord" among them), and the
# answers that mean "no answer". The same as dm_instrument()'s defaults.
labels_nl <- list(c("Helemaal oneens", "Helemaal niet akkoord", "Zeer oneens"),
                  c("Oneens", "Niet akkoord"),
                  c("Neutraal", "Noch eens, noch oneens", "Niet eens, niet oneens",
                    "Noch akkoord, noch niet akkoord"),
                  c("Eens", "Akkoord"),
                  c("Helemaal eens", "Helemaal akkoord", "Zeer eens"))
labels_en <- list("Strongly disagree", "Disagree",
                  c("Neutral", "Neither agree nor disagree", "Neither agree or disagree"),
                  "Agree", "Strongly agree")
as_labels <- function(l) paste(unlist(lapply(seq_along(l), function(k) paste0(k, "=", l[[k]]))),
                               collapse = "|")
dmm_items$response_labels_nl <- as_labels(labels_nl)
dmm_items$response_labels_en <- as_labels(labels_en)
dmm_items$na_labels <- paste(c(
  "weet niet", "weet het niet", "ik weet het niet", "geen mening", "geen idee",
  "n.v.t.", "nvt", "niet van toepassing", "geen antwoord", "wil niet zeggen",
  "don't know", "do not know", "not applicable", "n/a", "no opinion", "no answer",
  "prefer not to say", "refused"), collapse = "|")
stopifnot(nrow(dmm_items) == 24L, !anyDuplicated(dmm_items$item))

save(dmm_items, file = "data/dmm_items.rda", compress = "xz", version = 2)
save(ugent_published, file = "data/ugent_published.rda", compress = "xz", version = 2)
