# The UGent study's own wording: its blocks of predictors and the labels of its terms
# (from the published regression table, ugent_published). Used by `blocks = "study"` of
# dm_table() and autoplot(), and by dm_replicate(), and nowhere else: results of your own
# data label themselves from their own instrument and terms.

# The headings of the study's blocks, by block id.
study_blocks <- list(
  en = c(pressure = "Institutional pressures", administrative_capacity = "Administrative capacity",
         political_capacity = "Political capacity", control = "Control"),
  nl = c(pressure = "Institutionele druk", administrative_capacity = "Administratieve capaciteit",
         political_capacity = "Politieke capaciteit", control = "Controle")
)

# The study's terms by block id (in the published order), as a named list of term ids.
study_block_terms <- function() {
  reg <- bundled_data("ugent_published")$regression
  reg <- reg[!duplicated(reg$term), ]
  lapply(stats::setNames(nm = names(study_blocks$en)), function(b) reg$term[reg$block == b])
}

# The study's term labels in `lang`, named by term id.
study_term_labels <- function(lang) {
  reg <- bundled_data("ugent_published")$regression
  reg <- reg[!duplicated(reg$term), ]
  stats::setNames(reg[[paste0("label_", lang)]], reg$term)
}
